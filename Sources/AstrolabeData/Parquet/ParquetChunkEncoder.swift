import CZstd

/// One column chunk of `ParquetWriter`: a data page (v1) of `count` rows of a column from `start`,
/// PLAIN values after RLE definition levels (missing cells — NaN, nil — are nulls), compressed
/// with zstd, with the page header in front and the chunk's statistics.
struct ParquetChunkEncoder {
    /// How a column is stored: its physical type (and STRING for text).
    enum Storage {
        case double, float, int64, boolean, string

        var physicalType: ParquetMetadata.PhysicalType {
            switch self {
            case .double: return .double
            case .float: return .float
            case .int64: return .int64
            case .boolean: return .boolean
            case .string: return .byteArray
            }
        }

        /// The storage that keeps `column`'s values exactly: INT64 for integer columns whose
        /// values are all whole and within ±2^63, BOOLEAN for booleans, FLOAT for float32 storage.
        init(_ column: Column) {
            switch column.values {
            case .text: self = .string
            case .float32: self = column.kind == .boolean ? .boolean : .float
            case .numeric(let v):
                if column.kind == .boolean { self = .boolean; return }
                let whole = column.kind == .integer && v.allSatisfy { $0.isNaN || ($0 == $0.rounded() && Swift.abs($0) < 9.2e18) }
                self = whole ? .int64 : .double
            }
        }
    }

    struct Chunk {
        var bytes: [UInt8]
        var uncompressedSize: Int
        var nulls: Int
        var min: [UInt8]?
        var max: [UInt8]?
    }

    /// zstd's level: pyarrow's default (1) would be faster, 3 is zstd's own default.
    static let level: Int32 = 3

    static func encode(_ column: Column, storage: Storage, start: Int, count: Int) throws -> Chunk {
        var present = [Bool](repeating: true, count: count)
        var values = [UInt8]()
        var stats = Extremes(storage)
        switch column.values {
        case .text(let strings):
            values.reserveCapacity(count * 8)
            for i in 0..<count {
                guard let s = strings[start + i] else { present[i] = false; continue }
                let utf8 = Array(s.utf8)
                appendLittleEndian(UInt32(truncatingIfNeeded: utf8.count), to: &values)
                values.append(contentsOf: utf8)
                stats.add(utf8)
            }
        case .numeric, .float32:
            values.reserveCapacity(count * 8)
            var bits: UInt8 = 0, bitCount = 0
            for i in 0..<count {
                let x = column.number(row: start + i)
                if x.isNaN { present[i] = false; continue }
                switch storage {
                case .double: appendLittleEndian(x.bitPattern, to: &values); stats.add(x)
                case .float: appendLittleEndian(Float(x).bitPattern, to: &values); stats.add(x)
                case .int64: appendLittleEndian(UInt64(bitPattern: Int64(x)), to: &values); stats.add(x)
                case .boolean, .string:
                    if x != 0 { bits |= 1 << UInt8(bitCount) }
                    bitCount += 1
                    stats.add(x != 0 ? 1 : 0)
                    if bitCount == 8 { values.append(bits); bits = 0; bitCount = 0 }
                }
            }
            if bitCount > 0 { values.append(bits) }
        }
        let levels = definitionLevels(present)
        var page = [UInt8]()
        page.reserveCapacity(4 + levels.count + values.count)
        appendLittleEndian(UInt32(truncatingIfNeeded: levels.count), to: &page)
        page.append(contentsOf: levels)
        page.append(contentsOf: values)
        let compressed = try compress(page)
        guard let rawSize = Int32(exactly: page.count), let packedSize = Int32(exactly: compressed.count),
              let rows = Int32(exactly: count) else {
            throw ParquetFault("column `\(column.name)` has a row group too large for one Parquet page")
        }
        let header = ThriftWriter.message { w in
            w.i32(1, 0)  // DATA_PAGE
            w.i32(2, rawSize)
            w.i32(3, packedSize)
            w.structure(5) { d in
                d.i32(1, rows)
                d.i32(2, 0)  // PLAIN
                d.i32(3, 3)  // RLE definition levels
                d.i32(4, 3)  // RLE repetition levels (none: the schema is flat)
            }
        }
        let nulls = present.reduce(0) { $0 + ($1 ? 0 : 1) }
        return Chunk(bytes: header + compressed, uncompressedSize: header.count + page.count, nulls: nulls,
                     min: stats.minBytes, max: stats.maxBytes)
    }

    /// Definition levels (1 present, 0 null) as RLE runs of Parquet's RLE/bit-packed hybrid, bit width 1.
    static func definitionLevels(_ present: [Bool]) -> [UInt8] {
        var out = [UInt8]()
        var i = 0
        while i < present.count {
            var j = i + 1
            while j < present.count && present[j] == present[i] { j += 1 }
            var header = UInt64(j - i) << 1
            while header >= 0x80 { out.append(UInt8(truncatingIfNeeded: header) | 0x80); header >>= 7 }
            out.append(UInt8(header))
            out.append(present[i] ? 1 : 0)
            i = j
        }
        return out
    }

    static func compress(_ input: [UInt8]) throws -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var out = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                ZSTD_compress(dst.baseAddress, bound, src.baseAddress, input.count, level)
            }
        }
        guard ZSTD_isError(written) == 0 else { throw ParquetFault("zstd could not compress a page") }
        out.removeSubrange(written...)
        return out
    }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
}

/// The smallest and largest value of a chunk, as Parquet's statistics write them (PLAIN bytes;
/// strings by unsigned byte order; NaN never counted).
struct Extremes {
    let storage: ParquetChunkEncoder.Storage
    private var low = Double.infinity, high = -Double.infinity, seen = false
    private var lowText: [UInt8]?, highText: [UInt8]?

    init(_ storage: ParquetChunkEncoder.Storage) { self.storage = storage }

    mutating func add(_ x: Double) {
        seen = true
        if x < low || (x == 0 && low == 0 && x.sign == .minus) { low = x }
        if x > high || (x == 0 && high == 0 && x.sign == .plus) { high = x }
    }

    mutating func add(_ text: [UInt8]) {
        if lowText.map({ text.lexicographicallyPrecedes($0) }) ?? true { lowText = text }
        if highText.map({ $0.lexicographicallyPrecedes(text) }) ?? true { highText = text }
    }

    var minBytes: [UInt8]? { storage == .string ? lowText : bytes(low) }
    var maxBytes: [UInt8]? { storage == .string ? highText : bytes(high) }

    private func bytes(_ x: Double) -> [UInt8]? {
        guard seen else { return nil }
        var out = [UInt8]()
        switch storage {
        case .double: appendLittleEndian(x.bitPattern, to: &out)
        case .float: appendLittleEndian(Float(x).bitPattern, to: &out)
        case .int64: appendLittleEndian(UInt64(bitPattern: Int64(x)), to: &out)
        case .boolean: out.append(x != 0 ? 1 : 0)
        case .string: return nil
        }
        return out
    }
}
