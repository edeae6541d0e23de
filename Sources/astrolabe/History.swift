import CReadline
import Foundation

/// The REPL's history file: loaded at start, and each new entry appended and fsynced right away,
/// so a crash or `kill -9` loses nothing typed before it.
struct History {
    let path: String
    private var last: String?

    /// `$ASTROLABE_HISTORY`, else `~/.astrolabe_history`.
    static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        if let path = env["ASTROLABE_HISTORY"], !path.isEmpty { return path }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".astrolabe_history")
    }

    init(path: String) {
        self.path = path
        using_history()
        _ = history_truncate_file(path, 10_000)
        _ = read_history(path)
        let length = astrolabe_history_length()
        if length > 0, let entry = history_get(astrolabe_history_base() + length - 1), let line = entry.pointee.line {
            last = String(cString: line)
        }
    }

    /// Adds `line` unless it is blank or repeats the previous entry; returns false if the file
    /// could not be written.
    @discardableResult
    mutating func add(_ line: String) -> Bool {
        guard !line.allSatisfy({ $0 == " " || $0 == "\t" }), line != last else { return true }
        last = line
        add_history(line)
        // append_history does not create the file; make sure it exists first.
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard append_history(1, path) == 0 else { return false }
        return fsync(fd) == 0
    }
}
