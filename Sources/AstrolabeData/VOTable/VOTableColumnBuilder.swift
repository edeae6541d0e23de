/// The values of one FIELD as rows arrive, from TABLEDATA cells or BINARY bytes; `columns()`
/// makes the table columns at the end.
///
/// Integers are kept exactly as well as as doubles: a `long` column whose values a double cannot
/// hold exactly (beyond 2^53, such as Gaia's source_id) becomes text with every digit, rather
/// than numbers silently rounded.
struct VOTableColumnBuilder {
    let field: VOTableField
    /// One array per element column (one for a scalar).
    private var numbers: [[Double]]
    /// `long` fields only: the exact values, per element column (null: 0, with NaN in `numbers`).
    private var longs: [[Int64]]
    private var strings: [String?] = []
    private var inexactLong = false
    private let null: Double?

    init(field: VOTableField) {
        self.field = field
        let n = field.isTextColumn ? 0 : field.elementColumns
        numbers = Array(repeating: [], count: n)
        longs = field.datatype == .long && !field.isTextColumn ? Array(repeating: [], count: n) : []
        null = field.nullNumber
    }

    // MARK: TABLEDATA

    /// Appends one TD's bytes. A scalar number is parsed from the bytes directly (the common case,
    /// millions of cells); anything else goes through the text path below.
    mutating func append(cell bytes: UnsafeBufferPointer<UInt8>, row: Int) throws {
        if !field.isTextColumn, numbers.count == 1, let value = Self.fastNumber(bytes, field.datatype) {
            if field.datatype.isInteger {
                guard let exact = Int64(exactly: value), fits(exact) else { return try append(cell: text(bytes), row: row) }
                appendInteger(exact, element: 0)
            } else {
                numbers[0].append(field.datatype == .float ? Double(Float(value)) : value)
            }
            return
        }
        try append(cell: text(bytes), row: row)
    }

    private func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Substring {
        Substring(String(decoding: bytes, as: UTF8.self))
    }

    /// A float, double or integer cell's value read from its bytes (NaN for an empty or NaN
    /// cell); nil when the text path must decide (hexadecimal, infinities, errors, integers
    /// written with a point or beyond 2^53).
    private static func fastNumber(_ b: UnsafeBufferPointer<UInt8>, _ type: VOTableField.Datatype) -> Double? {
        var s = 0, e = b.count
        while s < e, b[s] == 0x20 || b[s] == 0x0A || b[s] == 0x0D || b[s] == 0x09 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x0A || b[e - 1] == 0x0D || b[e - 1] == 0x09 { e -= 1 }
        if s == e { return type == .boolean || type == .bit ? nil : .nan }
        switch type {
        case .float, .double:
            switch NumberParsing.parse(b, start: s, end: e) {
            case .number(let v): return v
            case .missing: return .nan
            case .notANumber: return nil
            }
        case .unsignedByte, .short, .int, .long:
            var negative = false, p = s, value: Int64 = 0
            if b[p] == 0x2D || b[p] == 0x2B { negative = b[p] == 0x2D; p += 1 }
            guard p < e, e - p <= 15 else { return nil } // 15 digits: exact as a double, no overflow
            while p < e {
                let d = b[p] &- 0x30
                guard d < 10 else { return nil }
                value = value * 10 + Int64(d)
                p += 1
            }
            return Double(negative ? -value : value)
        default: return nil
        }
    }

    /// Appends one TD's text (nil for an empty `<TD/>`). `row` (from 1) names the row in errors.
    mutating func append(cell: Substring?, row: Int) throws {
        let text = cell.map(VOTableText.trimmed) ?? ""
        if field.isTextColumn {
            // Strings are kept as written (astropy keeps their blanks too); an empty cell is missing.
            let raw = field.datatype.isText ? (cell ?? "") : text
            strings.append(raw.isEmpty ? nil : String(raw))
            return
        }
        var parts = text.isEmpty ? [] : text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        if field.datatype == .bit, parts.count == 1, numbers.count > 1 { parts = parts[0].map { Substring(String($0)) } } // "0110"
        guard parts.isEmpty || parts.count == numbers.count else {
            throw DataError("row \(row), FIELD `\(field.name)`: \(parts.count) values where the FIELD has \(numbers.count)")
        }
        for e in numbers.indices {
            guard e < parts.count else { appendMissing(element: e); continue }
            try appendNumber(parts[e], element: e, row: row)
        }
    }

    private mutating func appendNumber(_ text: Substring, element e: Int, row: Int) throws {
        switch field.datatype {
        case .boolean, .bit:
            guard let value = VOTableText.boolean(text) else { throw bad(text, row: row, expected: "a boolean (T or F)") }
            numbers[e].append(value)
        case .float, .double:
            guard var value = VOTableText.double(text) else { throw bad(text, row: row, expected: "a number") }
            if field.datatype == .float { value = Double(Float(value)) }
            numbers[e].append(value)
        default:
            guard let value = VOTableText.integer(text), fits(value) else {
                throw bad(text, row: row, expected: "an integer of type \(field.datatype.rawValue)")
            }
            appendInteger(value, element: e)
        }
    }

