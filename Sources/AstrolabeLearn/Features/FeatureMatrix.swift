/// The numbers a classifier learns from: `rows` samples × `columns` features, stored row-major in
/// one contiguous array.
///
/// Row-major because prediction walks one row at a time down each tree; training transposes once
/// into its own column-major copy where it needs whole features. Values may be NaN (missing); each
/// classifier documents what it does with them.
public struct FeatureMatrix: Equatable, Sendable {
    /// Number of samples.
    public let rows: Int
    /// Number of features.
    public let columns: Int
    /// `rows * columns` values; the value of feature `c` of sample `r` is at `r * columns + c`.
    public let values: [Double]

    /// A matrix from feature columns, as they come out of a table: `columns[c][r]` is feature `c`
    /// of sample `r`. All columns must have the same length.
    public init(columns: [[Double]]) throws {
        let rowCount = columns.first?.count ?? 0
        for (index, column) in columns.enumerated() where column.count != rowCount {
            throw LearnError(
                "feature \(index + 1) has \(column.count) values but feature 1 has \(rowCount)")
        }
        var values = [Double](repeating: 0, count: rowCount * columns.count)
        let width = columns.count
        values.withUnsafeMutableBufferPointer { out in
            for (c, column) in columns.enumerated() {
                column.withUnsafeBufferPointer { source in
                    for r in 0..<rowCount { out[r * width + c] = source[r] }
                }
            }
        }
        self.rows = rowCount
        self.columns = width
        self.values = values
    }

    /// A matrix from row-major values; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) throws {
        guard rows >= 0, columns >= 0 else {
            throw LearnError("a feature matrix cannot have a negative shape (\(rows) × \(columns))")
        }
        let (expected, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, expected == values.count else {
            throw LearnError(
                "a \(rows) × \(columns) feature matrix needs \(rows) × \(columns) values, "
                    + "got \(values.count)")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix from a list of rows, as written by hand in tests and examples.
    public init(rows: [[Double]]) throws {
        let width = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() where row.count != width {
            throw LearnError("row \(index + 1) has \(row.count) values but row 1 has \(width)")
        }
        try self.init(rows: rows.count, columns: width, values: rows.flatMap { $0 })
    }

    /// Feature `column` of sample `row`, or nil when either index is outside the matrix.
    public func value(row: Int, column: Int) -> Double? {
        guard row >= 0, row < rows, column >= 0, column < columns else { return nil }
        return values[row * columns + column]
    }

    /// The matrix restricted to the given rows, in the given order (e.g. a train or test split).
    public func selecting(rows selected: [Int]) throws -> FeatureMatrix {
        if let bad = selected.first(where: { $0 < 0 || $0 >= rows }) {
            throw LearnError("row index \(bad) is outside a matrix of \(rows) rows")
        }
        // Copied value by value: a query loop selects its whole pool after every answer, and a
        // slice append per row costs a library call per row.
        let columns = self.columns
        let out = [Double](unsafeUninitializedCapacity: selected.count * columns) { buffer, initialized in
            values.withUnsafeBufferPointer { source in
                var k = 0
                for row in selected {
                    let base = row * columns
                    for c in 0..<columns { buffer[k + c] = source[base + c] }
                    k += columns
                }
            }
            initialized = selected.count * columns
        }
        return try FeatureMatrix(rows: selected.count, columns: columns, values: out)
    }
}
