/// A problem found while parsing one chunk, with its line counted from the chunk's first line
/// (0-based), so the reader can report absolute lines once it knows where each chunk starts.
struct CSVProblem: Sendable {
    enum Kind: Sendable {
        case fieldCount(recordLine: Int, got: Int, expected: Int)
        case unterminatedQuote
        case afterClosingQuote
        /// A NUL byte: binary data, never part of a text table.
        case binaryByte
        case cancelled
    }
    var kind: Kind
    var line: Int
    var column: Int

    func error(source: String, lineBase: Int) -> Error {
        let line = self.line + lineBase
        switch kind {
        case .cancelled:
            return Cancelled()
        case .fieldCount(let recordLine, let got, let expected):
            return DataError("line \(recordLine + lineBase) has \(got) field\(got == 1 ? "" : "s"), header has \(expected)",
                             file: source, line: line, column: column)
        case .unterminatedQuote:
            return DataError("unterminated quoted field (the quote opened here is never closed)",
                             file: source, line: line, column: column)
        case .afterClosingQuote:
            return DataError("unexpected character after a closing quote; expected a separator or the end of the line",
                             file: source, line: line, column: column)
        case .binaryByte:
            return DataError("a NUL byte: this is binary data, not a text table (or the file is damaged)",
                             file: source, line: line, column: column)
        }
    }
}

/// What parsing one chunk found.
struct CSVChunkResult: Sendable {
    /// Where the chunk's last record ended (the next chunk must start exactly here).
    var end: Int
    /// Physical lines consumed, including line breaks inside quoted fields.
    var lines: Int
    var rows: Int
    var problem: CSVProblem?
    /// Chunk-relative lines of rows skipped with `on_error=skip`.
    var skippedLines: [Int] = []
}

