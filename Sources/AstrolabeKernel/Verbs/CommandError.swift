/// A problem found while running a command, pointing at the offending part of the line.
/// `Session.execute` turns it into a `Diagnostic` with the file, line and column.
struct CommandError: Error {
    var message: String
    /// Character offset in the line and span of the caret; nil points at the verb.
    var offset: Int?
    var length: Int
    var suggestion: String?

    init(_ message: String, offset: Int? = nil, length: Int = 1, suggestion: String? = nil) {
        self.message = message
        self.offset = offset
        self.length = length
        self.suggestion = suggestion
    }

    init(_ message: String, at word: Word, suggestion: String? = nil) {
        self.init(message, offset: word.offset, length: word.length, suggestion: suggestion)
    }
}
