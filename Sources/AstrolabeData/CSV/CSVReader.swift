import CFastCSV
import Dispatch
import Synchronization

/// Reads delimited text files (CSV, TSV, whitespace-separated) into a columnar `Table`.
///
/// The first non-blank, non-comment row is the header. Each column's type is inferred: integer,
/// float, boolean (`true`/`false`), text, or category (text with few distinct values, each stored
/// once); `CSVOptions.types` overrides it. Missing cells are NaN in numeric columns and `nil` in
/// text columns; empty cells are always missing, and `NA`, `NaN`, `nan`, `null`, `NULL` are missing
/// too when the rest of the column is numeric (in a text column they are kept as text, since there
/// they may be real values). `missing=` sentinels are missing in every column.
///
/// Text is decoded as UTF-8; invalid byte sequences become U+FFFD rather than failing, because one
/// bad byte in a comment column should not make a catalogue unreadable. Text inside quotes is kept
/// exactly; unquoted text is not trimmed either. Completely empty lines are skipped, as pandas does.
///
/// Survey-sized files are memory-mapped and parsed in several pieces at once (one per core and
/// then some, for balance). Each piece starts just after a line break; when that guess lands
/// inside a quoted field, the piece before it ends somewhere else, and the piece is parsed again
/// from the right place, so the result never depends on the split. Parsed pages of the mapping
/// are released as the parser passes them, so memory holds the columns, not the file as well.
///
/// What the file holds is told by its first bytes (`FileFormat`): gzip, bzip2 and xz are inflated
/// and read; FITS, VOTable, ECSV (`TableFileReader` reads each), zstd and binary formats are refused by name, and a NUL byte anywhere is
/// an error at its line and column (binary data is never read as text). Without `sep=`, `.tsv`
/// and `.tab` files, and files whose header has tabs but no comma, are tab-separated.
///
/// Errors are `DataError`s carrying the file, line and column of the problem.
public struct CSVReader: Sendable {
    public var options: CSVOptions

    public init(options: CSVOptions = CSVOptions()) {
        self.options = options
    }

    /// Reads the file at `path`; errors name the file as given.
    public func read(path: String, tableName: String) throws -> Table {
        try readWithReport(path: path, tableName: tableName).table
    }

    public func readWithReport(path: String, tableName: String) throws -> (table: Table, report: ReadReport) {
        let file = try MappedFile(path: path)
        return try withExtendedLifetime(file) {
            do {
                let result = try read(buffer: file.buffer, source: path, tableName: tableName, mapped: file)
                try file.checkUnchanged()
                return result
            } catch {
                // A file cut short while it was read shows as zeros, which read as a parse error.
                try file.checkUnchanged()
                throw error
            }
        }
    }

    /// Reads CSV from memory; `source` names the data in errors (usually its path).
    public func read(bytes: [UInt8], source: String, tableName: String) throws -> Table {
        try readWithReport(bytes: bytes, source: source, tableName: tableName).table
    }

    public func readWithReport(bytes: [UInt8], source: String, tableName: String) throws -> (table: Table, report: ReadReport) {
        try bytes.withUnsafeBufferPointer { buffer in
            try read(buffer: buffer, source: source, tableName: tableName, mapped: nil)
        }
    }