    private func bad(_ text: Substring, row: Int, expected: String) -> DataError {
        DataError("row \(row), FIELD `\(field.name)`: `\(text.prefix(40))` is not \(expected)")
    }

    private func fits(_ value: Int64) -> Bool {
        switch field.datatype {
        case .unsignedByte: return value >= 0 && value <= 255
        case .short: return value >= Int64(Int16.min) && value <= Int64(Int16.max)
        case .int: return value >= Int64(Int32.min) && value <= Int64(Int32.max)
        default: return true
        }
    }

    private mutating func appendInteger(_ value: Int64, element e: Int) {
        let number = Double(value)
        if let null, number == null {
            appendMissing(element: e)
            return
        }
        numbers[e].append(number)
        if !longs.isEmpty {
            longs[e].append(value)
            if value > 1 << 53 || value < -(1 << 53) { inexactLong = true }
        }
    }

    private mutating func appendMissing(element e: Int) {
        numbers[e].append(.nan)
        if !longs.isEmpty { longs[e].append(0) }
    }

    /// A row whose value is missing (a BINARY2 null flag).
    mutating func appendMissingRow() {
        if field.isTextColumn { strings.append(nil) } else { for e in numbers.indices { appendMissing(element: e) } }
    }

    // MARK: BINARY

    /// Decodes the field's value at `bytes[offset...]` in the BINARY layout; returns the offset after it.
    mutating func append(binary bytes: UnsafeBufferPointer<UInt8>, at offset: Int, missing: Bool, row: Int) throws -> Int {
        var p = offset
        var count = field.shape?.fixedCount ?? 1
        if field.shape?.isVariable == true {
            guard let n = VOTableBinary.uint32(bytes, p) else { throw short(row) }
            p += 4
            guard n < 1 << 28 else { throw DataError("row \(row), FIELD `\(field.name)`: a length of \(n) elements") }
            count = Int(n)
        }
        let size = field.datatype.bytes(for: count)
        guard size <= bytes.count - p else { throw short(row) }
        let values = UnsafeBufferPointer(rebasing: bytes[p ..< p + size])
        if missing { appendMissingRow() } else if field.datatype.isText {
            strings.append(VOTableBinary.string(values, unicode: field.datatype == .unicodeChar))
        } else if field.isTextColumn {
            strings.append(count == 0 ? nil : (0 ..< count).map { text(values, element: $0) }.joined(separator: " "))
        } else {
            for e in 0 ..< count { appendBinary(values, element: e) }
        }
        return p + size
    }

    private func short(_ row: Int) -> DataError {
        DataError("the BINARY stream ends inside row \(row), in FIELD `\(field.name)`")
    }

    private mutating func appendBinary(_ values: UnsafeBufferPointer<UInt8>, element e: Int) {
        let at = e * field.datatype.width
        switch field.datatype {
        case .boolean: numbers[e].append(VOTableBinary.boolean(values[at]))
        case .bit where field.shape == nil:
            // A single bit: astropy writes true as 0x08, the standard's packing as 0x80; either is true.
            numbers[e].append(values[0] != 0 ? 1 : 0)
        case .bit: numbers[e].append(VOTableBinary.bit(values, e))
        case .float: numbers[e].append(Double(Float(bitPattern: VOTableBinary.bits32(values, at))))
        case .double: numbers[e].append(Double(bitPattern: VOTableBinary.bits64(values, at)))
        default: appendInteger(VOTableBinary.integer(values, at, field.datatype), element: e)
        }
    }

    /// One element of a variable-length numeric array as text.
    private func text(_ values: UnsafeBufferPointer<UInt8>, element e: Int) -> String {
        let at = e * field.datatype.width
        switch field.datatype {
        case .boolean:
            let v = VOTableBinary.boolean(values[at])
            return v.isNaN ? "?" : v == 1 ? "T" : "F"
        case .bit: return VOTableBinary.bit(values, e) == 1 ? "1" : "0"
        case .float: return NumberFormatting.short(Double(Float(bitPattern: VOTableBinary.bits32(values, at))))
        case .double: return NumberFormatting.short(Double(bitPattern: VOTableBinary.bits64(values, at)))
        default: return String(VOTableBinary.integer(values, at, field.datatype))
        }
    }

    // MARK: Result

    func columns(precision: CSVOptions.Precision) -> [Column] {
        let names = field.columnNames
        if field.isTextColumn {
            return [Column(name: names[0], values: .text(strings), kind: .text, metadata: field.metadata)]
        }
        return names.enumerated().map { e, name in
            if inexactLong {
                let text = zip(numbers[e], longs[e]).map { $0.isNaN ? nil : String($1) }
                return Column(name: name, values: .text(text), kind: .text, metadata: field.metadata)
            }
            let values: ColumnValues = precision == .float32 && field.kind == .float
                ? .float32(numbers[e].map(Float.init)) : .numeric(numbers[e])
            return Column(name: name, values: values, kind: field.kind, metadata: field.metadata)
        }
    }

    /// A warning when `long` values were kept as text.
    var warning: String? {
        inexactLong ? "FIELD `\(field.name)` holds integers beyond 2^53, which a number column cannot hold exactly: kept as text" : nil
    }

    var rowCount: Int { field.isTextColumn ? strings.count : numbers.first?.count ?? 0 }
}
