import CFastCSV

/// The Swift record loops (`numericRecordsOfDoubles`, `numericRecords`) in C with AVX2 or
/// AVX-512 (`Sources/CFastCSV`), used where the CPU has them, for tables of at most 64 columns.
///
/// Same records, cells, values and flags as the Swift loops, which stay the path everywhere
/// else (and the reference the tests hold them to). The differences are of speed only: the
/// delimiters of 64 bytes are two compares and a `movemask` per 32 bytes, and a record's cells
/// are converted four at a time (digits with at most one point, up to eight bytes after a `-`:
/// the point squeezed out, the digits multiplied out in pairs, quads and eights, and the exact
/// `w / 10^f`), after its delimiters have been checked. Cells of any other shape (`9e-05`,
/// 17 digits, `+1`) are read in C when they are Clinger's exact case (up to 12 bytes), else by
/// `NumberParsing.scanCell`, called back from C. A piece whose cells are mostly of the latter
/// kind (17-digit coordinates) is handed back to the Swift loop (`FastColumns.vectorDeclined`).
extension CSVChunkParser {
    /// The best C loop this CPU runs: 0 none, 2 AVX2, 3 AVX-512.
    static let bestVectorLevel = Int(alab_numeric_records_level())
    /// True where a C loop runs (x86-64 with AVX2 and BMI1).
    static var vectorRecordsAvailable: Bool { bestVectorLevel >= 2 }

    /// At most 64 columns (the caller checks), float64 or float32 arrays (`fast.narrowMask`).
    func vectorRecords(_ base: UnsafePointer<UInt8>, from start: Int, until stop: Int, row firstRow: Int,
                       rowLimit: Int, fast: FastColumns) -> (end: Int, records: Int, lines: Int, lineStart: Int) {
        let columns = UnsafeRawPointer(fast.columns).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        let run = alab_numeric_records(Int32(vectorLevel), base, Int64(bytes.count), Int64(start), Int64(stop), Int64(firstRow),
                                       Int64(rowLimit), Int32(columnCount), separator,
                                       comment.map { Int32($0) } ?? -1, columns, fast.narrowMask, Self.convertCell)
        if run.saw != 0 {
            var saw = run.saw, notInteger = run.not_integer
            var c = 0
            while saw != 0 {
                if saw & 1 != 0 {
                    fast.flags[c] |= notInteger & 1 != 0 ? FastColumns.sawValue | FastColumns.notInteger : FastColumns.sawValue
                }
                saw &>>= 1
                notInteger &>>= 1
                c &+= 1
            }
        }
        if run.declined != 0 { fast.vectorDeclined = true }
        let end = Int(run.end), records = Int(run.records)
        return (end, records, records, end)
    }

    /// The cells the C loop does not convert itself: 1 for an integer, 0 for another number,
    /// -1 for a cell that is not one number.
    private static let convertCell: alab_cell_converter = { base, start, end, readable, value in
        guard let base, let value,
              let scanned = NumberParsing.scanCell(base, from: Int(start), to: Int(end), readable: Int(readable))
        else { return -1 }
        value.pointee = scanned.value
        return scanned.isInteger ? 1 : 0
    }
}
