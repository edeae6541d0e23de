import AstrolabeData
import AstrolabePlot
import Foundation

/// One kind of `plot`, declared once in its own file (`PlotScatter.swift`, `PlotHeatmap.swift`, …):
/// its name, its arguments, the options it takes beyond the common ones, its paragraph of
/// `help plot`, and how it builds its panel. The verb's usage, help and option list, the check of
/// kind-only options and completion are all read from `PlotKind.all`.
struct PlotKind {
    /// A positional argument after the kind: its name in usage and help, and what completes it.
    typealias Argument = (name: String, kind: ArgumentKind)

    let name: String
    /// Positional arguments after the kind.
    let arguments: [Argument]
    /// How many of them must be given (training and confidence default X and Y to the model's
    /// first two features).
    let requiredArguments: Int
    /// Whether the last argument repeats (`plot sed ID ID ...`).
    let repeatsLast: Bool
    /// Options only the kinds that declare them take (an explicit one on another kind is an
    /// error), with what each does for this kind.
    let options: [OptionSpec]
    /// Common options this kind refuses, with what to write instead.
    let refused: [(name: String, hint: String)]
    /// Its paragraph of `help plot`, one line per line; kinds with the same text are described
    /// together ("line, step: …").
    let help: String
    /// Why `overlay` cannot draw on it ("a heatmap; …"), or nil when it can.
    let overlayRefusal: String?
    /// Builds its panel from the command, with the session defaults applied.
    let build: (Session, PlotRequest) throws -> BuiltPanel

    init(_ name: String, arguments: [Argument], requiredArguments: Int? = nil, repeatsLast: Bool = false, options: [OptionSpec] = [],
         refused: [(name: String, hint: String)] = [], help: String, overlayRefusal: String? = nil,
         build: @escaping (Session, PlotRequest) throws -> BuiltPanel) {
        self.name = name
        self.arguments = arguments
        self.requiredArguments = requiredArguments ?? arguments.count
        self.repeatsLast = repeatsLast
        self.options = options
        self.refused = refused
        self.help = help
        self.overlayRefusal = overlayRefusal
        self.build = build
    }

    /// X and Y: two columns or expressions of the current table.
    static let xy: [Argument] = [("X", .expression), ("Y", .expression)]
}

extension PlotKind {
    /// Every kind, in the order help and messages list them. A new kind: its file, and its entry here.
    nonisolated(unsafe) static let all: [PlotKind] = [.scatter, .density, .histogram, .line, .step, .heatmap, .confusion, .training, .confidence, .predicted, .reliability, .audit, .sed, .rules]

    static var names: [String] { all.map(\.name) }

    static func named(_ name: String) -> PlotKind? { all.first { $0.name == name } }

    /// Whether an option may be given to this kind: one some kinds declare only on those, one it
    /// refuses never, any other (a common option) always.
    func takes(_ option: String) -> Bool {
        if refused.contains(where: { $0.name == option }) { return false }
        guard let takers = PlotKind.takers[option] else { return true }
        return takers.contains(name)
    }

    /// Option name → the kinds that declare it, in list order.
    static let takers: [String: [String]] = {
        var map: [String: [String]] = [:]
        for kind in all { for option in kind.options { map[option.name, default: []].append(kind.name) } }
        return map
    }()
}

/// What a kind builds its panel from.
struct PlotRequest {
    /// The command with the session's plot defaults added.
    let command: ParsedCommand
    let kindWord: Word
    /// Reference overlays kept from the last plot (`replot`, `overlay`).
    let overlays: [ReferenceOverlay]
}

/// A built panel, and a line of text about it for the kinds that report something (bins, counts).
struct BuiltPanel {
    var panel: Panel
    var note: String?
    /// Warnings about what was left out of the figure.
    var warnings: [String] = []
}

extension Session {
    /// Options given explicitly that the kind does not take, or positional arguments it does not expect.
    func checkKindOptions(_ typed: ParsedCommand, kind: PlotKind) throws {
        for option in typed.options {
            if let kinds = PlotKind.takers[option.key], !kinds.contains(kind.name) {
                throw CommandError("\(option.key)= is for \(kinds.joined(separator: " and ")) plots", offset: option.keyOffset, length: option.key.count)
            }
        }
        let kindWord = typed.positionals[0]
        let expected = kind.arguments.map(\.name)
        if typed.positionals.count - 1 < kind.requiredArguments {
            let last = typed.positionals.last ?? kindWord
            let required = expected.prefix(kind.requiredArguments)
            throw CommandError("expected \(required.joined(separator: " and ")): plot \(kind.name) \(kind.signature)",
                               offset: last.offset + last.length, length: 1)
        }
        if !kind.repeatsLast, typed.positionals.count - 1 > expected.count {
            let extra = typed.positionals[expected.count + 1]
            throw CommandError("unexpected `\(extra.text)`; options are written key=value", at: extra)
        }
    }

    /// Common options (with the session defaults) that the kind refuses, in name order.
    func refuseOptions(_ command: ParsedCommand, kind: PlotKind) throws {
        for (key, hint) in kind.refused.sorted(by: { $0.name < $1.name }) {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= is not available for \(kind.name) plots; \(hint)", offset: o.keyOffset, length: o.key.count)
            }
        }
    }
}