    func read(buffer: UnsafeBufferPointer<UInt8>, source: String, tableName: String,
              mapped: MappedFile?) throws -> (table: Table, report: ReadReport) {
        let n = buffer.count
        var start = 0
        if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        if let inflated = try Decompression.inflate(buffer, source: source) {
            return try readWithReport(bytes: inflated, source: source, tableName: tableName)
        }
        switch FileFormat.detect(Array(buffer.prefix(FileFormat.sniffLength))) {
        case .text: break
        case .fits: throw DataError("the file is FITS, not a text table", file: source)
        case .votable: throw DataError("the file is a VOTable, not a text table (VOTableReader reads it)", file: source)
        case .ecsv: throw DataError("the file is ECSV, not plain CSV (ECSVReader reads it)", file: source)
        case .parquet: throw DataError("the file is Parquet, not a text table", file: source)
        case let other: throw DataError(other.refusal ?? "", file: source)
        }
        let separator: UInt8
        let whitespace: Bool
        switch options.separator ?? Self.defaultSeparator(source: source, buffer, from: start, comment: options.comment) {
        case .byte(let b): separator = b; whitespace = false
        case .whitespace: separator = 0x20; whitespace = true
        }
        let progress = options.progress.map { CSVProgress(total: n, report: $0) }
        func parser(columns: Int, reporting: Bool = true) -> CSVChunkParser {
            CSVChunkParser(bytes: buffer, separator: separator, whitespace: whitespace, comment: options.comment,
                           columnCount: columns, skipBadRows: options.onError == .skip,
                           sentinels: CSVSentinels(options.missing), release: mapped, progress: reporting ? progress : nil)
        }

        // Header.
        let head = parser(columns: 0).header(from: start)
        if let problem = head.problem { throw problem.error(source: source, lineBase: 1) }
        guard !head.fields.isEmpty else {
            throw DataError(start == n ? "the file is empty" : "the file has no header row", file: source, line: 1, column: 1)
        }
        let names = try Self.columnNames(head.fields, buffer, source: source, line: head.lineOfRecord + 1, contentStart: start)
        for key in options.types.keys where !names.contains(key) {
            let suggestion = nearestName(to: key, in: names)
            throw DataError("types= names column `\(key)`, which the file does not have"
                            + (suggestion.map { "; did you mean `\($0)`?" } ?? ""), file: source, suggestion: suggestion)
        }
        let columnCount = names.count
        let dataStart = head.end
        let dataLineBase = head.lines + 1

        // Pieces: boundaries just after a line break near equal splits.
        let dataBytes = n - dataStart
        let cores = Swift.max(1, ProcessInfo_activeProcessorCount())
        var pieces = options.chunkCount ?? (dataBytes < (1 << 20) ? 1 : Swift.min(cores * 4, dataBytes >> 20))
        pieces = Swift.max(1, Swift.min(pieces, Swift.max(1, dataBytes)))
        var bounds: [Int] = [dataStart]
        for k in 1 ..< pieces {
            var b = dataStart + dataBytes / pieces * k
            b = Swift.max(b, bounds[bounds.count - 1])
            while b < n, buffer[b] != 0x0A { b += 1 }
            bounds.append(Swift.min(n, b + 1))
        }
        bounds.append(n)
        let pieceBounds = bounds

        // Rows per piece, estimated from the header's length, so arrays rarely grow.
        let float32 = options.precision == .float32
        let internLimit = options.categoryLimit
        let forcedTypes = options.types

        let p = parser(columns: columnCount)
        let sampleEnd = Swift.min(n, dataStart + 1 << 16)
        var sampleLines = 0
        for k in dataStart ..< sampleEnd where buffer[k] == 0x0A { sampleLines += 1 }
        // A row holds at least one byte per column (its separators and line break), whatever
        // the sample says: a sample of blank lines must not reserve a row per byte in every column.
        let bytesPerRow = Swift.max(Double(columnCount), sampleLines > 0 ? Double(sampleEnd - dataStart) / Double(sampleLines) : 64)

        // The final arrays, preallocated: piece k writes its numbers at `offsets[k]`, with room
        // for one record per line break in it, so nothing is copied afterwards (only slid down
        // over the unused room, when some lines were blank or skipped). Every record of a piece
        // but its last ends at a line break inside it, and so does the last unless a quoted field
        // runs past the piece's end (then that piece spills to its own array, see
        // `CSVColumnBuilder.put`); only the file's last record may lack a line break.
        // With `precision=float32`, columns whose first rows hold a non-integer number can only
        // end as float (or text), so they are written as floats; the others as doubles, as
        // integer columns stay float64 (a column that turns out float is narrowed at the end).
        // A stored row has all `columnCount` fields, so it takes at least `columnCount` bytes (its
        // separators and its line break): a wide file of blank lines gets no room for them.
        let room = Self.lineBreakCounts(buffer, bounds: pieceBounds, release: mapped).enumerated()
            .map { k, breaks in
                Swift.min(breaks, (pieceBounds[k + 1] - pieceBounds[k]) / Swift.max(1, columnCount) + 1) + (k == pieces - 1 ? 1 : 0)
            }
        var offsets: [Int] = [0]
        for r in room { offsets.append(offsets[offsets.count - 1] + r) }
        let totalRoom = offsets[offsets.count - 1]
        let narrow = float32 ? Self.fractionColumns(parser(columns: columnCount, reporting: false), from: dataStart, until: sampleEnd, names: names, options: options)
                             : Array(repeating: false, count: columnCount)
        let numeric = names.map { name in
            guard let forced = forcedTypes[name] else { return true }
            return forced != .text && forced != .category
        }
        var finals: [[Double]] = names.indices.map { c in
            guard totalRoom > 0, numeric[c], !narrow[c] else { return [] }
            return ColumnStorage.uninitialized(Double.self, count: totalRoom)
        }
        var floatFinals: [[Float]] = names.indices.map { c in
            guard totalRoom > 0, numeric[c], narrow[c] else { return [] }
            return ColumnStorage.uninitialized(Float.self, count: totalRoom)
        }
        var bases = Bases(pointers: [], floatPointers: [])
        for c in 0 ..< columnCount {
            bases.pointers.append(finals[c].isEmpty ? nil : finals[c].withUnsafeMutableBufferPointer { $0.baseAddress })
            bases.floatPointers.append(floatFinals[c].isEmpty ? nil
                                       : floatFinals[c].withUnsafeMutableBufferPointer { $0.baseAddress })
        }
        let finalBases = bases
        let pieceOffsets = offsets
        let newBuilders: @Sendable (Int, Int) -> [CSVColumnBuilder] = { piece, reserve in
            names.indices.map { c in
                var b = CSVColumnBuilder(forced: forcedTypes[names[c]], float32: float32, internLimit: internLimit)
                if let base = finalBases.pointers[c] {
                    b.direct = base + pieceOffsets[piece]
                    b.directCapacity = room[piece]
                    b.directArray = (UnsafeMutableRawPointer(base), totalRoom * MemoryLayout<Double>.stride)
                } else if let base = finalBases.floatPointers[c] {
                    b.directFloats = base + pieceOffsets[piece]
                    b.directCapacity = room[piece]
                    b.directArray = (UnsafeMutableRawPointer(base), totalRoom * MemoryLayout<Float>.stride)
                }
                b.reserve(reserve)
                return b
            }
        }

        let results = Results(count: pieces)
        DispatchQueue.concurrentPerform(iterations: pieces) { k in
            let size = pieceBounds[k + 1] - pieceBounds[k]
            var builders = newBuilders(k, Int(Double(size) / bytesPerRow * 1.02) + 16)
            let r = p.parse(from: pieceBounds[k], until: pieceBounds[k + 1], into: &builders)
            results.store(k, start: pieceBounds[k], r, builders)
        }
        var chunks = results.take()

        // Stitch: each piece must start where the previous one ended.
        var expectedStart = dataStart
        var lineBase = dataLineBase
        var report = ReadReport()
        var skippedLines: [Int] = []
        for k in 0 ..< pieces {
            if chunks[k].start != expectedStart {
                var builders = newBuilders(k, 0)
                let r = p.parse(from: expectedStart, until: Swift.max(expectedStart, bounds[k + 1]), into: &builders)
                chunks[k] = Chunk(start: expectedStart, result: r, builders: builders)
            }
            if let problem = chunks[k].result.problem { throw problem.error(source: source, lineBase: lineBase) }
            skippedLines += chunks[k].result.skippedLines.map { $0 + lineBase }
            chunks[k].lineBase = lineBase
            expectedStart = chunks[k].result.end
            lineBase += chunks[k].result.lines
        }
        if !skippedLines.isEmpty {
            report.skippedRows = skippedLines.count
            let shown = skippedLines.prefix(5).map(String.init).joined(separator: ", ")
            report.warnings.append("skipped \(skippedLines.count) malformed row\(skippedLines.count == 1 ? "" : "s") "
                                   + "(line\(skippedLines.count == 1 ? "" : "s") \(shown)\(skippedLines.count > 5 ? ", ..." : ""))")
        }
        try Cancellation.check()

        // Final kinds; pieces that guessed a different type are re-read for those columns.
        var kinds: [ColumnKind] = []
        for c in 0 ..< columnCount {
            if let forced = options.types[names[c]] { kinds.append(forced); continue }
            let builders = chunks.map { $0.builders[c] }
            if builders.contains(where: { $0.mode == .text }) {
                kinds.append(.text)
            } else if builders.contains(where: { $0.mode == .boolean }) {
                let numbersToo = builders.contains { $0.mode == .numeric && $0.sawValue }
                kinds.append(numbersToo ? .text : .boolean)
            } else {
                let any = builders.contains { $0.sawValue }
                kinds.append(any && builders.allSatisfy { !$0.sawValue || $0.allIntegers } ? .integer : .float)
            }
        }
        var rescans: [(chunk: Int, columns: [Int])] = []
        for k in 0 ..< pieces {
            var columns: [Int] = []
            for c in 0 ..< columnCount where kinds[c] == .text && options.types[names[c]] == nil {
                let b = chunks[k].builders[c]
                if b.mode != .text || (b.textFrom ?? 0) > 0 { columns.append(c) }
            }
            if !columns.isEmpty { rescans.append((k, columns)) }
        }
        if !rescans.isEmpty {
            let texts = Results(count: rescans.count)
            let work = rescans.map { (start: chunks[$0.chunk].start, boundary: chunks[$0.chunk].boundary, columns: $0.columns) }
            DispatchQueue.concurrentPerform(iterations: work.count) { r in
                let (chunkStart, chunkBoundary, columns) = work[r]
                var rescanned = [Bool](repeating: false, count: columnCount)
                for c in columns { rescanned[c] = true }
                var builders = names.indices.map { c in
                    CSVColumnBuilder(forced: .text, float32: false, internLimit: internLimit, skip: !rescanned[c])
                }
                let result = p.parse(from: chunkStart, until: Swift.max(chunkStart, chunkBoundary), into: &builders)
                texts.store(r, start: chunkStart, result, builders)
            }
            let rescanned = texts.take()
            for (r, (k, columns)) in rescans.enumerated() {
                for c in columns {
                    let fresh = rescanned[r].builders[c]
                    var b = chunks[k].builders[c]
                    if b.mode == .text, let from = b.textFrom, from > 0, fresh.strings.count >= from {
                        b.strings.replaceSubrange(0 ..< from, with: fresh.strings[0 ..< from])
                        b.textFrom = 0
                        // The rescan saw every value of the piece as text: its distinct values, not
                        // only those after the switch, decide category or text (as in any other split).
                        b.interned = fresh.interned
                        chunks[k].builders[c] = b
                    } else {
                        chunks[k].builders[c] = fresh
                    }
                }
            }
        }

        // Assemble, freeing each piece's arrays as they are copied.
        let totalRows = chunks.reduce(0) { $0 + $1.result.rows }
        var columns: [Column] = []
        columns.reserveCapacity(columnCount)
        for c in 0 ..< columnCount {
            try Cancellation.check()
            let kind = kinds[c]
            var badCells = 0
            var values: ColumnValues
            switch kind {
            case .text, .category:
                var strings: [String?] = []
                strings.reserveCapacity(totalRows)
                for k in 0 ..< pieces {
                    strings.append(contentsOf: chunks[k].builders[c].strings)
                    chunks[k].builders[c].strings = []
                }
                values = .text(strings)
            case .float where float32:
                for k in 0 ..< pieces { badCells += chunks[k].builders[c].badCells }
                let rows = chunks.map(\.result.rows)
                if !floatFinals[c].isEmpty, chunks.allSatisfy({ $0.builders[c].directFloats != nil }) {
                    Self.closeUp(&floatFinals[c], rows: rows, offsets: pieceOffsets)
                    values = .float32(floatFinals[c])
                    floatFinals[c] = []
                } else {
                    // Narrowed piece by piece from wherever each piece put its numbers.
                    var floats: [Float] = []
                    floats.reserveCapacity(totalRows)
                    for k in 0 ..< pieces {
                        let b = chunks[k].builders[c]
                        let range = pieceOffsets[k] ..< pieceOffsets[k] + rows[k]
                        if b.direct != nil {
                            floats.append(contentsOf: finals[c][range].lazy.map(Float.init))
                        } else if b.directFloats != nil {
                            floats.append(contentsOf: floatFinals[c][range])
                        } else if b.usesFloats {
                            floats.append(contentsOf: b.floats)
                        } else {
                            floats.append(contentsOf: b.doubles.lazy.map(Float.init))
                        }
                        chunks[k].builders[c].floats = []
                        chunks[k].builders[c].doubles = []
                    }
                    finals[c] = []
                    floatFinals[c] = []
                    values = .float32(floats)
                }
            default:
                for k in 0 ..< pieces { badCells += chunks[k].builders[c].badCells }
                let rows = chunks.map(\.result.rows)
                if !finals[c].isEmpty, chunks.allSatisfy({ $0.builders[c].direct != nil }) {
                    Self.closeUp(&finals[c], rows: rows, offsets: pieceOffsets)
                    values = .numeric(finals[c])
                    finals[c] = []
                } else {
                    var doubles: [Double] = []
                    doubles.reserveCapacity(totalRows)
                    for k in 0 ..< pieces {
                        let b = chunks[k].builders[c]
                        let range = pieceOffsets[k] ..< pieceOffsets[k] + rows[k]
                        if b.direct != nil {
                            doubles.append(contentsOf: finals[c][range])
                        } else if b.directFloats != nil {
                            doubles.append(contentsOf: floatFinals[c][range].lazy.map(Double.init))
                        } else if b.usesFloats {
                            doubles.append(contentsOf: b.floats.lazy.map(Double.init))
                        } else {
                            doubles.append(contentsOf: b.doubles)
                        }
                        chunks[k].builders[c].floats = []
                        chunks[k].builders[c].doubles = []
                    }
                    finals[c] = []
                    floatFinals[c] = []
                    values = .numeric(doubles)
                }
            }
            finals[c] = []
            floatFinals[c] = []
            var finalKind = kind
            if kind == .text, options.types[names[c]] == nil {
                finalKind = Self.isCategory(chunks.map { $0.builders[c].interned }, values: values, options: options) ? .category : .text
            }
            if badCells > 0 {
                report.warnings.append("column `\(names[c])`: \(badCells) value\(badCells == 1 ? " is" : "s are") not "
                                       + "\(kind == .boolean ? "true/false" : "a number") and became missing")
            }
            columns.append(Column(name: names[c], values: values, kind: finalKind))
        }
        let table = try Table(name: tableName, columns: columns)
        return (table, report)
    }

