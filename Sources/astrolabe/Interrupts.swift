import AstrolabeData
import Foundation
import Synchronization

/// Ctrl-C handling. The SIGINT handler only does async-signal-safe work: it counts, asks running
/// commands to stop (`Cancellation.request()`, an atomic store) and writes a byte to a pipe, so a
/// REPL waiting in poll() wakes up. A third Ctrl-C during one command quits outright, for a
/// command that does not check for cancellation.
enum Interrupts {
    static let interruptedStatus: Int32 = 130
    static let count = Atomic<Int>(0)
    nonisolated(unsafe) static var readEnd: Int32 = -1
    nonisolated(unsafe) static var writeEnd: Int32 = -1
    /// The prompt resets the count; while a command runs, the third interrupt exits.
    static let atPrompt = Atomic<Bool>(false)

    static func install() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            readEnd = fds[0]
            writeEnd = fds[1]
        }
        // Touch everything the handler uses so no lazy initialisation happens inside it.
        Cancellation.reset()
        count.store(0, ordering: .relaxed)
        atPrompt.store(false, ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let n = Interrupts.count.wrappingAdd(1, ordering: .relaxed).newValue
            Cancellation.request()
            var byte: UInt8 = 3
            _ = write(Interrupts.writeEnd, &byte, 1)
            if n >= 3 && !Interrupts.atPrompt.load(ordering: .relaxed) {
                let message: StaticString = "\nastrolabe: interrupted three times; quitting\n"
                _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
                _exit(130)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: poll() returns EINTR
        sigaction(SIGINT, &action, nil)
    }

    /// Forgets earlier interrupts: before each command and after Ctrl-C at the prompt.
    static func reset() {
        drain()
        count.store(0, ordering: .relaxed)
        Cancellation.reset()
    }

    static var pending: Bool { count.load(ordering: .relaxed) > 0 }

    static func drain() {
        guard readEnd >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}
