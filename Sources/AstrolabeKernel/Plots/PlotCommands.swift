import AstrolabeData
import AstrolabePlot
import Foundation

extension VerbCatalog {
    /// The size and style of a written figure (`figureStyle` reads them): every verb that draws one declares these.
    nonisolated(unsafe) static let figureStyleOptions: [OptionSpec] = [
        .choice("style", ["screen", "publication", "publication2"], "screen (800×600 px, 100 dpi) or publication / publication2 (88 / 180 mm, 300 dpi, 7–9 pt; an outside legend widens the figure, not narrows the axes)"),
        .size("width", "figure width"),
        .size("height", "figure height"),
        .double("dpi", 10...2400, "resolution (stored in the PNG); with style= or a physical size, at most 8000 pixels per side"),
    ]

    /// Options of `plot` (and `replot`, and the names `set plot.NAME=` accepts): those every kind
    /// takes, then those of some kinds (from their declarations, `PlotKind.options`).
    nonisolated(unsafe) static let plotOptions: [OptionSpec] = [
        .column("by", "colour by a column, or `label` (density: blended class colours)"),
        .path("to", "output path: .png, .pdf or .svg"),
        .text("title", "figure title"),
        .text("xlabel", "x-axis title, e.g. xlabel=\"r [mag]\" (default: the column or expression)"),
        .text("ylabel", "y-axis title (default: the column or expression, or the histogram's count)"),
    ] + figureStyleOptions + [
        .choice("cmap", names: { Colormap.builtIn.map(\.name) }, default: "viridis", "colormap: viridis, cividis, inferno, magma, plasma, grey, coolwarm"),
        .choice("log", ["x", "y", "xy"], "log axes: x, y or xy (decade labels)"),
        .choice("invert", ["x", "y", "xy"], "inverted axes: x, y or xy (e.g. magnitudes)"),
        .text("xrange", "x limits LO:HI"),
        .text("yrange", "y limits LO:HI"),
        .text("bounds", "hard limits XLO:XHI,YLO:YHI"),
        .text("clip", "limits at mean ± Nσ (of log10 on a log axis), never beyond the data, e.g. 4sigma (highlighted points stay in view; histogram: values beyond are not counted)"),
        .choice("legend", LegendPlacement.self, default: .auto, "auto, none, top-left, top-right, bottom-left, bottom-right, outside (right), outside-top, outside-bottom, outside-left"),
        .yesNo("colorbar", default: true, "draw the colour bar"),
        .text("colors", "class colours CLASS:COLOUR,… e.g. bll:#0072B2,fsrq:#E69F00 (others keep the class palette: Okabe–Ito, then Glasbey colours to 32 classes)"),
        .text("panel", "inside `figure`: the panel to draw into, 1 = top left"),
    ] + PlotKind.options

    nonisolated(unsafe) static let plot: [Verb] = [
        Verb("plot", usage: PlotKind.usage + " [by=COLUMN|label] [to=PATH.png|pdf|svg] [OPTION=VALUE ...]",
             summary: "Draw a figure to a PNG, PDF or SVG file. X and Y are columns or expressions.",
             details: PlotKind.helpParagraphs + "\n" + """
                 Reference curves and regions: overlay curve y = EXPR ... (see help overlay). Several plots in one
                 figure: figure 2x2 ... (see help figure). Class colours: colors=bll:#0072B2,fsrq:#E69F00.
                 Session defaults: set plot.OPTION=VALUE, show plot; replot OPTION=VALUE redraws the last plot.
                 Without to= the figure goes to plots/figure-N.png.
                 example: plot density PL_Index log10(nu_syn) to=plots/index.png
                 example: plot scatter g-r u-g by=label style=publication invert=y to=fig1.pdf
                 example: plot histogram PL_Index by=label bins=30 density=yes
                 example: plot heatmap g-r u-g bins=8 agg=mean(redshift)
                 example: plot training m
                 example: plot confidence m PL_Index log10(nu_syn) map=density
                 sed: the photometry `sed` declared for the table, flux against wavelength on log axes with error bars,
                 one colour per source (see `help sed`).
                 example: plot sed 12 345 flux=nuFnu
                 """,
             options: plotOptions,
             arguments: [.text, .expression],
             maxPositionals: Verb.unlimited, provenance: .writesFiles,
             run: Session.plot),
    ] + plotFigure + plotOverlays + plotSettings
}

/// `plot KIND ...`: figures written as files and returned as image outputs (or, inside `figure`,
/// kept as the next panel).
extension Session {
    func plot(_ typed: ParsedCommand) throws -> [Output] { try drawPlot(typed, keepOverlays: false) }

