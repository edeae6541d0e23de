import AstrolabeData
import AstrolabePlot
import Foundation

extension VerbCatalog {
    /// Options of `plot` (and `replot`, and the names `set plot.NAME=` accepts).
    static let plotOptions: [(name: String, help: String)] = [
        ("by", "colour by a column, or `label` (density: blended class colours)"),
        ("to", "output path: .png, .pdf or .svg"),
        ("title", "figure title"),
        ("xlabel", "x-axis title, e.g. xlabel=\"r [mag]\" (default: the column or expression)"),
        ("ylabel", "y-axis title (default: the column or expression, or the histogram's count)"),
        ("style", "screen (800×600 px, 100 dpi) or publication / publication2 (88 / 180 mm, 300 dpi, 7–9 pt; an outside legend widens the figure, not narrows the axes)"),
        ("width", "width in pixels, or physical: 88mm, 7in, 8cm"), ("height", "height in pixels or physical"),
        ("dpi", "resolution (stored in the PNG); with style= or a physical size, at most 8000 pixels per side"),
        ("highlight", "model whose queried rows to ring"),
        ("agg", "density: count (default), any, sum(COL), mean(COL), min(COL), max(COL), std(COL); heatmap: count or mean(COL)"),
        ("how", "density shading: eq_hist (default), log, cbrt, linear; heatmap colour scale: linear (default) or log"),
        ("span", "density: value range LO:HI fixed to the colour scale (not with eq_hist)"),
        ("min_alpha", "density by class: opacity of the sparsest pixels, 0–255 (default 40)"),
        ("spread", "density: grow sparse pixels by N px, or auto (default: up to 3 px where sparse), 0 for none"),
        ("pixel", "density: side of one bin in screen pixels (default 1)"),
        ("cmap", "colormap: viridis, cividis, inferno, magma, plasma, grey, coolwarm"),
        ("log", "log axes: x, y or xy (decade labels)"),
        ("invert", "inverted axes: x, y or xy (e.g. magnitudes)"),
        ("xrange", "x limits LO:HI"), ("yrange", "y limits LO:HI"),
        ("bounds", "hard limits XLO:XHI,YLO:YHI"),
        ("clip", "limits at mean ± Nσ (of log10 on a log axis), never beyond the data, e.g. 4sigma (highlighted points stay in view; histogram: values beyond are not counted)"),
        ("legend", "auto, none, top-left, top-right, bottom-left, bottom-right, outside (right), outside-top, outside-bottom, outside-left"),
        ("colorbar", "yes or no"),
        ("size", "scatter: marker diameter in points"), ("alpha", "scatter: marker opacity 0–1"),
        ("xerr", "scatter: x error bars from a column (symmetric) or LO,HI columns (lengths below, above)"),
        ("yerr", "scatter: y error bars, COLUMN or LO,HI"),
        ("colors", "class colours CLASS:COLOUR,… e.g. bll:#0072B2,fsrq:#E69F00 (others keep the class palette: Okabe–Ito, then Glasbey colours to 32 classes)"),
        ("bins", "histogram: number of bins or auto (numpy's rule, the default); heatmap: bins on each axis (default 10)"),
        ("binsx", "heatmap: bins along x (default bins=)"), ("binsy", "heatmap: bins along y (default bins=)"),
        ("mode", "histogram by class: overlay (default, translucent) or stack"),
        ("density", "histogram: yes to normalise to unit area (per class when overlaid, in total when stacked)"),
        ("order", "line/step: x (sort by x, the default) or rows (join rows in table order)"),
        ("normalize", "confusion: yes for fractions of each true class (recall on the diagonal)"),
        ("on", "confusion and training: the model's test (confusion's default), validation or train (training's default) rows"),
        ("map", "confidence: points (every row), density (binned mean uncertainty) or auto (points up to 20,000 rows)"),
        ("values", "confusion: yes (default) or no to write the numbers in the cells; heatmap: auto (default: up to 20×20 bins when all fit), yes or no"),
        ("panel", "inside `figure`: the panel to draw into, 1 = top left"),
        ("flux", "sed: fnu (f_ν in Jy, the default) or nuFnu (ν f_ν in erg s⁻¹ cm⁻²)"),
    ]

