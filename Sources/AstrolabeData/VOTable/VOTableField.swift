/// One FIELD of a VOTable: its datatype and shape, what stands for a missing value, and what the
/// file says about it (unit, UCD, DESCRIPTION). Decides how many table columns it becomes: one,
/// or one per element of a fixed numeric array (`NAME_0`, `NAME_1`, ..., as FITS vectors do).
struct VOTableField {
    enum Datatype: String {
        case boolean, bit, unsignedByte, short, int, long, char, unicodeChar, float, double, floatComplex, doubleComplex

        /// Bytes per element in the BINARY serialisations (bits are packed: see `bytes(for:)`).
        var width: Int {
            switch self {
            case .boolean, .unsignedByte, .char: return 1
            case .bit: return 0
            case .short, .unicodeChar: return 2
            case .int, .float: return 4
            case .long, .double, .floatComplex: return 8
            case .doubleComplex: return 16
            }
        }

        /// Bytes that `count` elements take in the BINARY serialisations.
        func bytes(for count: Int) -> Int { self == .bit ? (count + 7) / 8 : count * width }

        var isText: Bool { self == .char || self == .unicodeChar }
        var isInteger: Bool { self == .unsignedByte || self == .short || self == .int || self == .long }
    }

    /// `arraysize`: nil for a scalar; else the fixed element count (its product over dimensions)
    /// or nil count for a variable-length last dimension (`*`, `10*`, `3x*`).
    struct Shape: Equatable {
        /// Elements in one row when fixed (the product of every dimension but a variable last one).
        var fixedCount: Int
        var isVariable: Bool
        /// Dimensions: 1 for `10`, 2 for `10x3`.
        var dimensions: Int
    }

    var name: String
    var datatype: Datatype
    var shape: Shape?
    /// `<VALUES null="...">`: the value meaning missing (integers; text as written).
    var null: String?
    var metadata: ColumnMetadata

    init(name: String, datatype text: String?, arraysize: String?, null: String?, metadata: ColumnMetadata) throws {
        self.name = name
        guard let text, let datatype = Datatype(rawValue: text) else {
            throw DataError("FIELD `\(name)` has " + (text.map { "datatype=\"\($0)\", which is not a VOTable datatype" } ?? "no datatype"))
        }
        self.datatype = datatype
        self.null = null
        self.metadata = metadata
        self.shape = try arraysize.map { try Self.shape($0, field: name) }
        try checkSupported()
    }

    static func shape(_ text: String, field: String) throws -> Shape {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        var count = 1
        var variable = false
        for (k, part) in parts.enumerated() {
            var digits = Substring(part)
            if digits.hasSuffix("*") {
                guard k == parts.count - 1 else { throw DataError("FIELD `\(field)`: arraysize=\"\(text)\" has `*` before its last dimension") }
                variable = true
                digits = digits.dropLast()
                if digits.isEmpty { continue }
            }
            guard let n = Int(digits), n >= 0, n < 1 << 24 else {
                throw DataError("FIELD `\(field)`: arraysize=\"\(text)\" is not a list of sizes such as 10, 3x2 or 8*")
            }
            // A bounded variable size (`8*`) says the most there will be; the row says how many.
            if !variable {
                let product = count.multipliedReportingOverflow(by: n)
                guard !product.overflow, product.partialValue < 1 << 24 else { throw DataError("FIELD `\(field)`: arraysize=\"\(text)\" is too large") }
                count = product.partialValue
            }
        }
        return Shape(fixedCount: count, isVariable: variable, dimensions: parts.count)
    }

    private func checkSupported() throws {
        switch datatype {
        case .floatComplex, .doubleComplex:
            throw DataError("FIELD `\(name)` holds complex numbers (\(datatype.rawValue)), which are not supported")
        case .char, .unicodeChar:
            if let shape, shape.dimensions > 1 {
                throw DataError("FIELD `\(name)` holds arrays of strings (arraysize=\(shape.fixedCount)x...); only single strings can be loaded")
            }
        default:
            if let shape, shape.dimensions > 1 || !shape.isVariable, shape.fixedCount > 100_000 {
                throw DataError("FIELD `\(name)` has \(shape.fixedCount) elements per row; at most 100000 can be loaded (one column each)")
            }
        }
    }

    /// How the field's values are kept: one numeric column per element, or text (strings, and
    /// variable-length numeric arrays written as their elements separated by spaces).
    var isTextColumn: Bool { datatype.isText || (shape?.isVariable ?? false) }

    /// Elements of a fixed numeric array (1 for a scalar).
    var elementColumns: Int { isTextColumn ? 1 : (shape?.fixedCount ?? 1) }

    /// The names of the table columns the field becomes.
    var columnNames: [String] {
        let n = elementColumns
        return n == 1 ? [name] : (0 ..< n).map { "\(name)_\($0)" }
    }

    var kind: ColumnKind {
        if isTextColumn { return .text }
        if datatype == .boolean || datatype == .bit { return .boolean }
        return datatype.isInteger ? .integer : .float
    }

    /// The null value as a number, for integer fields.
    var nullNumber: Double? {
        guard datatype.isInteger, let null else { return nil }
        return VOTableText.integer(null).map(Double.init)
    }
}
