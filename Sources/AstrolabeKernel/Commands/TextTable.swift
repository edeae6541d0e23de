/// A plain-text table with aligned columns: numbers right-aligned, text left-aligned.
/// Used for every tabular output so they look the same in the REPL and in notebooks.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns (by index) to right-align.
    var numericColumns: Set<Int> = []

    init(header: [String], numericColumns: Set<Int> = []) {
        self.header = header
        self.numericColumns = numericColumns
    }

    mutating func append(_ row: [String]) { rows.append(row) }

    var rendered: String {
        let columnCount = header.count
        var widths = header.map { $0.count }
        for row in rows {
            for (i, cell) in row.prefix(columnCount).enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columnCount {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                parts.append(numericColumns.contains(i) ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}

/// Fixed-decimal formatting for metrics, identical on every machine.
func fixed(_ x: Double, _ decimals: Int = 3) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (x * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    } else if decimals > 0 {
        text += "." + String(repeating: "0", count: decimals)
    }
    if text.contains("e") { return String(x) }
    return text
}