    /// Draws a plot; `replot` and `overlay` keep the overlays of the last plot, a new `plot` starts without.
    func drawPlot(_ typed: ParsedCommand, keepOverlays: Bool) throws -> [Output] {
        let command = withPlotDefaults(typed)
        guard let kindWord = command.positionals.first else {
            throw CommandError("expected a plot kind: \(PlotKind.names.joined(separator: ", "))", offset: command.verb.offset + command.verb.length, length: 1)
        }
        guard let kind = PlotKind.named(kindWord.text) else {
            throw CommandError("unknown plot kind `\(kindWord.text)` (expected \(PlotKind.names.joined(separator: ", ")))", at: kindWord,
                               suggestion: nearestName(to: kindWord.text, in: PlotKind.names))
        }
        try checkKindOptions(typed, kind: kind)
        let inFigure = plotSettings.figure != nil
        if inFigure {
            for key in ["to", "style", "width", "height", "dpi"] {
                if let o = typed.optionEntry(key) {
                    throw CommandError("\(key)= belongs on the `figure` command while panels are being collected", offset: o.keyOffset, length: o.key.count)
                }
            }
        }
        let overlays = keepOverlays ? plotSettings.overlays : []
        let built: BuiltPanel
        do {
            built = try kind.build(self, PlotRequest(command: command, kindWord: kindWord, overlays: overlays.map(\.overlay)))
        } catch let error as PlotError {
            throw CommandError("cannot draw the plot: \(error)", at: kindWord)
        }
        let style = try figureStyle(command)
        var outputs: [Output]
        let panel = built.panel
        if inFigure {
            outputs = try addPanel(panel, command: typed)
            plotSettings.figure?.lastKind = kind
        } else {
            figureCount += 1
            let toWord = command.word("to")
            let path = toWord?.text ?? "plots/figure-\(figureCount).png"
            outputs = try writeFigure(path: path, word: toWord ?? command.verb, style: style, description: typed.line) { vector in
                if let vector { return (nil, try panel.renderVector(vector, style: style)) }
                return (try panel.renderFigure(style: style), nil)
            }
        }
        if let note = built.note { outputs.append(.text(note)) }
        outputs += built.warnings.map { .warning($0) }
        if !keepOverlays { plotSettings.overlays = [] }
        // replot starts from this command with the defaults it used written out.
        let explicit = command.options.filter { $0.key != "to" || typed.has("to") }
        plotSettings.lastPlot = (["plot"] + command.positionals.map(\.raw) + explicit.map { "\($0.key)=\(quoteIfNeeded($0.value.text))" }).joined(separator: " ")
        return outputs
    }

    /// Renders to the path's format (PNG, PDF or SVG) and returns the image (always a PNG preview)
    /// and the notes. `render(nil)` gives the raster figure, `render(format)` the vector bytes.
    func writeFigure(path: String, word: Word, style: FigureStyle, description: String,
                     render: (VectorFormat?) throws -> (RenderedFigure?, [UInt8]?)) throws -> [Output] {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["png", "pdf", "svg"].contains(ext) else {
            throw CommandError("cannot write `.\(ext)` figures: use a path ending in .png, .pdf or .svg", at: word)
        }
        let vector = VectorFormat(rawValue: ext)
        let figure: RenderedFigure
        var vectorBytes: [UInt8]?
        do {
            guard let raster = try render(nil).0 else { throw PlotError("no raster figure") }
            figure = raster
            if let vector { vectorBytes = try render(vector).1 }
        } catch let error as CommandError {
            throw error
        } catch is Cancelled {
            throw Cancelled()
        } catch {
            throw CommandError("cannot draw the plot: \(error)", at: word)
        }
        let png = try PNGEncoder.encode(figure.image, dpi: style.dpi,
                                        text: [(key: "Software", value: "Astrolabe"),
                                               (key: "Description", value: description.trimmingCharacters(in: .whitespacesAndNewlines))])
        var outputs: [Output]
        if let vectorBytes {
            try writeFile(vectorBytes, to: path, word: word)
            outputs = [.image(PNGImage(bytes: png, path: nil, width: figure.image.width, height: figure.image.height)),
                       .text("wrote \(path) (\(ext.uppercased()), \(formatMillimetres(width: figure.image.width, height: figure.image.height, dpi: style.dpi)))")]
        } else {
            try writeFile(png, to: path, word: word)
            outputs = [.image(PNGImage(bytes: png, path: path, width: figure.image.width, height: figure.image.height))]
        }
        return outputs + figure.notes.map { Output.warning($0) }
    }

    /// The physical size of a figure as drawn (a publication figure grows for an outside legend).
    func formatMillimetres(width: Int, height: Int, dpi: Double) -> String {
        let w = Double(width) / dpi * 25.4, h = Double(height) / dpi * 25.4
        return String(format: "%.0f × %.0f mm", w, h)
    }

