/// The all-numbers fast path of `CSVChunkParser`: runs of records whose cells are all numbers,
/// written straight into the columns' arrays, and the per-column state it writes.
///
/// There are two record loops on purpose: `numericRecordsOfDoubles` is `numericRecords`
/// specialised for float64-only tables (the survey case), with its flags in registers. One
/// generic loop over a cell sink was tried and measured 10% more CPU on survey_1m.csv.
extension CSVChunkParser {
    /// Records of numbers from `start`, written straight into the column arrays at rows
    /// `firstRow...`, while they start before `stop` (at most `bytes.count`) and their row is below
    /// `rowLimit`, stopping at the first record that needs the general path: where the run ended
    /// (after the last record's line break), how many records and line breaks it read, and where
    /// the line after the last break starts.
    ///
    /// The delimiters (separators and line breaks) of 64 bytes at a time are found first, as a
    /// bit mask (`delimiters`); the cells between them are then converted independently of one
    /// another (`NumberParsing.scanCell`). Finding each cell's end by reading the number, as a
    /// scanner does, would chain every cell of the file into one long dependency: the next load
    /// waits for the previous number's digits to be classified.
    ///
    /// A missing-value marker (`NA`, `NaN`, `nan`, `null`, `NULL`, exactly) is missing here as in
    /// the general path (NaN, no flags). A record needs the general path when a cell is anything
    /// else but a number or empty (quotes, text, blanks, an exponent-less `e`...), when it has the
    /// wrong number of cells, when it is blank or a comment, ends in a lone CR, has a cell longer
    /// than 64 bytes, or lies in the file's last 80 bytes (`blockMargin`). Values may already have
    /// been written at its row then; the general path overwrites them (or the row is never counted).
    /// Its flags are not kept (`fast.undo`): the general path reads it again, and may skip it.
    ///
    /// Safe by construction: the 64-byte blocks and the eight-byte loads of `scanCell` are
    /// checked against `bytes.count`; `fast.columns[c]` has room for more than `row` values (the
    /// caller checks `row < fastCapacity`, the smallest room of all columns), and
    /// `c < columnCount`, the number of entries in `fast`.
    func numericRecords(_ base: UnsafePointer<UInt8>, from start: Int, until stop: Int, row firstRow: Int,
                                rowLimit: Int, fast: FastColumns) -> (end: Int, records: Int, lines: Int, lineStart: Int) {
        let n = bytes.count
        let last = columnCount - 1
        let separators = SIMD16<UInt8>(repeating: separator)
        var i = start, row = firstRow, lines = 0
        // Delimiters at `blockStart + k` for the bits k of `mask` not yet consumed.
        var blockStart = start, mask: UInt64 = 0
        // Flags changed by the record being read (`fast.changed`), undone if it is given up on.
        var changes = 0
        records: while i < stop, row < rowLimit {
            if let comment, base[i] == comment { break }
            var at = i
            var c = 0
            changes = 0
            while true {
                if mask == 0 {
                    // `at` is just after the last delimiter consumed, so none is skipped.
                    guard at &+ Self.blockMargin <= n else { break records }
                    blockStart = at
                    mask = Self.delimiters(base + at, separators)
                    guard mask != 0 else { break records } // a cell of 64 bytes or more
                }
                let e = blockStart &+ mask.trailingZeroBitCount
                mask &= mask &- 1
                var value = Double.nan
                if e > at {
                    if let scanned = NumberParsing.scanCell(base, from: at, to: e, readable: n) {
                        value = scanned.value
                        let old = fast.flags[c]
                        let new = old | (scanned.isInteger ? FastColumns.sawValue : FastColumns.sawValue | FastColumns.notInteger)
                        if new != old {
                            // Rare: each flag is set once until folded into the builder.
                            fast.changed[changes] = (Int32(truncatingIfNeeded: c), old)
                            changes &+= 1
                            fast.flags[c] = new
                        }
                    } else if !NumberParsing.isMissingMarker(base, from: at, to: e) {
                        break records
                    }
                }
                if fast.narrow[c] {
                    fast.columns[c].assumingMemoryBound(to: Float.self)[row] = Float(value)
                } else {
                    fast.columns[c].assumingMemoryBound(to: Double.self)[row] = value
                }
                let t = base[e]
                if c == last {
                    // The record's end: LF or CR LF (a blank line, an empty single cell, is the
                    // general path's).
                    guard t == Self.lf || t == Self.cr, e > at || c > 0 else { break records }
                    at = e &+ 1
                    if t == Self.cr {
                        guard at < n, base[at] == Self.lf else { break records }
                        // Consume the LF's bit too (it is the next one, if in this block).
                        if at &- blockStart < 64 { mask &= mask &- 1 }
                        at &+= 1
                    }
                    break
                }
                guard t == separator else { break records }
                at = e &+ 1
                c &+= 1
            }
            i = at
            lines &+= 1
            row &+= 1
            changes = 0
        }
        fast.undo(changes)
        return (i, row &- firstRow, lines, i)
    }

