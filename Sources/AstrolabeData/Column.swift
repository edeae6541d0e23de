/// The values of one column, stored contiguously.
///
/// Numeric columns keep missing values as NaN so that arithmetic propagates them without branches;
/// text columns keep them as `nil`.
public enum ColumnValues: Sendable, Equatable {
    case numeric([Double])
    case text([String?])
}

/// A named column of a table.
public struct Column: Sendable, Equatable {
    public var name: String
    public var values: ColumnValues

    public init(name: String, values: ColumnValues) {
        self.name = name
        self.values = values
    }

    public init(name: String, numbers: [Double]) {
        self.init(name: name, values: .numeric(numbers))
    }

    public init(name: String, strings: [String?]) {
        self.init(name: name, values: .text(strings))
    }

    public var count: Int {
        switch values {
        case .numeric(let v): return v.count
        case .text(let v): return v.count
        }
    }

    public var isNumeric: Bool {
        if case .numeric = values { return true }
        return false
    }

    /// The numbers of a numeric column, or nil for a text column.
    public var numbers: [Double]? {
        if case .numeric(let v) = values { return v }
        return nil
    }

    /// The strings of a text column, or nil for a numeric column.
    public var strings: [String?]? {
        if case .text(let v) = values { return v }
        return nil
    }

    /// Number of missing cells (NaN for numeric columns, nil for text).
    public var missingCount: Int {
        switch values {
        case .numeric(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .text(let v): return v.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        }
    }

    /// The cell as a user would read it; missing cells are empty strings. Out-of-range rows are empty.
    public func displayText(row: Int) -> String {
        guard row >= 0, row < count else { return "" }
        switch values {
        case .numeric(let v):
            return NumberFormatting.short(v[row])
        case .text(let v):
            return v[row] ?? ""
        }
    }
}
