import AstrolabeData

/// A name that is not in a catalogue (classifiers, strategies): what was asked for, what there is,
/// and the nearest known name when the name looks like a typo. The kernel turns it into an error
/// with a caret under the word typed.
public struct UnknownName: Error, Sendable, Equatable {
    /// What kind of name it was meant to be ("classifier", "committee member", "strategy").
    public var what: String
    public var name: String
    public var available: [String]

    public var message: String { "unknown \(what) `\(name)` (available: \(available.joined(separator: ", ")))" }
    public var suggestion: String? { nearestName(to: name, in: available) }
}

/// "a, b or c": names listed in help text.
func listed(_ names: [String], lastJoiner: String = " or ") -> String {
    guard let last = names.last else { return "" }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + lastJoiner + last
}
