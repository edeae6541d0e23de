import AstrolabeData
import Foundation

/// One Label Studio annotation read from an export or a webhook: who gave it, the class chosen (or
/// a cancelled/skipped task), when, and how long it took.
struct LabelStudioAnnotation: Equatable {
    var annotationID: Int?
    var annotator: String
    /// Label Studio's id of the user (`completed_by`), when it gives one.
    var userID: Int?
    /// The class chosen; nil for a cancelled (skipped) annotation or one without a choice.
    var label: String?
    var cancelled: Bool
    var leadTime: Double?
    /// Seconds since 1970 (`updated_at`, else `created_at`), or nil.
    var time: Double?

    struct Invalid: Error { var reason: String }

    /// Reads an annotation object. `users` names Label Studio user ids (from `completed_by` objects
    /// seen elsewhere in the same export); an id never named is `labelstudio-user-N`.
    init(_ json: JSONValue, controlName: String?, users: [Int: String] = [:]) throws {
        guard case .object(let object) = json else { throw Invalid(reason: "an annotation must be a JSON object") }
        annotationID = object["id"]?.intValue
        annotator = LabelStudioAnnotation.annotator(object, users: users)
        userID = object["completed_by"]?.intValue ?? object["completed_by"]?["id"]?.intValue
        cancelled = object["was_cancelled"]?.boolValue ?? false
        leadTime = object["lead_time"]?.doubleValue
        time = (object["updated_at"]?.stringValue ?? object["created_at"]?.stringValue).flatMap(LabelStudioAnnotation.date)
        let results = object["result"]?.arrayValue ?? []
        var chosen: [String] = []
        for result in results where result["type"]?.stringValue?.lowercased() == "choices" {
            if let controlName, let from = result["from_name"]?.stringValue, from != controlName { continue }
            guard let choices = result["value"]?["choices"]?.arrayValue else {
                throw Invalid(reason: "a choices result without value.choices")
            }
            chosen += choices.compactMap(\.stringValue)
        }
        guard chosen.count <= 1 else {
            throw Invalid(reason: "the annotation chooses \(chosen.count) classes (\(chosen.joined(separator: ", "))); the config's Choices must be single-choice")
        }
        label = cancelled ? nil : chosen.first
    }

    /// The Label Studio user: `completed_by` as an object (email, else username), `created_username`
    /// (Label Studio writes "email, id"), or the user id.
    static func annotator(_ object: [String: JSONValue], users: [Int: String]) -> String {
        let raw: String?
        if let by = object["completed_by"]?.objectValue {
            raw = by["email"]?.stringValue ?? by["username"]?.stringValue ?? by["id"]?.intValue.map { "labelstudio-user-\($0)" }
        } else if let id = object["completed_by"]?.intValue, let known = users[id] {
            raw = known
        } else if let created = object["created_username"]?.stringValue, !created.trimmingCharacters(in: .whitespaces).isEmpty {
            raw = created.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        } else {
            raw = object["completed_by"]?.intValue.map { "labelstudio-user-\($0)" }
        }
        // Annotator names may not hold `,` or `:` (they separate names in options).
        let name = (raw ?? "labelstudio").replacingOccurrences(of: ",", with: "_").replacingOccurrences(of: ":", with: "_")
        return name.isEmpty ? "labelstudio" : name
    }

    /// Label Studio's timestamps: ISO 8601 with or without fractional seconds, `Z` or an offset.
    static func date(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    /// How an answer's note names the Label Studio annotation it came from (an annotation deleted
    /// later is found by it, also after a restart).
    static func tag(_ id: Int) -> String { "Label Studio annotation \(id)" }

    /// The note stored with the answer: skipped, and the lead time.
    var note: String? {
        var parts: [String] = annotationID.map { [LabelStudioAnnotation.tag($0) + (userID.map { " by user \($0)" } ?? "")] } ?? []
        if cancelled { parts.append("skipped in Label Studio") }
        if let leadTime { parts.append("lead time \(NumberFormatting.short((leadTime * 10).rounded() / 10)) s") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