/// Parses the records that start in one byte range of a CSV file into column builders.
///
/// Records are RFC 4180: fields separated by one byte (or runs of blanks), optionally quoted,
/// quotes doubled inside quotes, line breaks (`\n`, `\r\n`, lone `\r`) allowed inside quotes.
/// Empty lines and comment lines are skipped. Numeric columns take a fused fast path: the number
/// is parsed straight from the bytes while the field is being delimited, so a numeric cell is
/// read once and never becomes a `String`.
struct CSVChunkParser: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    let separator: UInt8
    let whitespace: Bool
    let comment: UInt8?
    let columnCount: Int
    let skipBadRows: Bool
    let sentinels: CSVSentinels
    /// Mapped file whose pages may be released behind the parser, or nil.
    let release: MappedFile?
    let progress: CSVProgress?
    /// Which C loop runs of numbers take (`vectorRecords`: 2 AVX2, 3 AVX-512), or none (below
    /// 2: the Swift loops); tests choose each in turn to hold them to the Swift loops.
    var vectorLevel = CSVChunkParser.bestVectorLevel

    private static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    @inline(__always)
    private func isSeparator(_ c: UInt8) -> Bool {
        whitespace ? (c == 0x20 || c == 0x09) : c == separator
    }

    /// Parses records starting at `start` while they start before `boundary`.
    func parse(from start: Int, until boundary: Int, into builders: inout [CSVColumnBuilder]) -> CSVChunkResult {
        let n = bytes.count
        var i = start
        var line = 0
        var lineStart = start
        var rows = 0
        var skipped: [Int] = []
        var released = start
        var reported = start
        let releaseStep = 1 << 21
        // Rows of the in-place arrays whose 4 KB pages are mapped in (see `populateAhead`).
        var populated = 0

        // The all-numbers fast path (see `numericRecord`): while every column is a float64 column
        // written in place, whole records go straight into the column arrays. Its rows are
        // counted into the builders (`syncFast`) before anything else looks at them.
        let fast = FastColumns(columnCount: columnCount)
        defer { fast.deallocate() }
        var fastCapacity = fastEligibility(builders, rows: 0, fast: fast)
        var fastPending = 0
        // The fast loops report the flags of whole records only: a record they give up on is the
        // general path's, which may skip it as malformed, and then its cells must not count.
        func syncFast() {
            for c in 0 ..< columnCount {
                builders[c].count += fastPending
                let f = fast.flags[c]
                if f & FastColumns.sawValue != 0 { builders[c].sawValue = true }
                if f & FastColumns.notInteger != 0 { builders[c].allIntegers = false }
                fast.flags[c] = 0
            }
            fastPending = 0
        }

        func fail(_ kind: CSVProblem.Kind, at offset: Int, line l: Int, lineStart ls: Int) -> CSVChunkResult {
            syncFast()
            return CSVChunkResult(end: i, lines: line, rows: rows,
                           problem: CSVProblem(kind: kind, line: l,
                                               column: CSVChunkParser.characterColumn(bytes, lineStart: ls, offset: offset)),
                           skippedLines: skipped)
        }

        recordLoop: while i < boundary && i < n {
            if rows & 0xFFFF == 0, Cancellation.isRequested {
                return fail(.cancelled, at: i, line: line, lineStart: lineStart)
            }
            if i - released >= releaseStep {
                release?.release(released ..< i)
                released = i
            }
            if i - reported >= releaseStep {
                progress?.add(i - reported)
                reported = i
            }
            if rows &+ Self.populateStep / 4 >= populated {
                populated = populateAhead(builders, from: populated)
            }
            if rows < fastCapacity, let base = bytes.baseAddress {
                // A run of records, up to where the periodic work above is due again.
                let runStop = Swift.min(boundary, released + releaseStep, reported + releaseStep)
                let runLimit = Swift.min(fastCapacity, (rows | 0xFFFF) + 1)
                let run = vectorLevel >= 2 && columnCount <= 64 && !fast.vectorDeclined
                    ? vectorRecords(base, from: i, until: runStop, row: rows, rowLimit: runLimit, fast: fast)
                    : fast.allDoubles
                    ? numericRecordsOfDoubles(base, from: i, until: runStop, row: rows, rowLimit: runLimit, fast: fast)
                    : numericRecords(base, from: i, until: runStop, row: rows, rowLimit: runLimit, fast: fast)
                if run.records > 0 {
                    i = run.end
                    rows += run.records
                    fastPending += run.records
                    if run.lines > 0 {
                        line += run.lines
                        lineStart = run.lineStart
                    }
                    continue recordLoop
                }
                // Something else (a blank line, text, a quote, a missing marker, a bad row):
                // the general path below reads this record from its start.
            }
            // Blank and comment lines, before anything that costs a step per column: a file of
            // 100,000 columns and a million blank lines must not take 10^11 steps.
            var c = bytes[i]
            if whitespace {
                var j = i
                while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j == n { i = n; break }
                c = bytes[j]
                if c == Self.lf || c == Self.cr { i = j }
            }
            if c == Self.lf || c == Self.cr {
                i += (c == Self.cr && i + 1 < n && bytes[i + 1] == Self.lf) ? 2 : 1
                line += 1
                lineStart = i
                continue
            }
            if let comment, c == comment {
                while i < n, bytes[i] != Self.lf, bytes[i] != Self.cr { i += 1 }
                continue
            }
            if whitespace { while bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
            // The general path below works on the builders: count the fast rows into them first.
            if fastCapacity > 0 { syncFast() }
            // After a general record, the fast path may go on only if the columns still qualify.
            defer { if fastCapacity > 0 { fastCapacity = fastEligibility(builders, rows: rows, fast: fast) } }

            let recordLine = line
            let recordStart = i
            let recordLineStart = lineStart
            var column = 0
            var bad: CSVProblem.Kind? = nil
            var badOffset = 0
            var badLine = 0
            var badLineStart = 0

            fieldLoop: while true {
                // One field.
                if i < n, bytes[i] == Self.quote {
                    let openLine = line, openLineStart = lineStart, openOffset = i
                    let valueStart = i + 1
                    let (close, escaped) = quotedField(from: valueStart, line: &line, lineStart: &lineStart)
                    guard let close else {
                        i = n
                        if !skipBadRows {
                            return fail(.unterminatedQuote, at: openOffset, line: openLine, lineStart: openLineStart)
                        }
                        // Skip the rest of the line the quote opened on, and carry on after it.
                        for c in 0 ..< builders.count { builders[c].truncate(to: rows) }
                        skipped.append(recordLine)
                        i = openOffset
                        line = openLine
                        while i < n, bytes[i] != Self.lf, bytes[i] != Self.cr { i += 1 }
                        if i < n { i += (bytes[i] == Self.cr && i + 1 < n && bytes[i + 1] == Self.lf) ? 2 : 1; line += 1 }
                        lineStart = i
                        continue recordLoop
                    }
                    i = close
                    if bytes[i] == 0 { return fail(.binaryByte, at: i, line: line, lineStart: lineStart) }
                    if column < columnCount {
                        builders[column].appendCell(bytes, start: valueStart, end: i, quoted: true, escaped: escaped,
                                                    sentinels: sentinels)
                    }
                    i += 1 // closing quote
                    if i < n {
                        let b = bytes[i]
                        if !isSeparator(b) && b != Self.lf && b != Self.cr {
                            bad = .afterClosingQuote
                            badOffset = i
                            badLine = line
                            badLineStart = lineStart
                            break fieldLoop
                        }
                    }
                } else if column < columnCount, builders[column].mode == .numeric, let base = bytes.baseAddress,
                          let scanned = NumberParsing.scan(base, from: i, to: n),
                          scanned.end == n || isSeparator(bytes[scanned.end]) || bytes[scanned.end] == Self.lf
                            || bytes[scanned.end] == Self.cr {
                    builders[column].appendNumber(scanned.value, isInteger: scanned.isInteger, sentinels: sentinels.numbers)
                    i = scanned.end
                } else {
                    let fieldStart = i
                    while i < n {
                        let b = bytes[i]
                        if isSeparator(b) || b == Self.lf || b == Self.cr || b == 0 { break }
                        i += 1
                    }
                    if i < n, bytes[i] == 0 { return fail(.binaryByte, at: i, line: line, lineStart: lineStart) }
                    if column < columnCount {
                        builders[column].appendCell(bytes, start: fieldStart, end: i, quoted: false, escaped: false,
                                                    sentinels: sentinels)
                    }
                }
                column += 1

                // After the field: a separator, or the end of the record.
                var atEnd = i >= n || bytes[i] == Self.lf || bytes[i] == Self.cr
                if !atEnd {
                    i += 1
                    if whitespace {
                        while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
                        atEnd = i >= n || bytes[i] == Self.lf || bytes[i] == Self.cr
                    }
                }
                if atEnd {
                    if column < columnCount {
                        bad = .fieldCount(recordLine: recordLine, got: column, expected: columnCount)
                        badOffset = i
                        badLine = line
                        badLineStart = lineStart
                    }
                    break fieldLoop
                }
                if column == columnCount {
                    // An extra field starts here; count them all for the message.
                    badOffset = i
                    badLine = line
                    badLineStart = lineStart
                    let (fields, end, lines, ls) = countRemainingFields(from: i, line: line, lineStart: lineStart)
                    bad = .fieldCount(recordLine: recordLine, got: columnCount + fields, expected: columnCount)
                    if skipBadRows {
                        i = end
                        line = lines
                        lineStart = ls
                    }
                    break fieldLoop
                }
            }

            if let kind = bad {
                if !skipBadRows {
                    return fail(kind, at: badOffset, line: badLine, lineStart: badLineStart)
                }
                for c in 0 ..< builders.count { builders[c].truncate(to: rows) }
                skipped.append(recordLine)
                if case .afterClosingQuote = kind {
                    // Resume at the end of the record (respecting quotes from here on).
                    let (_, end, lines, ls) = countRemainingFields(from: badOffset, line: badLine, lineStart: badLineStart)
                    i = end
                    line = lines
                    lineStart = ls
                }
                _ = recordStart
                _ = recordLineStart
            } else {
                rows += 1
            }
            // The line break ending the record.
            if i < n {
                i += (bytes[i] == Self.cr && i + 1 < n && bytes[i + 1] == Self.lf) ? 2 : 1
                line += 1
                lineStart = i
            }
        }
        syncFast()
        progress?.add(Swift.min(i, n) - reported)
        release?.release(released ..< Swift.min(i, boundary))
        return CSVChunkResult(end: i, lines: line, rows: rows, problem: nil, skippedLines: skipped)
    }

    /// Maps in the in-place arrays' 4 KB pages (their heads and tails; 2 MB pages fault cheaply
    /// already) for rows `row ..< row + populateStep` of this piece, with one call per column
    /// instead of a page fault per page, just before the parser writes them (so the memory is
    /// not resident much sooner than it would be). Returns the rows now mapped in.
    private func populateAhead(_ builders: [CSVColumnBuilder], from row: Int) -> Int {
        let upTo = row &+ Self.populateStep
        for b in builders {
            guard let array = b.directArray else { continue }
            let lo = Swift.min(row, b.directCapacity), hi = Swift.min(upTo, b.directCapacity)
            guard hi > lo else { continue }
            if let direct = b.direct {
                ColumnStorage.populateSmallPages(UnsafeMutableRawPointer(direct + lo), bytes: (hi - lo) * 8,
                                                 arrayStart: array.start, arrayBytes: array.bytes)
            } else if let floats = b.directFloats {
                ColumnStorage.populateSmallPages(UnsafeMutableRawPointer(floats + lo), bytes: (hi - lo) * 4,
                                                 arrayStart: array.start, arrayBytes: array.bytes)
            }
        }
        return upTo
    }

    /// Whether the fast path may run (every column numeric, written in place, each holding
    /// exactly `rows` rows, no numeric `missing=` sentinels, a one-byte separator), and then the
    /// rows it may write (the smallest room left); 0 when it may not. Fills `fast.columns` with
    /// the columns' arrays.
    private func fastEligibility(_ builders: [CSVColumnBuilder], rows: Int, fast: FastColumns) -> Int {
        guard !whitespace, columnCount > 0, builders.count == columnCount, sentinels.numbers.isEmpty else { return 0 }
        var capacity = Int.max
        fast.allDoubles = columnCount <= 64
        fast.narrowMask = 0
        for c in 0 ..< columnCount {
            let b = builders[c]
            guard b.mode == .numeric, !b.usesFloats, b.count == rows else { return 0 }
            if let direct = b.direct {
                fast.columns[c] = UnsafeMutableRawPointer(direct)
                fast.narrow[c] = false
            } else if let floats = b.directFloats {
                fast.columns[c] = UnsafeMutableRawPointer(floats)
                fast.narrow[c] = true
                fast.allDoubles = false
                if c < 64 { fast.narrowMask |= 1 << UInt64(c) }
            } else {
                return 0
            }
            capacity = Swift.min(capacity, b.directCapacity)
        }
        return capacity
    }

    /// The contents of a quoted field, from just after its opening quote: the offset of its
    /// closing quote (nil when it is never closed), whether it holds doubled quotes, and the line
    /// count and line start advanced over the line breaks inside it (LF, CRLF, or a lone CR).
    /// A NUL byte ends it too (the caller refuses it: binary data is not text).
    @inline(__always)
    private func quotedField(from start: Int, line: inout Int, lineStart: inout Int) -> (close: Int?, escaped: Bool) {
        let n = bytes.count
        var i = start
        var escaped = false
        while i < n {
            let b = bytes[i]
            if b == Self.quote {
                if i + 1 < n, bytes[i + 1] == Self.quote {
                    escaped = true
                    i += 2
                    continue
                }
                return (i, escaped)
            }
            if b == 0 { return (i, escaped) }
            if b == Self.lf || (b == Self.cr && !(i + 1 < n && bytes[i + 1] == Self.lf)) {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return (nil, escaped)
    }

    /// From the start of a field to the end of its record: how many fields there are, where the
    /// record's line break is, and the line count and line start there.
    private func countRemainingFields(from start: Int, line startLine: Int, lineStart startLineStart: Int)
        -> (fields: Int, end: Int, line: Int, lineStart: Int) {
        let n = bytes.count
        var i = start, line = startLine, lineStart = startLineStart
        var fields = 1
        var inQuotes = false
        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == Self.quote {
                    if i + 1 < n, bytes[i + 1] == Self.quote { i += 2; continue }
                    inQuotes = false
                } else if b == Self.lf || (b == Self.cr && !(i + 1 < n && bytes[i + 1] == Self.lf)) {
                    line += 1
                    lineStart = i + 1
                }
            } else if b == Self.quote {
                inQuotes = true
            } else if b == Self.lf || b == Self.cr {
                break
            } else if isSeparator(b) {
                fields += 1
                if whitespace {
                    while i + 1 < n, bytes[i + 1] == 0x20 || bytes[i + 1] == 0x09 { i += 1 }
                    if i + 1 >= n || bytes[i + 1] == Self.lf || bytes[i + 1] == Self.cr { fields -= 1 }
                }
            }
            i += 1
        }
        return (fields, i, line, lineStart)
    }

    /// The fields of one record starting at `start` (the header): spans and where the record ends.
    /// Skips blank and comment lines before it.
    func header(from start: Int) -> (fields: [(start: Int, end: Int, escaped: Bool)], end: Int, lines: Int,
                                     lineOfRecord: Int, problem: CSVProblem?) {
        let n = bytes.count
        var i = start, line = 0, lineStart = start
        while i < n {
            var j = i
            if whitespace { while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 } }
            if j < n, bytes[j] == Self.lf || bytes[j] == Self.cr {
                i = j + ((bytes[j] == Self.cr && j + 1 < n && bytes[j + 1] == Self.lf) ? 2 : 1)
                line += 1
                lineStart = i
                continue
            }
            if j < n, let comment, bytes[j] == comment {
                while i < n, bytes[i] != Self.lf, bytes[i] != Self.cr { i += 1 }
                continue
            }
            if j == n { i = n }
            break
        }
        guard i < n else { return ([], n, line, line, nil) }
        if whitespace { while bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        let recordLine = line
        var fields: [(start: Int, end: Int, escaped: Bool)] = []
        while true {
            if i < n, bytes[i] == Self.quote {
                let openLine = line, openLineStart = lineStart, openOffset = i
                let s = i + 1
                let (close, escaped) = quotedField(from: s, line: &line, lineStart: &lineStart)
                guard let close else {
                    return (fields, n, line, recordLine,
                            CSVProblem(kind: .unterminatedQuote, line: openLine,
                                       column: Self.characterColumn(bytes, lineStart: openLineStart, offset: openOffset)))
                }
                i = close
                if bytes[i] == 0 { return (fields, n, line, recordLine, binaryByte(at: i, line: line, lineStart: lineStart)) }
                fields.append((s, i, escaped))
                i += 1
                if i < n, !isSeparator(bytes[i]), bytes[i] != Self.lf, bytes[i] != Self.cr {
                    return (fields, n, line, recordLine,
                            CSVProblem(kind: .afterClosingQuote, line: line,
                                       column: Self.characterColumn(bytes, lineStart: lineStart, offset: i)))
                }
            } else {
                let s = i
                while i < n, !isSeparator(bytes[i]), bytes[i] != Self.lf, bytes[i] != Self.cr, bytes[i] != 0 { i += 1 }
                if i < n, bytes[i] == 0 { return (fields, n, line, recordLine, binaryByte(at: i, line: line, lineStart: lineStart)) }
                fields.append((s, i, false))
            }
            var atEnd = i >= n || bytes[i] == Self.lf || bytes[i] == Self.cr
            if !atEnd {
                i += 1
                if whitespace {
                    while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
                    atEnd = i >= n || bytes[i] == Self.lf || bytes[i] == Self.cr
                }
            }
            if atEnd { break }
        }
        if i < n {
            i += (bytes[i] == Self.cr && i + 1 < n && bytes[i + 1] == Self.lf) ? 2 : 1
            line += 1
        }
        return (fields, i, line, recordLine, nil)
    }

    private func binaryByte(at offset: Int, line: Int, lineStart: Int) -> CSVProblem {
        CSVProblem(kind: .binaryByte, line: line, column: Self.characterColumn(bytes, lineStart: lineStart, offset: offset))
    }

    /// 1-based character column of `offset` in the line starting at `lineStart` (counts UTF-8 lead bytes).
    static func characterColumn(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
        var column = 1
        var j = Swift.max(0, lineStart)
        let end = Swift.min(offset, bytes.count)
        while j < end {
            if bytes[j] & 0xC0 != 0x80 { column += 1 }
            j += 1
        }
        return column
    }
}
