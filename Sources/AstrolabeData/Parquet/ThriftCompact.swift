/// A problem inside a Parquet file, found where its file, row group and column are not known;
/// `ParquetReader` adds them (`DataError` names them to the user).
struct ParquetFault: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Reads Thrift's compact protocol (the encoding of Parquet's footer and page headers) from bytes
/// that may be damaged: every read is bounds-checked and every count checked against the bytes
/// left, so bad input is a `ParquetFault`, never a trap or a huge allocation. Only what Parquet
/// uses is read; unknown fields are skipped (nesting limited, so a crafted file cannot exhaust
/// the stack).
struct ThriftReader {
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse, byte, i16, i32, i64, double, binary, list, set, map, structure
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    private var depth = 0
    static let maxDepth = 32

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw ParquetFault("the metadata ends early (at byte \(position))") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            let b = try byte()
            guard shift < 63 || b <= 1 else { throw ParquetFault("a number in the metadata is too long") }
            result |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return result }
        }
        throw ParquetFault("a number in the metadata is too long")
    }

    mutating func i64() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func i32() throws -> Int32 {
        let v = try i64()
        guard let narrow = Int32(exactly: v) else { throw ParquetFault("a 32-bit number in the metadata is \(v)") }
        return narrow
    }

    /// A length-prefixed byte string, in place.
    mutating func binary() throws -> UnsafeBufferPointer<UInt8> {
        let length = try varint()
        guard length <= UInt64(remaining) else { throw ParquetFault("a string in the metadata runs past its end") }
        let start = position
        position += Int(length)
        return UnsafeBufferPointer(rebasing: bytes[start ..< position])
    }

    mutating func string() throws -> String {
        let raw = try binary()
        guard let text = String(validating: raw, as: UTF8.self) else { throw ParquetFault("a name in the metadata is not UTF-8") }
        return text
    }

    /// The next field of a struct: its id and type, or nil at the struct's end. `last` is the
    /// previous field's id (ids are written as deltas).
    mutating func field(after last: inout Int16) throws -> (id: Int16, type: FieldType)? {
        let header = try byte()
        if header == 0 { return nil }
        guard let type = FieldType(rawValue: header & 0x0F) else { throw ParquetFault("unknown field type \(header & 0x0F) in the metadata") }
        let delta = Int16(header >> 4)
        if delta != 0 {
            last &+= delta
        } else {
            let v = try i64()
            guard let id = Int16(exactly: v) else { throw ParquetFault("field id \(v) in the metadata") }
            last = id
        }
        return (last, type)
    }

    /// A list's element type and count (the count checked against the bytes left: every element
    /// takes at least one byte).
    mutating func listHeader() throws -> (type: FieldType, count: Int) {
        let header = try byte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try varint() }
        guard let type = FieldType(rawValue: header & 0x0F) else { throw ParquetFault("unknown list element type in the metadata") }
        guard count <= UInt64(remaining) else { throw ParquetFault("a list in the metadata claims \(count) elements, more than its bytes") }
        return (type, Int(count))
    }

    /// Reads a struct, calling `body` for each field; `body` returns false for a field it does not
    /// read, which is then skipped.
    mutating func readStruct(_ body: (inout ThriftReader, Int16, FieldType) throws -> Bool) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw ParquetFault("the metadata is nested too deeply") }
        var last: Int16 = 0
        while let (id, type) = try field(after: &last) {
            if try !body(&self, id, type) { try skip(type) }
        }
    }

    /// Reads a list of elements with `element`.
    mutating func readList<T>(_ element: (inout ThriftReader, FieldType) throws -> T) throws -> [T] {
        let (type, count) = try listHeader()
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0 ..< count { items.append(try element(&self, type)) }
        return items
    }

    mutating func bool(_ type: FieldType) throws -> Bool {
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw ParquetFault("a field of the metadata should be a boolean")
        }
    }

    mutating func skip(_ type: FieldType) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw ParquetFault("the metadata is nested too deeply") }
        switch type {
        case .boolTrue, .boolFalse: break
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double:
            guard remaining >= 8 else { throw ParquetFault("the metadata ends early (at byte \(position))") }
            position += 8
        case .binary: _ = try binary()
        case .list, .set:
            let (element, count) = try listHeader()
            for _ in 0 ..< count {
                if element == .boolTrue || element == .boolFalse { _ = try byte() } else { try skip(element) }
            }
        case .map:
            let count = try varint()
            guard count <= UInt64(remaining) else { throw ParquetFault("a map in the metadata claims \(count) entries, more than its bytes") }
            if count > 0 {
                let types = try byte()
                guard let key = FieldType(rawValue: types >> 4), let value = FieldType(rawValue: types & 0x0F) else {
                    throw ParquetFault("unknown map types in the metadata")
                }
                for _ in 0 ..< count { try skip(key); try skip(value) }
            }
        case .structure:
            try readStruct { _, _, _ in false }
        }
    }
}