    /// The separator when `sep=` is not given: tab for a `.tsv` or `.tab` file, and for a first
    /// line holding tabs but no comma (a TSV under another name); else comma.
    static func defaultSeparator(source: String, _ buffer: UnsafeBufferPointer<UInt8>, from start: Int,
                                 comment: UInt8?) -> CSVOptions.Separator {
        var lower = source.lowercased()
        for suffix in [".gz", ".bz2", ".xz"] where lower.hasSuffix(suffix) { lower.removeLast(suffix.count) }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .byte(0x09) }
        // The header line: the first that is neither blank nor a comment.
        var i = start
        while i < buffer.count, buffer[i] == 0x0A || buffer[i] == 0x0D || buffer[i] == comment {
            if buffer[i] == comment { while i < buffer.count, buffer[i] != 0x0A, buffer[i] != 0x0D { i += 1 } } else { i += 1 }
        }
        var tabs = false
        while i < buffer.count, buffer[i] != 0x0A, buffer[i] != 0x0D {
            if buffer[i] == UInt8(ascii: ",") { return .byte(UInt8(ascii: ",")) }
            if buffer[i] == 0x09 { tabs = true }
            i += 1
        }
        return .byte(tabs ? 0x09 : UInt8(ascii: ","))
    }

    /// A final array whose pieces were written in place at `offsets`: the pieces slid together
    /// over the room they did not use (blank, comment or skipped lines), and the rest dropped.
    static func closeUp<T: BitwiseCopyable>(_ values: inout [T], rows: [Int], offsets: [Int]) {
        var at = 0
        values.withUnsafeMutableBufferPointer { all in
            guard let base = all.baseAddress else { return }
            for k in rows.indices {
                if offsets[k] != at { (base + at).update(from: base + offsets[k], count: rows[k]) }
                at += rows[k]
            }
        }
        values.removeLast(values.count - at)
    }

    /// The columns whose cells in `start ..< end` (the first rows) include a number that is not
    /// an integer (`1.5`, `2e3`), or that `types=` makes float: with `precision=float32` these
    /// can only end as float32 (or text), so they may be written as floats from the start.
    static func fractionColumns(_ parser: CSVChunkParser, from start: Int, until end: Int, names: [String],
                                options: CSVOptions) -> [Bool] {
        var builders = names.map { name in
            CSVColumnBuilder(forced: options.types[name], float32: false, internLimit: options.categoryLimit)
        }
        _ = parser.parse(from: start, until: end, into: &builders)
        return names.indices.map { c in
            if let forced = options.types[names[c]] { return forced == .float }
            let b = builders[c]
            return b.mode == .numeric && b.sawValue && !b.allIntegers
        }
    }

    /// A text column with few distinct values, each repeated, is a category.
    static func isCategory(_ interned: [[String: String]?], values: ColumnValues, options: CSVOptions) -> Bool {
        var distinct = Set<String>()
        for dict in interned {
            guard let dict else { return false }
            for key in dict.keys {
                distinct.insert(key)
                if distinct.count > options.categoryLimit { return false }
            }
        }
        guard case .text(let strings) = values, !distinct.isEmpty else { return false }
        let present = strings.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        return present >= distinct.count * options.categoryMinimumRepeat
    }

    /// Header names: empty ones become `column_N` (1-based); duplicates are an error.
    static func columnNames(_ header: [(start: Int, end: Int, escaped: Bool)], _ buffer: UnsafeBufferPointer<UInt8>,
                            source: String, line: Int, contentStart: Int) throws -> [String] {
        var names: [String] = []
        var seen: [String: Int] = [:]
        for (index, span) in header.enumerated() {
            var name = CSVText.decode(buffer, start: span.start, end: span.end, escaped: span.escaped)
            if name.isEmpty { name = "column_\(index + 1)" }
            if let first = seen[name] {
                // The field's own line (quoted header fields may span lines) and its start on it.
                let quoted = span.start > 0 && buffer[span.start - 1] == UInt8(ascii: "\"")
                let offset = quoted ? span.start - 1 : span.start
                var lineStart = offset
                while lineStart > contentStart, buffer[lineStart - 1] != 0x0A, buffer[lineStart - 1] != 0x0D { lineStart -= 1 }
                var fieldLine = line
                // Line breaks inside earlier quoted header fields push the line further.
                var j = header[0].start
                while j < offset {
                    if buffer[j] == 0x0A || (buffer[j] == 0x0D && !(j + 1 < buffer.count && buffer[j + 1] == 0x0A)) { fieldLine += 1 }
                    j += 1
                }
                throw DataError("duplicate column name `\(name)` (also column \(first + 1) of the header)",
                                file: source, line: fieldLine,
                                column: CSVChunkParser.characterColumn(buffer, lineStart: lineStart, offset: offset))
            }
            seen[name] = index
            names.append(name)
        }
        return names
    }
}

