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

    /// Cells longer than this many characters are cut with an ellipsis, as pandas does, so one
    /// huge field cannot push every other column off the screen.
    static let maximumCellWidth = 80

    mutating func append(_ row: [String]) { rows.append(row.map(TextTable.displayed)) }

    /// A cell as one line of text: control characters (a newline inside a quoted CSV field, a
    /// tab) written as escapes so they cannot break the rows apart, and long cells shortened.
    static func displayed(_ cell: String) -> String {
        var text = cell
        if cell.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            text = ""
            for scalar in cell.unicodeScalars {
                switch scalar {
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    text += "\\u{" + String(scalar.value, radix: 16) + "}"
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        if text.count > maximumCellWidth { text = String(text.prefix(maximumCellWidth - 1)) + "…" }
        return text
    }

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
