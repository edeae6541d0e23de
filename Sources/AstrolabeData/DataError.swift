/// A problem with data from outside: a file, a cell, a column name.
///
/// `line` and `column` are 1-based positions in the file the data came from, when there is one.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var file: String?
    public var line: Int?
    public var column: Int?

    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var prefix = ""
        if let file { prefix += file }
        if let line { prefix += (prefix.isEmpty ? "line " : ":") + String(line) }
        if let column, line != nil { prefix += ":" + String(column) }
        return prefix.isEmpty ? message : prefix + ": " + message
    }
}
