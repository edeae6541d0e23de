import AstrolabeData
import Foundation
import XCTest

// A seeded, in-process mutation fuzzer run as ordinary XCTest cases.
//
// Deterministic and bounded in work, not time: input `i` of a run is made from the seed corpus by
// a generator seeded with (seed, i) alone, so every input is reproducible on its own and a run
// tries exactly its iteration count. The environment changes a run without editing code:
//
//   FUZZ_SCALE=K        K times each target's own input count (its default is sized for `make test`)
//   FUZZ_ITERATIONS=N   exactly N inputs per target instead
//   FUZZ_SEED=S         another seed (default 1)
//   FUZZ_FIRST=I        start at iteration I (to reach a reported input quickly)
//   FUZZ_HANG_SECONDS=T how long one input may run before it is reported as a hang (default 60)
//   FUZZ_KEEP=1         keep NAME.input after the run (with FUZZ_ITERATIONS=1: that input, to save)
//
// A trap kills the XCTest process, so before each input the harness copies it, with its seed and
// iteration, into `$TMPDIR/astrolabe-fuzz/NAME.input`, a file mapped into memory: the copy costs
// no system call, and the kernel keeps the file's pages when the process dies, however it dies
// (trap, signal, out of memory). The run's first line says how to read it. This file is shared by
// the Data and Kernel test targets (the Kernel copy is a symbolic link to this one).

/// SplitMix64: tiny and deterministic; one stream per input.
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64 = 0) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ stream &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0 ..< n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Byte-level mutations shared by every target: the generic ways real files go wrong.
enum FuzzMutator {
    /// Bytes and tokens that break parsers: control characters, quotes, invalid UTF-8, numbers at
    /// the edges of `Double`, deep nesting and very long tokens.
    static let specials: [[UInt8]] = [
        [0], [0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [0xF0, 0x9D, 0x94, 0x81],
        [0x60], [0x5C], [0x23], [0x3D], [0x2C], [0x09], [0x20],
    ] + [
        "9e307", "1e-310", "1e400", "-1e400", "4.9e-324", "1.7976931348623157e308", "nan", "-nan", "inf", "-inf",
        "NA", "-0", "0x1p3", "1e", "1e+", ".", "-", "+.e", "18446744073709551616", "-9223372036854775809",
        "99999999999999999999999999999999999999", "0.000000000000000000000000000000000000000001",
        "true", "false", "\"\"", "\"\"\"", "((((((((((((((((", "))))", "log10(", "and", "not ", "\\\"",
        String(repeating: "a", count: 300), String(repeating: "9", count: 400), String(repeating: "(", count: 300),
    ].map { Array($0.utf8) }

    /// Applies one to four mutations to `input`; `others` supply splices. The result is at most
    /// `maxLength` bytes, so every iteration stays fast.
    static func mutate(_ input: [UInt8], others: [[UInt8]], random: inout FuzzRandom, maxLength: Int) -> [UInt8] {
        var bytes = input
        for _ in 0 ..< 1 + random.below(4) {
            mutateOnce(&bytes, others: others, random: &random)
        }
        return bytes.count > maxLength ? Array(bytes.prefix(maxLength)) : bytes
    }

    static func mutateOnce(_ bytes: inout [UInt8], others: [[UInt8]], random: inout FuzzRandom) {
        let at = random.below(bytes.count + 1)
        switch random.below(10) {
        case 0 where !bytes.isEmpty:  // flip one bit
            let i = random.below(bytes.count)
            bytes[i] ^= 1 << UInt8(random.below(8))
        case 1 where !bytes.isEmpty:  // one byte becomes a special one
            bytes[random.below(bytes.count)] = random.pick(specials.filter { $0.count == 1 })[0]
        case 2 where !bytes.isEmpty:  // delete a run
            let end = min(bytes.count, at + 1 + random.below(16))
            if at < end { bytes.removeSubrange(at ..< end) }
        case 3, 4:  // insert a special token
            bytes.insert(contentsOf: random.pick(specials), at: at)
        case 5 where !bytes.isEmpty:  // copy a run elsewhere
            let from = random.below(bytes.count)
            let run = bytes[from ..< min(bytes.count, from + 1 + random.below(32))]
            bytes.insert(contentsOf: Array(run), at: random.below(bytes.count + 1))
        case 6:  // truncate
            bytes.removeSubrange(at...)
        case 7 where !others.isEmpty:  // splice: our head, another input's tail
            let other = random.pick(others)
            bytes = Array(bytes.prefix(at)) + other.suffix(from: random.below(other.count + 1))
        case 8:  // replace a number with an extreme one
            replaceNumber(&bytes, random: &random)
        default:  // repeat a run many times
            guard !bytes.isEmpty else { return }
            let from = random.below(bytes.count)
            let run = Array(bytes[from ..< min(bytes.count, from + 1 + random.below(24))])
            let copies = Array(repeating: run, count: 2 + random.below(40)).flatMap { $0 }
            bytes.insert(contentsOf: copies, at: from)
        }
    }

    private static func replaceNumber(_ bytes: inout [UInt8], random: inout FuzzRandom) {
        let starts = bytes.indices.filter { (0x30 ... 0x39).contains(bytes[$0]) && ($0 == 0 || !(0x30 ... 0x39).contains(bytes[$0 - 1])) }
        guard !starts.isEmpty else { return }
        let start = random.pick(starts)
        var end = start
        while end < bytes.count, (0x30 ... 0x39).contains(bytes[end]) || bytes[end] == 0x2E || bytes[end] == 0x65 { end += 1 }
        bytes.replaceSubrange(start ..< end, with: random.pick(specials.filter { $0.count > 1 && $0.count < 60 }))
    }
}

/// How one input ended, as the target's own checks judged it.
enum FuzzOutcome {
    /// Read, parsed or run successfully.
    case accepted
    /// Refused with a proper error (already checked by the target to name its problem).
    case refused
}

/// One input and where it came from, for failure messages.
struct FuzzInput {
    var bytes: [UInt8]
    var seed: UInt64
    var iteration: Int
    /// The input's own generator, after the mutations: targets draw options from it.
    var random: FuzzRandom

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// "seed S iteration I: <the input, escaped, shortened>" for assertion messages.
    var context: String {
        let shown = bytes.prefix(600).map { b -> String in
            b >= 0x20 && b < 0x7F && b != 0x5C ? String(UnicodeScalar(b)) : String(format: "\\x%02X", b)
        }.joined()
        return "seed \(seed) iteration \(iteration) (\(bytes.count) bytes): \(shown)\(bytes.count > 600 ? "…" : "")"
    }
}

/// The counts a run ends with (the closing note of the hardening issue asks for them). A crash
/// ends the process before the report, so a printed report always means 0 crashes; crashes are
/// counted by whoever reruns from the iteration after (`FUZZ_FIRST`).
struct FuzzReport: CustomStringConvertible {
    var name: String
    var tried = 0
    var accepted = 0
    var refused = 0
    var hangs = 0
    var slowestSeconds = 0.0
    var slowestIteration = 0

