import AstrolabeData
import AstrolabePlot
import Foundation

/// Plot defaults a session holds: explicit and visible (`set plot.OPTION=VALUE`, `show plot`),
/// unlike gnuplot's hidden globals, and the last plot command for `replot`.
struct PlotSettings {
    /// Option name → value text, applied to every `plot` that does not give the option itself.
    var defaults: [String: String] = [:]
    /// The last successful plot, as a command line (with defaults it used made explicit).
    var lastPlot: String?
    /// Reference curves and regions added to the last plot by `overlay` (a new `plot` clears them).
    var overlays: [StoredOverlay] = []
    /// The multi-panel figure being collected by `figure`, if any.
    var figure: FigureInProgress?
}

/// An overlay and the command that made it (for `overlay list`).
struct StoredOverlay {
    var overlay: ReferenceOverlay
    var command: String
}

/// A `figure ROWSxCOLS` waiting for its panels.
struct FigureInProgress {
    var rows: Int
    var columns: Int
    var panels: [Panel?]
    var path: String
    var pathWord: Word
    var style: FigureStyle
    var shareX: Bool
    var shareY: Bool
    var letters: Bool
    var command: String
    /// Panel slot (0-based) the last plot went into, for `overlay`.
    var lastSlot: Int?
    /// The kind of the last plot drawn into it, for `overlay`.
    var lastKind: PlotKind?
}

extension VerbCatalog {
    nonisolated(unsafe) static let plotSettings: [Verb] = [
        Verb("replot", usage: "replot [OPTION=VALUE ...]",
             summary: "Draw the last plot again with some options changed.",
             details: """
                 Options given here replace the last plot's; the rest stay. An empty value removes one. Overlays stay.
                 example: replot how=log to=plots/index-log.png
                 """,
             options: VerbCatalog.plotOptions, freeText: false, provenance: .writesFiles, run: Session.replot),
        Verb("set", usage: "set plot.OPTION=VALUE ...",
             summary: "Set session defaults for plot options (shown by `show plot`).",
             details: """
                 Every later `plot` uses these unless it gives the option itself. An empty value clears one.
                 example: set plot.style=publication plot.cmap=cividis
                 """,
             freeText: true, provenance: .keptInState, run: Session.setDefaults),
        Verb("show", usage: "show plot",
             summary: "Show the session's plot defaults and the last plot.",
             arguments: [.text], provenance: .readsOnly, run: Session.show),
    ]
}

extension Session {
    func setDefaults(_ command: ParsedCommand) throws -> [Output] {
        if let stray = command.positionals.first {
            throw CommandError("expected plot.OPTION=VALUE", at: stray)
        }
        guard !command.options.isEmpty else {
            throw CommandError("expected plot.OPTION=VALUE, e.g. set plot.style=publication", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let names = VerbCatalog.plotOptions.map(\.name).filter { $0 != "to" && $0 != "title" }
        for option in command.options {
            guard option.key.hasPrefix("plot.") else {
                throw CommandError("only plot defaults can be set: write plot.\(option.key)=…", offset: option.keyOffset, length: option.key.count,
                                   suggestion: names.contains(option.key) ? "plot.\(option.key)" : nil)
            }
            let name = String(option.key.dropFirst(5))
            guard names.contains(name) else {
                throw CommandError("unknown plot option `\(name)` (expected one of: \(names.joined(separator: ", ")))",
                                   offset: option.keyOffset + 5, length: name.count,
                                   suggestion: nearestName(to: name, in: names).map { "plot." + $0 })
            }
        }
        for option in command.options {
            let name = String(option.key.dropFirst(5))
            plotSettings.defaults[name] = option.value.text.isEmpty ? nil : option.value.text
        }
        return [.text(plotDefaultsText())]
    }

    func show(_ command: ParsedCommand) throws -> [Output] {
        guard let what = command.positionals.first else {
            throw CommandError("expected what to show: plot", offset: command.verb.offset + command.verb.length, length: 1)
        }
        guard what.text == "plot" else {
            throw CommandError("unknown setting group `\(what.text)` (expected plot)", at: what, suggestion: nearestName(to: what.text, in: ["plot"]))
        }
        var text = plotDefaultsText()
        text += "\nlast plot: " + (plotSettings.lastPlot ?? "(none yet)")
        return [.text(text)]
    }

    func plotDefaultsText() -> String {
        if plotSettings.defaults.isEmpty { return "plot defaults: none (built-in: style=screen how=eq_hist cmap=viridis spread=auto)" }
        return "plot defaults: " + plotSettings.defaults.keys.sorted().map { "\($0)=\(quoteIfNeeded(plotSettings.defaults[$0] ?? ""))" }.joined(separator: " ")
    }

    func replot(_ command: ParsedCommand) throws -> [Output] {
        guard let last = plotSettings.lastPlot, let previous = try CommandParser.parse(last) else {
            throw CommandError("nothing to replot yet: make a plot first", at: command.verb)
        }
        if let stray = command.positionals.first {
            throw CommandError("replot takes only options (key=value)", at: stray)
        }
        var options: [(String, String)] = previous.options.map { ($0.key, $0.value.text) }
        for option in command.options {
            options.removeAll { $0.0 == option.key }
            if !option.value.text.isEmpty { options.append((option.key, option.value.text)) }
        }
        let line = (["plot"] + previous.positionals.map(\.raw) + options.map { "\($0.0)=\(quoteIfNeeded($0.1))" }).joined(separator: " ")
        guard let synthesised = try CommandParser.parse(line) else { throw CommandError("cannot rebuild the plot command", at: command.verb) }
        return try drawPlot(synthesised, keepOverlays: true)
    }

    /// The command with session defaults added for options it does not give.
    func withPlotDefaults(_ command: ParsedCommand) -> ParsedCommand {
        var effective = command
        for (name, value) in plotSettings.defaults.sorted(by: { $0.key < $1.key }) where command.option(name) == nil {
            effective.options.append(.init(key: name, keyOffset: command.verb.offset,
                                           value: Word(text: value, raw: value, quoted: false, offset: command.verb.offset)))
        }
        return effective
    }
}
