import Foundation

/// Reads a Parquet file (flat columns) into a `Table`, on Debian's snappy, zstd and zlib: no
/// Parquet library is packaged there, so the format is decoded here (footer in Thrift's compact
/// protocol, pages, encodings), as defensively as the CSV reader: a damaged file is a
/// `DataError` naming the file, and the row group and column where it went wrong, never a trap.
///
/// Integers (any width, signed or unsigned) are `integer` columns (exact up to 2^53), floats and
/// doubles `float`, booleans `boolean`, strings text; nulls are missing. Row groups are decoded
/// in parallel, each into its own stretch of the columns, so the result does not depend on the
/// number of threads. `columns` reads only the named columns (projection): the others' pages are
/// never touched. Nested columns, encryption, INT96, decimals, dates and times are refused by name.
public struct ParquetReader: Sendable {
    /// The columns to read, in this order; nil: all of them.
    public var columns: [String]?
    public var precision: CSVOptions.Precision

    public init(columns: [String]? = nil, precision: CSVOptions.Precision = .float64) {
        self.columns = columns
        self.precision = precision
    }

    public static func looksLikeParquet(path: String) -> Bool {
        FileFormat.detect(path: path) == .parquet
    }

    public func read(path: String, tableName: String) throws -> Table {
        let mapped = try MappedFile(path: path)
        let file = mapped.buffer
        let metadata = try Self.metadata(file, path: path)
        let plans = try selectedPlans(metadata, path: path)
        let rowCounts = try Self.rowCounts(metadata, path: path, columns: plans.count)
        let values = try ParquetRowGroups(file: file, metadata: metadata, plans: plans, rowCounts: rowCounts, path: path).decode()
        try mapped.checkUnchanged()
        let columns = zip(plans, values).map { plan, values -> Column in
            if precision == .float32, plan.kind == .float, case .numeric(let v) = values {
                return Column(name: plan.name, values: .float32(v.map { Float($0) }), kind: .float)
            }
            return Column(name: plan.name, values: values, kind: plan.kind)
        }
        do {
            return try Table(name: tableName, columns: columns)
        } catch let error as DataError {
            throw DataError(error.message, file: path)
        }
    }

    /// The footer: `PAR1` at both ends, the metadata's length before the last one.
    static func metadata(_ file: UnsafeBufferPointer<UInt8>, path: String) throws -> ParquetMetadata {
        let magic = Array("PAR1".utf8)
        guard file.count >= 12, Array(file[0 ..< 4]) == magic else { throw DataError("not a Parquet file (it does not start with PAR1)", file: path) }
        let tail = Array(file[(file.count - 4)...])
        guard tail == magic else {
            let why = tail == Array("PARE".utf8) ? "it is encrypted, which is not supported" : "it does not end with PAR1: the file is cut short or damaged"
            throw DataError("cannot read the Parquet footer: \(why)", file: path)
        }
        let n = file.count
        let length = Int(UInt32(file[n - 8]) | UInt32(file[n - 7]) << 8 | UInt32(file[n - 6]) << 16 | UInt32(file[n - 5]) << 24)
        guard length <= n - 12 else { throw DataError("the Parquet footer claims \(length) bytes, more than the file holds", file: path) }
        do {
            let metadata = try ParquetMetadata(UnsafeBufferPointer(rebasing: file[(n - 8 - length) ..< (n - 8)]))
            if metadata.encrypted { throw ParquetFault("the file's columns are encrypted, which is not supported") }
            return metadata
        } catch let fault as ParquetFault {
            throw DataError("the Parquet footer is damaged: \(fault.message)", file: path)
        }
    }

    /// Plans for the leaf columns to read: all, or those named in `columns`.
    func selectedPlans(_ metadata: ParquetMetadata, path: String) throws -> [ParquetColumnPlan] {
        let leaves = try Self.leaves(metadata, path: path)
        let names = leaves.map(\.element.name)
        let wanted: [Int]
        if let columns {
            wanted = try columns.map { name in
                guard let i = names.firstIndex(of: name) else {
                    let near = nearestName(to: name, in: names)
                    throw DataError("no column `\(name)` in the Parquet file" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                                    file: path, suggestion: near)
                }
                return i
            }
        } else {
            wanted = Array(leaves.indices)
        }
        // A table holds one column per name: a second one would silently replace the first.
        var seen = Set<String>()
        for i in wanted where !seen.insert(names[i]).inserted {
            throw DataError("the Parquet file has two columns named `\(names[i])` (or the column list names it twice)", file: path)
        }
        return try wanted.map { i in
            if let nested = leaves[i].nested {
                throw DataError("column `\(nested)` is nested (a list, map or struct), which is not supported; read the others with a column list", file: path)
            }
            do { return try ParquetColumnPlan(leaves[i].element, leaf: i) } catch let fault as ParquetFault {
                throw DataError(fault.message, file: path)
            }
        }
    }

    /// The schema's leaves in file order (the order of column chunks), each with the top-level
    /// column it belongs to when that one is nested.
    static func leaves(_ metadata: ParquetMetadata, path: String) throws -> [(element: ParquetMetadata.SchemaElement, nested: String?)] {
        let schema = metadata.schema
        guard let root = schema.first else { throw DataError("the Parquet file has no schema", file: path) }
        var out: [(ParquetMetadata.SchemaElement, String?)] = []
        var index = 1
        // Walks one subtree: its leaves, tagged with the top-level name when below one.
        func walk(top: String?) throws {
            guard index < schema.count else { throw DataError("the Parquet schema ends early", file: path) }
            let e = schema[index]
            index += 1
            if e.childCount == 0 {
                out.append((e, top))
            } else {
                for _ in 0 ..< e.childCount { try walk(top: top ?? e.name) }
            }
        }
        for _ in 0 ..< root.childCount { try walk(top: nil) }
        guard index == schema.count else { throw DataError("the Parquet schema has \(schema.count - index) elements outside its tree", file: path) }
        return out
    }

    /// Rows per row group, checked: they add up to the file's row count, every row group has a
    /// chunk per leaf column, and the columns fit in memory.
    static func rowCounts(_ metadata: ParquetMetadata, path: String, columns: Int) throws -> [Int] {
        var total = 0
        let leafCount = try leaves(metadata, path: path).count
        let counts = try metadata.rowGroups.enumerated().map { g, group -> Int in
            guard group.rowCount >= 0, group.rowCount <= Int64(Int32.max) * 64 else {
                throw DataError("row group \(g) claims \(group.rowCount) rows", file: path)
            }
            guard group.columns.count == leafCount else {
                throw DataError("row group \(g) has \(group.columns.count) column chunks for \(leafCount) columns", file: path)
            }
            total += Int(group.rowCount)
            return Int(group.rowCount)
        }
        guard Int64(total) == metadata.rowCount else {
            throw DataError("the row groups hold \(total) rows but the file says \(metadata.rowCount)", file: path)
        }
        do { try MemoryBudget.check(total.multipliedReportingOverflow(by: max(1, columns) * 16).partialValue,
                                    for: "\(columns) columns of \(total) rows") } catch let error as DataError {
            throw DataError(error.message, file: path)
        }
        return counts
    }
}
