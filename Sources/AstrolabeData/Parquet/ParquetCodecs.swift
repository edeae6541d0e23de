import CSnappy
import CZlib
import CZstd

/// Decompresses one page with the codec its column chunk names (parquet.thrift CompressionCodec).
/// The page header gives the decompressed size; output of any other size is an error, so a
/// damaged page can neither overrun its buffer nor pass as shorter data.
enum ParquetCodec {
    static func name(_ code: Int32) -> String {
        ["uncompressed", "snappy", "gzip", "lzo", "brotli", "lz4", "zstd", "lz4_raw"].indices.contains(Int(code))
            ? ["uncompressed", "snappy", "gzip", "lzo", "brotli", "lz4", "zstd", "lz4_raw"][Int(code)] : "codec \(code)"
    }

    static func isSupported(_ code: Int32) -> Bool { [0, 1, 2, 6].contains(code) }

    static func decompress(_ input: UnsafeBufferPointer<UInt8>, codec: Int32, size: Int) throws -> [UInt8] {
        if codec == 0 {
            guard input.count == size else { throw ParquetFault("an uncompressed page holds \(input.count) bytes, not the \(size) its header says") }
            return Array(input)
        }
        // A damaged header may claim any size up to the memory available: check what the data
        // itself says before allocating (snappy and zstd record it; deflate expands at most ~1032×).
        guard plausible(input, codec: codec, size: size) else {
            throw ParquetFault("a \(name(codec))-compressed page of \(input.count) bytes cannot hold the \(size) bytes its header says")
        }
        var ok = false
        // Not zeroed first: every byte is written by the codec, or the page is refused.
        let output = [UInt8](unsafeUninitializedCapacity: size) { out, initialized in
            switch codec {
            case 1: ok = snappy(input, out)
            case 2: ok = gzip(input, out)
            case 6: ok = zstd(input, out)
            default: ok = false
            }
            initialized = size
        }
        guard ok else { throw ParquetFault("a \(name(codec))-compressed page is damaged (it does not decompress to the \(size) bytes its header says)") }
        return output
    }

    private static func plausible(_ input: UnsafeBufferPointer<UInt8>, codec: Int32, size: Int) -> Bool {
        guard let src = input.baseAddress else { return size == 0 }
        switch codec {
        case 1:
            var length = 0
            return snappy_uncompressed_length(UnsafeRawPointer(src).assumingMemoryBound(to: CChar.self), input.count, &length) == SNAPPY_OK
                && length == size
        case 6:
            // The first frame's size (UInt64.max - 1: unknown, UInt64.max: not zstd); a page of
            // several frames is held to the ratio bound.
            let declared = ZSTD_getFrameContentSize(src, input.count)
            if declared == UInt64.max { return false }
            return declared == UInt64(size) || size <= input.count * 1032 + 1024
        default:
            return size <= input.count * 1032 + 1024
        }
    }

    private static func snappy(_ input: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard let src = input.baseAddress else { return out.isEmpty }
        var length = 0
        let raw = UnsafeRawPointer(src).assumingMemoryBound(to: CChar.self)
        guard snappy_uncompressed_length(raw, input.count, &length) == SNAPPY_OK, length == out.count else { return false }
        guard let dst = out.baseAddress else { return length == 0 }
        return snappy_uncompress(raw, input.count, UnsafeMutableRawPointer(dst).assumingMemoryBound(to: CChar.self), &length) == SNAPPY_OK
            && length == out.count
    }

    private static func zstd(_ input: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard let src = input.baseAddress else { return out.isEmpty }
        var scratch: UInt8 = 0
        let dst = out.baseAddress ?? withUnsafeMutablePointer(to: &scratch) { $0 }
        let result = ZSTD_decompress(dst, out.count, src, input.count)
        return ZSTD_isError(result) == 0 && result == out.count
    }

    /// GZIP pages are gzip members (zlib data with a header, 15 + 32 lets zlib tell which).
    private static func gzip(_ input: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard let src = input.baseAddress, input.count <= Int(UInt32.max), out.count <= Int(UInt32.max) else { return false }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return false }
        defer { inflateEnd(&stream) }
        var scratch: UInt8 = 0
        stream.next_in = UnsafeMutablePointer(mutating: src)
        stream.avail_in = UInt32(input.count)
        return withUnsafeMutablePointer(to: &scratch) { spare in
            stream.next_out = out.baseAddress ?? spare
            stream.avail_out = UInt32(out.count)
            return inflate(&stream, Z_FINISH) == Z_STREAM_END && Int(stream.total_out) == out.count
        }
    }
}

/// The RLE/bit-packed hybrid encoding (definition levels, dictionary indices, RLE booleans):
/// runs of one repeated value and groups of 8 bit-packed values, each introduced by a varint.
/// A run past the data or the wanted count is an error.
struct HybridDecoder {
    let data: UnsafeBufferPointer<UInt8>
    let bitWidth: Int
    var position = 0

    init(_ data: UnsafeBufferPointer<UInt8>, bitWidth: Int) throws {
        guard (0 ... 32).contains(bitWidth) else { throw ParquetFault("bit width \(bitWidth) is not between 0 and 32") }
        self.data = data
        self.bitWidth = bitWidth
    }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard position < data.count else { throw ParquetFault("encoded values end early") }
            let b = data[position]
            position += 1
            result |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return result }
        }
        throw ParquetFault("a run length is too long")
    }

    /// Decodes as many values as `buffer` holds into it.
    mutating func decode(into buffer: UnsafeMutableBufferPointer<UInt32>) throws {
        guard let out = buffer.baseAddress else { return }
        let count = buffer.count
        var done = 0
        let byteWidth = (bitWidth + 7) / 8
        while done < count {
            let header = try varint()
            if header & 1 == 0 {  // a run: one value repeated
                let run = header >> 1
                guard run > 0, run <= UInt64(count - done) else { throw ParquetFault("a run of \(run) values does not fit in the page") }
                guard byteWidth <= data.count - position else { throw ParquetFault("encoded values end early") }
                var value: UInt32 = 0
                for i in 0 ..< byteWidth { value |= UInt32(data[position + i]) << UInt32(8 * i) }
                position += byteWidth
                guard bitWidth == 32 || value >> UInt32(bitWidth) == 0 else { throw ParquetFault("a run value is wider than \(bitWidth) bits") }
                (out + done).update(repeating: value, count: Int(run))
                done += Int(run)
            } else {  // bit-packed groups of 8; the last group may hold padding past `count`
                let groups = header >> 1
                guard groups > 0, groups <= UInt64(data.count - position) else { throw ParquetFault("bit-packed values run past the page") }
                let bytes = Int(groups) * bitWidth
                guard bytes <= data.count - position else { throw ParquetFault("bit-packed values run past the page") }
                let take = min(Int(groups) * 8, count - done)
                unpack(from: position, count: take, into: out + done)
                position += bytes
                done += take
            }
        }
    }

    /// Values packed LSB first, `bitWidth` bits each (the caller checked the bytes are there).
    private func unpack(from start: Int, count: Int, into out: UnsafeMutablePointer<UInt32>) {
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        var bit = 0
        for i in 0 ..< count {
            var byte = start + bit >> 3
            var shift = bit & 7
            var value: UInt64 = 0
            var have = 0
            while have < bitWidth + shift, byte < data.count, have < 64 - 8 {
                value |= UInt64(data[byte]) << UInt64(have)
                have += 8
                byte += 1
            }
            out[i] = UInt32(truncatingIfNeeded: (value >> UInt64(shift)) & mask)
            shift = 0
            bit += bitWidth
        }
    }
}
