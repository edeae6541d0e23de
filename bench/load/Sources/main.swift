// astrolabe-bench: times one load (and optionally describe) in a fresh process, printing one
// JSON line like bench/peers/b4_load.py's children: read seconds, CPU seconds, RSS before,
// peak RSS (VmHWM, reset just before the call), and the bytes the columns hold.
//
// usage: astrolabe-bench csv|fits|parquet PATH [--float32] [--describe]
import AstrolabeData
import Foundation

func status(_ key: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        let digits = line.split(separator: " ").compactMap { Int($0) }
        return (digits.first ?? 0) * 1024
    }
    return 0
}

/// User and system CPU seconds of the whole process (all threads).
/// (The kernel may split user and system time by sampling; their sum is the reliable figure.)
func cpuTimes() -> (user: Double, system: Double, minorFaults: Int) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6, usage.ru_minflt)
}

func cpuSeconds() -> Double {
    let t = cpuTimes()
    return t.user + t.system
}

let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write(Data("usage: astrolabe-bench csv|fits|parquet PATH [--float32] [--describe]\n".utf8))
    exit(2)
}
let float32 = args.contains("--float32")
let describe = args.contains("--describe")
let before = status("VmRSS")
// Reset the peak so it measures this load only (Linux: clear_refs 5 resets VmHWM).
try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
let c0 = cpuSeconds()
let times0 = cpuTimes()
let t0 = DispatchTime.now()
let table: Table
do {
    if args[1] == "parquet" {
        table = try ParquetReader(precision: float32 ? .float32 : .float64).read(path: args[2], tableName: "t")
    } else if args[1] == "fits" {
        table = try FITSReader(precision: float32 ? .float32 : .float64).read(path: args[2], tableName: "t")
    } else {
        var options = CSVOptions()
        options.precision = float32 ? .float32 : .float64
        table = try CSVReader(options: options).read(path: args[2], tableName: "t")
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
let cpu = cpuSeconds() - c0
let times1 = cpuTimes()
let peakLoad = status("VmHWM")
var describeSeconds = 0.0
var describeCPU = 0.0
var checksum = 0.0
if describe {
    let c1 = cpuSeconds()
    let t1 = DispatchTime.now()
    for column in table.columns where column.isNumeric {
        if let s = column.numericSummary { checksum += s.mean.isNaN ? 0 : s.mean }
    }
    describeSeconds = Double(DispatchTime.now().uptimeNanoseconds - t1.uptimeNanoseconds) / 1e9
    describeCPU = cpuSeconds() - c1
}
let columnBytes = table.columns.reduce(0) { $0 + $1.memoryBytes }
let result: [String: Any] = [
    "read_s": readSeconds, "cpu_s": cpu, "user_s": times1.user - times0.user, "sys_s": times1.system - times0.system,
    "minor_faults": times1.minorFaults - times0.minorFaults, "rss_before": before, "peak_rss_load": peakLoad,
    "peak_rss": status("VmHWM"), "column_bytes": columnBytes, "describe_s": describeSeconds, "describe_cpu_s": describeCPU,
    "shape": [table.rowCount, table.columns.count], "kinds": table.columns.map { $0.kind.rawValue }, "checksum": checksum,
]
let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
