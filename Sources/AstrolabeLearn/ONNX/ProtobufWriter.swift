/// Protocol Buffers' wire format, written by hand: the few field kinds ONNX's messages use
/// (varints, 64-bit little-endian, length-delimited bytes and nested messages, packed varints).
///
/// The protobuf code generator and its runtime would be a heavy dependency for one message tree that
/// is only ever written; this is the whole encoder. Fields are written in the order they are
/// called, so the same model gives the same bytes.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    private mutating func tag(_ field: Int, _ wire: WireType) { varint(UInt64(field) << 3 | wire.rawValue) }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// An `int64`/`int32`/enum field (negative values as ten-byte two's complement, as protobuf does).
    mutating func int(_ field: Int, _ value: Int) {
        tag(field, .varint)
        varint(UInt64(bitPattern: Int64(value)))
    }

    /// A `float` field (32-bit little-endian).
    mutating func float(_ field: Int, _ value: Float) {
        tag(field, .fixed32)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
    }

    /// A `double` field.
    mutating func double(_ field: Int, _ value: Double) {
        tag(field, .fixed64)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// A `bytes` field.
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field (UTF-8).
    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// A nested message, written by `body` into a writer of its own.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        body(&inner)
        bytes(field, inner.bytes)
    }

    /// A packed `repeated int64` field.
    mutating func packedInts(_ field: Int, _ values: [Int]) {
        var inner = ProtobufWriter()
        for v in values { inner.varint(UInt64(bitPattern: Int64(v))) }
        bytes(field, inner.bytes)
    }

    /// A packed `repeated float` field.
    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        var raw = [UInt8]()
        raw.reserveCapacity(values.count * 4)
        for v in values {
            let bits = v.bitPattern
            for shift in stride(from: 0, to: 32, by: 8) { raw.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
        }
        bytes(field, raw)
    }
}
