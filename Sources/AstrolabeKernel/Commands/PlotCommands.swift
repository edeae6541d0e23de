import AstrolabeData
import AstrolabePlot
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let plot: [Verb] = [
        Verb("plot", usage: "plot scatter|density X Y [by=COLUMN|label] [to=PATH] [title=TEXT] [width=PX] [height=PX] [dpi=N]",
             summary: "Draw a figure to a PNG file. X and Y are columns or expressions.",
             details: """
                 scatter: one marker per row, coloured by a text column or the labels (by=label), with a legend,
                          or by a numeric column with a colour bar. highlight=MODEL rings every row the model has asked about.
                 density: every point counted into pixels (datashader-style) and shaded by histogram equalisation;
                          pixel=N counts into N×N-pixel bins, so sparse catalogues stay visible.
                 Without to= the figure goes to plots/figure-N.png.
                 example: plot density PL_Index log10(nu_syn) to=plots/index.png
                 """,
             options: [("by", "colour by a column, or `label`"), ("to", "output PNG path"),
                       ("title", "figure title"), ("width", "width in pixels"), ("height", "height in pixels"),
                       ("dpi", "resolution stored in the PNG"), ("highlight", "model whose queried rows to ring"),
                       ("pixel", "density: side of one bin in screen pixels (default 1)")],
             arguments: [.text, .expression], optionValues: ["by": .column, "to": .path, "highlight": .model],
             run: Session.plot),
    ]
}

/// `plot scatter|density X Y ...`: figures written as PNG files and returned as image outputs.
extension Session {
    func plot(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let kinds = ["scatter", "density"]
        guard let kindWord = command.positionals.first else {
            throw CommandError("expected a plot kind: \(kinds.joined(separator: " or "))", offset: command.verb.offset + command.verb.length, length: 1)
        }
        guard kinds.contains(kindWord.text) else {
            throw CommandError("unknown plot kind `\(kindWord.text)` (expected \(kinds.joined(separator: " or ")))", at: kindWord,
                               suggestion: nearestName(to: kindWord.text, in: kinds))
        }
        guard command.positionals.count >= 3 else {
            throw CommandError("expected X and Y (columns or expressions): plot \(kindWord.text) X Y",
                               offset: (command.positionals.last ?? kindWord).offset + (command.positionals.last ?? kindWord).length, length: 1)
        }
        if command.positionals.count > 3 {
            throw CommandError("unexpected `\(command.positionals[3].text)`; options are written key=value", at: command.positionals[3])
        }
        let xWord = command.positionals[1], yWord = command.positionals[2]
        let x = try numericValues(of: xWord, in: table)
        let y = try numericValues(of: yWord, in: table)
        var style = FigureStyle()
        style.width = try intOption(command, "width", default: style.width, range: 64...8000)
        style.height = try intOption(command, "height", default: style.height, range: 64...8000)
        style.dpi = try doubleOption(command, "dpi", default: style.dpi, range: 10...2400)
        let title = command.option("title")?.value.text
        let xLabel = columnName(xWord), yLabel = columnName(yWord)

        let image: RGBAImage
        var notes: [String] = []
        do {
            if kindWord.text == "density" {
                if let by = command.option("by") {
                    throw CommandError("density plots count points; by= is for scatter", offset: by.keyOffset, length: by.key.count + 1 + by.value.length)
                }
                var plot = DensityPlot(x: x, y: y, xLabel: xLabel, yLabel: yLabel, title: title)
                plot.binSize = try intOption(command, "pixel", default: 1, range: 1...200)
                image = try plot.render(style: style)
            } else {
                let coloring = try scatterColoring(command, table: table)
                var highlighted: [Int] = []
                if let option = command.option("highlight") {
                    let model = try requireModel(option.value, verb: command.verb)
                    highlighted = model.asked.sorted()
                }
                let plot = ScatterPlot(x: x, y: y, xLabel: xLabel, yLabel: yLabel, title: title,
                                       coloring: coloring, highlighted: highlighted)
                image = try plot.render(style: style)
            }
        } catch let error as CommandError {
            throw error
        } catch is Cancelled {
            throw Cancelled()
        } catch {
            throw CommandError("cannot draw the plot: \(error)", at: kindWord)
        }
        let skipped = zip(x, y).reduce(0) { $0 + ($1.0.isFinite && $1.1.isFinite ? 0 : 1) }
        if skipped > 0 { notes.append("\(skipped) rows with missing or infinite values not drawn") }

        figureCount += 1
        let toWord = command.option("to")?.value
        let path = toWord?.text ?? "plots/figure-\(figureCount).png"
        guard path.lowercased().hasSuffix(".png") else {
            throw CommandError("only PNG output is supported so far: use a path ending in .png", at: toWord ?? command.verb)
        }
        let bytes = try PNGEncoder.encode(image, dpi: style.dpi,
                                          text: [(key: "Software", value: "Astrolabe"),
                                                 (key: "Description", value: command.line.trimmingCharacters(in: .whitespacesAndNewlines))])
        try writeFile(bytes, to: path, word: toWord ?? command.verb)
        var outputs: [Output] = [.image(PNGImage(bytes: bytes, path: path, width: image.width, height: image.height))]
        outputs += notes.map { Output.warning($0) }
        return outputs
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
            guard names.count <= 12 else {
                throw CommandError("column `\(name)` has \(names.count) distinct values; colour by at most 12", at: by.value)
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
