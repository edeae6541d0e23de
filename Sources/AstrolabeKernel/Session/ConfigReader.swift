import AstrolabeData

/// Typed reads of a configuration document (`load config`): each problem is an error naming the
/// file and the place in the document (`models[0].strategy`), unknown keys with a did-you-mean.
struct ConfigReader {
    let file: String

    func fail(_ place: String, _ message: String, suggestion: String? = nil) -> CommandError {
        CommandError("\(file): \(place.isEmpty ? "" : place + ": ")\(message)", suggestion: suggestion)
    }

    func object(_ value: JSONValue?, _ place: String, keys: [String]) throws -> [String: JSONValue] {
        guard let members = value?.objectValue else { throw fail(place, "expected a JSON object") }
        for key in members.keys.sorted() where !keys.contains(key) {
            throw fail(place, "unknown key \"\(key)\" (expected one of: \(keys.joined(separator: ", ")))",
                       suggestion: nearestName(to: key, in: keys))
        }
        return members
    }

    /// A non-empty string; nil when absent and not required.
    func string(_ value: JSONValue?, _ place: String, required: Bool = true) throws -> String? {
        guard let value else {
            if required { throw fail(place, "missing") }
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty else { throw fail(place, "expected a non-empty string") }
        return text
    }

    /// A list of non-empty strings; empty when absent.
    func strings(_ value: JSONValue?, _ place: String) throws -> [String] {
        guard let value else { return [] }
        guard let items = value.arrayValue else { throw fail(place, "expected a list of strings") }
        return try items.enumerated().map { try string($0.element, "\(place)[\($0.offset)]") ?? "" }
    }

    /// A list; empty when absent.
    func list(_ value: JSONValue?, _ place: String) throws -> [JSONValue] {
        guard let value else { return [] }
        guard let items = value.arrayValue else { throw fail(place, "expected a list") }
        return items
    }
}
