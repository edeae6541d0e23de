import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Label Studio's webhooks name an annotation's author by user id only; its API names the user
/// (`GET /api/users/ID/` with the token `/setup` gave). The email, else the username.
enum LabelStudioUsers {
    static func name(id: Int, hostname: String, token: String) -> String? {
        guard let url = URL(string: hostname.hasSuffix("/") ? "\(hostname)api/users/\(id)/" : "\(hostname)/api/users/\(id)/") else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 5
        request.setValue("Token \(token)", forHTTPHeaderField: "Authorization")
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if (response as? HTTPURLResponse)?.statusCode == 200, let data,
               let user = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
                box.name = (user["email"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (user["username"] as? String)
            }
            done.signal()
        }.resume()
        done.wait()
        return box.name
    }

    private final class Box: @unchecked Sendable { var name: String? }
}
