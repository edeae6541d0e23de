#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes mapped read-only into memory, so a survey catalogue is parsed in place with no
/// copy. Pages already parsed can be handed back (`release`) so the file does not count twice
/// against memory: once mapped, once as columns. Non-regular files (pipes) are read instead.
final class MappedFile: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    /// True when `buffer` is a mapping whose pages may be released.
    let isMapped: Bool
    private let owned: UnsafeMutableBufferPointer<UInt8>?

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError("cannot read \(path): \(MappedFile.errnoText())", file: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError("cannot read \(path): \(MappedFile.errnoText())", file: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError("cannot read \(path): \(String(cString: strerror(EISDIR)))", file: path)
        }
        if (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
            let size = Int(info.st_size)
            if let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED {
                _ = madvise(pointer, size, MADV_SEQUENTIAL)
                buffer = UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: size)
                isMapped = true
                owned = nil
                return
            }
        }
        // Empty files, pipes, or a failed mapping: read the bytes.
        let bytes = try MappedFile.readAll(fd, path: path)
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
        _ = storage.initialize(from: bytes)
        owned = storage
        buffer = UnsafeBufferPointer(start: storage.baseAddress, count: bytes.count)
        isMapped = false
    }

    deinit {
        if isMapped, let base = buffer.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        }
        owned?.deallocate()
    }

    /// Drops the resident pages wholly inside `range` (they are re-read from the file if touched again).
    func release(_ range: Range<Int>) {
        guard isMapped, let base = buffer.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = min(range.upperBound, buffer.count) / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    private static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw DataError("cannot read \(path): \(errnoText())", file: path)
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0 ..< got])
        }
        return bytes
    }

    static func errnoText() -> String {
        guard let message = strerror(errno) else { return "error \(errno)" }
        return String(cString: message)
    }
}