    /// `numericRecords` when every column is a float64 array and there are at most 64 columns
    /// (`fast.allDoubles`): no per-cell choice of element type, and the flags kept as two bit
    /// masks in registers (bit c for column c) rather than read and written in memory per cell,
    /// folded into `fast.flags` once per run. The same records, cells and values as
    /// `numericRecords`, which the tests check against it and against the general path.
    @inline(never)
    func numericRecordsOfDoubles(_ base: UnsafePointer<UInt8>, from start: Int, until stop: Int, row firstRow: Int,
                                         rowLimit: Int, fast: FastColumns) -> (end: Int, records: Int, lines: Int, lineStart: Int) {
        let n = bytes.count
        let last = columnCount - 1
        let separators = SIMD16<UInt8>(repeating: separator)
        let columns = fast.columns
        var i = start, row = firstRow
        var saw: UInt64 = 0, notInteger: UInt64 = 0
        // The flags of the records read in full (a record given up on may have set bits).
        var sawDone: UInt64 = 0, notIntegerDone: UInt64 = 0
        var blockStart = start, mask: UInt64 = 0
        records: while i < stop, row < rowLimit {
            if let comment, base[i] == comment { break }
            var at = i
            var c = 0
            var bit: UInt64 = 1
            while true {
                if mask == 0 {
                    guard at &+ Self.blockMargin <= n else { break records }
                    blockStart = at
                    mask = Self.delimiters(base + at, separators)
                    guard mask != 0 else { break records }
                }
                let e = blockStart &+ mask.trailingZeroBitCount
                mask &= mask &- 1
                var value = Double.nan
                if e > at {
                    if let scanned = NumberParsing.scanCell(base, from: at, to: e, readable: n) {
                        value = scanned.value
                        saw |= bit
                        if !scanned.isInteger { notInteger |= bit }
                    } else if !NumberParsing.isMissingMarker(base, from: at, to: e) {
                        break records
                    }
                }
                columns[c].assumingMemoryBound(to: Double.self)[row] = value
                let t = base[e]
                if c == last {
                    guard t == Self.lf || t == Self.cr, e > at || c > 0 else { break records }
                    at = e &+ 1
                    if t == Self.cr {
                        guard at < n, base[at] == Self.lf else { break records }
                        if at &- blockStart < 64 { mask &= mask &- 1 }
                        at &+= 1
                    }
                    break
                }
                guard t == separator else { break records }
                at = e &+ 1
                c &+= 1
                bit &<<= 1
            }
            i = at
            row &+= 1
            sawDone = saw
            notIntegerDone = notInteger
        }
        // Only whole records' flags: the general path reads a record given up on again, and
        // may skip it as malformed, in which case its numbers must not count.
        fast.fold(saw: sawDone, notInteger: notIntegerDone)
        // Every record here is one line.
        return (i, row &- firstRow, row &- firstRow, i)
    }

