import AstrolabeData
import AstrolabeLearn
import AstrolabePlot
import Foundation

/// The kinds of `plot`, with the options that only make sense for some of them.
enum PlotKind: String, CaseIterable {
    case scatter, density, histogram, line, step, confusion, heatmap, training, confidence

    static var names: [String] { allCases.map(\.rawValue) }

    /// Positional arguments after the kind.
    var arguments: [String] {
        switch self {
        case .scatter, .density, .line, .step, .heatmap: return ["X", "Y"]
        case .histogram: return ["X"]
        case .confusion: return ["MODEL"]
        case .training, .confidence: return ["MODEL", "X", "Y"]
        }
    }

    /// Positional arguments that must be given (training and confidence default X and Y to the
    /// model's first two features).
    var requiredArguments: Int {
        switch self {
        case .training, .confidence: return 1
        default: return arguments.count
        }
    }

    /// Options only some kinds take; an explicit one on another kind is an error.
    static let specific: [String: Set<PlotKind>] = [
        "agg": [.density, .heatmap], "how": [.density, .heatmap, .confidence], "binsx": [.heatmap], "binsy": [.heatmap],
        "span": [.density], "min_alpha": [.density], "spread": [.density],
        "pixel": [.density, .confidence], "map": [.confidence],
        "size": [.scatter, .training, .confidence], "alpha": [.scatter, .training, .confidence], "highlight": [.scatter],
        "xerr": [.scatter], "yerr": [.scatter],
        "bins": [.histogram, .heatmap], "mode": [.histogram], "density": [.histogram],
        "order": [.line, .step], "normalize": [.confusion], "on": [.confusion, .training], "values": [.confusion, .heatmap],
    ]
}

extension Session {
    /// Options given explicitly that the kind does not take, or positional arguments it does not expect.
    func checkKindOptions(_ typed: ParsedCommand, kind: PlotKind) throws {
        for option in typed.options {
            if let kinds = PlotKind.specific[option.key], !kinds.contains(kind) {
                let names = PlotKind.allCases.filter { kinds.contains($0) }.map(\.rawValue).joined(separator: " and ")
                throw CommandError("\(option.key)= is for \(names) plots", offset: option.keyOffset, length: option.key.count)
            }
        }
        let kindWord = typed.positionals[0]
        let expected = kind.arguments
        if typed.positionals.count - 1 < kind.requiredArguments {
            let last = typed.positionals.last ?? kindWord
            throw CommandError("expected \(expected.joined(separator: " and ")): plot \(kind.rawValue) \(expected.joined(separator: " "))",
                               offset: last.offset + last.length, length: 1)
        }
        if typed.positionals.count - 1 > expected.count {
            let extra = typed.positionals[expected.count + 1]
            throw CommandError("unexpected `\(extra.text)`; options are written key=value", at: extra)
        }
    }

