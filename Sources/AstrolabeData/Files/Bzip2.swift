import CBZip2

/// bzip2-compressed data inflated with libbz2. Several streams one after another (as
/// `cat a.bz2 b.bz2` makes) are one file, as bunzip2 reads them.
enum Bzip2 {
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, source: String, limit: Int) throws -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        repeat {
            offset = try inflateStream(input, from: offset, into: &output, chunk: &chunk, source: source, limit: limit)
        } while offset < input.count
        return output
    }

    /// Inflates the stream starting at `from`; returns where the next one starts.
    private static func inflateStream(_ input: UnsafeBufferPointer<UInt8>, from: Int, into output: inout [UInt8],
                                      chunk: inout [UInt8], source: String, limit: Int) throws -> Int {
        guard input.count - from >= 3, input[from] == 0x42, input[from + 1] == 0x5A, input[from + 2] == 0x68 else {
            throw DataError("the bzip2 data ends at byte \(from) and is followed by \(input.count - from) bytes that are not bzip2",
                            file: source)
        }
        var stream = bz_stream()
        guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else {
            throw DataError("cannot decompress: libbz2 failed to start", file: source)
        }
        defer { BZ2_bzDecompressEnd(&stream) }
        var handed = from // avail_in is 32-bit: at most 1 GB at a time
        while true {
            try Cancellation.check()
            if stream.avail_in == 0, handed < input.count {
                let count = Swift.min(input.count - handed, 1 << 30)
                stream.next_in = UnsafeMutableRawPointer(mutating: input.baseAddress! + handed).assumingMemoryBound(to: CChar.self)
                stream.avail_in = UInt32(count)
                handed += count
            }
            let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                stream.next_out = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: CChar.self)
                stream.avail_out = UInt32(out.count)
                return BZ2_bzDecompress(&stream)
            }
            try Decompression.append(chunk[0 ..< chunk.count - Int(stream.avail_out)], to: &output, limit: limit, source: source)
            let consumed = handed - Int(stream.avail_in)
            switch status {
            case BZ_STREAM_END: return consumed
            case BZ_OK where stream.avail_in == 0 && handed == input.count && stream.avail_out > 0:
                throw DataError("the bzip2 data is cut short (it ends inside a block, at byte \(input.count))", file: source)
            case BZ_OK: continue
            default:
                throw DataError("the bzip2 data is damaged near byte \(consumed) (libbz2 error \(status))", file: source)
            }
        }
    }
}
