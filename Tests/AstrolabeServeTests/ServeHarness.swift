import AstrolabeKernel
import AstrolabeServe
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// Runs the real server (Hummingbird on a free loopback port) while a client closure talks to it
/// over HTTP, then stops it: `serve labelstudio` returns as after Ctrl-C.
struct ClientDrivenServer: LabelStudioServing {
    let log: LogLines
    let client: @Sendable (HTTPClient) -> Void

    func serve(_ backend: LabelStudioBackend) throws -> String {
        let stop = StopSignal()
        let server = LabelStudioServer(log: { self.log.append($0) })
        return try server.serve(backend, until: stop, ready: { port in
            Thread {
                client(HTTPClient(port: port))
                stop.fire()
            }.start()
        })
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}

/// A blocking HTTP client for tests (URLSession).
struct HTTPClient: Sendable {
    let port: Int

    struct Reply: Sendable {
        var status: Int
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    func get(_ path: String) -> Reply { send("GET", path, body: nil, auth: nil) }

    func post(_ path: String, _ body: Data, auth: (String, String)? = nil) -> Reply { send("POST", path, body: body, auth: auth) }

    func post(_ path: String, json: Any, auth: (String, String)? = nil) -> Reply {
        post(path, (try? JSONSerialization.data(withJSONObject: json)) ?? Data(), auth: auth)
    }

    func send(_ method: String, _ path: String, body: Data?, auth: (String, String)?) -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 60
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let (user, password) = auth {
            request.setValue("Basic " + Data("\(user):\(password)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        }
        let done = DispatchSemaphore(value: 0)
        let result = Box()
        HTTPClient.session.dataTask(with: request) { data, response, error in
            result.reply = Reply(status: (response as? HTTPURLResponse)?.statusCode ?? -1,
                                 body: data.map { String(decoding: $0, as: UTF8.self) } ?? (error.map { "\($0)" } ?? ""))
            done.signal()
        }.resume()
        done.wait()
        return result.reply ?? Reply(status: -1, body: "")
    }

    private final class Box: @unchecked Sendable { var reply: Reply? }

    /// A 401 with `WWW-Authenticate` is handed back as it is, not answered with a login.
    static let session = URLSession(configuration: .ephemeral, delegate: NoLogin(), delegateQueue: nil)

    private final class NoLogin: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                        completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
            completionHandler(.rejectProtectionSpace, nil)
        }
    }
}
