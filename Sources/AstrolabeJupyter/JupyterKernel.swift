import AstrolabeData
import AstrolabeKernel
import CZMQ
import Foundation
import Synchronization

/// The Jupyter kernel: the session's command language over the Jupyter messaging protocol (5.3)
/// on ZeroMQ. Shell requests run on the calling thread, which alone touches the session; the
/// control channel (interrupt, shutdown) has its own thread so an interrupt reaches a long command;
/// the heartbeat echoes on a third. IOPub is shared and guarded by a lock.
///
/// Every incoming message's HMAC-SHA256 signature is checked against the connection key; a
/// message with a wrong or missing signature, a signature seen before (a replay), a malformed
/// header or a size over the limit (`maxMessageBytes(environment:)`) is logged and dropped, never answered.
public final class JupyterKernel: @unchecked Sendable {
    public static let protocolVersion = "5.3"
    public static let implementationVersion = "0.1.0"

    let connection: ConnectionInfo
    let signer: MessageSigner
    let session: Session
    let sessionID = UUID().uuidString.lowercased()
    let log: @Sendable (String) -> Void
    let digests = DigestHistory()
    private let stopping = Atomic<Bool>(false)
    private var executionCount = 0
    /// Cells run with store_history, for history_request: (execution count, code, result text).
    private var history: [(line: Int, code: String, result: String?)] = []
    private var publisher: Publisher!

    public init(connection: ConnectionInfo, session: Session, log: @escaping @Sendable (String) -> Void) {
        self.connection = connection
        self.signer = MessageSigner(key: connection.key)
        self.session = session
        self.log = log
    }

    /// Binds the five channels and serves until a shutdown request, or until the process that
    /// started the kernel is gone.
    public func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let limit = try JupyterKernel.maxMessageBytes(environment: environment)
        if !signer.isSigning {
            log("warning: the connection file has no key: message signing is disabled, so anyone who can reach its ports can run commands")
        }
        guard let context = zmq_ctx_new() else { throw ZMQSocket.Failure(description: "cannot create a ZeroMQ context") }
        func socket(_ type: Int32, _ name: String) throws -> ZMQSocket {
            try ZMQSocket(context: context, type: type, name: name, maxMessageBytes: limit)
        }
        let shell = try socket(ZMQ_ROUTER, "shell")
        let control = try socket(ZMQ_ROUTER, "control")
        let stdin = try socket(ZMQ_ROUTER, "stdin")
        let iopub = try socket(ZMQ_PUB, "iopub")
        let heartbeat = try socket(ZMQ_REP, "heartbeat")
        try shell.bind(connection.endpoint(port: connection.shellPort))
        try control.bind(connection.endpoint(port: connection.controlPort))
        try stdin.bind(connection.endpoint(port: connection.stdinPort))
        try iopub.bind(connection.endpoint(port: connection.iopubPort))
        try heartbeat.bind(connection.endpoint(port: connection.hbPort))
        publisher = Publisher(socket: iopub, signer: signer, session: sessionID)
        publisher.publish("status", ["execution_state": .string("starting")], parent: nil)