    /// The figure a plot command describes, not yet drawn; `note` gets a line of text about it
    /// for the kinds that report counts (training, confidence).
    func buildPanel(_ kind: PlotKind, command: ParsedCommand, kindWord: Word, overlays: [ReferenceOverlay],
                    note: inout String?) throws -> Panel {
        if kind == .confusion { return try confusionPanel(command, modelWord: command.positionals[1]) }
        if kind == .training || kind == .confidence {
            let (panel, text) = kind == .training ? try trainingPanel(command, modelWord: command.positionals[1])
                                                  : try confidencePanel(command, modelWord: command.positionals[1])
            note = text
            return panel
        }
        let table = try currentTable(for: command.verb)
        if kind == .heatmap { return try heatmapPanel(command, table: table) }
        let title = command.word("title")?.text
        let (xAxis, yAxis) = try axisOptions(command)
        let legend = try command.choice("legend", LegendPlacement.self)
        let xWord = command.positionals[1]
        let x = try numericValues(of: xWord, in: table)
        // Axis titles default to what was typed; xlabel=/ylabel= give them units for publication.
        let xLabel = command.word("xlabel")?.text ?? columnName(xWord)
        let yLabelOption = command.word("ylabel")?.text
        switch kind {
        case .histogram:
            var classes: (codes: [Int], names: [String])?
            if command.has("by") {
                switch try scatterColoring(command, table: table) {
                case .categories(let codes, let names): classes = (codes, names)
                case .continuous(_, let label):
                    throw CommandError("histogram by= needs classes, and `\(label)` is numeric", at: command.word("by") ?? kindWord)
                case .single: break
                }
            }
            var plot = HistogramPlot(values: x, xLabel: xLabel, title: title, codes: classes?.codes, names: classes?.names ?? [],
                                     colors: try classColors(command, names: classes?.names ?? []))
            plot.yLabel = yLabelOption
            plot.bins = try binsOption(command)
            plot.mode = try command.choice("mode", HistogramPlot.Mode.self)
            plot.density = try command.yesNo("density")
            plot.xAxis = xAxis; plot.yAxis = yAxis; plot.legend = legend; plot.overlays = overlays
            return .histogram(plot)
        case .line, .step:
            let yWord = command.positionals[2]
            let y = try numericValues(of: yWord, in: table)
            var plot = LinePlot(x: x, y: y, xLabel: xLabel, yLabel: yLabelOption ?? columnName(yWord), title: title,
                                kind: kind == .step ? .step : .line)
            plot.order = try command.choice("order", LinePlot.Order.self)
            if command.has("by") {
                switch try scatterColoring(command, table: table) {
                case .categories(let codes, let names):
                    plot.codes = codes; plot.names = names; plot.colors = try classColors(command, names: names)
                case .continuous(_, let label):
                    throw CommandError("line by= needs classes, and `\(label)` is numeric", at: command.word("by") ?? kindWord)
                case .single: break
                }
            }
            plot.xAxis = xAxis; plot.yAxis = yAxis; plot.legend = legend; plot.overlays = overlays
            return .line(plot)
        case .density:
            let yWord = command.positionals[2]
            let y = try numericValues(of: yWord, in: table)
            var plot = DensityPlot(x: x, y: y, xLabel: xLabel, yLabel: yLabelOption ?? columnName(yWord), title: title, colormap: try colormapOption(command),
                                   shading: try command.choice("how", Shading.self, default: .eqHist),
                                   showColorBar: try command.yesNo("colorbar"))
            plot.binSize = try command.int("pixel", default: 1)
            plot.aggregation = try densityAggregation(command, table: table)
            if case .categories(let codes, let names, _) = plot.aggregation {
                plot.aggregation = .categories(codes: codes, names: names, colors: try classColors(command, names: names))
            }
            plot.span = try rangeOption(command, "span")
            plot.minAlpha = try command.int("min_alpha")
            plot.spreading = try spreadOption(command)
            plot.legend = legend
            plot.xAxis = xAxis; plot.yAxis = yAxis; plot.overlays = overlays
            return .density(plot)
        case .scatter:
            let yWord = command.positionals[2]
            let y = try numericValues(of: yWord, in: table)
            let coloring = try scatterColoring(command, table: table)
            var highlighted: [Int] = []
            if let option = command.word("highlight") {
                let model = try requireModel(option, verb: command.verb)
                highlighted = model.asked.sorted()
            }
            var plot = ScatterPlot(x: x, y: y, xLabel: xLabel, yLabel: yLabelOption ?? columnName(yWord), title: title,
                                   coloring: coloring, highlighted: highlighted, colormap: try colormapOption(command))
            plot.markerSize = try command.double("size", default: 4)
            plot.alpha = try command.double("alpha")
            if case .categories(_, let names) = coloring { plot.classColors = try classColors(command, names: names) }
            plot.xError = try errorBars(command, "xerr", table: table)
            plot.yError = try errorBars(command, "yerr", table: table)
            plot.legend = legend
            plot.xAxis = xAxis; plot.yAxis = yAxis; plot.overlays = overlays
            return .scatter(plot)
        case .confusion, .heatmap, .training, .confidence:
            preconditionFailure("handled above")
        }
    }

    /// `bins=N` or `bins=auto` (numpy's rule; the default).
    func binsOption(_ command: ParsedCommand) throws -> HistogramBins.Rule {
        guard let o = command.word("bins"), o.text != "auto" else { return .auto }
        guard let n = Int(o.text), (1...10_000).contains(n) else {
            throw CommandError("bins= expects auto or a whole number of bins from 1 to 10000", at: o)
        }
        return .count(n)
    }

