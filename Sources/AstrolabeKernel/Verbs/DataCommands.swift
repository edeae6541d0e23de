import AstrolabeData
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let data: [Verb] = [
        Verb("load", usage: "load PATH [as NAME] [id=COLUMN] [label=COLUMN] [sep=,] [missing=V,...] [types=COL:TYPE,...] ... | load config PATH.json",
             summary: "Load a CSV/TSV, ECSV, VOTable or FITS table as a table and make it the current table.",
             details: """
                 CSV: the first row is the header. Column types are inferred (integer, float, boolean, text, category)
                 or set with types=COL:TYPE,... (integer float boolean text category). Empty cells, NA, NaN and null
                 are missing in numeric columns; missing= adds values such as -99.99. sep= is a character or comma,
                 tab, whitespace, semicolon, pipe (default: tab for .tsv and .tab files and for a header with tabs
                 but no comma, else comma); comment= skips lines starting with a character. Malformed rows are
                 errors naming the line, or with on_error=skip are left out and counted. gzip, bzip2 and xz files
                 (.csv.gz, .csv.bz2, .csv.xz) are read as they are; other formats (HDF5, zip, zstd) are refused by name.
                 ECSV (astropy's, first line # %ECSV) and VOTable (TABLEDATA, BINARY, BINARY2; the first TABLE) give their
                 columns' types, units and descriptions themselves: columns shows them. The format is told by the content.
                 Parquet (any file with PAR1 at both ends): flat integer, float, boolean and text columns; nulls
                 are missing; nested, INT96, decimal and date/time columns are refused by name.
                 A directory loads every Parquet file under it (natural order of paths; names starting with _ or .
                 skipped) as one table; Hive-style key=value directories become columns (numbers when they read as numbers).
                 FITS (.fits, .fit, .fts, or any file starting like FITS): the first table HDU, or hdu=N (0 is the
                 primary HDU) or hdu=EXTNAME. Vector columns become NAME_0, NAME_1, ...
                 precision=float32 stores non-integer columns in half the memory.
                 id= names the column that identifies rows (quote ids with spaces: teach "4FGL J0001.2+4741" bll).
                 label= names the column holding known classes. Answers already in the label store for a table of
                 the same name are restored.
                 example: load Samples/fermi_4lac.csv as blazars id=id label=label
                 load config PATH.json rebuilds a configuration written by `save config`.
                 """,
             options: [.column("id", "column that identifies rows"), .column("label", "column with known class labels"),
                       .text("sep", "field separator (CSV)"), .text("comment", "comment character (CSV), e.g. comment=hash"),
                       .text("missing", "extra values meaning missing, comma-separated"),
                       .text("types", "COL:TYPE,... overriding inferred types"), .choice("on_error", ["fail", "skip"], default: "fail", "fail or skip (CSV)"),
                       .choice("precision", ["float64", "float32"], default: "float64", "float64 or float32"), .text("hdu", "FITS HDU number or EXTNAME"),
                       .choice("format", ["csv", "fits"], "csv or fits (default: from the file)")],
             arguments: [.path],
             maxPositionals: Verb.unlimited, provenance: .noted(SessionProvenance.noteLoad),
             run: Session.load),
        Verb("columns", usage: "columns",
             summary: "List the current table's columns with their type, missing count and role.",
             provenance: .readsOnly,
             run: Session.columns),
        Verb("head", usage: "head [N] [columns=A,B,...]",
             summary: "Show the first N rows (default 5).",
             options: [.columns("columns", "comma-separated columns to show")],
             arguments: [.number],
             provenance: .readsOnly,
             run: Session.head),
        Verb("describe", usage: "describe [COLUMN ...]",
             summary: "Count, missing, mean, std, min, quartiles and max of numeric columns (all, or those named).",
             arguments: [.column],
             maxPositionals: Verb.unlimited, provenance: .readsOnly,
             run: Session.describe),
        Verb("feature", usage: "feature NAME = EXPRESSION",
             summary: "Add a numeric column computed from an expression over columns.",
             details: """
                 Operators: + - * / ^, comparisons (< <= > >= == !=), and, or, not.
                 Functions: log10 ln exp sqrt abs min max clip isnan. Missing values (NaN) propagate;
                 division by zero gives inf or nan. Backquote names with odd characters: `g-r`.
                 example: feature hardness = log10(Energy_Flux100 / Flux1000)
                 """,
             arguments: [.text, .expression], freeText: true,
             provenance: .noted(SessionProvenance.noteFeature),
             run: Session.feature),
    ]
}

