import Synchronization

/// Cooperative cancellation for long-running work (Ctrl-C in the REPL).
///
/// The front end calls `request()` from its signal handling; hot loops call `check()` every few
/// thousand iterations and unwind with `Cancelled`. Kept here, in the lowest module, so Data, Learn
/// and Plot can all honour it without knowing about the kernel.
public enum Cancellation {
    private static let flag = Atomic<Bool>(false)

    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func reset() { flag.store(false, ordering: .relaxed) }
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    public static func check() throws {
        if flag.load(ordering: .relaxed) { throw Cancelled() }
    }
}

public struct Cancelled: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "interrupted" }
}
