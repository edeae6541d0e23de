import AstrolabeData
import Foundation

/// What completing the word under a cursor offers: candidates, and the text each one replaces.
public struct Completions: Sendable, Equatable {
    /// Whole words, each replacing all of `replacing`.
    public var matches: [String]
    /// The replaced text, in Unicode scalars from the start of the code (Jupyter's `cursor_start`
    /// and `cursor_end`): from after an open double quote, or else from after the last blank, to the cursor.
    public var replacing: Range<Int>

    public init(matches: [String], replacing: Range<Int>) {
        self.matches = matches
        self.replacing = replacing
    }
}

extension Session {
    /// Completes the word under `cursor` in `code`, which may hold several lines (a Jupyter cell);
    /// only the cursor's line is considered. `cursor` counts Unicode scalars, as Jupyter's
    /// `cursor_pos` does; out-of-range values are clamped. The REPL and the Jupyter kernel both ask this.
    public func complete(_ code: String, cursor: Int) -> Completions {
        let scalars = Array(code.unicodeScalars)
        let cursor = max(0, min(cursor, scalars.count))
        var lineStart = cursor
        while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var lineEnd = cursor
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        let line = Array(String(String.UnicodeScalarView(scalars[lineStart..<lineEnd])))
        // In characters, as `completions(forLine:cursor:)` counts (clamped: a cursor inside a
        // grapheme cluster must not index past the line).
        let end = min(String(String.UnicodeScalarView(scalars[lineStart..<cursor])).count, line.count)
        let start = lineStart + String(line[..<Session.completedWord(line, end: end).start]).unicodeScalars.count
        return Completions(matches: completions(forLine: String(line), cursor: end), replacing: start..<cursor)
    }

    /// Where the word completion replaces starts in `chars[..<end]`: after an open double quote
    /// (`quoted`: the word is everything after it, spaces included), else after the last blank.
    static func completedWord(_ chars: [Character], end: Int) -> (start: Int, quoted: Bool) {
        var openQuote: Int?
        for i in 0..<end where chars[i] == "\"" { openQuote = openQuote == nil ? i : nil }
        if let quote = openQuote { return (quote + 1, true) }
        var start = end
        while start > 0, chars[start - 1] != " ", chars[start - 1] != "\t" { start -= 1 }
        return (start, false)
    }

    /// Candidate completions for the word under `cursor` (a character offset into `line`).
    ///
    /// The word is the text from the last space before the cursor; every candidate replaces that
    /// whole word (so front ends should break words on whitespace only). Verbs first on the line;
    /// then `key=` option names and argument values by the verb's argument kinds: columns, models,
    /// class names, ids and file paths. For `key=a,b` lists, only the last item is completed.
    func completions(forLine line: String, cursor: Int) -> [String] {
        let chars = Array(line)
        let end = max(0, min(cursor, chars.count))
        let (start, quoted) = Session.completedWord(chars, end: end)
        // Inside an open double quote the word is everything after the quote, spaces included,
        // and candidates come back unquoted: the front end closes the quote (readline does).
        if quoted {
            let quote = start - 1
            let before = String(chars[0..<quote])
            let verb = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            let typed = String(chars[(quote + 1)..<end])
            let kinds = VerbCatalog.named(verb)?.arguments ?? []
            guard kinds.contains(.id), let name = currentTableName, let table = tables[name] else { return [] }
            return Array(table.rowIdentifiers().filter { $0.hasPrefix(typed) }.prefix(200))
        }
        let word = String(chars[start..<end])
        let before = String(chars[0..<start])
        let previous = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verbName = previous.first else {
            return VerbCatalog.names.filter { $0.hasPrefix(word) }
        }
        guard let verb = VerbCatalog.named(verbName) else { return [] }

        if let eq = word.firstIndex(of: "="), !word.hasPrefix("\"") {
            let key = String(word[..<eq])
            let value = String(word[word.index(after: eq)...])
            // `set plot.NAME=` takes the values of plot's NAME=.
            let spec = verb.name == "set" && key.hasPrefix("plot.")
                ? VerbCatalog.named("plot")?.option(String(key.dropFirst(5))) : verb.option(key)
            guard let spec else { return [] }
            return optionValueCandidates(spec, typed: value).map { key + "=" + $0 }
        }

        let position = previous.count - 1   // index of the positional being typed, counting options too
        var result: [String] = []
        let kind: ArgumentKind?
        if verb.arguments.isEmpty { kind = nil }
        else { kind = verb.arguments[min(max(0, position), verb.arguments.count - 1)] }
        if verb.name == "plot", position == 0 {
            result += PlotKind.names.filter { $0.hasPrefix(word) }
        } else if verb.name == "plot", position >= 1, let kind = previous.dropFirst().first.flatMap(PlotKind.named),
                  position - 1 < kind.arguments.count {
            result += candidates(kind: kind.arguments[position - 1].kind, prefix: word)
        } else if verb.name == "help" {
            result += VerbCatalog.names.filter { $0.hasPrefix(word) }
        } else if verb.name == "feature", !before.contains("=") , position == 0 {
            // naming a new feature: nothing to complete
        } else if let kind {
            result += candidates(kind: kind, prefix: word)
        }
        if !verb.freeText || before.contains("=") == false {
            let used = Set(previous.compactMap { $0.split(separator: "=").first.map(String.init) })
            // A plot offers only the options its kind takes (from the kind declarations).
            let plotKind = verb.name == "plot" ? previous.dropFirst().first.flatMap(PlotKind.named) : nil
            // teach's options after `teach ID CLASS` are confidence= and note=; images= and sed= are for `teach MODEL loop`.
            let teachLoop = verb.name == "teach" && previous.count > 2 && previous[2] == "loop"
            let applies: (String) -> Bool = { name in
                if verb.name == "teach" && (name == "images" || name == "sed") != teachLoop { return false }
                return plotKind?.takes(name) ?? true
            }
            result += verb.optionNames.filter { !used.contains($0) && applies($0) }.map { $0 + "=" }.filter { $0.hasPrefix(word) }
        }
        return result
    }

