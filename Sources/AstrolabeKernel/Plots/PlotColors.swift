import AstrolabeData
import AstrolabePlot

extension Session {
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