    /// Style preset, then dpi, then sizes (physical sizes use the dpi).
    func figureStyle(_ command: ParsedCommand) throws -> FigureStyle {
        var style = FigureStyle()
        if let o = command.word("style") {
            switch o.text {
            case "screen": style = .screen
            case "publication", "publication1", "single": style = .publication(columns: 1)
            case "publication2", "double": style = .publication(columns: 2)
            default:
                throw CommandError("unknown style `\(o.text)` (expected screen, publication or publication2)", at: o,
                                   suggestion: nearestName(to: o.text, in: ["screen", "publication", "publication2"]))
            }
        }
        // A preset's physical size stays the same at another resolution.
        let inches = (Double(style.width) / style.dpi, Double(style.height) / style.dpi)
        style.dpi = try command.double("dpi", default: style.dpi)
        if let preset = command.optionEntry("style") {
            // Sides that width= / height= set are not the preset's, so they cannot be too large.
            do {
                try style.setPhysicalSize(widthInches: !command.has("width") ? inches.0 : nil,
                                          heightInches: !command.has("height") ? inches.1 : nil)
            } catch let error as PlotError {
                throw CommandError("\(error)", at: command.word("dpi") ?? preset.value)
            }
        }
        for key in ["width", "height"] {
            guard let o = command.word(key) else { continue }
            let px: Int
            if let inches = FigureStyle.inches(o.text) {
                guard let n = FigureStyle.pixels(inches: inches, dpi: style.dpi) else {
                    throw CommandError(FigureStyle.sizeMessage(key, inches: inches, dpi: style.dpi), at: o)
                }
                px = n
            } else if let n = Int(o.text) {
                px = n
            } else {
                throw CommandError("\(key)= expects pixels (800) or a length with a unit (88mm, 7in, 8cm, 240pt)", at: o)
            }
            guard (FigureStyle.minSide...FigureStyle.maxSide).contains(px) else {
                throw CommandError("\(key)= gives \(px) pixels; figures are \(FigureStyle.minSide) to \(FigureStyle.maxSide) pixels per side", at: o)
            }
            if key == "width" { style.width = px } else { style.height = px }
        }
        return style
    }

    func axisOptions(_ command: ParsedCommand) throws -> (AxisOptions, AxisOptions) {
        var x = AxisOptions(), y = AxisOptions()
        for (key, apply) in [("log", { (a: inout AxisOptions) in a.log = true }), ("invert", { (a: inout AxisOptions) in a.inverted = true })] {
            guard let o = command.word(key) else { continue }
            switch o.text {
            case "x": apply(&x)
            case "y": apply(&y)
            case "xy", "yx", "both": apply(&x); apply(&y)
            case "none", "": break
            default: throw CommandError("\(key)= expects x, y or xy", at: o)
            }
        }
        x.limits = try rangeOption(command, "xrange")
        y.limits = try rangeOption(command, "yrange")
        if let o = command.word("bounds") {
            let parts = o.text.split(separator: ",").map(String.init)
            guard parts.count == 2, let a = parseRange(parts[0]), let b = parseRange(parts[1]) else {
                throw CommandError("bounds= expects XLO:XHI,YLO:YHI", at: o)
            }
            x.limits = a; y.limits = b
        }
        if let o = command.word("clip") {
            let text = o.text.lowercased()
            let number = text.hasSuffix("sigma") ? String(text.dropLast(5)) : (text.hasSuffix("σ") ? String(text.dropLast()) : text)
            guard let k = Double(number), k > 0, k.isFinite else {
                throw CommandError("clip= expects a number of standard deviations, e.g. 4sigma", at: o)
            }
            if x.limits == nil { x.clipSigma = k }
            if y.limits == nil { y.clipSigma = k }
        }
        return (x, y)
    }

