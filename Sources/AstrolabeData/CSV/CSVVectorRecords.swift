import CFastCSV

/// The Swift record loops (`numericRecordsOfDoubles`, `numericRecords`) in C with AVX2 or
/// AVX-512 (`Sources/CFastCSV`), used where the CPU has them, for tables of at most 64 columns
/// (float64 columns, and float32 ones under `precision=float32`).
///
/// Same records, cells, values and flags as the Swift loops, which stay the path everywhere
/// else and the reference the tests hold the C loops to (`CSVVectorRecordsTests`). The
/// differences are of speed only:
/// - the delimiters of 64 bytes are compares into a bit mask (`movemask`, or AVX-512 masks);
/// - records are delimited in batches (4 records, doubling up to 64 while no record stops the
///   run), then all their cells converted together, four or eight at a time: the sign dropped,
///   the digits and the point tested, the point squeezed out, the digits multiplied out in pairs,
///   quads and eights, and w / 10^f, exact because w < 2^53 (Clinger). AVX-512 also takes cells
///   of 9–15 bytes (two words, as `NumberParsing.twoWords`) and divides without a division
///   (Markstein's correction, checked exhaustively for every w < 2^27);
/// - cells of other shapes are read in C when they are Clinger's exact case (`9e-05`, `+1`, up
///   to 12 bytes), else by `NumberParsing.scanCell`, called back from C. A piece whose cells
///   are mostly of the latter kind (17-digit coordinates) is handed back to the Swift loop
///   (`FastColumns.vectorDeclined`), which reads them with less overhead.
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
        if run.saw != 0 { fast.fold(saw: run.saw, notInteger: run.not_integer) }
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
