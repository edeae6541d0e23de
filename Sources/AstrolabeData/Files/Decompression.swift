/// Compressed data (`cat.csv.gz`, `.bz2`, `.xz`) made whole again, so a compressed catalogue loads
/// as it is. Which compression is told by the first bytes (`FileFormat`), not by the name; zstd is
/// recognised but refused by name (Debian's libzstd is not linked).
enum Decompression {
    /// The decompressed bytes of `input`, or nil when `input` is not compressed.
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, source: String,
                        limit: Int = MemoryBudget.available()) throws -> [UInt8]? {
        switch FileFormat.detect(Array(input.prefix(FileFormat.sniffLength))) {
        case .compressed("gzip"): return try Gzip.inflate(input, source: source, limit: limit)
        case .compressed("bzip2"): return try Bzip2.inflate(input, source: source, limit: limit)
        case .compressed("xz"): return try XZ.inflate(input, source: source, limit: limit)
        case .compressed(let other):
            throw DataError("the file is \(other)-compressed, which is not supported: decompress it first", file: source)
        default: return nil
        }
    }

    /// Appends `produced` bytes to `output`, refusing more than `limit` in all: a small file that
    /// inflates without end (a "zip bomb") is an error, not an exhausted machine.
    static func append(_ chunk: ArraySlice<UInt8>, to output: inout [UInt8], limit: Int, source: String) throws {
        guard output.count + chunk.count <= limit else {
            throw DataError("decompressed, the file is more than \(MemoryBudget.format(limit)), more than the memory available",
                            file: source)
        }
        output.append(contentsOf: chunk)
    }
}
