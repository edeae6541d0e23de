/// Minimum, maximum and null count of one column in one row group, as the writer recorded them
/// (nil when it did not): what a `where` filter needs to skip row groups without reading them.
public struct ParquetColumnStatistics: Sendable, Equatable {
    public var min: Double?
    public var max: Double?
    public var nullCount: Int?
}

public struct ParquetRowGroupStatistics: Sendable {
    public var rowCount: Int
    /// By column name; numeric and boolean columns have min/max, text columns only null counts.
    public var columns: [String: ParquetColumnStatistics]
}

/// A Parquet file's footer alone: its columns and row-group statistics, read without any page.
public struct ParquetFile {
    let metadata: ParquetMetadata
    let plans: [ParquetColumnPlan]

    public init(path: String) throws {
        let mapped = try MappedFile(path: path)
        metadata = try ParquetReader.metadata(mapped.buffer, path: path)
        // Only the columns the reader can read have statistics here.
        plans = try ParquetReader.leaves(metadata, path: path).enumerated().compactMap { i, leaf in
            leaf.nested == nil ? try? ParquetColumnPlan(leaf.element, leaf: i) : nil
        }
    }

    public var rowCount: Int { Int(metadata.rowCount) }

    public var statistics: [ParquetRowGroupStatistics] {
        metadata.rowGroups.map { group in
            var columns: [String: ParquetColumnStatistics] = [:]
            for plan in plans where plan.leaf < group.columns.count {
                guard let s = group.columns[plan.leaf].statistics else { continue }
                columns[plan.name] = ParquetColumnStatistics(min: Self.value(s.min, plan), max: Self.value(s.max, plan),
                                                             nullCount: s.nullCount.flatMap { Int(exactly: $0) })
            }
            return ParquetRowGroupStatistics(rowCount: Int(clamping: group.rowCount), columns: columns)
        }
    }

    /// A plain-encoded statistic as a number (booleans take one byte here, not one bit).
    static func value(_ bytes: [UInt8]?, _ plan: ParquetColumnPlan) -> Double? {
        guard let bytes, !plan.isText else { return nil }
        if plan.values == .boolean { return bytes.count == 1 ? Double(bytes[0] & 1) : nil }
        let width = [.int32, .uint32, .float].contains(plan.values) ? 4 : 8
        guard bytes.count == width else { return nil }
        return bytes.withUnsafeBufferPointer { try? ParquetPlain.numbers($0, count: 1, plan: plan).first } ?? nil
    }
}
