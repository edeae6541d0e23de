/// The values of one column, stored contiguously.
///
/// Numeric columns keep missing values as NaN so that arithmetic propagates them without branches;
/// text columns keep them as `nil`. `float32` is the half-size storage `precision=float32` asks
/// for: surveys with tens of millions of rows fit in memory, and magnitudes rarely carry more than
/// seven significant digits anyway. Code that computes reads `Column.numbers` (always doubles).
public enum ColumnValues: Sendable, Equatable {
    case numeric([Double])
    case float32([Float])
    case text([String?])
}

/// What a column holds, as a person would describe it. Storage follows from it: integers,
/// floats and booleans are numbers (booleans as 0/1, integers exact up to 2^53), text and
/// categories are strings (a category is text with few distinct values, stored once each).
public enum ColumnKind: String, Sendable, Equatable, CaseIterable {
    case integer, float, boolean, text, category

    public var isNumeric: Bool { self == .integer || self == .float || self == .boolean }
}

/// What a file said about a column besides its values: FITS `TUNITn`/`TCOMMn`, a VOTable
/// FIELD's `unit`, `ucd` and DESCRIPTION, an ECSV header's `unit` and `description`.
public struct ColumnMetadata: Sendable, Equatable {
    public var unit: String?
    /// The IVOA Unified Content Descriptor (VOTable only), e.g. `pos.eq.ra;meta.main`.
    public var ucd: String?
    public var description: String?

    public init(unit: String? = nil, ucd: String? = nil, description: String? = nil) {
        func kept(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        self.unit = kept(unit)
        self.ucd = kept(ucd)
        self.description = kept(description)
    }

    public var isEmpty: Bool { unit == nil && ucd == nil && description == nil }
}

/// A named column of a table.
public struct Column: Sendable, Equatable {
    public var name: String
    public var values: ColumnValues
    public var kind: ColumnKind
    /// Unit and description from the file; kept by row selections.
    public var metadata = ColumnMetadata()

    public init(name: String, values: ColumnValues, kind: ColumnKind? = nil) {
        self.name = name
        self.values = values
        switch values {
        case .numeric, .float32: self.kind = kind.flatMap { $0.isNumeric ? $0 : nil } ?? .float
        case .text: self.kind = kind.flatMap { $0.isNumeric ? nil : $0 } ?? .text
        }
    }

    public init(name: String, values: ColumnValues, kind: ColumnKind?, metadata: ColumnMetadata) {
        self.init(name: name, values: values, kind: kind)
        self.metadata = metadata
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
        case .float32(let v): return v.count
        case .text(let v): return v.count
        }
    }

    public var isNumeric: Bool {
        switch values {
        case .numeric, .float32: return true
        case .text: return false
        }
    }

    /// The numbers of a numeric column as doubles (a converted copy for float32 storage), or nil
    /// for a text column.
    public var numbers: [Double]? {
        switch values {
        case .numeric(let v): return v
        case .float32(let v): return v.map(Double.init)
        case .text: return nil
        }
    }

    /// The strings of a text column, or nil for a numeric column.
    public var strings: [String?]? {
        if case .text(let v) = values { return v }
        return nil
    }

    /// One cell as a double (NaN for missing, text, or out-of-range rows), without copying the column.
    public func number(row: Int) -> Double {
        guard row >= 0, row < count else { return .nan }
        switch values {
        case .numeric(let v): return v[row]
        case .float32(let v): return Double(v[row])
        case .text: return .nan
        }
    }

    /// Number of missing cells (NaN for numeric columns, nil for text).
    public var missingCount: Int {
        switch values {
        case .numeric(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .float32(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .text(let v): return v.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        }
    }

    /// Bytes the column's values occupy: the arrays, plus the heap storage of strings too long to
    /// be stored inline (counted once per distinct buffer, so shared category values count once).
    public var memoryBytes: Int {
        switch values {
        case .numeric(let v): return v.count * MemoryLayout<Double>.stride
        case .float32(let v): return v.count * MemoryLayout<Float>.stride
        case .text(let v):
            var total = v.count * MemoryLayout<String?>.stride
            var seen = Set<String>()
            for case let s? in v where s.utf8.count > 15 && seen.insert(s).inserted {
                total += s.utf8.count + 32
            }
            return total
        }
    }

    /// The cell as a user would read it; missing cells are empty strings. Out-of-range rows are empty.
    public func displayText(row: Int) -> String {
        guard row >= 0, row < count else { return "" }
        switch values {
        case .numeric(let v):
            if kind == .boolean, !v[row].isNaN { return v[row] != 0 ? "true" : "false" }
            return NumberFormatting.short(v[row])
        case .float32(let v):
            return NumberFormatting.short(Double(v[row]))
        case .text(let v):
            return v[row] ?? ""
        }
    }

    /// The rows `rows` of this column, in that order (a gather); out-of-range rows are missing.
    public func selecting(rows: [Int]) -> Column {
        let n = count
        switch values {
        case .numeric(let v):
            let out = v.withUnsafeBufferPointer { b in rows.map { $0 >= 0 && $0 < n ? b[$0] : .nan } }
            return Column(name: name, values: .numeric(out), kind: kind, metadata: metadata)
        case .float32(let v):
            let out = v.withUnsafeBufferPointer { b in rows.map { $0 >= 0 && $0 < n ? b[$0] : .nan } }
            return Column(name: name, values: .float32(out), kind: kind, metadata: metadata)
        case .text(let v):
            return Column(name: name, values: .text(rows.map { $0 >= 0 && $0 < n ? v[$0] : nil }), kind: kind, metadata: metadata)
        }
    }
}
