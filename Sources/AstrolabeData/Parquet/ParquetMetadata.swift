/// The parts of a Parquet file's footer (`FileMetaData`, parquet.thrift) that the reader uses,
/// decoded with `ThriftReader`. Field numbers are those of parquet.thrift.
struct ParquetMetadata {
    enum PhysicalType: Int32 {
        case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
    }

    /// One element of the schema tree (flattened depth-first, as in the file).
    struct SchemaElement {
        var name = ""
        var type: PhysicalType?
        var rawType: Int32?
        var repetition: Int32 = 0  // 0 required, 1 optional, 2 repeated
        var childCount = 0
        var convertedType: Int32?
        /// The logical type's union field id (1 STRING, 4 ENUM, 5 DECIMAL, 10 INTEGER, ...).
        var logicalType: Int16?
        var integerBits: Int8?
        var integerSigned: Bool?
    }

    struct Statistics {
        var min: [UInt8]?
        var max: [UInt8]?
        var nullCount: Int64?
    }

    struct ColumnChunk {
        var path: [String] = []
        var rawType: Int32 = -1
        var codec: Int32 = 0
        var valueCount: Int64 = 0
        var compressedSize: Int64 = 0
        var dataPageOffset: Int64 = -1
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
        var filePath: String?
        var encrypted = false
    }

    struct RowGroup {
        var rowCount: Int64 = 0
        var columns: [ColumnChunk] = []
    }

    var rowCount: Int64 = 0
    var schema: [SchemaElement] = []
    var rowGroups: [RowGroup] = []
    var encrypted = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var reader = ThriftReader(bytes)
        try reader.readStruct { r, id, type in
            switch id {
            case 2: schema = try r.readList { r, _ in try Self.schemaElement(&r) }
            case 3: rowCount = try r.i64()
            case 4: rowGroups = try r.readList { r, _ in try Self.rowGroup(&r) }
            case 8: encrypted = true; return false
            default: return false
            }
            return true
        }
    }

    private static func schemaElement(_ reader: inout ThriftReader) throws -> SchemaElement {
        var e = SchemaElement()
        try reader.readStruct { r, id, type in
            switch id {
            case 1:
                let raw = try r.i32()
                e.rawType = raw
                e.type = PhysicalType(rawValue: raw)
            case 3: e.repetition = try r.i32()
            case 4: e.name = try r.string()
            case 5:
                let n = try r.i32()
                guard n >= 0, Int(n) <= r.remaining else { throw ParquetFault("the schema claims \(n) children") }
                e.childCount = Int(n)
            case 6: e.convertedType = try r.i32()
            case 10: try logicalType(&r, into: &e)
            default: return false
            }
            return true
        }
        return e
    }

    /// LogicalType is a union: one field, whose id says which type; INTEGER (10) holds its width and sign.
    private static func logicalType(_ reader: inout ThriftReader, into e: inout SchemaElement) throws {
        try reader.readStruct { r, id, type in
            e.logicalType = id
            guard id == 10 else { return false }
            try r.readStruct { r, id, type in
                switch id {
                case 1: e.integerBits = Int8(truncatingIfNeeded: try r.byte())
                case 2: e.integerSigned = try r.bool(type)
                default: return false
                }
                return true
            }
            return true
        }
    }

    private static func rowGroup(_ reader: inout ThriftReader) throws -> RowGroup {
        var g = RowGroup()
        try reader.readStruct { r, id, type in
            switch id {
            case 1: g.columns = try r.readList { r, _ in try columnChunk(&r) }
            case 3: g.rowCount = try r.i64()
            default: return false
            }
            return true
        }
        return g
    }

    private static func columnChunk(_ reader: inout ThriftReader) throws -> ColumnChunk {
        var c = ColumnChunk()
        try reader.readStruct { r, id, type in
            switch id {
            case 1: c.filePath = try r.string()
            case 3: try columnMetaData(&r, into: &c)
            case 8, 9: c.encrypted = true; return false
            default: return false
            }
            return true
        }
        return c
    }

    private static func columnMetaData(_ reader: inout ThriftReader, into c: inout ColumnChunk) throws {
        try reader.readStruct { r, id, type in
            switch id {
            case 1: c.rawType = try r.i32()
            case 3: c.path = try r.readList { r, _ in try r.string() }
            case 4: c.codec = try r.i32()
            case 5: c.valueCount = try r.i64()
            case 7: c.compressedSize = try r.i64()
            case 9: c.dataPageOffset = try r.i64()
            case 11: c.dictionaryPageOffset = try r.i64()
            case 12: c.statistics = try statistics(&r)
            default: return false
            }
            return true
        }
    }

    /// min_value/max_value (6, 5) when written, else the deprecated min/max (2, 1), which older
    /// writers filled with the same plain-encoded bytes for numbers.
    private static func statistics(_ reader: inout ThriftReader) throws -> Statistics {
        var s = Statistics()
        var oldMin: [UInt8]?, oldMax: [UInt8]?
        try reader.readStruct { r, id, type in
            switch id {
            case 1: oldMax = Array(try r.binary())
            case 2: oldMin = Array(try r.binary())
            case 3: s.nullCount = try r.i64()
            case 5: s.max = Array(try r.binary())
            case 6: s.min = Array(try r.binary())
            default: return false
            }
            return true
        }
        if s.min == nil { s.min = oldMin }
        if s.max == nil { s.max = oldMax }
        return s
    }
}

