import CZlib

/// gzip-compressed data (`cat.csv.gz`) inflated with zlib, so a compressed catalogue loads as it
/// is. Several gzip members one after another (as `cat a.gz b.gz` makes) are one stream, as
/// gunzip reads them. The output is refused beyond the memory available, so a small file that
/// inflates without end (a "zip bomb") is an error, not an exhausted machine.
enum Gzip {
    static func isGzip(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    static func inflate(_ input: UnsafeBufferPointer<UInt8>, source: String,
                        limit: Int = MemoryBudget.available()) throws -> [UInt8] {
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