/// `load`, `columns`, `head`, `describe`, `feature`: getting data in and looking at it.
extension Session {
    func load(_ command: ParsedCommand) throws -> [Output] {
        if Session.isLoadConfig(command) { return try loadConfig(command) }
        if command.positionals.count == 2, command.positionals[0].text == "model" { return try loadModel(command) }
        guard let pathWord = command.positionals.first else {
            throw CommandError("expected a file path: load PATH [as NAME]", offset: command.verb.offset + command.verb.length, length: 1)
        }
        if command.positionals.count == 1, ["model", "config"].contains(pathWord.text),
           !FileManager.default.fileExists(atPath: resolve(pathWord.text)) {
            throw CommandError("expected a file path: load \(pathWord.text) PATH", offset: pathWord.offset + pathWord.length, length: 1)
        }
        var name = ((pathWord.text as NSString).lastPathComponent as NSString).deletingPathExtension
        var extra = Array(command.positionals.dropFirst())
        if let first = extra.first, first.text == "as" {
            guard extra.count >= 2 else { throw CommandError("expected a table name after `as`", at: first) }
            name = extra[1].text
            extra.removeFirst(2)
        }
        if let stray = extra.first {
            throw CommandError("unexpected `\(stray.text)`: load PATH [as NAME] [id=COLUMN] [label=COLUMN]", at: stray)
        }
        let reading = try readTable(command, path: pathWord, name: name)
        var table = reading.table
        for role in ["id", "label"] {
            guard let option = command.optionEntry(role) else { continue }
            guard table.column(named: option.value.text) != nil else {
                throw CommandError("no column `\(option.value.text)` in \(pathWord.text)", at: option.value,
                                   suggestion: nearestName(to: option.value.text, in: table.columnNames))
            }
            if role == "id" { table.idColumn = option.value.text } else { table.labelColumn = option.value.text }
        }
        var outputs: [Output] = reading.warnings.map { .warning($0) }
        if let idName = table.idColumn {
            let ids = table.rowIdentifiers()
            if Set(ids).count != ids.count {
                outputs.append(.warning("id column `\(idName)` has repeated values; `teach` uses the first row with an id"))
            }
        }
        workspace.load(table)
        declaredClasses[name] = nil
        answers[name] = [:]
        ruleState.rules[name] = nil
        for fitted in ruleState.fits.keys where (viewBases[fitted] ?? fitted) == name { ruleState.fits[fitted] = nil }
        let numeric = table.columns.filter(\.isNumeric).count
        var summary = "\(name): \(plural(table.rowCount, "row")) × \(plural(table.columns.count, "column")) (\(numeric) numeric, \(table.columns.count - numeric) text)"
        if let id = table.idColumn { summary += "; id=\(id)" }
        if let label = table.labelColumn { summary += "; label=\(label)" }
        outputs.insert(.text(summary), at: 0)
        outputs += try restoreAnswers(table: name)
        return outputs
    }

    func columns(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let described = table.columns.contains { !$0.metadata.isEmpty }
        var text = TextTable(header: ["column", "type", "missing", "memory", "role"] + (described ? ["unit", "description"] : []),
                             numericColumns: [2, 3])
        var total = 0
        for column in table.columns {
            var role = ""
            if column.name == table.idColumn { role = "id" }
            if column.name == table.labelColumn { role = "label" }
            var type = column.kind.rawValue
            if case .float32 = column.values { type += " (float32)" }
            let memory = column.memoryBytes
            total += memory
            text.append([column.name, type, String(column.missingCount), formatBytes(memory), role]
                        + (described ? [column.metadata.unit ?? "", column.metadata.description ?? ""] : []))
        }
        return [.text("\(table.name): \(table.rowCount) rows, \(formatBytes(total)) in memory\n" + text.rendered)]
    }