    var description: String {
        "fuzz \(name): \(tried) inputs, \(accepted) accepted, \(refused) refused with an error, \(hangs) hangs, 0 crashes"
            + String(format: " (slowest: iteration %d, %.2f s)", slowestIteration, slowestSeconds)
    }
}

/// Runs a target over mutated inputs, keeping the current one on disk and a watchdog on it.
struct Fuzzer {
    let name: String
    let seed: UInt64
    let first: Int
    let iterations: Int
    let maxLength: Int
    let directory: URL

    init(name: String, iterations defaultIterations: Int, maxLength: Int) {
        let environment = ProcessInfo.processInfo.environment
        self.name = name
        seed = environment["FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
        first = environment["FUZZ_FIRST"].flatMap { Int($0) } ?? 0
        let scale = environment["FUZZ_SCALE"].flatMap { Int($0) } ?? 1
        iterations = environment["FUZZ_ITERATIONS"].flatMap { Int($0) } ?? defaultIterations * scale
        self.maxLength = maxLength
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fuzz")
    }

    var inputURL: URL { directory.appendingPathComponent("\(name).input") }

    /// Input `i`: a corpus entry mutated by the generator of (seed, i). `mutate` replaces the byte
    /// mutations for targets with structure of their own (it may call `FuzzMutator.mutate`).
    func input(_ i: Int, corpus: [[UInt8]],
               mutate: ((inout FuzzRandom, [UInt8], [[UInt8]]) -> [UInt8])?) -> FuzzInput {
        var random = FuzzRandom(seed: seed, stream: UInt64(i))
        let base = random.pick(corpus)
        let bytes = mutate?(&random, base, corpus)
            ?? FuzzMutator.mutate(base, others: corpus, random: &random, maxLength: maxLength)
        return FuzzInput(bytes: bytes, seed: seed, iteration: i, random: random)
    }

    /// Tries every input; `body` checks one (with XCTest assertions that quote `input.context`)
    /// and says how it ended. Returns the counts, also printed.
    @discardableResult
    func run(corpus: [[UInt8]], mutate: ((inout FuzzRandom, [UInt8], [[UInt8]]) -> [UInt8])? = nil,
             _ body: (FuzzInput) throws -> FuzzOutcome) rethrows -> FuzzReport {
        precondition(!corpus.isEmpty, "a fuzz target needs a seed corpus")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let record = FuzzRecord(path: inputURL.path, capacity: maxLength)
        print("fuzz \(name): seed \(seed), iterations \(first) ..< \(first + iterations); if the process dies, "
              + "`head -1 \(inputURL.path)` names the input being tried, and the rest of that file holds it")
        var report = FuzzReport(name: name)
        let watchdog = FuzzWatchdog.shared
        for i in first ..< first + iterations {
            let input = input(i, corpus: corpus, mutate: mutate)
            record?.keep(input)
            let started = DispatchTime.now().uptimeNanoseconds
            watchdog.begin(name: name, input: input, saveTo: directory)
            let outcome = try body(input)
            let hung = watchdog.end()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if seconds > report.slowestSeconds { (report.slowestSeconds, report.slowestIteration) = (seconds, i) }
            report.tried += 1
            if hung {
                Cancellation.reset()
                report.hangs += 1
                XCTFail("fuzz \(name): hang (over \(watchdog.limit) s) on \(input.context)")
            } else if outcome == .accepted {
                report.accepted += 1
            } else {
                report.refused += 1
            }
        }
        if ProcessInfo.processInfo.environment["FUZZ_KEEP"] == nil { record?.remove() }
        print(report)
        return report
    }
}

/// The input being tried, kept in a memory-mapped file: a first line of 127 characters and a line
/// break (`seed S iteration I: N bytes; rerun it alone with FUZZ_SEED=S FUZZ_FIRST=I
/// FUZZ_ITERATIONS=1`), then the input's bytes (`tail -c +129 FILE | head -c N` extracts them).
final class FuzzRecord {
    static let headerSize = 128
    private let path: String
    private let memory: UnsafeMutableRawPointer
    private let size: Int

