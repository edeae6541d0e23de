import AstrolabeData
import AstrolabeKernel
import Foundation
import Hummingbird
import NIOCore

/// One request: auth, the size limit, the backend (on a thread of its own: it trains models and
/// writes the store), and one log line.
struct LabelStudioResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let backend: LabelStudioBackend
    let log: @Sendable (String) -> Void

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let method = request.method.rawValue, path = request.uri.path
        var request = request
        let reply: LabelStudioBackend.Response
        if let refusal = authRefusal(request) {
            reply = refusal
        } else if let length = request.headers[.contentLength].flatMap(Int.init), length > backend.settings.maxBody {
            reply = tooLarge(length)
        } else {
            do {
                let buffer = try await request.collectBody(upTo: backend.settings.maxBody)
                let body = [UInt8](buffer.readableBytesView)
                let backend = self.backend
                reply = await withCheckedContinuation { continuation in
                    DispatchQueue.global().async { continuation.resume(returning: backend.handle(method: method, path: path, body: body)) }
                }
            } catch is NIOTooManyBytesError {
                reply = tooLarge(nil)
            }
        }
        let millis = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        log("\(method) \(path) \(reply.status) \(String(format: "%.1f", millis)) ms \(reply.summary)")
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .init(code: reply.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: reply.body)))
    }

    private func tooLarge(_ length: Int?) -> LabelStudioBackend.Response {
        let limit = backend.settings.maxBody >> 20
        return .init(status: 413, body: #"{"status":"ERROR","error":"the body is larger than \#(limit) MB"}"#,
                     summary: "body of \(length.map { "\($0) bytes" } ?? "more than \(limit) MB") refused (limit \(limit) MB)")
    }

    /// 401 unless the request carries the configured basic-auth user and password (none configured: nil).
    private func authRefusal(_ request: Request) -> LabelStudioBackend.Response? {
        guard let user = backend.settings.user, let password = backend.settings.password else { return nil }
        let expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        if request.headers[.authorization] == expected { return nil }
        return .init(status: 401, body: #"{"status":"ERROR","error":"basic auth required"}"#,
                     summary: request.headers[.authorization] == nil ? "no credentials" : "wrong credentials")
    }
}
