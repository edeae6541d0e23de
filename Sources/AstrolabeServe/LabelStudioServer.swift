import AstrolabeData
import AstrolabeKernel
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `serve labelstudio`: Hummingbird (SwiftNIO) in front of the kernel's `LabelStudioBackend`. The
/// protocol is the backend's; this adds the size limit, basic auth and one log line per request.
public struct LabelStudioServer: LabelStudioServing {
    /// Where the log lines go (stderr by default; tests collect them).
    let log: @Sendable (String) -> Void

    public init(log: @escaping @Sendable (String) -> Void = LabelStudioServer.standardError) {
        self.log = log
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Serves until Ctrl-C (the shell's interrupt flag) or `stop` is signalled; returns a summary.
    public func serve(_ backend: LabelStudioBackend) throws -> String {
        let stop = StopSignal()
        return try serve(backend, until: stop)
    }

    /// Serves until `stop` fires or Ctrl-C; `ready` gets the port once it is listening.
    public func serve(_ backend: LabelStudioBackend, until stop: StopSignal, ready: (@Sendable (Int) -> Void)? = nil) throws -> String {
        let settings = backend.settings
        let log = self.log
        if backend.resolveUser == nil { backend.resolveUser = LabelStudioUsers.name }
        let responder = LabelStudioResponder(backend: backend, log: log)
        let started = StopSignal()
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "astrolabe"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                log("astrolabe: serving Label Studio ML backend on http://\(settings.host):\(port) (model \(backend.modelVersion))"
                    + "; Ctrl-C stops")
                ready?(port)
                started.fire()
            },
            logger: .init(label: "astrolabe.serve", factory: { _ in SwiftLogNoOpLogHandler() }))
        let outcome = Outcome()
        let task = Task {
            do { try await app.runService(gracefulShutdownSignals: []) } catch { outcome.set(error) }
            outcome.finish()
        }
        while !stop.fired && !Cancellation.isRequested && !outcome.finished { usleep(50_000) }
        task.cancel()
        outcome.wait()
        if !started.fired, let error = outcome.error { throw error }
        return "stopped serving \(backend.modelVersion) on \(settings.host):\(settings.port)"
    }
}

/// A flag one thread raises and others poll.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    public init() {}
    public func fire() { lock.withLock { raised = true } }
    public var fired: Bool { lock.withLock { raised } }
}

/// How the server task ended.
final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var failure: (any Error)?
    private var over = false
    func set(_ error: any Error) { lock.withLock { failure = error } }
    func finish() { lock.withLock { over = true }; done.signal() }
    func wait() { done.wait(); done.signal() }
    var finished: Bool { lock.withLock { over } }
    var error: (any Error)? { lock.withLock { failure } }
}