    /// `xerr=COL` / `yerr=COL` (symmetric) or `yerr=LO,HI` (two columns: lengths below and above).
    func errorBars(_ command: ParsedCommand, _ key: String, table: Table) throws -> ScatterPlot.ErrorBars? {
        guard let o = command.word(key) else { return nil }
        let parts = o.text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 1 || parts.count == 2, !parts.contains(where: \.isEmpty) else {
            throw CommandError("\(key)= expects a column (symmetric errors) or LO,HI (two columns: lengths below and above)", at: o)
        }
        var offset = o.offset + (o.quoted ? 1 : 0)
        var columns: [[Double]] = []
        for part in parts {
            let word = Word(text: part, raw: part, quoted: false, offset: offset)
            let values = try numericValues(of: word, in: table)
            if let bad = values.firstIndex(where: { $0 < 0 }) {
                throw CommandError("\(key)= lengths must not be negative; `\(part)` is \(NumberFormatting.short(values[bad])) in row \(bad + 1)",
                                   offset: offset, length: part.count)
            }
            columns.append(values)
            offset += part.count + 1
        }
        return parts.count == 1 ? ScatterPlot.ErrorBars(symmetric: columns[0]) : ScatterPlot.ErrorBars(lower: columns[0], upper: columns[1])
    }

    /// `colors=CLASS:COLOUR,...`: colours for some classes (the rest keep the class palette, `CategoricalPalette.classes`).
    func classColors(_ command: ParsedCommand, names: [String]) throws -> [RGBA]? {
        guard let o = command.word("colors") else { return nil }
        var chosen = [RGBA?](repeating: nil, count: names.count)
        var offset = o.offset + (o.quoted ? 1 : 0)
        for part in o.text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            defer { offset += part.count + 1 }
            guard let colon = part.lastIndex(of: ":") else {
                throw CommandError("colors= expects CLASS:COLOUR pairs, e.g. colors=bll:#0072B2,fsrq:#E69F00", offset: offset, length: max(1, part.count))
            }
            let name = String(part[..<colon]), value = String(part[part.index(after: colon)...])
            guard let k = names.firstIndex(of: name) else {
                throw CommandError("unknown class `\(name)` (classes: \(names.joined(separator: ", ")))", offset: offset, length: max(1, name.count),
                                   suggestion: nearestName(to: name, in: names))
            }
            guard let color = PlotColors.parse(value) else {
                throw CommandError("`\(value)` is not a colour: write #RRGGBB or one of \(PlotColors.names.joined(separator: ", "))",
                                   offset: offset + name.count + 1, length: max(1, value.count),
                                   suggestion: nearestName(to: value, in: PlotColors.names))
            }
            chosen[k] = color
        }
        // The other classes take the palette's colours in order, skipping those the user chose.
        var spare = CategoricalPalette.classes.filter { !chosen.contains($0) }.makeIterator()
        return names.indices.map { k in chosen[k] ?? spare.next() ?? CategoricalPalette.color(forClass: k) }
    }
}

/// Colours written in commands: `#RRGGBB` (or `#RGB`) and a few names (Okabe–Ito's, plus black and grey).
enum PlotColors {
    static let named: [(String, UInt32)] = [
        ("black", 0x000000), ("grey", 0x777777), ("gray", 0x777777), ("blue", 0x0072B2), ("orange", 0xE69F00),
        ("green", 0x009E73), ("vermillion", 0xD55E00), ("red", 0xD55E00), ("purple", 0xCC79A7), ("skyblue", 0x56B4E9),
        ("yellow", 0xF0E442),
    ]
    static var names: [String] { named.map(\.0) }

    static func parse(_ text: String) -> RGBA? {
        let t = text.lowercased()
        if let hit = named.first(where: { $0.0 == t }) { return RGBA(hex: hit.1) }
        guard t.hasPrefix("#") else { return nil }
        var hex = String(t.dropFirst())
        if hex.count == 3 { hex = hex.map { "\($0)\($0)" }.joined() }
        guard hex.count == 6, let v = UInt32(hex, radix: 16) else { return nil }
        return RGBA(hex: v)
    }
}