    /// Bit k set when `p[k]` is a separator, LF or CR, for k in 0 ..< 64: sixteen bytes per
    /// compare, each lane's hit weighted by its bit within its eight-byte half, and the halves'
    /// bytes summed (they hold distinct bits, so the sum is their OR) by one multiply each.
    /// Out of line: the SIMD code is large before it is vectorised, and inlined it would keep the
    /// compiler from inlining the cell conversion into the record loop.
    @inline(never)
    private static func delimiters(_ p: UnsafePointer<UInt8>, _ separators: SIMD16<UInt8>) -> UInt64 {
        let zeros = SIMD16<UInt8>(repeating: 0), ones = SIMD16<UInt8>(repeating: 0xFF)
        let lfs = SIMD16<UInt8>(repeating: lf), crs = SIMD16<UInt8>(repeating: cr)
        let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
        var mask: UInt64 = 0
        for k in 0 ..< 4 {
            let v = UnsafeRawPointer(p + 16 &* k).loadUnaligned(as: SIMD16<UInt8>.self)
            let hits = zeros.replacing(with: ones, where: v .== separators)
                | zeros.replacing(with: ones, where: v .== lfs) | zeros.replacing(with: ones, where: v .== crs)
            let halves = unsafeBitCast(hits & weights, to: SIMD2<UInt64>.self)
            let low = (halves[0] &* 0x0101_0101_0101_0101) &>> 56
            let high = (halves[1] &* 0x0101_0101_0101_0101) &>> 56
            mask |= (low | high &<< 8) &<< UInt64(16 &* k)
        }
        return mask
    }

    /// A 64-byte block is searched for delimiters only where this many bytes remain, so that
    /// every cell in it (starting at most 63 bytes in) may be loaded as two eight-byte words: the
    /// C loops (`vectorRecords`) rely on it, and the Swift loops keep the same bound so that all
    /// read exactly the same records.
    static let blockMargin = 80

    /// Rows of in-place column pages mapped in at a time, ahead of the parser.
    static let populateStep = 1 << 16
}

/// The fast path's per-column state for one chunk: each column's in-place array (of `Float`
/// where `narrow`, else of `Double`), and flags (a value was seen, a value was not an integer)
/// not yet folded into the builders.
final class FastColumns {
    static let sawValue: UInt8 = 1
    static let notInteger: UInt8 = 2

    /// Folds a run's per-column bit masks (bit c: column c saw a value / a non-integer) into `flags`.
    func fold(saw: UInt64, notInteger: UInt64) {
        var saw = saw, notInteger = notInteger, c = 0
        while saw != 0 {
            if saw & 1 != 0 {
                flags[c] |= notInteger & 1 != 0 ? FastColumns.sawValue | FastColumns.notInteger : FastColumns.sawValue
            }
            saw &>>= 1
            notInteger &>>= 1
            c &+= 1
        }
    }
    /// Every column a float64 array, and at most 64 of them (set by `fastEligibility`).
    var allDoubles = false
    /// The C loop found mostly cells it hands back to the Swift scanner: the rest of this piece
    /// takes the Swift loop (same values, less overhead for such cells).
    var vectorDeclined = false
    /// Bit c set when column c is a float32 array (`narrow[c]`), for the C loop.
    var narrowMask: UInt64 = 0

    let columns: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let narrow: UnsafeMutablePointer<Bool>
    let flags: UnsafeMutablePointer<UInt8>
    /// The flags the record being read by `numericRecords` changed (column, flags before): at
    /// most one entry per column.
    let changed: UnsafeMutablePointer<(column: Int32, flags: UInt8)>

    init(columnCount: Int) {
        columns = .allocate(capacity: Swift.max(1, columnCount))
        narrow = .allocate(capacity: Swift.max(1, columnCount))
        flags = .allocate(capacity: Swift.max(1, columnCount))
        changed = .allocate(capacity: Swift.max(1, columnCount))
        // `columns` and `narrow` (trivial values) are filled by `fastEligibility` before the fast
        // path reads them.
        flags.initialize(repeating: 0, count: Swift.max(1, columnCount))
    }

    func deallocate() {
        columns.deallocate()
        narrow.deallocate()
        flags.deallocate()
        changed.deallocate()
    }

    /// Puts back the flags before the first `count` entries of `changed` (a record given up
    /// on: the general path reads it again, and may skip it as malformed).
    func undo(_ count: Int) {
        for k in 0 ..< count { flags[Int(changed[k].column)] = changed[k].flags }
    }
}
