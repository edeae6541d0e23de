/// Writes Thrift's compact protocol, the encoding of Parquet's footer and page headers: the
/// counterpart of `ThriftReader`, for `ParquetWriter`. A struct is written field by field in
/// ascending id order between `beginStruct` and `endStruct`.
struct ThriftWriter {
    private(set) var bytes: [UInt8] = []
    /// The last field id of each open struct (ids are written as deltas).
    private var lastIDs: [Int16] = [0]

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    private mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    private mutating func header(_ id: Int16, _ type: ThriftReader.FieldType) {
        let last = lastIDs[lastIDs.count - 1]
        let delta = id - last
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ value: Int32) { header(id, .i32); zigzag(Int64(value)) }
    mutating func i64(_ id: Int16, _ value: Int64) { header(id, .i64); zigzag(value) }
    mutating func bool(_ id: Int16, _ value: Bool) { header(id, value ? .boolTrue : .boolFalse) }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        header(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// A struct field: `body` writes its fields.
    mutating func structure(_ id: Int16, _ body: (inout ThriftWriter) -> Void) {
        header(id, .structure)
        nested(body)
    }

    /// A struct's fields and its stop byte, with its own field-id deltas.
    private mutating func nested(_ body: (inout ThriftWriter) -> Void) {
        lastIDs.append(0)
        body(&self)
        bytes.append(0)
        lastIDs.removeLast()
    }

    private mutating func listHeader(_ id: Int16, count: Int, of type: ThriftReader.FieldType) {
        header(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
    }

    /// A list of structs, one `body` call per element.
    mutating func structList<T>(_ id: Int16, _ items: [T], _ body: (inout ThriftWriter, T) -> Void) {
        listHeader(id, count: items.count, of: .structure)
        for item in items { nested { body(&$0, item) } }
    }

    mutating func i32List(_ id: Int16, _ items: [Int32]) {
        listHeader(id, count: items.count, of: .i32)
        for item in items { zigzag(Int64(item)) }
    }

    mutating func stringList(_ id: Int16, _ items: [String]) {
        listHeader(id, count: items.count, of: .binary)
        for item in items {
            varint(UInt64(item.utf8.count))
            bytes.append(contentsOf: item.utf8)
        }
    }

    /// A whole top-level struct (a page header, the footer).
    static func message(_ body: (inout ThriftWriter) -> Void) -> [UInt8] {
        var w = ThriftWriter()
        w.nested(body)
        return w.bytes
    }
}
