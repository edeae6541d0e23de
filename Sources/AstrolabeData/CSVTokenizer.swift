/// Where one CSV field lies in the file's bytes.
///
/// Fields are kept as byte spans rather than `String`s so that numeric cells (the bulk of a
/// catalogue) are converted straight from bytes to `Double` without any per-cell allocation, and so
/// that a later parallel reader can tokenize chunks of an mmapped file independently.
struct CSVFieldSpan: Sendable {
    /// Offset of the first content byte (after an opening quote, if any).
    var start: Int
    /// Number of content bytes (excluding surrounding quotes).
    var length: Int32
    /// The field was quoted in the file.
    var isQuoted: Bool
    /// The quoted content contains doubled quotes (`""`) that must be collapsed when decoded.
    var hasEscapedQuotes: Bool
}

/// The fields of a CSV file, column by column, plus enough position information to report errors.
struct CSVTokens {
    /// The header row's fields.
    var header: [CSVFieldSpan]
    /// `columns[c][r]` is the field of data row `r` in column `c`.
    var columns: [[CSVFieldSpan]]
    /// Number of data rows.
    var rowCount: Int
}

/// Splits CSV bytes (RFC 4180) into field spans, column by column.
///
/// Accepts `\n`, `\r\n` and lone `\r` line endings, a leading UTF-8 byte-order mark, quoted fields
/// containing separators, doubled quotes and line breaks. Completely empty lines are skipped (as
/// pandas does). Every data row must have as many fields as the header.
///
/// Positions in errors are 1-based; the column is counted in characters (UTF-8 scalars) from the
/// start of the physical line, so it matches what an editor shows.
struct CSVTokenizer {
    var separator: UInt8 = UInt8(ascii: ",")
    var source: String

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) throws -> CSVTokens {
        let n = bytes.count
        var i = 0
        // UTF-8 byte-order mark.
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let contentStart = i

        var line = 1
        var lineStart = i
        var header: [CSVFieldSpan]? = nil
        var columns: [[CSVFieldSpan]] = []
        var rowCount = 0
        var fields: [CSVFieldSpan] = []
        var fieldLines: [(line: Int, lineStart: Int)] = []

        while i < n {
            // One record.
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            fieldLines.removeAll(keepingCapacity: true)
            fieldLoop: while true {
                let fieldStart = i
                fieldLines.append((line, lineStart))
                var span: CSVFieldSpan
                if i < n, bytes[i] == Self.quote {
                    let openLine = line, openLineStart = lineStart, openOffset = i
                    i += 1
                    let valueStart = i
                    var escaped = false
                    while true {
                        guard i < n else {
                            throw DataError("unterminated quoted field (the quote opened here is never closed)",
                                            file: source, line: openLine,
                                            column: Self.characterColumn(bytes, lineStart: openLineStart, offset: openOffset))
                        }
                        let c = bytes[i]
                        if c == Self.quote {
                            if i + 1 < n, bytes[i + 1] == Self.quote {
                                escaped = true
                                i += 2
                                continue
                            }
                            break
                        }
                        if c == Self.newline {
                            line += 1
                            lineStart = i + 1
                        } else if c == Self.carriageReturn, !(i + 1 < n && bytes[i + 1] == Self.newline) {
                            line += 1
                            lineStart = i + 1
                        }
                        i += 1
                    }
                    span = try Self.makeSpan(start: valueStart, end: i, quoted: true, escaped: escaped,
                                             source: source, line: line)
                    i += 1 // closing quote
                    if i < n {
                        let c = bytes[i]
                        if c != separator && c != Self.newline && c != Self.carriageReturn {
                            throw DataError("unexpected character after a closing quote; expected a separator or the end of the line",
                                            file: source, line: line,
                                            column: Self.characterColumn(bytes, lineStart: lineStart, offset: i))
                        }
                    }
                } else {
                    while i < n {
                        let c = bytes[i]
                        if c == separator || c == Self.newline || c == Self.carriageReturn { break }
                        i += 1
                    }
                    span = try Self.makeSpan(start: fieldStart, end: i, quoted: false, escaped: false,
                                             source: source, line: line)
                }
                fields.append(span)

                guard i < n else { break fieldLoop }
                let c = bytes[i]
                if c == separator {
                    i += 1
                    continue fieldLoop
                }
                // End of line.
                if c == Self.carriageReturn, i + 1 < n, bytes[i + 1] == Self.newline { i += 2 } else { i += 1 }
                line += 1
                lineStart = i
                break fieldLoop
            }
            // A record that is just an empty line carries nothing.
            if fields.count == 1, !fields[0].isQuoted, fields[0].length == 0 {
                continue
            }

            guard let expected = header?.count else {
                header = fields
                columns = Array(repeating: [], count: fields.count)
                continue
            }
            if fields.count != expected {
                // Point at the first extra field, or at the end of a short row.
                let column: Int
                if fields.count > expected {
                    let position = fieldLines[expected]
                    let offset = fields[expected].isQuoted ? fields[expected].start - 1 : fields[expected].start
                    column = Self.characterColumn(bytes, lineStart: position.lineStart, offset: offset)
                    throw DataError("line \(recordLine) has \(fields.count) fields, header has \(expected)",
                                    file: source, line: position.line, column: column)
                } else {
                    let last = fields[fields.count - 1]
                    let end = last.start + Int(last.length) + (last.isQuoted ? 1 : 0)
                    let position = fieldLines[fields.count - 1]
                    column = Self.characterColumn(bytes, lineStart: position.lineStart, offset: end)
                    throw DataError("line \(recordLine) has \(fields.count) fields, header has \(expected)",
                                    file: source, line: position.line, column: column)
                }
            }
            for (c, span) in fields.enumerated() { columns[c].append(span) }
            rowCount += 1
        }
        guard let header else {
            throw DataError(contentStart == n ? "the file is empty" : "the file has no header row",
                            file: source, line: 1, column: 1)
        }
        return CSVTokens(header: header, columns: columns, rowCount: rowCount)
    }

    private static func makeSpan(start: Int, end: Int, quoted: Bool, escaped: Bool,
                                 source: String, line: Int) throws -> CSVFieldSpan {
        let length = end - start
        guard length <= Int(Int32.max) else {
            throw DataError("a field is longer than \(Int32.max) bytes", file: source, line: line)
        }
        return CSVFieldSpan(start: start, length: Int32(length), isQuoted: quoted, hasEscapedQuotes: escaped)
    }

    /// 1-based character column of `offset` in the line starting at `lineStart` (counts UTF-8 lead bytes).
    static func characterColumn(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
        var column = 1
        var j = max(0, lineStart)
        let end = min(offset, bytes.count)
        while j < end {
            if bytes[j] & 0xC0 != 0x80 { column += 1 }
            j += 1
        }
        return column
    }
}