    func head(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        var count = 5
        if let word = command.positionals.first {
            guard let n = Int(word.text), n >= 0 else { throw CommandError("expected a row count, got `\(word.text)`", at: word) }
            count = n
        }
        var names: [String]
        var note = ""
        if let option = command.word("columns") {
            names = try columnList(option, in: table)
        } else {
            names = Array(table.columnNames.prefix(8))
            if table.columns.count > 8 {
                note = "\n(\(table.columns.count - 8) more columns; choose with columns=A,B,...)"
            }
        }
        let shown = names.compactMap { table.column(named: $0) }
        var text = TextTable(header: shown.map(\.name),
                             numericColumns: Set(shown.enumerated().filter { $0.element.isNumeric }.map(\.offset)))
        for row in 0..<min(count, table.rowCount) {
            text.append(shown.map { $0.displayText(row: row) })
        }
        return [.text(text.rendered + note)]
    }

    func describe(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        var selected: [Column] = []
        if command.positionals.isEmpty {
            selected = table.columns.filter(\.isNumeric)
        } else {
            for word in command.positionals {
                let name = columnName(word)
                guard let column = table.column(named: name) else {
                    throw CommandError("unknown column `\(name)`", at: word, suggestion: nearestName(to: name, in: table.columnNames))
                }
                selected.append(column)
            }
        }
        var numeric = TextTable(header: ["column", "count", "missing", "mean", "std", "min", "25%", "50%", "75%", "max"],
                                numericColumns: Set(1...9))
        var text = TextTable(header: ["column", "count", "missing", "unique", "top", "freq"], numericColumns: [1, 2, 3, 5])
        for column in selected {
            switch column.values {
            case .numeric, .float32:
                let s = column.numericSummary ?? ColumnSummary.of([])
                numeric.append([column.name, String(s.count), String(s.missing)] +
                               [s.mean, s.std, s.min, s.q25, s.median, s.q75, s.max].map { NumberFormatting.short($0, significant: 5) })
            case .text(let values):
                let s = TextSummary.of(values)
                text.append([column.name, String(s.count), String(s.missing), String(s.unique), s.top ?? "", String(s.topCount)])
            }
        }
        var outputs: [Output] = []
        if !numeric.rows.isEmpty { outputs.append(.text(numeric.rendered)) }
        if !text.rows.isEmpty { outputs.append(.text(text.rendered)) }
        if outputs.isEmpty { outputs.append(.text("no numeric columns")) }
        return outputs
    }

