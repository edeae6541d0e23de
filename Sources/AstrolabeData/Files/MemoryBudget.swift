#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory a command may spend, checked before it spends it: a request the machine
/// cannot hold is an error stating the need and the limit, not a process swapping until the
/// system kills it.
public enum MemoryBudget {
    /// Bytes the system can give now: `MemAvailable` of /proc/meminfo (free memory plus caches it
    /// can drop), or else half the physical memory.
    public static func available() -> Int {
        if let text = try? String(contentsOfProcFile: "/proc/meminfo"),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kB = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kB * 1024
        }
        return Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE))) / 2
    }

    /// Throws when `bytes` (for `what`, as in "990 new columns of 1,000,000 rows") exceed `limit`
    /// (default: what is available now).
    public static func check(_ bytes: Int, for what: String, limit: Int = available()) throws {
        guard bytes > limit else { return }
        throw DataError("\(what) needs \(format(bytes)) of memory, more than the \(format(limit)) available")
    }

    /// `format(7_920_000_000)` → "7.9 GB".
    public static func format(_ bytes: Int) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) bytes" }
        let tenths = (value * 10).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10) \(units[unit])"
    }
}

private extension String {
    /// A /proc file (its size reads as 0, so it is read until the end).
    init(contentsOfProcFile path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError("cannot read \(path)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            bytes += chunk[0 ..< got]
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
