import AstrolabeKernel
import Dispatch
import Foundation

/// SIGTERM and SIGHUP (a closed terminal) end the process through `Session.close()`, so the
/// label store is checkpointed into one file and closed, as on Ctrl-D or `exit`. The signals are
/// taken by a dispatch source, so the closing runs on an ordinary thread, not in a signal handler.
enum Shutdown {
    nonisolated(unsafe) private static var session: Session?
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install(closing session: Session) {
        Shutdown.session = session
        for number in [SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)  // the source receives it instead
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Shutdown.session?.close()
                exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