    func parseRange(_ text: String) -> ClosedRange<Double>? {
        let sep: Character = text.contains(":") ? ":" : ","
        let parts = text.split(separator: sep, omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{2212}", with: "-")) }
        guard parts.count == 2, let a = parts[0], let b = parts[1], a.isFinite, b.isFinite, a < b else { return nil }
        return a...b
    }

    func rangeOption(_ command: ParsedCommand, _ key: String) throws -> ClosedRange<Double>? {
        guard let o = command.word(key) else { return nil }
        guard let r = parseRange(o.text) else {
            throw CommandError("\(key)= expects LO:HI with LO < HI, e.g. \(key)=0:10", at: o)
        }
        return r
    }

    func colormapOption(_ command: ParsedCommand) throws -> Colormap {
        guard let o = command.word("cmap") else { return .viridis }
        guard let map = Colormap.named(o.text) else {
            let names = Colormap.builtIn.map(\.name)
            throw CommandError("unknown colormap `\(o.text)` (expected one of: \(names.joined(separator: ", ")))", at: o,
                               suggestion: nearestName(to: o.text, in: names))
        }
        return map
    }

    func spreadOption(_ command: ParsedCommand) throws -> DensityPlot.Spreading {
        guard let o = command.word("spread") else { return .dynamic(maxPx: 3) }
        if o.text == "auto" { return .dynamic(maxPx: 3) }
        guard let n = Int(o.text), (0...20).contains(n) else {
            throw CommandError("spread= expects auto or a whole number of pixels from 0 to 20", at: o)
        }
        return n == 0 ? .none : .fixed(n)
    }

    /// `agg=` and `by=` of a density plot.
    func densityAggregation(_ command: ParsedCommand, table: Table) throws -> DensityPlot.Aggregation {
        if let by = command.optionEntry("by") {
            if command.has("agg") {
                throw CommandError("by= (colours by class) and agg= cannot be combined", offset: by.keyOffset, length: by.key.count)
            }
            switch try scatterColoring(command, table: table) {
            case .categories(let codes, let names):
                return .categories(codes: codes.map { Int32(clamping: $0) }, names: names, colors: nil)
            case .continuous(_, let label):
                throw CommandError("density by= needs classes; for a numeric column use agg=mean(\(label))", at: by.value)
            case .single:
                return .count
            }
        }
        guard let o = command.word("agg") else { return .count }
        let text = o.text
        let names = Reduction.allCases.map(\.rawValue)
        guard let open = text.firstIndex(of: "(") else {
            guard let r = Reduction.named(text), r == .count || r == .any else {
                throw CommandError(Reduction.named(text) == nil ? "unknown aggregation `\(text)` (expected \(names.joined(separator: ", ")))"
                                                               : "agg=\(text) needs a column: agg=\(text)(COLUMN)",
                                   at: o, suggestion: nearestName(to: text, in: names))
            }
            return r == .count ? .count : .reduce(.any, values: nil, label: "any")
        }
        let name = String(text[..<open])
        guard text.hasSuffix(")"), let r = Reduction.named(name) else {
            throw CommandError("agg= expects NAME(COLUMN) with NAME one of \(names.joined(separator: ", "))", at: o,
                               suggestion: nearestName(to: name, in: names))
        }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        let word = Word(text: inner, raw: inner, quoted: false, offset: o.offset + name.count + 1)
        let values = try numericValues(of: word, in: table)
        return .reduce(r, values: values, label: "\(r.rawValue) \(columnName(word))")
    }

    func scatterColoring(_ command: ParsedCommand, table: Table) throws -> ScatterPlot.Coloring {
        guard let by = command.optionEntry("by") else { return .single }
        if by.value.text == "label", table.labelColumn == nil, table.column(named: "label") == nil {
            throw CommandError("by=label needs a label column: load with label=COLUMN", at: by.value)
        }
        if by.value.text == "label", table.labelColumn != nil {
            let classes = try classSet(for: table, at: by.value)
            var codes = catalogueClasses(table, classes: classes)
            // Human answers override the catalogue, so the plot shows what the user taught.
            for (row, record) in answers[table.name] ?? [:] {
                if record.kind == .label, let label = record.label, let c = classes.names.firstIndex(of: label) { codes[row] = c }
            }
            return .categories(codes: codes, names: classes.names)
        }
        let name = columnName(by.value)
        guard let column = table.column(named: name) else {
            throw CommandError("unknown column `\(name)`", at: by.value, suggestion: nearestName(to: name, in: table.columnNames + ["label"]))
        }
        switch column.values {
        case .numeric, .float32:
            return .continuous(values: column.numbers ?? [], label: name)
        case .text(let values):
            let names = Set(values.compactMap { $0 }).sorted()
            // Each value its own colour: as many as the class palette holds.
            let most = CategoricalPalette.classes.count
            guard names.count <= most else {
                throw CommandError("column `\(name)` has \(names.count) distinct values; colour by at most \(most)", at: by.value)
            }
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
            return .categories(codes: values.map { $0.flatMap { index[$0] } ?? -1 }, names: names)
        }
    }

    /// Writes bytes to a path the user gave, creating folders; errors point at the path.
    func writeFile(_ bytes: [UInt8], to path: String, word: Word) throws {
        let full = resolve(path)
        let dir = (full as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw CommandError("cannot create folder \((path as NSString).deletingLastPathComponent)", at: word)
            }
        }
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
            throw CommandError("cannot write \(path)", at: word)
        }
    }
}
