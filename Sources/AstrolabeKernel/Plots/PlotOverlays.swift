import AstrolabeData
import AstrolabePlot
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let plotOverlays: [Verb] = [
        Verb("overlay", usage: "overlay curve y = EXPR [where=COND] [label=TEXT] [color=C] [line=dashed] | overlay region COND | overlay list | overlay clear",
             summary: "Add a reference curve or region to the last plot and draw it again.",
             details: """
                 curve y = EXPR     a curve y(x) over the plot's whole x range (x = EXPR: a curve x(y), e.g. x = 0.5)
                 region COND        tint every point (x, y) where COND holds (tested at every pixel; a vector path in PDF/SVG)
                 where=COND         draw only where COND holds (over x for y = …, over y for x = …, over both for regions)
                 x and y are the plot's axes in data units (not log10 on a log axis). Curves are sampled every half pixel
                 and break where the value is missing or infinite, where where= is false, and at poles. Overlays stay
                 with the plot through replot; a new plot starts without them; `overlay clear` removes them.
                 Inside `figure`, an overlay goes onto the last panel drawn.
                 example: overlay curve y = 0.61/(x-0.47)+1.19 where=x<0.47 label="Kewley+01"
                 example: overlay curve y = 0.61/(x-0.05)+1.3 where=x<0.05 label="Kauffmann+03" line=dashed
                 example: overlay region "y < 0.315*x+0.791 and y > 0.315*x-0.222 and y > -3.172*x+7.624" label="Mateos+12 wedge"
                 """,
             options: [.text("where", "condition on x (curve y = …), y (curve x = …) or both (region)"),
                       .text("label", "legend text (no legend entry without it)"),
                       .text("color", "#RRGGBB or black (default), grey, blue, orange, green, red, purple, skyblue, yellow"),
                       .choice("line", LineDash.self, default: .solid, "solid (default), dashed, dotted or dashdot"),
                       .double("width", 0.1...20, default: 1.2, "line width in points"),
                       .double("alpha", 0.01...1, default: 0.15, "region opacity")],
             arguments: [.text, .expression], freeText: true, provenance: .writesFiles, run: Session.overlay),
    ]
}