/// One parsed piece of the file.
struct Chunk: @unchecked Sendable {
    var start: Int
    var result: CSVChunkResult
    var builders: [CSVColumnBuilder]
    var lineBase = 0
    var boundary: Int { result.end }
}

/// Per-piece results written by worker threads, each to its own slot.
final class Results: @unchecked Sendable {
    private var slots: [Chunk?]
    private let lock = Mutex<Void>(())

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ k: Int, start: Int, _ result: CSVChunkResult, _ builders: [CSVColumnBuilder]) {
        lock.withLock { _ in slots[k] = Chunk(start: start, result: result, builders: builders) }
    }

    /// Moves the results out, so their arrays are freed as soon as the caller is done with them.
    func take() -> [Chunk] {
        lock.withLock { _ in
            let out = slots.compactMap { $0 }
            slots = []
            return out
        }
    }
}

/// Base addresses of the preallocated final columns, shared with the workers (each writes only
/// its own piece's rows; the arrays are not touched otherwise until every worker is done).
struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
}

/// The final columns' base addresses (float64 or float32), shared likewise.
struct Bases: @unchecked Sendable {
    var pointers: [UnsafeMutablePointer<Double>?]
    var floatPointers: [UnsafeMutablePointer<Float>?]
}

extension Results {
    /// One number per piece, written by worker threads.
    final class Counts: @unchecked Sendable {
        private var slots: [Int]
        private let lock = Mutex<Void>(())
        init(_ count: Int) { slots = Array(repeating: 0, count: count) }
        func set(_ k: Int, _ value: Int) { lock.withLock { _ in slots[k] = value } }
        var values: [Int] { lock.withLock { _ in slots } }
    }
}

/// Bytes parsed so far, reported as a fraction.
final class CSVProgress: Sendable {
    private let done = Atomic<Int>(0)
    let total: Int
    let report: @Sendable (Double) -> Void

    init(total: Int, report: @escaping @Sendable (Double) -> Void) {
        self.total = total
        self.report = report
    }

    func add(_ bytes: Int) {
        guard bytes > 0 else { return }
        let now = done.add(bytes, ordering: .relaxed).newValue
        report(Swift.min(1, Double(now) / Double(Swift.max(1, total))))
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Online processors, without importing Foundation into the data layer.
func ProcessInfo_activeProcessorCount() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
