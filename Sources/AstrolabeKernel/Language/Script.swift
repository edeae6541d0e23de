/// A session script (`.alab`) split into notebook cells.
///
/// Paragraphs are runs of non-blank lines separated by blank lines. A paragraph made only of
/// full-line `#` comments is prose (a Markdown cell: `# ## Title` becomes `## Title`); any other
/// paragraph is a code cell. A `#!` first line is ignored. Within a code cell, a trailing `\`
/// continues a command on the next line; comment-only lines stay in the cell's source but are not
/// executed. Trailing `# ...` comments are left for the session's lexer.
public struct Script: Sendable, Equatable {
    /// One logical command: continuation lines joined, located at its first physical line.
    public struct Command: Sendable, Equatable {
        public var text: String
        public var location: SourceLocation
        public init(text: String, location: SourceLocation) {
            self.text = text
            self.location = location
        }
    }

    public enum Cell: Sendable, Equatable {
        /// Prose, with the comment markers stripped.
        case markdown(String)
        /// The physical lines as written, and the commands they hold.
        case code(source: [String], commands: [Command])
    }

    /// The script's path as the user gave it (used in every SourceLocation).
    public var file: String
    public var cells: [Cell]

    public init(text: String, file: String) {
        self.file = file
        var lines = Script.physicalLines(text)
        var firstLine = 1
        if let first = lines.first, first.hasPrefix("#!") {
            lines.removeFirst()
            firstLine = 2
        }
        var cells: [Cell] = []
        var paragraph: [String] = []
        var paragraphStart = firstLine
        func flush() {
            defer { paragraph.removeAll() }
            guard !paragraph.isEmpty else { return }
            if paragraph.allSatisfy(Script.isCommentLine) {
                cells.append(.markdown(paragraph.map(Script.prose).joined(separator: "\n")))
            } else {
                var assembler = CommandAssembler(file: file)
                var commands: [Command] = []
                for (offset, line) in paragraph.enumerated() {
                    if let command = assembler.feed(line, line: paragraphStart + offset) {
                        commands.append(command)
                    }
                }
                if let command = assembler.finish() { commands.append(command) }
                cells.append(.code(source: paragraph, commands: commands))
            }
        }
        for (offset, line) in lines.enumerated() {
            let number = firstLine + offset
            if Script.isBlank(line) {
                flush()
            } else {
                if paragraph.isEmpty { paragraphStart = number }
                paragraph.append(line)
            }
        }
        flush()
        self.cells = cells
    }

    /// Every command of every code cell, in order.
    public var commands: [Command] {
        cells.flatMap { cell -> [Command] in
            if case .code(_, let commands) = cell { return commands }
            return []
        }
    }

    /// The commands of code typed at once (a Jupyter cell): continuation lines joined, located by
    /// line within the code (no file). Unlike `init(text:file:)`, blank lines and comments make no cells.
    public static func commands(inCell code: String) -> [Command] {
        var assembler = CommandAssembler(file: nil)
        var commands = feed(code, to: &assembler)
        if let command = assembler.finish() { commands.append(command) }
        return commands
    }

    /// Feeds every line of `code` to `assembler` and returns the commands it completed; a command
    /// still waiting for a continuation stays in the assembler.
    static func feed(_ code: String, to assembler: inout CommandAssembler) -> [Command] {
        var commands: [Command] = []
        for (index, line) in physicalLines(code).enumerated() {
            if let command = assembler.feed(line, line: index + 1) { commands.append(command) }
        }
        return commands
    }

    // MARK: - Line rules, shared with the REPL and stdin readers through CommandAssembler

    /// Splits on `\n`, `\r\n` or `\r`; a final newline does not make an extra empty line.
    static func physicalLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousWasCR { lines.append(current); current = "" }
                previousWasCR = false
            } else if scalar == "\r" {
                lines.append(current); current = ""
                previousWasCR = true
            } else {
                current.unicodeScalars.append(scalar)
                previousWasCR = false
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// A line whose first non-blank character is `#`.
    public static func isCommentLine(_ line: String) -> Bool {
        line.first(where: { $0 != " " && $0 != "\t" }) == "#"
    }

    /// `# text` → `text`, `#` → empty, `#text` → `text` (leading indentation dropped too).
    static func prose(_ line: String) -> String {
        var rest = line.drop(while: { $0 == " " || $0 == "\t" })
        if rest.first == "#" { rest = rest.dropFirst() }
        if rest.first == " " { rest = rest.dropFirst() }
        return String(rest)
    }
}

/// Joins `\` continuation lines into logical commands, one physical line at a time. The script
/// reader, the stdin reader and the REPL all use it, so the three agree on what a command is.
public struct CommandAssembler: Sendable {
    public let file: String?
    private var pending: String?
    private var pendingLine = 0

    public init(file: String?) { self.file = file }

    /// True while a `\` line waits for its continuation (the REPL shows `...>`).
    public var isContinuing: Bool { pending != nil }

    /// Feeds one physical line; returns a command once it is complete. Comment-only lines that do
    /// not continue a command return nil (they are not executed). Blank lines end a pending command.
    public mutating func feed(_ line: String, line number: Int) -> Script.Command? {
        if pending == nil {
            if Script.isBlank(line) || Script.isCommentLine(line) { return nil }
            pendingLine = number
        }
        let (body, continues) = CommandAssembler.splitContinuation(line)
        if Script.isBlank(line) {
            return finish()
        }
        var piece = Substring(body)
        if continues { while let last = piece.last, last == " " || last == "\t" { piece.removeLast() } }
        if pending != nil {
            // Appended in place: building a new string per line made 300,000 continuation
            // lines take quadratic time.
            pending?.append(" ")
            pending?.append(contentsOf: piece.drop(while: { $0 == " " || $0 == "\t" }))
        } else {
            pending = String(piece)
        }
        if continues { return nil }
        return finish()
    }

    /// Ends the input: returns a command still waiting for a continuation, if any.
    public mutating func finish() -> Script.Command? {
        guard let text = pending else { return nil }
        pending = nil
        var trimmed = text
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        if Script.isBlank(trimmed) { return nil }
        return Script.Command(text: trimmed, location: SourceLocation(file: file, line: pendingLine, column: 1))
    }

    /// Drops a command waiting for its continuation (Ctrl-C at `...>`).
    public mutating func reset() { pending = nil }

    /// Whether `line` ends in a continuation `\` (outside quotes and comments), and the line
    /// without it.
    static func splitContinuation(_ line: String) -> (String, Bool) {
        var end = line.endIndex
        while end > line.startIndex {
            let before = line.index(before: end)
            if line[before] == " " || line[before] == "\t" { end = before } else { break }
        }
        guard end > line.startIndex, line[line.index(before: end)] == "\\" else { return (line, false) }
        // A backslash inside a comment or a quoted string does not continue the line.
        var inQuote: Character? = nil
        var escaped = false
        let slash = line.index(before: end)
        var index = line.startIndex
        while index < slash {
            let c = line[index]
            if let q = inQuote {
                if escaped { escaped = false }
                else if c == "\\" && q == "\"" { escaped = true }
                else if c == q { inQuote = nil }
            } else if c == "\"" || c == "`" {
                inQuote = c
            } else if c == "#" {
                return (line, false)
            }
            index = line.index(after: index)
        }
        if inQuote != nil { return (line, false) }
        return (String(line[..<slash]), true)
    }
}