extension Session {
    func overlay(_ command: ParsedCommand) throws -> [Output] {
        guard let kind = command.positionals.first else {
            throw CommandError("expected curve, region, list or clear", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let allowed = ["where", "label", "color", "line", "width", "alpha"]
        for option in command.options where !allowed.contains(option.key) && !(kind.text == "curve" && (option.key == "y" || option.key == "x")) {
            throw CommandError("unknown option `\(option.key)` for `overlay` (expected one of: \(allowed.joined(separator: ", ")))",
                               offset: option.keyOffset, length: option.key.count, suggestion: nearestName(to: option.key, in: allowed))
        }
        switch kind.text {
        case "list":
            guard !plotSettings.overlays.isEmpty else { return [.text("no overlays on the last plot")] }
            return [.text(plotSettings.overlays.enumerated().map { "\($0.offset + 1). \($0.element.command)" }.joined(separator: "\n"))]
        case "clear":
            let n = plotSettings.overlays.count
            plotSettings.overlays = []
            guard n > 0, let last = plotSettings.lastPlot, let previous = try CommandParser.parse(last) else {
                return [.text("no overlays to clear")]
            }
            return try drawPlot(previous, keepOverlays: true)
        case "curve", "region":
            break
        default:
            throw CommandError("unknown overlay `\(kind.text)` (expected curve, region, list or clear)", at: kind,
                               suggestion: nearestName(to: kind.text, in: ["curve", "region", "list", "clear"]))
        }
        let made = try parseOverlay(command, kind: kind)
        let stored = StoredOverlay(overlay: made, command: command.line.trimmingCharacters(in: .whitespacesAndNewlines))
        if var f = plotSettings.figure, let slot = f.lastSlot, var panel = f.panels[slot] {
            if let refusal = f.lastKind?.overlayRefusal { throw CommandError("the last panel is \(refusal)", at: kind) }
            panel.overlays.append(made)
            f.panels[slot] = panel
            plotSettings.figure = f
            return [.text("added to panel \(slot + 1) of \(f.path)")]
        }
        guard let last = plotSettings.lastPlot, let previous = try CommandParser.parse(last) else {
            throw CommandError("nothing to overlay yet: make a plot first", at: command.verb)
        }
        if let refusal = previous.positionals.first.flatMap({ PlotKind.named($0.text) })?.overlayRefusal {
            throw CommandError("the last plot is \(refusal)", at: kind)
        }
        plotSettings.overlays.append(stored)
        do {
            return try drawPlot(previous, keepOverlays: true)
        } catch {
            plotSettings.overlays.removeLast()
            throw error
        }
    }

    /// The overlay a command describes, with its expressions checked against the variables it may use.
    func parseOverlay(_ command: ParsedCommand, kind: Word) throws -> ReferenceOverlay {
        // The text after the kind, up to the first option (options come after the equation).
        let words = Array(command.positionals.dropFirst())
        let chars = Array(command.line)
        var text = "", offset = kind.offset + kind.length
        if let first = words.first, let last = words.last {
            if let inside = command.options.first(where: { $0.keyOffset > first.offset && $0.keyOffset < last.offset }) {
                throw CommandError("write options after the \(kind.text == "curve" ? "equation" : "condition")", offset: inside.keyOffset, length: inside.key.count)
            }
            text = String(chars[first.offset..<min(chars.count, last.offset + last.length)])
            offset = first.offset
            if words.count == 1, first.quoted { text = first.text; offset += 1 }
        } else if kind.text == "curve", let o = command.options.first(where: { $0.key == "y" || $0.key == "x" }) {
            text = "\(o.key)=\(o.value.text)"
            offset = o.keyOffset
        }
        var shape: ReferenceOverlay.Shape
        var variables: [String]
        if kind.text == "curve" {
            guard let eq = Self.assignment(in: text) else {
                throw CommandError("expected y = EXPRESSION (or x = EXPRESSION)", offset: offset, length: max(1, text.count))
            }
            let lhs = text[..<eq].trimmingCharacters(in: .whitespaces)
            let rhsStart = text.distance(from: text.startIndex, to: eq) + 1
            let rhs = String(text[text.index(after: eq)...])
            guard lhs == "y" || lhs == "x" else {
                throw CommandError("a curve is y = EXPRESSION of x, or x = EXPRESSION of y; got `\(lhs)`", offset: offset, length: max(1, lhs.count))
            }
            variables = lhs == "y" ? ["x"] : ["y"]
            let expression = try checkedExpression(rhs, offset: offset + rhsStart, variables: variables)
            shape = lhs == "y" ? .yOfX(expression) : .xOfY(expression)
        } else {
            guard !text.isEmpty else { throw CommandError("expected a condition on x and y, e.g. overlay region \"y > x\"", offset: offset, length: 1) }
            variables = ["x", "y"]
            shape = .region(try checkedExpression(text, offset: offset, variables: variables))
        }
        var overlay = ReferenceOverlay(shape)
        if let o = command.word("where") {
            overlay.condition = try checkedExpression(o.text, offset: o.offset + (o.quoted ? 1 : 0), variables: variables)
        }
        overlay.label = command.word("label")?.text
        if let o = command.word("color") {
            guard let c = PlotColors.parse(o.text) else {
                throw CommandError("`\(o.text)` is not a colour: write #RRGGBB or one of \(PlotColors.names.joined(separator: ", "))", at: o,
                                   suggestion: nearestName(to: o.text, in: PlotColors.names))
            }
            overlay.color = c
        } else if kind.text == "region" {
            overlay.color = RGBA(hex: 0x0072B2)
        }
        overlay.dash = try command.choice("line", LineDash.self)
        overlay.lineWidth = try command.double("width")
        overlay.alpha = try command.double("alpha")
        return overlay
    }

    /// The `=` of `y = …` (not part of `==`, `<=`, `>=`, `!=`).
    static func assignment(in text: String) -> String.Index? {
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "=" {
                let before = i > text.startIndex ? text[text.index(before: i)] : " "
                let next = text.index(after: i)
                let after = next < text.endIndex ? text[next] : " "
                if !"<>!=".contains(before) && after != "=" { return i }
            }
            i = text.index(after: i)
        }
        return nil
    }

    /// Parses an expression and checks it uses only `variables`, with errors at its place in the line.
    func checkedExpression(_ text: String, offset: Int, variables: [String]) throws -> AstrolabeData.Expression {
        let probe = try Table(name: "overlay", columns: variables.map { Column(name: $0, numbers: [1]) })
        _ = try evaluate(text, offset: offset, in: probe)
        return try AstrolabeData.Expression(parsing: text)
    }
}
