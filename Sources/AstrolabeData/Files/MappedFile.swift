import CFastCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes mapped read-only into memory, so a survey catalogue is parsed in place with no
/// copy. Pages already parsed can be handed back (`release`) so the file does not count twice
/// against memory: once mapped, once as columns. Pipes are read instead (up to the memory
/// available); devices and other special files are refused.
///
/// A file truncated while it is mapped would kill the process (SIGBUS on the first page past
/// its new end): the mapping is guarded (`alab_guard_mapping`), such pages read as zeros, and
/// `checkUnchanged` turns that, or any change of size or modification time, into an error.
final class MappedFile: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    /// True when `buffer` is a mapping whose pages may be released.
    let isMapped: Bool
    private let owned: UnsafeMutableBufferPointer<UInt8>?
    private let path: String
    /// Kept open while mapped, to compare its size and time at the end with those at the start.
    private let fd: Int32
    private let opened: stat
    private let guardSlot: Int32

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError("cannot read \(path): \(MappedFile.errnoText())", file: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw DataError("cannot read \(path): \(MappedFile.errnoText())", file: path)
        }
        let type = info.st_mode & S_IFMT
        if type != S_IFREG, type != S_IFIFO {
            close(fd)
            let what = type == S_IFDIR ? String(cString: strerror(EISDIR))
                : "it is a \(type == S_IFCHR ? "character device" : type == S_IFBLK ? "block device" : "special file"), not a file"
            throw DataError("cannot read \(path): \(what)", file: path)
        }
        self.fd = fd
        self.opened = info
        if type == S_IFREG, info.st_size > 0 {
            let size = Int(info.st_size)
            if let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED {
                _ = madvise(pointer, size, MADV_SEQUENTIAL)
                buffer = UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: size)
                isMapped = true
                owned = nil
                guardSlot = alab_guard_mapping(pointer, Int64(size))
                return
            }
        }
        // Empty files, pipes, or a failed mapping: read the bytes.
        guardSlot = -1
        do {
            owned = try MappedFile.readAll(fd, path: path, limit: MemoryBudget.available())
        } catch {
            close(fd)
            throw error
        }
        buffer = UnsafeBufferPointer(owned!)
        isMapped = false
    }

    deinit {
        _ = alab_guard_release(guardSlot)
        if isMapped, let base = buffer.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        }
        owned?.deallocate()
        close(fd)
    }

    /// Throws when the file changed since it was opened: a page of the mapping was gone (the
    /// file was truncated), or its size or modification time differ. Readers call it after
    /// reading, and before reporting a parse error, which a change may well have caused.
    func checkUnchanged() throws {
        guard (opened.st_mode & S_IFMT) == S_IFREG else { return }
        var now = stat()
        let truncated = guardSlot >= 0 && alab_guard_peek(guardSlot) != 0
        let statFailed = fstat(fd, &now) != 0
        guard truncated || statFailed || now.st_size != opened.st_size
                || now.st_mtim.tv_sec != opened.st_mtim.tv_sec || now.st_mtim.tv_nsec != opened.st_mtim.tv_nsec else { return }
        let sizes = statFailed || now.st_size == opened.st_size ? "" : " (\(opened.st_size) bytes when opened, \(now.st_size) now)"
        throw DataError("the file changed while it was read\(sizes); load it again once it is complete", file: path)
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

    /// Every byte of a pipe, refusing more than `limit` bytes (`load` of an endless stream must
    /// stop with an error, not fill the memory).
    private static func readAll(_ fd: Int32, path: String, limit: Int) throws -> UnsafeMutableBufferPointer<UInt8> {
        var storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
        var count = 0
        while true {
            if count == storage.count {
                guard count < limit else {
                    storage.deallocate()
                    throw DataError("cannot read \(path): more than \(MemoryBudget.format(limit)) came from it, "
                                    + "more than the memory available", file: path)
                }
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: min(limit, count) + count)
                _ = bigger.initialize(from: storage)
                storage.deallocate()
                storage = bigger
            }
            let got = read(fd, storage.baseAddress! + count, storage.count - count)
            if got < 0 {
                if errno == EINTR { continue }
                let message = errnoText()
                storage.deallocate()
                throw DataError("cannot read \(path): \(message)", file: path)
            }
            if got == 0 { break }
            count += got
        }
        return UnsafeMutableBufferPointer(rebasing: storage[0 ..< count])
    }

    static func errnoText() -> String {
        guard let message = strerror(errno) else { return "error \(errno)" }
        return String(cString: message)
    }
}