    /// The values worth offering after `NAME=` by the option's declared type: its choices, or
    /// columns (for `key=a,b` lists only the last item), paths or models.
    func optionValueCandidates(_ spec: OptionSpec, typed value: String) -> [String] {
        var head = ""
        var last = value
        let isList: Bool
        switch spec.type {
        case .column, .columns, .choiceList: isList = true
        default: isList = false
        }
        if isList, let comma = value.lastIndex(of: ",") {
            head = String(value[...comma])
            last = String(value[value.index(after: comma)...])
        }
        if let choices = spec.choices { return choices.filter { $0.hasPrefix(last) }.map { head + $0 } }
        guard let kind = spec.type.completionKind else { return [] }
        return candidates(kind: kind, prefix: last).map { head + $0 }
    }

    func candidates(kind: ArgumentKind, prefix: String) -> [String] {
        switch kind {
        case .column, .expression:
            guard let name = currentTableName, let table = tables[name] else { return [] }
            return table.columnNames.map { name in
                name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." } ? name : "`" + name + "`"
            }.filter { $0.hasPrefix(prefix) }
        case .model:
            return modelOrder.filter { $0.hasPrefix(prefix) }
        case .className:
            guard let name = currentTableName, let table = tables[name],
                  let set = try? classSet(for: table, at: Word(text: "", raw: "", quoted: false, offset: 0)) else { return [] }
            return set.names.filter { $0.hasPrefix(prefix) }
        case .id:
            guard let name = currentTableName, let table = tables[name] else { return [] }
            let bare = prefix.hasPrefix("\"") ? String(prefix.dropFirst()) : prefix
            return table.rowIdentifiers().filter { $0.hasPrefix(bare) }.prefix(200).map(quoteIfNeeded)
        case .path:
            return pathCandidates(prefix)
        case .table:
            return tableOrder.filter { $0.hasPrefix(prefix) }
        case .text, .number:
            return []
        }
    }

    /// Files and folders starting with `prefix`; folders end in `/` so completion can go on.
    func pathCandidates(_ prefix: String) -> [String] {
        let dirPart = (prefix as NSString).deletingLastPathComponent
        let namePart = prefix.hasSuffix("/") ? "" : (prefix as NSString).lastPathComponent
        let listed = dirPart.isEmpty ? (prefix.hasPrefix("/") ? "/" : ".") : dirPart
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: resolve(listed)) else { return [] }
        return entries.filter { $0.hasPrefix(namePart) && (!$0.hasPrefix(".") || namePart.hasPrefix(".")) }.sorted().map { entry in
            let path = prefix.hasSuffix("/") ? prefix + entry : (dirPart.isEmpty ? entry : (dirPart as NSString).appendingPathComponent(entry))
            var isDir: ObjCBool = false
            let isDirectory = FileManager.default.fileExists(atPath: resolve(path), isDirectory: &isDir) && isDir.boolValue
            return isDirectory ? path + "/" : path
        }
    }
}
