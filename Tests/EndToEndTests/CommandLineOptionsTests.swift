import AstrolabeKernel
import Foundation
import XCTest

/// Every option reaches the command that declares it (`run --store`, `check --seed`, `kernel
/// --store`, ...), and every way out of the binary leaves the label store as one file.
final class CommandLineOptionsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("astrolabe-options-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rows = (1...40).map { "r\($0),\(Double($0) * 0.5),\($0 % 7),\($0 % 2 == 0 ? "p" : "q")" }
        try write("id,x,y,label\n" + rows.joined(separator: "\n") + "\n", to: "t.csv")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func astrolabe(_ arguments: [String], stdin: String = "") throws -> AstrolabeRun {
        try runAstrolabe(arguments, stdin: stdin, in: directory)
    }

    /// The answers in the store's main file alone: the -wal is empty or gone, and a copy of the
    /// main file (without its -wal) holds them.
    func answersInMainFile(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let wal = (try? FileManager.default.attributesOfItem(atPath: path(name) + "-wal")[.size] as? Int) ?? 0
        XCTAssertEqual(wal, 0, "\(name)-wal still holds answers", file: file, line: line)
        return try mainFileAnswers(name)
    }

    /// The answers a copy of the main file, without its -wal, holds.
    func mainFileAnswers(_ name: String) throws -> [String] {
        let copy = "copy-\(UUID().uuidString.prefix(6)).sqlite"
        try FileManager.default.copyItem(atPath: path(name), toPath: path(copy))
        defer { try? FileManager.default.removeItem(atPath: path(copy)) }
        return try LabelStore(path: path(copy)).currentAnswers(dataset: "t").map { "\($0.rowID)=\($0.label ?? "?"):\($0.annotator)" }
    }

    static let teaching = "load t.csv id=id label=label\nclasses p q\nteach r1 p\nteach r2 q\n"

    // MARK: Options reach their command

    func testRunWritesToTheStoreItIsGiven() throws {
        try write(Self.teaching, to: "s.alab")
        let run = try astrolabe(["run", "--store", "labels.sqlite", "--annotator", "ada", "s.alab"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try answersInMainFile("labels.sqlite"), ["r1=p:ada", "r2=q:ada"])
    }

    func testRunAndCheckUseTheSeedAndAnnotatorGiven() throws {
        try write("load t.csv id=id label=label\nsample 5\nhead 5\nuse t\nclasses p q\nteach r3 p\nlabels\n", to: "s.alab")
        let seven = try astrolabe(["run", "--seed", "7", "--annotator", "ada", "s.alab", "--notebook", "seven.ipynb"])
        let again = try astrolabe(["run", "--seed", "7", "--annotator", "ada", "s.alab"])
        let other = try astrolabe(["run", "--seed", "8", "s.alab"])
        XCTAssertEqual(seven.status, 0, seven.stderr)
        XCTAssertEqual(seven.stdout, again.stdout)
        XCTAssertNotEqual(seven.stdout, other.stdout, "another seed draws another sample")
        XCTAssertTrue(seven.stdout.contains("ada"), seven.stdout)
        XCTAssertFalse(other.stdout.contains("ada"), other.stdout)
        // check replays with the seed and annotator it is given, so only those match the notebook.
        XCTAssertEqual(try astrolabe(["check", "--seed", "7", "--annotator", "ada", "s.alab", "seven.ipynb"]).status, 0)
        XCTAssertEqual(try astrolabe(["check", "--annotator", "ada", "s.alab", "seven.ipynb"]).status, 1)
        XCTAssertEqual(try astrolabe(["check", "--seed", "7", "s.alab", "seven.ipynb"]).status, 1)
    }

    func testShellOptionsStillWorkWithoutASubcommand() throws {
        let run = try astrolabe(["--store", "labels.sqlite", "--annotator", "bo", "--seed", "3"], stdin: Self.teaching)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try answersInMainFile("labels.sqlite"), ["r1=p:bo", "r2=q:bo"])
        let commands = try astrolabe(["-c", "load t.csv id=id label=label", "-c", "classes p q", "-c", "teach r5 q",
                                      "--store", "c.sqlite", "--annotator", "cy"])
        XCTAssertEqual(commands.status, 0, commands.stderr)
        XCTAssertEqual(try answersInMainFile("c.sqlite"), ["r5=q:cy"])
    }

    /// `kernel --store PATH` opens PATH, not ./.astrolabe/labels.sqlite; SIGTERM from Jupyter closes it.
    func testKernelUsesTheStoreItIsGiven() throws {
        let ports = (0..<5).map { _ in Int.random(in: 40000..<60000) }
        try write("""
            {"transport": "tcp", "ip": "127.0.0.1", "shell_port": \(ports[0]), "iopub_port": \(ports[1]),
             "stdin_port": \(ports[2]), "control_port": \(ports[3]), "hb_port": \(ports[4]),
             "key": "a0b1c2", "signature_scheme": "hmac-sha256"}
            """, to: "connection.json")
        let kernel = try start(["kernel", "-f", "connection.json", "--store", "kernel.sqlite", "--seed", "5", "--annotator", "ada"])
        // Serving (its heartbeat port takes connections): the session and its store are open.
        XCTAssertTrue(waitUntil { Self.acceptsConnections(port: ports[4]) }, "the kernel started")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("kernel.sqlite")), "the kernel opened its --store")
        kernel.process.terminate()
        kernel.process.waitUntilExit()
        XCTAssertEqual(kernel.process.terminationStatus, 128 + SIGTERM)
        XCTAssertEqual(try answersInMainFile("kernel.sqlite"), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path(".astrolabe/labels.sqlite")))
    }

    /// `kernel --seed --annotator` reach the kernel's session, and a shutdown request from a real
    /// Jupyter client (jupyter_client, from the Makefile's venv) leaves its store as one file.
    func testKernelUsesTheSeedAndAnnotatorAndClosesTheStoreOnShutdown() throws {
        let kernels = directory.appendingPathComponent("kernels/astro")
        try FileManager.default.createDirectory(at: kernels, withIntermediateDirectories: true)
        let argv = [productsDirectory.appendingPathComponent("astrolabe").path, "kernel", "-f", "{connection_file}",
                    "--store", "kernel.sqlite", "--seed", "7", "--annotator", "ada"]
        let spec: [String: Any] = ["argv": argv, "display_name": "astro", "language": "astrolabe"]
        try JSONSerialization.data(withJSONObject: spec).write(to: kernels.appendingPathComponent("kernel.json"))
        let code = "load t.csv id=id label=label\nsample 5\nhead 5\nuse t\nclasses p q\nteach r3 p\nlabels"
        guard let python = try runPython(Self.jupyterClient, [directory.appendingPathComponent("kernels").path, directory.path, code]) else {
            throw XCTSkip("ASTROLABE_PYTHON is not set (make test sets it)")
        }
        XCTAssertEqual(python.status, 0, python.output)
        try write("load t.csv id=id label=label\nsample 5\nhead 5\n", to: "s.alab")
        let replay = try astrolabe(["run", "--seed", "7", "s.alab"])
        let sampled = replay.stdout.split(separator: "\n").suffix(6).joined(separator: "\n")
        XCTAssertTrue(python.output.contains(sampled), "the kernel drew the seed-7 sample:\n\(python.output)\nvs\n\(sampled)")
        XCTAssertTrue(python.output.contains("ada"), python.output)
        XCTAssertEqual(try answersInMainFile("kernel.sqlite"), ["r3=p:ada"])
    }

    static let jupyterClient = """
        import sys
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager
        kernels, cwd, code = sys.argv[1:4]
        km = KernelManager(kernel_name="astro", kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels]))
        km.start_kernel(cwd=cwd)
        kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
        out = []
        def hook(msg):
            content = msg["content"]
            if msg["msg_type"] == "stream": out.append(content["text"])
            elif msg["msg_type"] in ("execute_result", "display_data"): out.append(content["data"].get("text/plain", ""))
            elif msg["msg_type"] == "error": out.append("ERROR " + content["evalue"])
        reply = kc.execute_interactive(code, output_hook=hook, timeout=60)
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        print("".join(out))
        sys.exit(0 if reply["content"]["status"] == "ok" else 1)
        """

    // MARK: The store is one file on every way out

    func testRecordingToAFullDiskWarnsAndTheSessionGoesOn() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        let run = try astrolabe(["--record", "/dev/full", "-c", "load t.csv id=id label=label", "-c", "describe x"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("recording to /dev/full stopped: No space left on device"), run.stderr)
        XCTAssertTrue(run.stdout.contains("mean"), run.stdout)
    }

    func testSIGTERMClosesTheStore() throws {
        let shell = try start(["--store", "labels.sqlite", "--annotator", "ada"])
        shell.input.write(Data(Self.teaching.utf8))
        var seen = ""
        XCTAssertTrue(waitUntil {
            seen += String(decoding: shell.output.availableData, as: UTF8.self)
            return seen.contains("r2 = q (stored")
        }, seen)
        shell.process.terminate()
        shell.process.waitUntilExit()
        XCTAssertEqual(shell.process.terminationStatus, 128 + SIGTERM)
        XCTAssertEqual(try answersInMainFile("labels.sqlite"), ["r1=p:ada", "r2=q:ada"])
    }

    /// The interactive shell under a pseudo-terminal (util-linux `script`): on Ctrl-D and on `exit`
    /// the shell moves every answer into the store's main file. (`script` itself waits for its
    /// input to close, so the test waits for the file, then closes the input.)
    func testInteractiveExitsLeaveOneFile() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no /usr/bin/script") }
        let expected = ["r1=p:ada", "r2=q:ada"]
        for (name, ending) in [("eof.sqlite", "\u{04}"), ("exit.sqlite", "exit\n")] {
            let binary = productsDirectory.appendingPathComponent("astrolabe").path
            let shell = try start(["-qfec", "\(binary) --store \(name) --annotator ada", "/dev/null"], executable: "/usr/bin/script")
            shell.input.write(Data(Self.teaching.utf8))
            // Ctrl-D only once the prompt is back (readline's raw mode): typed ahead, the terminal's
            // line discipline would take it as end-of-file before the shell reads the lines.
            var seen = ""
            XCTAssertTrue(waitUntil {
                seen += String(decoding: shell.output.availableData, as: UTF8.self)
                return seen.contains("r2 = q (stored")
            }, seen)
            shell.input.write(Data(ending.utf8))
            let closed = waitUntil { (try? self.mainFileAnswers(name)) == expected }
            try shell.input.close()
            shell.process.waitUntilExit()
            XCTAssertTrue(closed, "after \(ending.debugDescription) the main file alone holds every answer")
            XCTAssertEqual(shell.process.terminationStatus, 0, name)
            XCTAssertEqual(try answersInMainFile(name), expected, name)
        }
    }

    // MARK: Helpers

    struct Started {
        var process: Process
        var input: FileHandle
        var output: FileHandle
    }

    /// Starts the binary (or `executable`) in the test folder with pipes, without waiting.
    func start(_ arguments: [String], executable: String? = nil) throws -> Started {
        let process = Process()
        process.executableURL = executable.map(URL.init(fileURLWithPath:)) ?? productsDirectory.appendingPathComponent("astrolabe")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["ASTROLABE_HISTORY"] = path("history")
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return Started(process: process, input: input.fileHandleForWriting, output: output.fileHandleForReading)
    }

    /// True when something listens on 127.0.0.1:`port`.
    static func acceptsConnections(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Polls `condition` up to 600 times, 0.1 s apart (a bound for a hung child, not a timing check).
    func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<600 {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }
}