    func feature(_ command: ParsedCommand) throws -> [Output] {
        var table = try currentTable(for: command.verb)
        let rest = Array(command.rest)
        guard let eq = rest.firstIndex(of: "=") else {
            throw CommandError("expected `=`: feature NAME = EXPRESSION", offset: command.restOffset + rest.count, length: 1)
        }
        var name = String(rest[..<eq]).trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("`"), name.hasSuffix("`"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        guard !name.isEmpty, !name.contains(" ") else {
            throw CommandError("expected one feature name before `=` (backquote names with spaces or operators)",
                               offset: command.restOffset, length: max(1, eq))
        }
        let exprOffset = command.restOffset + eq + 1
        let exprText = String(rest[(eq + 1)...])
        let values = try evaluate(exprText, offset: exprOffset, in: table)
        let replaced = table.column(named: name) != nil
        try table.setColumn(Column(name: name, numbers: values))
        try workspace.update(table)
        let missing = values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        let infinite = values.reduce(0) { $0 + ($1.isInfinite ? 1 : 0) }
        var text = "\(replaced ? "replaced" : "added") feature \(name) = \(exprText.trimmingCharacters(in: .whitespaces))"
        text += " (\(table.rowCount - missing) values, \(missing) missing"
        if infinite > 0 { text += ", \(infinite) infinite" }
        text += ")"
        return [.text(text)]
    }

    // MARK: Argument helpers

    /// A word naming a column: backquotes removed.
    func columnName(_ word: Word) -> String {
        var text = word.text
        if text.hasPrefix("`"), text.hasSuffix("`"), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        return text
    }

    /// `A,B,C` → column names, each checked against the table.
    func columnList(_ word: Word, in table: Table) throws -> [String] {
        var names: [String] = []
        var offset = word.offset
        for part in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            var name = String(part).trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("`"), name.hasSuffix("`"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            guard !name.isEmpty else { throw CommandError("empty column name in list", offset: offset, length: 1) }
            guard table.column(named: name) != nil else {
                throw CommandError("unknown column `\(name)`", offset: offset, length: part.count,
                                   suggestion: nearestName(to: name, in: table.columnNames))
            }
            names.append(name)
            offset += part.count + 1
        }
        return names
    }

    /// The values a positional argument stands for: the column it names, or else the expression it is.
    func numericValues(of word: Word, in table: Table) throws -> [Double] {
        if let column = table.column(named: columnName(word)) {
            guard let numbers = column.numbers else {
                throw CommandError("column `\(column.name)` is text, not numeric", at: word)
            }
            return numbers
        }
        return try evaluate(word.text, offset: word.quoted ? word.offset + 1 : word.offset, in: table)
    }

    /// Evaluates expression text that starts at `offset` in the command line, mapping its errors there.
    func evaluate(_ text: String, offset: Int, in table: Table) throws -> [Double] {
        do {
            let expression = try Expression(parsing: text)
            return try expression.evaluate(in: table)
        } catch let error as ExpressionError {
            // The kernel adds the did-you-mean itself, after the position, like every other error.
            var message = error.message
            if let range = message.range(of: "; did you mean") { message = String(message[..<range.lowerBound]) }
            if error.suggestion == nil, let expected = error.expected, !message.contains("expected") {
                message += "; expected \(expected)"
            }
            let lower = max(0, min(error.range.lowerBound, text.count))
            return try { throw CommandError(message, offset: offset + lower, length: max(1, error.range.count),
                                            suggestion: error.suggestion) }()
        }
    }
}

// MARK: Reading files for `load`

extension Session {
    /// Reads the file `load` names with the options it was given (CSV or FITS), mapping data
    /// errors to the path as the user wrote it.
    func readTable(_ command: ParsedCommand, path pathWord: Word, name: String) throws -> (table: Table, warnings: [String]) {
        let full = resolve(pathWord.text)
        let lower = pathWord.text.lowercased()
        var isFITS = [".fits", ".fit", ".fts", ".fits.gz"].contains { lower.hasSuffix($0) }
        if let format = command.optionEntry("format") {
            switch format.value.text {
            case "fits": isFITS = true
            case "csv": isFITS = false
            default: throw CommandError("format= takes csv or fits", at: format.value,
                                        suggestion: nearestName(to: format.value.text, in: ["csv", "fits"]))
            }
        } else if !isFITS, FITSReader.looksLikeFITS(path: full) {
            isFITS = true
        }
        var precision = CSVOptions.Precision.float64
        if let option = command.word("precision") {
            guard let p = CSVOptions.Precision(rawValue: option.text) else {
                throw CommandError("precision= takes float64 or float32", at: option,
                                   suggestion: nearestName(to: option.text, in: ["float64", "float32"]))
            }
            precision = p
        }
        let csvOnly = ["sep", "comment", "missing", "types", "on_error"]
        let fitsOnly = ["hdu"]
        // Parquet is told by its content only (PAR1 at both ends), whatever the name or format=.
        let isDirectory = ParquetDirectoryReader.isDirectory(path: full)
        let isParquet = !command.has("format") && (isDirectory || ParquetReader.looksLikeParquet(path: full))
        for option in command.options where isParquet && (csvOnly + fitsOnly).contains(option.key) {
            throw CommandError("\(option.key)= does not apply to Parquet files", offset: option.keyOffset, length: option.key.count)
        }
        for option in command.options where (isFITS ? csvOnly : fitsOnly).contains(option.key) {
            throw CommandError("\(option.key)= applies to \(isFITS ? "CSV" : "FITS") files only", offset: option.keyOffset, length: option.key.count)
        }
        do {
            if isDirectory { return (try ParquetDirectoryReader(precision: precision).read(path: full, tableName: name), []) }
            if isParquet { return (try ParquetReader(precision: precision).read(path: full, tableName: name), []) }
            if isFITS {
                var hdu: FITSReader.HDU? = nil
                if let option = command.optionEntry("hdu") {
                    hdu = Int(option.value.text).map { .number($0) } ?? .name(option.value.text)
                }
                return (try FITSReader(hdu: hdu, precision: precision).read(path: full, tableName: name), [])
            }
            var options = try csvOptions(command)
            options.precision = precision
            let progress = options.progress == nil && self.options.interactive ? LoadProgress(label: pathWord.text) : nil
            if let progress { options.progress = { progress.update($0) } }
            defer { progress?.finish() }
            try refuseTextOptions(command, path: full)
            let result = try TableFileReader(csv: options).readWithReport(path: full, tableName: name)
            return (result.table, result.report.warnings)
        } catch let error as DataError {
            // Name the file as the user wrote it, not as resolved.
            var message = error.message.replacingOccurrences(of: full, with: pathWord.text)
            // The diagnostic adds the did-you-mean itself (once), as for every other error.
            if error.suggestion != nil, let range = message.range(of: "; did you mean") { message = String(message[..<range.lowerBound]) }
            if let line = error.line {
                message = "\(pathWord.text):\(line)" + (error.column.map { ":\($0)" } ?? "") + ": " + message
            }
            throw CommandError(message, at: pathWord, suggestion: error.suggestion)
        }
    }

