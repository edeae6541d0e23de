/// A position in a script or at the prompt. Lines and columns are 1-based; columns count characters.
public struct SourceLocation: Sendable, Equatable {
    /// The script's path as given by the user, or nil at the interactive prompt.
    public var file: String?
    public var line: Int
    public var column: Int

    public init(file: String? = nil, line: Int = 1, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// An error in a command: where, what, what was expected, and a did-you-mean when one fits.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation
    /// How many characters the caret underline spans (at least 1).
    public var length: Int
    /// The text of the offending line, for the caret display.
    public var sourceLine: String
    /// "did you mean `x`?" — the nearest known name, if any.
    public var suggestion: String?

    public init(_ message: String, location: SourceLocation = SourceLocation(), length: Int = 1,
                sourceLine: String = "", suggestion: String? = nil) {
        self.message = message
        self.location = location
        self.length = max(1, length)
        self.sourceLine = sourceLine
        self.suggestion = suggestion
    }

    /// One line: `FILE:LINE:COL: message; did you mean `x`?` (the file part only for scripts).
    public var description: String {
        var head = ""
        if let file = location.file { head = "\(file):\(location.line):\(location.column): " }
        else if location.line > 1 { head = "line \(location.line):\(location.column): " }
        var text = head + message
        if let suggestion { text += "; did you mean `\(suggestion)`?" }
        return text
    }

    /// The one-line message, then the source line with a caret under the bad token.
    public var rendered: String {
        var lines = ["error: " + description]
        if !sourceLine.isEmpty {
            lines.append("  " + sourceLine)
            let pad = String(repeating: " ", count: max(0, location.column - 1))
            lines.append("  " + pad + String(repeating: "^", count: length))
        }
        return lines.joined(separator: "\n")
    }
}
