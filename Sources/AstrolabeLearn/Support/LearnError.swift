/// A problem with the input to a learning routine: a shape that does not match, an empty training
/// set, a label outside the declared classes, a parameter out of range.
///
/// Learning code never traps on user data; every such problem becomes one of these, with a message
/// written for the person at the prompt rather than for the programmer.
public struct LearnError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