    /// sep=, types= and the like describe plain CSV; a VOTable or ECSV file says all that itself.
    private func refuseTextOptions(_ command: ParsedCommand, path: String) throws {
        guard let option = command.options.first(where: { ["sep", "comment", "missing", "types", "on_error"].contains($0.key) }) else { return }
        let format = try TableFileReader.format(path: path)
        guard format == .votable || format == .ecsv else { return }
        throw CommandError("\(option.key)= applies to CSV files only; this file is \(format == .votable ? "a VOTable" : "ECSV"), "
                           + "which gives its columns' types itself", offset: option.keyOffset, length: option.key.count)
    }

    func csvOptions(_ command: ParsedCommand) throws -> CSVOptions {
        var options = CSVOptions()
        if let sep = command.optionEntry("sep") {
            guard let separator = CSVOptions.separator(named: sep.value.text) else {
                throw CommandError("sep= takes one character, or comma, tab, whitespace, semicolon, pipe", at: sep.value)
            }
            options.separator = separator
        }
        if let comment = command.optionEntry("comment") {
            // `#` starts a comment in a command line, so it is written quoted or as `hash`.
            let bytes = comment.value.text == "hash" ? [UInt8(ascii: "#")] : Array(comment.value.text.utf8)
            guard bytes.count == 1 else {
                throw CommandError("comment= takes one character, such as comment=\"#\" (or comment=hash)", at: comment.value)
            }
            options.comment = bytes[0]
        }
        if let missing = command.optionEntry("missing") {
            options.missing = missing.value.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let onError = command.optionEntry("on_error") {
            guard let policy = CSVOptions.ErrorPolicy(rawValue: onError.value.text) else {
                throw CommandError("on_error= takes fail or skip", at: onError.value,
                                   suggestion: nearestName(to: onError.value.text, in: ["fail", "skip"]))
            }
            options.onError = policy
        }
        if let types = command.optionEntry("types") {
            let aliases: [String: ColumnKind] = ["int": .integer, "integer": .integer, "float": .float, "double": .float,
                                                 "number": .float, "bool": .boolean, "boolean": .boolean, "text": .text,
                                                 "string": .text, "str": .text, "category": .category, "categorical": .category]
            for pair in types.value.text.split(separator: ",") {
                let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw CommandError("types= takes COLUMN:TYPE pairs separated by commas, e.g. types=id:text,flag:boolean", at: types.value)
                }
                guard let kind = aliases[parts[1]] else {
                    throw CommandError("unknown type `\(parts[1])` (expected integer, float, boolean, text or category)", at: types.value,
                                       suggestion: nearestName(to: parts[1], in: ["integer", "float", "boolean", "text", "category"]))
                }
                options.types[parts[0]] = kind
            }
        }
        return options
    }
}

/// "loading PATH: 45%" on the terminal's error stream, for loads that take more than a second
/// at an interactive prompt (never in replays, whose outputs must not depend on timing).
final class LoadProgress: @unchecked Sendable {
    private let label: String
    /// What is going on: `loading` for `load`, `simulating` for `simulate`.
    private let action: String
    private let start = DispatchTime.now()
    private let lock = NSLock()
    private var shown = -1

    init(label: String, action: String = "loading") { self.label = label; self.action = action }

    func update(_ fraction: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds > 1_000_000_000 else { return }
        let percent = Int(fraction * 100)
        guard percent != shown else { return }
        shown = percent
        FileHandle.standardError.write(Data("\r\(action) \(label): \(percent)%".utf8))
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown >= 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
