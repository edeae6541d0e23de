import CLZMA

/// xz-compressed data inflated with liblzma. Concatenated streams are one file (`LZMA_CONCATENATED`),
/// as unxz reads them.
enum XZ {
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, source: String, limit: Int) throws -> [UInt8] {
        var stream = lzma_stream()
        // No memory limit of liblzma's own: the output limit below bounds what is kept.
        guard lzma_stream_decoder(&stream, UInt64.max, 0x08 /* LZMA_CONCATENATED, a macro Swift does not import */) == LZMA_OK else {
            throw DataError("cannot decompress: liblzma failed to start", file: source)
        }
        defer { lzma_end(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        stream.next_in = input.baseAddress
        stream.avail_in = input.count
        var action = LZMA_RUN
        while true {
            try Cancellation.check()
            if stream.avail_in == 0 { action = LZMA_FINISH }
            let status = chunk.withUnsafeMutableBufferPointer { out -> lzma_ret in
                stream.next_out = out.baseAddress
                stream.avail_out = out.count
                return lzma_code(&stream, action)
            }
            try Decompression.append(chunk[0 ..< chunk.count - stream.avail_out], to: &output, limit: limit, source: source)
            let consumed = input.count - stream.avail_in
            switch status {
            case LZMA_OK: continue
            case LZMA_STREAM_END: return output
            case LZMA_BUF_ERROR:
                throw DataError("the xz data is cut short (at byte \(input.count))", file: source)
            case LZMA_FORMAT_ERROR, LZMA_DATA_ERROR, LZMA_OPTIONS_ERROR:
                throw DataError("the xz data is damaged near byte \(consumed)", file: source)
            default:
                throw DataError("the xz data cannot be decompressed near byte \(consumed) (liblzma error \(status.rawValue))", file: source)
            }
        }
    }
}
