import AstrolabeKernel
import CReadline
import Foundation

/// Tab completion. readline's callbacks are C function pointers that cannot capture context, so
/// the session and the current candidates live in statics the callbacks read (main thread only).
enum Completion {
    nonisolated(unsafe) static var session: Session?
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var nextCandidate = 0

    /// Words are split at blanks and quotes only, so `key=value`, `a,b` lists and paths complete
    /// as one word; the session returns whole words (`to=plots/`, not `plots/`).
    nonisolated(unsafe) static let wordBreaks = strdup(" \t\n\"'")!
    nonisolated(unsafe) static let quoteCharacters = strdup("\"")!
    nonisolated(unsafe) static let readlineName = strdup("astrolabe")!

    static func install(session: Session) {
        Completion.session = session
        astrolabe_set_readline_name(readlineName)
        astrolabe_set_word_break_characters(wordBreaks)
        astrolabe_set_completer_quote_characters(quoteCharacters)
        astrolabe_set_completion(attemptCompletion)
    }

    static let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, end in
        astrolabe_set_attempted_completion_over(1)  // never fall back to readline's own file names
        guard let text, let buffer = astrolabe_line_buffer() else { return nil }
        let word = String(cString: text)
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                              count: Int(strlen(buffer))))
        let point = max(0, min(Int(astrolabe_point()), bytes.count))
        let line = String(decoding: bytes, as: UTF8.self)
        let cursor = String(decoding: bytes[..<point], as: UTF8.self).unicodeScalars.count
        let before = String(decoding: bytes[..<min(Int(start), point)], as: UTF8.self)
        Completion.candidates = Completion.complete(word: word, before: before, line: line, cursor: cursor)
        Completion.nextCandidate = 0
        // No space after a folder, a `key=`, or an option value: the user may go on with the path,
        // the value, or the next item of a `features=a,b` list.
        if !Completion.candidates.isEmpty,
           word.contains("=") || Completion.candidates.allSatisfy({ $0.hasSuffix("/") || $0.hasSuffix("=") }) {
            astrolabe_set_completion_append_character(0)
        }
        return rl_completion_matches(text, generator)
    }

    static let generator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
        if state == 0 { Completion.nextCandidate = 0 }
        guard Completion.nextCandidate < Completion.candidates.count else { return nil }
        defer { Completion.nextCandidate += 1 }
        return strdup(Completion.candidates[Completion.nextCandidate])
    }

    /// The session's candidates for the word, or file names where a path is expected.
    /// `cursor` counts Unicode scalars into `line`, as `Session.complete` does.
    static func complete(word: String, before: String, line: String, cursor: Int) -> [String] {
        // Whole words are expected; a bare value after `key=` gets its key back.
        let key = word.firstIndex(of: "=").map { String(word[...$0]) } ?? ""
        var result = (session?.complete(line, cursor: cursor).matches ?? []).compactMap { candidate -> String? in
            if candidate.hasPrefix(word) { return candidate }
            if !key.isEmpty, (key + candidate).hasPrefix(word) { return key + candidate }
            return nil
        }
        if result.isEmpty, expectsPath(word: word, before: before) {
            let directory = session?.options.workingDirectory ?? FileManager.default.currentDirectoryPath
            if let eq = word.firstIndex(of: "=") {
                let key = word[...eq]
                result = FileCompletion.candidates(for: String(word[word.index(after: eq)...]),
                                                   relativeTo: directory).map { key + $0 }
            } else {
                result = FileCompletion.candidates(for: word, relativeTo: directory)
            }
        }
        return result
    }

    static let pathVerbs: Set<String> = ["load", "record", "source", "save", "run"]
    static let pathKeys: Set<String> = ["to", "file", "path", "from"]

    static func expectsPath(word: String, before: String) -> Bool {
        if let eq = word.firstIndex(of: "=") { return pathKeys.contains(String(word[..<eq])) }
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let verb = words.first else { return false }
        return pathVerbs.contains(String(verb))
    }
}

/// File-name candidates for a partial path, relative paths resolved against a directory.
/// Directories end in `/`; hidden files only when the name typed so far starts with a dot.
enum FileCompletion {
    static func candidates(for partial: String, relativeTo directory: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let folderPart = slash.map { String(partial[...$0]) } ?? ""
        let namePart = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var folder = folderPart.isEmpty ? "." : folderPart
        if folder.hasPrefix("~") { folder = (folder as NSString).expandingTildeInPath }
        if !folder.hasPrefix("/") { folder = (directory as NSString).appendingPathComponent(folder) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var result: [String] = []
        for name in names where name.hasPrefix(namePart) {
            if name.hasPrefix(".") && !namePart.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            let full = (folder as NSString).appendingPathComponent(name)
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            result.append(folderPart + name + (isDirectory.boolValue ? "/" : ""))
        }
        return result.sorted()
    }
}