        let heartbeatDone = DispatchSemaphore(value: 0)
        Thread {
            // Echo until the context shuts down (receive returns nil). REP must answer every request,
            // so an oversized one (no frames) gets an empty frame.
            while let frames = heartbeat.receive() { heartbeat.send(frames.isEmpty ? [[]] : frames) }
            heartbeat.close()
            heartbeatDone.signal()
        }.start()
        let controlDone = DispatchSemaphore(value: 0)
        Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                guard control.poll(milliseconds: 100), let frames = control.receive() else { continue }
                guard let request = accept(frames, from: control) else { continue }
                handleControl(request, on: control)
            }
            controlDone.signal()
        }.start()
        if let watch = ParentWatch(environment: environment, log: log) { watchParent(watch) }

        while !stopping.load(ordering: .relaxed) {
            if stdin.poll(milliseconds: 0) { _ = stdin.receive() }   // input_request is never sent; drain stray replies
            guard shell.poll(milliseconds: 100), let frames = shell.receive() else { continue }
            guard let request = accept(frames, from: shell) else { continue }
            handleShell(request, on: shell)
        }
        controlDone.wait()
        for socket in [shell, control, stdin, iopub] { socket.close() }
        zmq_ctx_shutdown(context)
        heartbeatDone.wait()
        zmq_ctx_term(context)
    }

    /// Parses and verifies a message; logs and drops anything that does not check out.
    func accept(_ frames: [[UInt8]], from socket: ZMQSocket) -> WireMessage? {
        let channel = socket.name
        guard !frames.isEmpty else {
            log("rejected a message on \(channel): larger than \(socket.maxMessageBytes) bytes (\(JupyterKernel.maxMessageVariable))")
            return nil
        }
        do {
            let message = try WireMessage(frames: frames, signer: signer)
            guard digests.insert(message.signature) else { throw WireMessage.Problem.replayed }
            return message
        } catch {
            log("rejected a message on \(channel): \(error)")
            return nil
        }
    }

    /// Stops the kernel once its parent is gone, checking every second as ipykernel's ParentPoller
    /// does, so that a kernel whose Jupyter died does not linger.
    func watchParent(_ watch: ParentWatch) {
        Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 1)
                guard watch.parentIsGone() else { continue }
                log("the process that started the kernel (pid \(watch.parent)) is gone: shutting down")
                Cancellation.request()
                stopping.store(true, ordering: .relaxed)
                // A command that never looks at cancellation must not keep an orphan alive.
                Thread.sleep(forTimeInterval: 10)
                _exit(1)
            }
        }.start()
    }

    // MARK: Message size

    /// Default largest message: far above any cell or completion request, far below what would
    /// exhaust memory. ZeroMQ itself has no limit.
    public static let defaultMaxMessageBytes = 64 << 20
    public static let maxMessageVariable = "ASTROLABE_KERNEL_MAX_MESSAGE_BYTES"

    /// The limit `ASTROLABE_KERNEL_MAX_MESSAGE_BYTES` sets (a positive number of bytes), or the default.
    public static func maxMessageBytes(environment: [String: String]) throws -> Int {
        guard let text = environment[maxMessageVariable], !text.isEmpty else { return defaultMaxMessageBytes }
        guard let bytes = Int(text), bytes > 0 else {
            throw ZMQSocket.Failure(description: "\(maxMessageVariable)=\(text): expected a positive number of bytes")
        }
        return bytes
    }

    func reply(to request: WireMessage, on socket: ZMQSocket, type: String, content: [String: JSONValue]) {
        let message = WireMessage(identities: request.identities, header: WireMessage.header(type: type, session: sessionID),
                                  parentHeader: request.header, content: .object(content))
        socket.send(message.frames(signer: signer))
    }

    // MARK: Channels

    func handleShell(_ request: WireMessage, on socket: ZMQSocket) {
        publisher.publish("status", ["execution_state": .string("busy")], parent: request)
        defer { publisher.publish("status", ["execution_state": .string("idle")], parent: request) }
        switch request.type {
        case "kernel_info_request":
            reply(to: request, on: socket, type: "kernel_info_reply", content: kernelInfo)
        case "execute_request":
            reply(to: request, on: socket, type: "execute_reply", content: execute(request))
        case "complete_request":
            reply(to: request, on: socket, type: "complete_reply", content: complete(request.content))
        case "is_complete_request":
            reply(to: request, on: socket, type: "is_complete_reply", content: isComplete(request.content))
        case "inspect_request":
            reply(to: request, on: socket, type: "inspect_reply", content: inspect(request.content))
        case "history_request":
            reply(to: request, on: socket, type: "history_reply", content: ["status": .string("ok"), "history": .array(historyItems(request.content))])
        case "comm_info_request":
            reply(to: request, on: socket, type: "comm_info_reply", content: ["status": .string("ok"), "comms": .object([:])])
        case "shutdown_request":
            shutdown(request, on: socket)
        default:
            log("ignored an unsupported \(request.type) on shell")
        }
    }

    func handleControl(_ request: WireMessage, on socket: ZMQSocket) {
        publisher.publish("status", ["execution_state": .string("busy")], parent: request)
        defer { publisher.publish("status", ["execution_state": .string("idle")], parent: request) }
        switch request.type {
        case "interrupt_request":
            Cancellation.request()
            reply(to: request, on: socket, type: "interrupt_reply", content: ["status": .string("ok")])
        case "shutdown_request":
            shutdown(request, on: socket)
        case "kernel_info_request":
            reply(to: request, on: socket, type: "kernel_info_reply", content: kernelInfo)
        default:
            log("ignored an unsupported \(request.type) on control")
        }
    }

    func shutdown(_ request: WireMessage, on socket: ZMQSocket) {
        let restart = request.content["restart"]?.boolValue ?? false
        reply(to: request, on: socket, type: "shutdown_reply", content: ["status": .string("ok"), "restart": .bool(restart)])
        Cancellation.request()
        stopping.store(true, ordering: .relaxed)
    }

    var kernelInfo: [String: JSONValue] {
        [
            "status": .string("ok"),
            "protocol_version": .string(JupyterKernel.protocolVersion),
            "implementation": .string("astrolabe"),
            "implementation_version": .string(JupyterKernel.implementationVersion),
            "language_info": .object([
                "name": .string("astrolabe"),
                "version": .string(JupyterKernel.implementationVersion),
                "mimetype": .string("text/x-astrolabe"),
                "file_extension": .string(".alab"),
                "codemirror_mode": .string("shell"),
            ]),
            "banner": .string("Astrolabe \(JupyterKernel.implementationVersion): label and classify tabular data with active learning. `help` lists the verbs."),
            "help_links": .array([]),
        ]
    }

    // MARK: Execute

    /// Runs every command of the cell. Outputs go to IOPub as they come, text as `stdout` stream
    /// output — the cell's last text too, exactly as `astrolabe run --notebook` writes it, so that a
    /// notebook executed in Jupyter and a replay of its script compare equal. The first error stops the cell.
    func execute(_ request: WireMessage) -> [String: JSONValue] {
        let code = request.content["code"]?.stringValue ?? ""
        let silent = request.content["silent"]?.boolValue ?? false
        let storeHistory = request.content["store_history"]?.boolValue ?? !silent
        if !silent && storeHistory { executionCount += 1 }
        let count = executionCount
        if !silent {
            publisher.publish("execute_input", ["code": .string(code), "execution_count": .int(count)], parent: request)
        }
        func stream(_ name: String, _ text: String) {
            guard !silent else { return }
            publisher.publish("stream", ["name": .string(name), "text": .string(text.hasSuffix("\n") ? text : text + "\n")], parent: request)
        }
        /// The cell's last text, the output history_request reports for it.
        var lastText: String?
        var failure: Diagnostic?
        Cancellation.reset()
        for command in Script.commands(inCell: code) {
            if Cancellation.isRequested { failure = Diagnostic("interrupted", location: command.location); break }
            let execution = session.execute(command.text, location: command.location)
            for output in execution.outputs {
                switch output {
                case .text(let text): stream("stdout", text); lastText = text
                case .warning(let text): stream("stderr", "warning: " + text)
                case .image(let image):
                    guard !silent else { continue }
                    publisher.publish("display_data", [
                        "data": .object(["image/png": .string(image.base64), "text/plain": .string(image.label)]),
                        "metadata": .object(["image/png": .object(["width": .int(image.width), "height": .int(image.height)])]),
                        "transient": .object([:]),
                    ], parent: request)
                }
            }
            if let error = execution.error { failure = error; break }
        }
        if let failure {
            let error = NotebookWriter.errorFields(failure)
            if !silent { publisher.publish("error", error, parent: request) }
            if !silent && storeHistory { history.append((count, code, nil)) }
            return error.merging(["status": .string("error"), "execution_count": .int(count)]) { a, _ in a }
        }
        if !silent && storeHistory { history.append((count, code, lastText)) }
        return ["status": .string("ok"), "execution_count": .int(count), "user_expressions": .object([:]), "payload": .array([])]
    }

    // MARK: History

    /// This session's cells (session number 0, IPython's "current session"): the last `n` (tail),
    /// a range of execution counts, or those matching a glob pattern (search, newest last).
    func historyItems(_ content: JSONValue) -> [JSONValue] {
        let withOutput = content["output"]?.boolValue ?? false
        var entries: [(line: Int, code: String, result: String?)]
        switch content["hist_access_type"]?.stringValue ?? "" {
        case "tail":
            entries = Array(history.suffix(max(0, content["n"]?.intValue ?? 10)))
        case "range":
            let start = content["start"]?.intValue ?? 1, stop = content["stop"]?.intValue ?? Int.max
            entries = history.filter { $0.line >= start && ($0.line < stop || stop <= 0) }
        case "search":
            let pattern = content["pattern"]?.stringValue ?? "*"
            entries = history.filter { fnmatch(pattern, $0.code, 0) == 0 }
            if content["unique"]?.boolValue == true {
                var seen = Set<String>()
                entries = entries.reversed().filter { seen.insert($0.code).inserted }.reversed()
            }
            if let n = content["n"]?.intValue, n > 0 { entries = Array(entries.suffix(n)) }
        default:
            entries = []
        }
        return entries.map { entry in
            let input = JSONValue.string(entry.code)
            return .array([.int(0), .int(entry.line), withOutput ? .array([input, entry.result.map { .string($0) } ?? .null]) : input])
        }
    }

    // MARK: Complete, is_complete, inspect

    /// The session's completions; the cursor counts Unicode scalars on both sides.
    func complete(_ content: JSONValue) -> [String: JSONValue] {
        let code = content["code"]?.stringValue ?? ""
        let completions = session.complete(code, cursor: content["cursor_pos"]?.intValue ?? code.unicodeScalars.count)
        return ["status": .string("ok"), "matches": .array(completions.matches.map { .string($0) }),
                "cursor_start": .int(completions.replacing.lowerBound), "cursor_end": .int(completions.replacing.upperBound),
                "metadata": .object([:])]
    }

    func isComplete(_ content: JSONValue) -> [String: JSONValue] {
        let status = session.isComplete(content["code"]?.stringValue ?? "")
        return status == .incomplete ? ["status": .string(status.rawValue), "indent": .string("  ")] : ["status": .string(status.rawValue)]
    }

    /// Help for the verb under the cursor, or a summary of the column under it.
    func inspect(_ content: JSONValue) -> [String: JSONValue] {
        let code = content["code"]?.stringValue ?? ""
        guard let text = session.inspect(code, cursor: content["cursor_pos"]?.intValue ?? code.unicodeScalars.count) else {
            return ["status": .string("ok"), "found": .bool(false), "data": .object([:]), "metadata": .object([:])]
        }
        return ["status": .string("ok"), "found": .bool(true), "data": .object(["text/plain": .string(text)]), "metadata": .object([:])]
    }
}

/// The IOPub socket, shared by the shell and control threads.
final class Publisher: @unchecked Sendable {
    private let socket: ZMQSocket
    private let signer: MessageSigner
    private let session: String
    private let lock = NSLock()

    init(socket: ZMQSocket, signer: MessageSigner, session: String) {
        self.socket = socket
        self.signer = signer
        self.session = session
    }

    func publish(_ type: String, _ content: [String: JSONValue], parent: WireMessage?) {
        let message = WireMessage(identities: [Array(type.utf8)], header: WireMessage.header(type: type, session: session),
                                  parentHeader: parent?.header ?? .object([:]), content: .object(content))
        lock.lock()
        defer { lock.unlock() }
        socket.send(message.frames(signer: signer))
    }
}