    /// nil when the file cannot be made (the run goes on, without the record).
    init?(path: String, capacity: Int) {
        size = Self.headerSize + capacity
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0,
              let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else { return nil }
        self.path = path
        memory = mapped
    }

    func keep(_ input: FuzzInput) {
        let line = "seed \(input.seed) iteration \(input.iteration): \(input.bytes.count) bytes; rerun it alone with "
            + "FUZZ_SEED=\(input.seed) FUZZ_FIRST=\(input.iteration) FUZZ_ITERATIONS=1"
        var header = Array(line.utf8)
        header = Array(header.prefix(Self.headerSize - 1)) + Array(repeating: 0x20, count: max(0, Self.headerSize - 1 - header.count)) + [0x0A]
        header.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: Self.headerSize) }
        let count = min(input.bytes.count, size - Self.headerSize)
        input.bytes.withUnsafeBytes { if count > 0 { (memory + Self.headerSize).copyMemory(from: $0.baseAddress!, byteCount: count) } }
    }

    /// The run finished: nothing to keep.
    func remove() {
        munmap(memory, size)
        unlink(path)
    }
}

/// Watches the input being tried from another thread. An input running longer than the limit is
/// a hang: it is saved as `NAME-hang-ITERATION.input`, reported, and interrupted through
/// `Cancellation` (long loops honour it); if it still does not return, the process exits loudly,
/// since a stuck test would otherwise hang `make test` without saying where.
final class FuzzWatchdog: @unchecked Sendable {
    static let shared = FuzzWatchdog()

    let limit: Double = ProcessInfo.processInfo.environment["FUZZ_HANG_SECONDS"].flatMap { Double($0) } ?? 60
    private let lock = NSLock()
    private var current: (name: String, input: FuzzInput, directory: URL, started: UInt64)?
    private var hung = false

    private init() {
        let thread = Thread { [unowned self] in self.watch() }
        thread.name = "fuzz watchdog"
        thread.start()
    }

    func begin(name: String, input: FuzzInput, saveTo directory: URL) {
        lock.withLock {
            current = (name, input, directory, DispatchTime.now().uptimeNanoseconds)
            hung = false
        }
    }

    /// Whether the input that just finished was reported as a hang.
    func end() -> Bool {
        lock.withLock {
            current = nil
            defer { hung = false }
            return hung
        }
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            lock.withLock {
                guard let current else { return }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - current.started) / 1e9
                if seconds > limit, !hung {
                    hung = true
                    let path = current.directory.appendingPathComponent("\(current.name)-hang-\(current.input.iteration).input")
                    try? Data(current.input.bytes).write(to: path)
                    print("FUZZ HANG in \(current.name): \(current.input.context)\n  saved to \(path.path); interrupting it")
                    Cancellation.request()
                } else if seconds > 3 * limit {
                    print("FUZZ HANG in \(current.name) did not stop when interrupted: \(current.input.context)")
                    fflush(nil)  // every stream: the message must be out before exit
                    exit(3)
                }
            }
        }
    }
}
