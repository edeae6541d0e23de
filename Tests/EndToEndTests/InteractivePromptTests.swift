import Foundation
import XCTest

/// The interactive shell as a person sees it: the binary on a pseudo-terminal (so it runs readline,
/// not the piped-script reader), its screen output read back from the terminal's master side.
final class InteractivePromptTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("astrolabe-prompt-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// The prompt names who is answering once `annotator NAME` switches, and again after each switch.
    func testPromptShowsTheActiveAnnotatorAfterASwitch() throws {
        let shell = try Terminal(arguments: [], in: directory)
        defer { shell.close() }
        XCTAssertTrue(shell.readUntil("astrolabe> "), "no plain prompt first:\n\(shell.screen)")
        shell.type("annotator alice\n")
        XCTAssertTrue(shell.readUntil("astrolabe [alice]> "), "the prompt does not name alice:\n\(shell.screen)")
        XCTAssertTrue(shell.screen.contains("annotator is now alice (was ada)"), shell.screen)
        shell.type("annotator bob\n")
        XCTAssertTrue(shell.readUntil("astrolabe [bob]> "), "the prompt does not name bob:\n\(shell.screen)")
        shell.type("exit\n")
        XCTAssertEqual(shell.wait(), 0, shell.screen)
    }

    /// `--annotator` names the annotator from the first prompt on.
    func testPromptShowsTheAnnotatorGivenOnTheCommandLine() throws {
        let shell = try Terminal(arguments: ["--annotator", "ada"], in: directory)
        defer { shell.close() }
        XCTAssertTrue(shell.readUntil("astrolabe [ada]> "), "the first prompt does not name ada:\n\(shell.screen)")
        shell.type("exit\n")
        XCTAssertEqual(shell.wait(), 0, shell.screen)
    }

    /// The binary with a pseudo-terminal as its stdin, stdout and stderr ($USER is `ada`).
    final class Terminal {
        let process = Process()
        let master: Int32
        /// Everything the binary wrote to the terminal so far (with the terminal's echo of what was typed).
        private(set) var screen = ""
        /// How much of `screen` earlier `readUntil` calls matched.
        private var matched = 0

        init(arguments: [String], in directory: URL) throws {
            guard let openpt = Terminal.libc("posix_openpt", as: FileCall.self), let grant = Terminal.libc("grantpt", as: FileCall.self),
                  let unlock = Terminal.libc("unlockpt", as: FileCall.self), let ptsname = Terminal.libc("ptsname", as: NameCall.self) else {
                throw XCTSkip("this libc has no pseudo-terminal calls")
            }
            master = openpt(O_RDWR | O_NOCTTY)
            guard master >= 0, grant(master) == 0, unlock(master) == 0, let name = ptsname(master) else {
                throw XCTSkip("no pseudo-terminal available here")
            }
            let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
            guard slave >= 0 else { throw XCTSkip("cannot open the pseudo-terminal \(String(cString: name))") }
            let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
            process.executableURL = productsDirectory.appendingPathComponent("astrolabe")
            process.arguments = ["--store", "labels.sqlite"] + arguments
            process.currentDirectoryURL = directory
            var environment = ProcessInfo.processInfo.environment
            environment["ASTROLABE_HISTORY"] = directory.appendingPathComponent("history").path
            environment["TERM"] = "dumb"  // no escape sequences between the prompt's characters
            environment["USER"] = "ada"
            process.environment = environment
            process.standardInput = terminal
            process.standardOutput = terminal
            process.standardError = terminal
            try process.run()
        }

        typealias FileCall = @convention(c) (CInt) -> CInt
        typealias NameCall = @convention(c) (CInt) -> UnsafeMutablePointer<CChar>?

        /// libc's pseudo-terminal calls: Swift's Glibc module hides them (they need _XOPEN_SOURCE),
        /// so they are looked up by name.
        static func libc<T>(_ name: String, as type: T.Type) -> T? {
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
            return unsafeBitCast(symbol, to: type)
        }

        func type(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
        }

        /// Reads the terminal until `text` appears after what earlier calls matched; false when the
        /// shell stays silent for a minute (a bound against a hung child, not a timing check) or exits.
        func readUntil(_ text: String) -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            for _ in 0..<600 {
                if screen.dropFirst(matched).contains(text) {
                    matched = screen.count
                    return true
                }
                var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
                guard poll(&fds, 1, 100) >= 0 else { return false }
                guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { return false }
                screen += String(decoding: buffer[0..<n], as: UTF8.self)
            }
            return false
        }

        func wait() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }

        func close() {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            Glibc.close(master)
        }
    }
}
