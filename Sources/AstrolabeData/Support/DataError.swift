/// A problem with data from outside: a file, a cell, a column name.
///
/// `line` and `column` are 1-based positions in the file the data came from, when there is one.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// A did-you-mean for an unknown name. `message` already says it in words; this field lets a
    /// front end offer it as a completion.
    public var suggestion: String?

    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                suggestion: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.suggestion = suggestion
    }

    public var description: String {
        var prefix = ""
        if let file { prefix += file }
        if let line { prefix += (prefix.isEmpty ? "line " : ":") + String(line) }
        if let column, line != nil { prefix += ":" + String(column) }
        return prefix.isEmpty ? message : prefix + ": " + message
    }
}
