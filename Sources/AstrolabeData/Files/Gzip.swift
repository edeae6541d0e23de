import CLibDeflate
import CZlib

/// gzip-compressed data (`cat.csv.gz`) inflated with zlib, so a compressed catalogue loads as it
/// is. Several gzip members one after another (as `cat a.gz b.gz` makes) are one stream, as
/// gunzip reads them. The output is refused beyond the memory available, so a small file that
/// inflates without end (a "zip bomb") is an error, not an exhausted machine.
enum Gzip {
    static func isGzip(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// libdeflate inflates whole members several times faster than zlib; data it cannot inflate
    /// (damaged, cut short, trailing garbage) goes through zlib, whose errors say where and why.
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, source: String,
                        limit: Int = MemoryBudget.available()) throws -> [UInt8] {
        if let whole = try inflateWhole(input, limit: limit) { return whole }
        return try inflateStreaming(input, source: source, limit: limit)
    }

    /// Every member inflated by libdeflate into an output sized from the gzip trailer's length
    /// (doubled while too small, up to `limit`); nil when libdeflate refuses the data.
    static func inflateWhole(_ input: UnsafeBufferPointer<UInt8>, limit: Int, minimumCapacity: Int = 1 << 16) throws -> [UInt8]? {
        guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        guard let base = input.baseAddress, input.count >= 18 else { return nil }
        // ISIZE, the last member's length mod 2^32: exact for the usual one-member file under 4 GB.
        let tail = input.count - 4
        let stated = Int(input[tail]) | Int(input[tail + 1]) << 8 | Int(input[tail + 2]) << 16 | Int(input[tail + 3]) << 24
        var output: [UInt8] = []
        var offset = 0
        var capacity = Swift.max(stated, minimumCapacity, 1)
        while offset < input.count {
            try Cancellation.check()
            guard isGzip(UnsafeBufferPointer(rebasing: input[offset...])) else { return nil }
            var used = 0, produced = 0
            var status = LIBDEFLATE_INSUFFICIENT_SPACE
            var member: [UInt8] = []
            while status == LIBDEFLATE_INSUFFICIENT_SPACE {
                guard output.count + capacity <= limit || capacity <= minimumCapacity else { return nil }
                member = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                    status = libdeflate_gzip_decompress_ex(decompressor, base + offset, input.count - offset,
                                                          buffer.baseAddress, buffer.count, &used, &produced)
                    count = status == LIBDEFLATE_SUCCESS ? produced : 0
                }
                if status == LIBDEFLATE_INSUFFICIENT_SPACE { capacity *= 2 }
            }
            guard status == LIBDEFLATE_SUCCESS, used > 0, output.count + produced <= limit else { return nil }
            if output.isEmpty { output = member } else { output += member }
            offset += used
        }
        return output
    }

    static func inflateStreaming(_ input: UnsafeBufferPointer<UInt8>, source: String, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: a window of 2^15 bytes, with a gzip header and trailer.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError("cannot decompress: zlib failed to start", file: source)
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var handed = 0 // input bytes handed to zlib so far (at most 1 GB at a time: avail_in is 32-bit)
        while true {
            try Cancellation.check()
            if stream.avail_in == 0, handed < input.count {
                let count = Swift.min(input.count - handed, 1 << 30)
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + handed)
                stream.avail_in = UInt32(count)
                handed += count
            }
            let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            let consumed = handed - Int(stream.avail_in)
            let produced = chunk.count - Int(stream.avail_out)
            try Decompression.append(chunk[0 ..< produced], to: &output, limit: limit, source: source)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // Another member may follow; anything else after the end is not gzip data.
                let rest = UnsafeBufferPointer(rebasing: input[consumed...])
                if rest.isEmpty { return output }
                guard isGzip(rest) else {
                    throw DataError("the gzip data ends at byte \(consumed) and is followed by \(rest.count) bytes that are not gzip",
                                    file: source)
                }
                inflateReset(&stream)
            case Z_BUF_ERROR where stream.avail_in == 0 && handed == input.count:
                throw DataError("the gzip data is cut short (it ends inside a compressed block, at byte \(input.count))", file: source)
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DataError("the gzip data is damaged near byte \(consumed): \(reason)", file: source)
            }
        }
    }
}
