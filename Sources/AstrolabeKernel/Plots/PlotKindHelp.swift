/// The parts of `help plot` that come from the kind declarations: the usage line, one paragraph
/// per kind, and the options some kinds take.
extension PlotKind {
    /// Kinds with the same arguments share a usage form, in list order:
    /// `plot scatter|density X Y | plot histogram X | …`.
    static var usage: String {
        var forms: [(signature: String, names: [String])] = []
        for kind in all {
            let signature = kind.signature
            if let i = forms.firstIndex(where: { $0.signature == signature }) { forms[i].names.append(kind.name) }
            else { forms.append((signature, [kind.name])) }
        }
        return forms.map { "plot " + $0.names.joined(separator: "|") + " " + $0.signature }.joined(separator: " | ")
    }

    /// The arguments as usage writes them, optional ones in brackets: `MODEL [X Y]`, `ID [ID ...]`.
    var signature: String {
        let required = arguments.prefix(requiredArguments).map(\.name)
        let optional = arguments.dropFirst(requiredArguments).map(\.name)
        return (required + (optional.isEmpty ? [] : ["[" + optional.joined(separator: " ") + "]"])).joined(separator: " ")
    }

    /// One paragraph per kind ("scatter: …", continued lines indented), neighbours with the same
    /// help text in one ("line, step: …").
    static var helpParagraphs: String {
        var paragraphs: [(names: [String], help: String)] = []
        for kind in all {
            if let last = paragraphs.last, last.help == kind.help { paragraphs[paragraphs.count - 1].names.append(kind.name) }
            else { paragraphs.append(([kind.name], kind.help)) }
        }
        let indent = String(repeating: " ", count: 9)
        return paragraphs.map { p in
            p.names.joined(separator: ", ") + ": " + p.help.split(separator: "\n").joined(separator: "\n" + indent)
        }.joined(separator: "\n")
    }

    /// The options some kinds take, in the order the kinds first declare them, each with what it
    /// does for each kind: "agg: density: …; heatmap: …" (kinds with the same text named together).
    /// The type and default are those of the first kind declaring it (the default only when all agree).
    static var options: [OptionSpec] {
        var order: [String] = []
        var first: [String: OptionSpec] = [:]
        var groups: [String: [(kinds: [String], help: String)]] = [:]
        for kind in all {
            for option in kind.options {
                if groups[option.name] == nil { order.append(option.name); first[option.name] = option }
                if first[option.name]?.defaultValue != option.defaultValue { first[option.name]?.defaultValue = nil }
                if let i = groups[option.name]?.firstIndex(where: { $0.help == option.help }) { groups[option.name]?[i].kinds.append(kind.name) }
                else { groups[option.name, default: []].append(([kind.name], option.help)) }
            }
        }
        return order.compactMap { name in
            guard var spec = first[name] else { return nil }
            spec.help = (groups[name] ?? []).map { listed($0.kinds) + ": " + $0.help }.joined(separator: "; ")
            return spec
        }
    }

    /// "a", "a and b", "a, b and c".
    static func listed(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }
}