    nonisolated(unsafe) static let plot: [Verb] = [
        Verb("plot", usage: "plot scatter|density|line|step X Y | plot histogram X | plot heatmap X Y | plot confusion MODEL | plot training|confidence MODEL [X Y] | plot sed ID [ID ...] [by=COLUMN|label] [to=PATH.png|pdf|svg] [OPTION=VALUE ...]",
             summary: "Draw a figure to a PNG, PDF or SVG file. X and Y are columns or expressions.",
             details: """
                 scatter: one marker per row, coloured by a text column or the labels (by=label), with a legend,
                          or by a numeric column with a colour bar. highlight=MODEL rings every row the model has asked about.
                          xerr=COL / yerr=COL draw error bars; yerr=LO,HI takes two columns (lengths below and above).
                 density: every point counted into pixels (datashader semantics) and shaded by histogram equalisation;
                          agg=mean(COL) etc. shows a column instead of counts; by=label blends class colours.
                 histogram: counts per bin with numpy's bin edges (bins=auto or N); by=label one histogram per class,
                          mode=overlay (translucent, outlined) or stack; density=yes normalises to unit area.
                 line, step: points joined in increasing x (order=rows: in table order); a missing value breaks the
                          line; step holds each value until the next x. by= draws one line per class.
                 heatmap: X and Y binned on a regular grid (numpy.histogram2d's bins; bins=N or binsx=/binsy=, over
                          the data or xrange=/yrange=), cells coloured by count or agg=mean(COL), with a colour bar;
                          how=log for a log colour scale; values=auto writes the numbers when the grid is 20×20 or less
                          and every number fits its cell.
                 confusion: the test-set confusion matrix of MODEL as a heatmap (rows: true class; on=validation or
                          on=train for those sets, truth as `score` takes it); normalize=yes shows fractions of each true class.
                 training: MODEL's training rows coloured correct/incorrect by its current fit, the rows its queries
                          asked for ringed on top; on=validation or on=test shows those rows instead; X Y default to the
                          model's first two features.
                 confidence: every row coloured by MODEL's uncertainty (its strategy's measure: margin, entropy or
                          least-confident), training labels ringed, with a colour bar; above 20,000 rows (or map=density)
                          a binned image of the mean uncertainty (pixel=4, how=linear by default).
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
             arguments: [.text, .expression], optionValues: ["by": .column, "to": .path, "highlight": .model],
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
        if kindWord.text == "sed" { return try plotSED(typed) }
        guard let kind = PlotKind(rawValue: kindWord.text) else {
            throw CommandError("unknown plot kind `\(kindWord.text)` (expected \(PlotKind.names.joined(separator: ", ")))", at: kindWord,
                               suggestion: nearestName(to: kindWord.text, in: PlotKind.names))
        }
        try checkKindOptions(typed, kind: kind)
        let inFigure = plotSettings.figure != nil
        if inFigure {
            for key in ["to", "style", "width", "height", "dpi"] {
                if let o = typed.option(key) {
                    throw CommandError("\(key)= belongs on the `figure` command while panels are being collected", offset: o.keyOffset, length: o.key.count)
                }
            }
        }
        let overlays = keepOverlays ? plotSettings.overlays : []
        var panel: Panel
        var note: String?
        do {
            panel = try buildPanel(kind, command: command, kindWord: kindWord, overlays: overlays.map(\.overlay), note: &note)
        } catch let error as PlotError {
            throw CommandError("cannot draw the plot: \(error)", at: kindWord)
        }
        let style = try figureStyle(command)
        var outputs: [Output]
        if inFigure {
            outputs = try addPanel(panel, command: typed)
        } else {
            figureCount += 1
            let toWord = command.option("to")?.value
            let path = toWord?.text ?? "plots/figure-\(figureCount).png"
            outputs = try writeFigure(path: path, word: toWord ?? command.verb, style: style, description: typed.line) { vector in
                if let vector { return (nil, try panel.renderVector(vector, style: style)) }
                return (try panel.renderFigure(style: style), nil)
            }
        }
        if case .histogram(let h) = panel, let bins = try? h.binEdges() {
            let width = (bins.edges[bins.count] - bins.edges[0]) / Double(bins.count)
            outputs.append(.text("\(bins.count) bins of width \(NumberFormatting.short(width))\(h.xAxis.log ? " (in log10)" : "") from \(NumberFormatting.short(bins.edges[0])) to \(NumberFormatting.short(bins.edges[bins.count]))"))
        }
        if let note { outputs.append(.text(note)) }
        if !keepOverlays { plotSettings.overlays = [] }
        // replot starts from this command with the defaults it used written out.
        let explicit = command.options.filter { $0.key != "to" || typed.option("to") != nil }
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
        if let o = command.option("style") {
            switch o.value.text {
            case "screen": style = .screen
            case "publication", "publication1", "single": style = .publication(columns: 1)
            case "publication2", "double": style = .publication(columns: 2)
            default:
                throw CommandError("unknown style `\(o.value.text)` (expected screen, publication or publication2)", at: o.value,
                                   suggestion: nearestName(to: o.value.text, in: ["screen", "publication", "publication2"]))
            }
        }
        // A preset's physical size stays the same at another resolution.
        let inches = (Double(style.width) / style.dpi, Double(style.height) / style.dpi)
        style.dpi = try doubleOption(command, "dpi", default: style.dpi, range: 10...2400)
        if let preset = command.option("style") {
            // Sides that width= / height= set are not the preset's, so they cannot be too large.
            do {
                try style.setPhysicalSize(widthInches: command.option("width") == nil ? inches.0 : nil,
                                          heightInches: command.option("height") == nil ? inches.1 : nil)
            } catch let error as PlotError {
                throw CommandError("\(error)", at: command.option("dpi")?.value ?? preset.value)
            }
        }
        for key in ["width", "height"] {
            guard let o = command.option(key) else { continue }
            let px: Int
            if let inches = FigureStyle.inches(o.value.text) {
                guard let n = FigureStyle.pixels(inches: inches, dpi: style.dpi) else {
                    throw CommandError(FigureStyle.sizeMessage(key, inches: inches, dpi: style.dpi), at: o.value)
                }
                px = n
            } else if let n = Int(o.value.text) {
                px = n
            } else {
                throw CommandError("\(key)= expects pixels (800) or a length with a unit (88mm, 7in, 8cm, 240pt)", at: o.value)
            }
            guard (FigureStyle.minSide...FigureStyle.maxSide).contains(px) else {
                throw CommandError("\(key)= gives \(px) pixels; figures are \(FigureStyle.minSide) to \(FigureStyle.maxSide) pixels per side", at: o.value)
            }
            if key == "width" { style.width = px } else { style.height = px }
        }
        return style
    }

    func axisOptions(_ command: ParsedCommand) throws -> (AxisOptions, AxisOptions) {
        var x = AxisOptions(), y = AxisOptions()
        for (key, apply) in [("log", { (a: inout AxisOptions) in a.log = true }), ("invert", { (a: inout AxisOptions) in a.inverted = true })] {
            guard let o = command.option(key) else { continue }
            switch o.value.text {
            case "x": apply(&x)
            case "y": apply(&y)
            case "xy", "yx", "both": apply(&x); apply(&y)
            case "none", "": break
            default: throw CommandError("\(key)= expects x, y or xy", at: o.value)
            }
        }
        x.limits = try rangeOption(command, "xrange")
        y.limits = try rangeOption(command, "yrange")
        if let o = command.option("bounds") {
            let parts = o.value.text.split(separator: ",").map(String.init)
            guard parts.count == 2, let a = parseRange(parts[0]), let b = parseRange(parts[1]) else {
                throw CommandError("bounds= expects XLO:XHI,YLO:YHI", at: o.value)
            }
            x.limits = a; y.limits = b
        }
        if let o = command.option("clip") {
            let text = o.value.text.lowercased()
            let number = text.hasSuffix("sigma") ? String(text.dropLast(5)) : (text.hasSuffix("σ") ? String(text.dropLast()) : text)
            guard let k = Double(number), k > 0, k.isFinite else {
                throw CommandError("clip= expects a number of standard deviations, e.g. 4sigma", at: o.value)
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
        guard let o = command.option(key) else { return nil }
        guard let r = parseRange(o.value.text) else {
            throw CommandError("\(key)= expects LO:HI with LO < HI, e.g. \(key)=0:10", at: o.value)
        }
        return r
    }

    func choice<T: RawRepresentable & CaseIterable>(_ command: ParsedCommand, _ key: String, _ type: T.Type, default value: T) throws -> T where T.RawValue == String {
        guard let o = command.option(key) else { return value }
        guard let v = T(rawValue: o.value.text) else {
            let names = T.allCases.map(\.rawValue)
            throw CommandError("\(key)= expects one of: \(names.joined(separator: ", "))", at: o.value, suggestion: nearestName(to: o.value.text, in: names))
        }
        return v
    }

    func yesNo(_ command: ParsedCommand, _ key: String, default value: Bool) throws -> Bool {
        guard let o = command.option(key) else { return value }
        switch o.value.text.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0", "none": return false
        default: throw CommandError("\(key)= expects yes or no", at: o.value)
        }
    }

    func colormapOption(_ command: ParsedCommand) throws -> Colormap {
        guard let o = command.option("cmap") else { return .viridis }
        guard let map = Colormap.named(o.value.text) else {
            let names = Colormap.builtIn.map(\.name)
            throw CommandError("unknown colormap `\(o.value.text)` (expected one of: \(names.joined(separator: ", ")))", at: o.value,
                               suggestion: nearestName(to: o.value.text, in: names))
        }
        return map
    }

    func spreadOption(_ command: ParsedCommand) throws -> DensityPlot.Spreading {
        guard let o = command.option("spread") else { return .dynamic(maxPx: 3) }
        if o.value.text == "auto" { return .dynamic(maxPx: 3) }
        guard let n = Int(o.value.text), (0...20).contains(n) else {
            throw CommandError("spread= expects auto or a whole number of pixels from 0 to 20", at: o.value)
        }
        return n == 0 ? .none : .fixed(n)
    }

    /// `agg=` and `by=` of a density plot.
    func densityAggregation(_ command: ParsedCommand, table: Table) throws -> DensityPlot.Aggregation {
        if let by = command.option("by") {
            if command.option("agg") != nil {
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
        guard let o = command.option("agg") else { return .count }
        let text = o.value.text
        let names = Reduction.allCases.map(\.rawValue)
        guard let open = text.firstIndex(of: "(") else {
            guard let r = Reduction.named(text), r == .count || r == .any else {
                throw CommandError(Reduction.named(text) == nil ? "unknown aggregation `\(text)` (expected \(names.joined(separator: ", ")))"
                                                               : "agg=\(text) needs a column: agg=\(text)(COLUMN)",
                                   at: o.value, suggestion: nearestName(to: text, in: names))
            }
            return r == .count ? .count : .reduce(.any, values: nil, label: "any")
        }
        let name = String(text[..<open])
        guard text.hasSuffix(")"), let r = Reduction.named(name) else {
            throw CommandError("agg= expects NAME(COLUMN) with NAME one of \(names.joined(separator: ", "))", at: o.value,
                               suggestion: nearestName(to: name, in: names))
        }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        let word = Word(text: inner, raw: inner, quoted: false, offset: o.value.offset + name.count + 1)
        let values = try numericValues(of: word, in: table)
        return .reduce(r, values: values, label: "\(r.rawValue) \(columnName(word))")
    }

    func scatterColoring(_ command: ParsedCommand, table: Table) throws -> ScatterPlot.Coloring {
        guard let by = command.option("by") else { return .single }
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