/// A page header (PageHeader in parquet.thrift): what kind of page, its sizes, and the header of
/// its kind.
struct ParquetPageHeader {
    enum Kind { case data, dictionary, dataV2, other }
    var kind = Kind.other
    var uncompressedSize = 0
    var compressedSize = 0
    var valueCount = 0
    var encoding: Int32 = 0
    var definitionEncoding: Int32 = 3
    // Data page v2 only.
    var nullCount = 0
    var definitionLength = 0
    var repetitionLength = 0
    var isCompressed = true

    init(_ reader: inout ThriftReader) throws {
        var kindCode: Int32 = -1
        try reader.readStruct { r, id, type in
            switch id {
            case 1: kindCode = try r.i32()
            case 2: uncompressedSize = try Self.size(try r.i32())
            case 3: compressedSize = try Self.size(try r.i32())
            case 5: try self.dataHeader(&r)
            case 7: try self.dictionaryHeader(&r)
            case 8: try self.dataV2Header(&r)
            default: return false
            }
            return true
        }
        kind = [0: .data, 2: .dictionary, 3: .dataV2][kindCode] ?? .other
    }

    private static func size(_ v: Int32) throws -> Int {
        guard v >= 0 else { throw ParquetFault("a page size is negative (\(v))") }
        return Int(v)
    }

    private mutating func dataHeader(_ reader: inout ThriftReader) throws {
        try reader.readStruct { r, id, type in
            switch id {
            case 1: valueCount = try Self.size(try r.i32())
            case 2: encoding = try r.i32()
            case 3: definitionEncoding = try r.i32()
            default: return false
            }
            return true
        }
    }

    private mutating func dictionaryHeader(_ reader: inout ThriftReader) throws {
        try reader.readStruct { r, id, type in
            switch id {
            case 1: valueCount = try Self.size(try r.i32())
            case 2: encoding = try r.i32()
            default: return false
            }
            return true
        }
    }

    private mutating func dataV2Header(_ reader: inout ThriftReader) throws {
        try reader.readStruct { r, id, type in
            switch id {
            case 1: valueCount = try Self.size(try r.i32())
            case 2: nullCount = try Self.size(try r.i32())
            case 4: encoding = try r.i32()
            case 5: definitionLength = try Self.size(try r.i32())
            case 6: repetitionLength = try Self.size(try r.i32())
            case 7: isCompressed = try r.bool(type)
            default: return false
            }
            return true
        }
    }
}
