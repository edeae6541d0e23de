/// A figure that cannot be drawn from the data or options it was given.
///
/// Every check on user data (lengths, NaN, ranges, sizes) throws this with a message a scientist can
/// act on, instead of trapping: the session must survive a bad plot command.
public struct PlotError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
