import Foundation

/// What a command's arguments are, so completion and help know what to offer.
public enum ArgumentKind: Sendable {
    case path, column, expression, model, table, id, className, text, number
}

/// What a verb leaves behind, and so what `save session` and `save config` must keep of it. Every
/// verb declares one (the initialiser has no default), so a new verb cannot forget to say.
enum Provenance {
    /// Notes a successful command into the session's provenance (see SessionProvenanceRules.swift).
    typealias Rule = (inout SessionProvenance, ParsedCommand, Session) -> Void

    /// Only looks: tables, classes, answers, models and features are as they were.
    case readsOnly
    /// Its effect is outside the session (files, figures and the plot state they build on, a
    /// recording): nothing to replay.
    case writesFiles
    /// Changes state that a saved session writes from the state itself (the current table, plot defaults).
    case keptInState
    /// Changes state that only the command says how to rebuild: the rule notes it.
    case noted(Rule)
}

/// The description of one verb: how it is written, what it does, which options it takes.
/// Help, completion and option checking all read this one table.
public struct Verb {
    public var name: String
    public var usage: String
    public var summary: String
    public var details: String
    /// Options the verb accepts, each declared once with its type, default and help line (OptionSpec.swift).
    public var options: [OptionSpec]
    /// Kinds of the positional arguments in order; the last one repeats (for completion).
    public var arguments: [ArgumentKind]
    /// The most positional arguments the verb takes (default: one per entry of `arguments`);
    /// more are an error rather than silently ignored (`head 1 junk`). `Verb.unlimited` for verbs
    /// whose last argument repeats or that check their own forms (`describe A B C`, `plot`).
    public var maxPositionals: Int
    public static let unlimited = Int.max
    /// Verbs that take free text after them (expressions with spaces) and so skip option checks there.
    public var freeText: Bool
    /// What it leaves in the session and how a saved session keeps it.
    let provenance: Provenance
    /// Runs the command on a session (an unapplied method such as `Session.load`).
    let run: (Session) -> (ParsedCommand) throws -> [Output]

    init(_ name: String, usage: String, summary: String, details: String = "",
                options: [OptionSpec] = [], arguments: [ArgumentKind] = [],
                freeText: Bool = false, maxPositionals: Int? = nil,
                provenance: Provenance,
                run: @escaping (Session) -> (ParsedCommand) throws -> [Output]) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.details = details
        self.options = options
        self.arguments = arguments
        self.maxPositionals = maxPositionals ?? arguments.count
        self.freeText = freeText
        self.provenance = provenance
        self.run = run
    }

    public var optionNames: [String] { options.map(\.name) }

    /// The declaration of option `name`, nil when the verb does not take it.
    public func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }

    /// `help VERB`: usage, summary, details, options.
    public var helpText: String {
        var lines = ["usage: " + usage, "", summary]
        if !details.isEmpty { lines += ["", details] }
        if !options.isEmpty {
            lines.append("")
            lines.append("options:")
            let width = (options.map { $0.name.count }.max() ?? 0) + 1
            for option in options {
                lines.append("  " + (option.name + "=").padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + option.helpLine)
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Every verb of the command language, in the order `help` lists them. Each area keeps its
/// verbs next to their handlers (DataCommands, PlotCommands, LearnCommands, SessionCommands, SessionFileCommands).
public enum VerbCatalog {
    nonisolated(unsafe) static let all: [Verb] = data + tables + sky + plot + cutouts + learn + audit + rules + teachLoop + labelling + team + labelStudio + stopping + simulation + files + session

    public static func named(_ name: String) -> Verb? { all.first { $0.name == name } }
    public static var names: [String] { all.map(\.name) }

    /// The verbs whose help text mentions `word` (case-insensitive), each with the lines that do.
    static func search(_ word: String) -> [(verb: Verb, lines: [String])] {
        let needle = word.lowercased()
        guard !needle.isEmpty else { return [] }
        return all.compactMap { verb in
            let lines = verb.helpText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.lowercased().contains(needle) }
            return lines.isEmpty ? nil : (verb, lines)
        }
    }

    public static var overview: String {
        let width = (all.map { $0.name.count }.max() ?? 0) + 2
        var lines = all.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.summary }
        lines.insert("verbs (help VERB for details):", at: 0)
        return lines.joined(separator: "\n")
    }
}
