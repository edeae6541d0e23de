import AstrolabeData
import AstrolabePlot
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let plotFigure: [Verb] = [
        Verb("figure", usage: "figure ROWSxCOLS [to=PATH] [share=x|y|xy|none] [letters=yes|no] [style=…] | figure end | figure cancel",
             summary: "Compose the next plots into one multi-panel figure.",
             details: """
                 After `figure 2x2 to=fig.png`, the next plot commands become the panels, filled in reading order
                 (left to right, top to bottom) or into the panel a plot names with panel=K (1 = top left). When every
                 panel is filled the figure is written; `figure end` writes it earlier (unfilled panels stay blank)
                 and `figure cancel` drops it. Panels are lettered (a), (b), … in their titles. share=x gives all
                 panels the same x range and writes x tick labels only under the lowest panel of each column
                 (share=y: same y range, labels only in the first column). When the panels sharing an axis have the same
                 axis title, it is written once for the figure: under the bottom row (x), left of the first column (y). overlay adds to the last panel drawn.
                 The figure's size: style=publication / publication2, or width= / height= / dpi=, else 500×400 px
                 per panel at 100 dpi. Panels keep the style's font sizes, so they stay legible when small.
                 example: figure 1x2 to=plots/bpt.pdf share=y style=publication2
                 example: plot density log10(nii_ha) log10(oiii_hb)
                 example: plot density log10(sii_ha) log10(oiii_hb)
                 """,
             options: [.path("to", "output path: .png, .pdf or .svg (default plots/figure-N.png)"),
                       .choice("share", ["x", "y", "xy", "none"], "x, y, xy or none (default): panels with the same axis ranges"),
                       .yesNo("letters", default: true, "(a), (b), … before each panel's title"),
                       .choice("style", ["screen", "publication", "publication2"], "screen, publication (88 mm) or publication2 (180 mm) for the whole figure"),
                       .size("width", "figure width"), .size("height", "figure height"),
                       .double("dpi", 10...2400, "resolution")],
             arguments: [.text], provenance: .writesFiles, run: Session.figure),
    ]
}

extension Session {
    func figure(_ command: ParsedCommand) throws -> [Output] {
        guard let first = command.positionals.first else {
            throw CommandError("expected ROWSxCOLS (e.g. figure 2x2), end or cancel", offset: command.verb.offset + command.verb.length, length: 1)
        }
        if let extra = command.positionals.dropFirst().first {
            throw CommandError("unexpected `\(extra.text)`; options are written key=value", at: extra)
        }
        switch first.text {
        case "end":
            guard plotSettings.figure != nil else { throw CommandError("no figure is being composed (start one with figure ROWSxCOLS)", at: first) }
            return try finishFigure()
        case "cancel":
            guard let f = plotSettings.figure else { throw CommandError("no figure is being composed", at: first) }
            plotSettings.figure = nil
            return [.text("dropped the \(f.rows)×\(f.columns) figure (\(f.panels.compactMap { $0 }.count) panels drawn)")]
        default: break
        }
        let parts = first.text.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 2, let rows = parts[0], let columns = parts[1], (1...8).contains(rows), (1...8).contains(columns) else {
            throw CommandError("expected ROWSxCOLS with 1 to 8 rows and columns, e.g. 2x2, or end / cancel", at: first,
                               suggestion: nearestName(to: first.text, in: ["end", "cancel"]))
        }
        if plotSettings.figure != nil {
            throw CommandError("a figure is already being composed: finish it with `figure end` or drop it with `figure cancel`", at: first)
        }
        var style = try figureStyle(command)
        if !command.has("style") && !command.has("width") { style.width = 500 * columns }
        if !command.has("style") && !command.has("height") { style.height = 400 * rows }
        var shareX = false, shareY = false
        if let o = command.word("share") {
            switch o.text {
            case "x": shareX = true
            case "y": shareY = true
            case "xy", "yx", "both": shareX = true; shareY = true
            case "none", "no": break
            default: throw CommandError("share= expects x, y, xy or none", at: o, suggestion: nearestName(to: o.text, in: ["x", "y", "xy", "none"]))
            }
        }
        figureCount += 1
        let toWord = command.word("to")
        let path = toWord?.text ?? "plots/figure-\(figureCount).png"
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["png", "pdf", "svg"].contains(ext) else {
            throw CommandError("cannot write `.\(ext)` figures: use a path ending in .png, .pdf or .svg", at: toWord ?? command.verb)
        }
        plotSettings.figure = FigureInProgress(rows: rows, columns: columns, panels: Array(repeating: nil, count: rows * columns),
                                               path: path, pathWord: toWord ?? command.verb, style: style, shareX: shareX, shareY: shareY,
                                               letters: try command.yesNo("letters"),
                                               command: command.line.trimmingCharacters(in: .whitespacesAndNewlines))
        return [.text("composing a \(rows)×\(columns) figure (\(style.width)×\(style.height) px) for \(path): the next \(rows * columns) plots are its panels")]
    }

    /// Puts a plot into the figure being composed; writes the figure when it is full.
    func addPanel(_ panel: Panel, command: ParsedCommand) throws -> [Output] {
        guard var f = plotSettings.figure else { throw CommandError("no figure is being composed", at: command.verb) }
        let slot: Int
        if let o = command.word("panel") {
            guard let k = Int(o.text), (1...f.panels.count).contains(k) else {
                throw CommandError("panel= expects 1 to \(f.panels.count) (1 is the top left, counting along rows)", at: o)
            }
            slot = k - 1
        } else {
            guard let free = f.panels.firstIndex(where: { $0 == nil }) else {
                throw CommandError("every panel is filled", at: command.verb)
            }
            slot = free
        }
        f.panels[slot] = panel
        f.lastSlot = slot
        plotSettings.figure = f
        let filled = f.panels.compactMap { $0 }.count
        var outputs: [Output] = [.text("panel \(slot + 1) of \(f.panels.count) of \(f.path)")]
        if filled == f.panels.count { outputs += try finishFigure() }
        return outputs
    }

    /// Writes the figure being composed and stops composing.
    func finishFigure() throws -> [Output] {
        guard let f = plotSettings.figure else { return [] }
        plotSettings.figure = nil
        guard f.panels.contains(where: { $0 != nil }) else {
            return [.text("the figure has no panels yet; nothing written")]
        }
        var figure = PanelFigure(rows: f.rows, columns: f.columns, panels: f.panels)
        figure.shareX = f.shareX
        figure.shareY = f.shareY
        figure.letters = f.letters
        return try writeFigure(path: f.path, word: f.pathWord, style: f.style, description: f.command) { vector in
            if let vector { return (nil, try figure.renderVector(vector, style: f.style)) }
            return (try figure.renderFigure(style: f.style), nil)
        }
    }
}
