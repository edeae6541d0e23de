// astrolabe-learnbench: the active-learning engine timed and checked on the peers' data.
//
//   astrolabe-learnbench b2 DIR        forest (100 trees) fit on 1,000 labels + probabilities for 1M rows
//                                      + margin top-100; committee of 5 forests + vote entropy (B2)
//   astrolabe-learnbench b3 DIR [N]    N (200) query/teach iterations, margin, 100-tree forest retrained
//                                      after every answer, pool 80,000 (B3, seed 0 split)
//   astrolabe-learnbench committee DIR [N]
//                                      B2's committee alone, wall and CPU per phase, medians of N (3)
//   astrolabe-learnbench forest DIR [N]
//                                      B2's single forest alone: fit, probabilities for 1M rows, margin
//                                      top-100, wall and CPU per phase (medians of N, 10) and a hash of
//                                      the probabilities' bits (the same bits give the same hash)
//   astrolabe-learnbench onnx DIR     1M rows: forest/boosting/logistic predict timed and exported as ONNX,
//                                      Parquet write timed (bench/onnx/ort_bench.py is the peer side)
//   astrolabe-learnbench b5 PROTOCOL SHARED_DATA PEERS_B5_JSON
//                                      B5 lr_std learning curves on the peers' exact splits; AUBC vs modAL
//
// DIR holds the files bench/learn/export_survey.py writes. Build with -c release. Timings: median of 5
// after one warm-up (b2), one run (b3). See bench/learn/README.md.
import AstrolabeLearn
import Foundation

func readArray<T>(_ path: String, as: T.Type) throws -> [T] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Process CPU time (user + system) so far, in seconds: on a shared machine, wall time alone
/// cannot tell a slow program from a busy neighbour.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The 1-minute load average (other builders share the 2 cores).
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}

func fmt(_ x: Double) -> String { String(format: "%.4f", x) }

func b2(_ dir: String) throws {
    let colours = try readArray("\(dir)/survey_1m.colours.f64", as: Double.self)
    let labels = try readArray("\(dir)/survey_1m.labels.i64", as: Int64.self).map(Int.init)
    let chosen = try readArray("\(dir)/b2_labelled.i64", as: Int64.self).map(Int.init)
    let all = try FeatureMatrix(rows: labels.count, columns: 4, values: colours)
    let train = try all.selecting(rows: chosen)
    let y = chosen.map { labels[$0] }
    var fitTimes: [Double] = [], predictTimes: [Double] = [], scoreTimes: [Double] = []
    var accuracy = 0.0
    for run in 0..<6 {
        var forest = RandomForest(trees: 100)
        let fit = try seconds { try forest.fit(train, labels: y, classCount: 3, seed: 0) }
        var p: [Double] = []
        let predict = try seconds { p = try forest.predictProbabilities(all) }
        var top: [Int] = []
        let score = seconds {
            let s = MarginSampling().scores(probabilities: p, classCount: 3, seed: 0)
            top = rankQueries(scores: s, count: 100)
        }
        precondition(top.count == 100)
        if run > 0 { fitTimes.append(fit); predictTimes.append(predict); scoreTimes.append(score) }
        let predicted = try forest.predict(all)
        accuracy = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
    let total = median(fitTimes) + median(predictTimes) + median(scoreTimes)
    print("b2 rf: fit \(fmt(median(fitTimes))) s, predict_proba 1M \(fmt(median(predictTimes))) s, "
          + "margin+top100 \(fmt(median(scoreTimes))) s, total \(fmt(total)) s, accuracy(1M) \(fmt(accuracy))")

    var committeeTimes: [Double] = []
    for run in 0..<4 {
        var committee = Committee(members: (0..<5).map { _ in RandomForest(trees: 100) })
        let t = try seconds {
            try committee.fit(train, labels: y, classCount: 3, seed: 0)
            let members = try committee.memberProbabilities(all)
            let s = VoteEntropy().scores(memberProbabilities: members, classCount: 3)
            _ = rankQueries(scores: s, count: 100)
        }
        if run > 0 { committeeTimes.append(t) }
    }
    print("b2 committee5 rf fit + predict 1M + vote entropy + top100: \(fmt(median(committeeTimes))) s")
}

/// B2's committee alone, phase by phase (wall and process CPU per phase, medians of `repeats` after a
/// warm-up): five forests fitted, each member's probabilities over the 1M pool, vote entropy, top 100.
func committeeProbe(_ dir: String, repeats: Int) throws {
    let colours = try readArray("\(dir)/survey_1m.colours.f64", as: Double.self)
    let labels = try readArray("\(dir)/survey_1m.labels.i64", as: Int64.self).map(Int.init)
    let chosen = try readArray("\(dir)/b2_labelled.i64", as: Int64.self).map(Int.init)
    let all = try FeatureMatrix(rows: labels.count, columns: 4, values: colours)
    let train = try all.selecting(rows: chosen)
    let y = chosen.map { labels[$0] }
    var phases: [String: ([Double], [Double])] = [:]
    func timed<T>(_ name: String, _ record: Bool, _ body: () throws -> T) rethrows -> T {
        let c0 = cpuSeconds(), w0 = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9, cpu = cpuSeconds() - c0
        if record { phases[name, default: ([], [])].0.append(wall); phases[name, default: ([], [])].1.append(cpu) }
        return result
    }
    var checksum = 0.0
    for run in 0...repeats {
        let record = run > 0
        var committee = Committee(members: (0..<5).map { _ in RandomForest(trees: 100) })
        let c0 = cpuSeconds(), w0 = DispatchTime.now().uptimeNanoseconds
        try timed("fit", record) { try committee.fit(train, labels: y, classCount: 3, seed: 0) }
        let members = try timed("predict", record) { try committee.memberProbabilities(all) }
        let s = timed("vote entropy", record) { VoteEntropy().scores(memberProbabilities: members, classCount: 3) }
        let top = timed("top100", record) { rankQueries(scores: s, count: 100) }
        _ = try timed("one member predict again", record) { try committee.members[0].predictProbabilities(all) }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9, cpu = cpuSeconds() - c0
        if record { phases["total", default: ([], [])].0.append(wall); phases["total", default: ([], [])].1.append(cpu) }
        checksum = s.reduce(0, +) + Double(top.reduce(0, +))
        for m in members { checksum += m.enumerated().reduce(0) { $0 + $1.element * Double($1.offset % 7) } }
    }
    for name in ["fit", "predict", "vote entropy", "top100", "one member predict again", "total"] {
        guard let (w, c) = phases[name] else { continue }
        print("committee \(name): wall \(fmt(median(w))) s, cpu \(fmt(median(c))) s")
    }
    print("committee checksum \(String(format: "%.10f", checksum))")
}

/// FNV-1a over the bit patterns of `values`: equal exactly when the doubles are bit-for-bit equal
/// (up to hash collisions), unlike a sum.
func bitHash(_ values: [Double]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for v in values { h = (h ^ v.bitPattern) &* 0x100_0000_01b3 }
    return h
}

/// B2's single forest, phase by phase: wall and process CPU of the fit, of the 1M-row probabilities
/// and of margin + top 100 (medians of `repeats` after a warm-up), and a hash of the probabilities'
/// bits.
func forestProbe(_ dir: String, repeats: Int) throws {
    let colours = try readArray("\(dir)/survey_1m.colours.f64", as: Double.self)
    let labels = try readArray("\(dir)/survey_1m.labels.i64", as: Int64.self).map(Int.init)
    let chosen = try readArray("\(dir)/b2_labelled.i64", as: Int64.self).map(Int.init)
    let all = try FeatureMatrix(rows: labels.count, columns: 4, values: colours)
    let train = try all.selecting(rows: chosen)
    let y = chosen.map { labels[$0] }
    var phases: [String: ([Double], [Double])] = [:]
    func timed<T>(_ name: String, _ record: Bool, _ body: () throws -> T) rethrows -> T {
        let c0 = cpuSeconds(), w0 = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9, cpu = cpuSeconds() - c0
        if record { phases[name, default: ([], [])].0.append(wall); phases[name, default: ([], [])].1.append(cpu) }
        return result
    }
    var hash: UInt64 = 0
    for run in 0...repeats {
        let record = run > 0
        var forest = RandomForest(trees: 100)
        try timed("fit", record) { try forest.fit(train, labels: y, classCount: 3, seed: 0) }
        let p = try timed("predict", record) { try forest.predictProbabilities(all) }
        _ = timed("margin+top100", record) {
            rankQueries(scores: MarginSampling().scores(probabilities: p, classCount: 3, seed: 0), count: 100)
        }
        hash = bitHash(p)
    }
    var total = (0.0, 0.0)
    for name in ["fit", "predict", "margin+top100"] {
        guard let (w, c) = phases[name] else { continue }
        total.0 += median(w)
        total.1 += median(c)
        print("forest \(name): wall \(fmt(median(w))) s, cpu \(fmt(median(c))) s")
    }
    print("forest total (sum of medians): wall \(fmt(total.0)) s, cpu \(fmt(total.1)) s; probabilities hash \(String(hash, radix: 16))")
}

func b3(_ dir: String, iterations: Int) throws {
    let colours = try readArray("\(dir)/survey_100k.colours.f64", as: Double.self)
    let labels = try readArray("\(dir)/survey_100k.labels.i64", as: Int64.self).map(Int.init)
    let split = try readArray("\(dir)/b3_split_seed0.i64", as: Int64.self).map(Int.init)
    let x = try FeatureMatrix(rows: labels.count, columns: 4, values: colours)
    var training = Array(split[0..<10])
    var pool = Array(split[10..<80_010])
    let test = Array(split[80_010...])
    var forest = RandomForest(trees: 100)
    try forest.fit(x.selecting(rows: training), labels: training.map { labels[$0] }, classCount: 3, seed: 0)
    var perIteration: [Double] = [], queries: [Double] = [], teaches: [Double] = []
    let total = try seconds {
        for _ in 0..<iterations {
            var pick = 0
            let q = try seconds {
                let p = try forest.predictProbabilities(x.selecting(rows: pool))
                let s = MarginSampling().scores(probabilities: p, classCount: 3, seed: 0)
                pick = rankQueries(scores: s, count: 1)[0]
            }
            let t = try seconds {
                training.append(pool.remove(at: pick))
                try forest.fit(x.selecting(rows: training), labels: training.map { labels[$0] }, classCount: 3, seed: 0)
            }
            queries.append(q)
            teaches.append(t)
            perIteration.append(q + t)
        }
    }
    let predicted = try forest.predict(x.selecting(rows: test))
    let accuracy = Double(zip(predicted, test.map { labels[$0] }).filter { $0 == $1 }.count) / Double(test.count)
    print("b3 margin rf100: \(iterations) iterations \(fmt(total)) s, per-iteration median \(fmt(median(perIteration))) s "
          + "(query \(fmt(median(queries))) s, teach \(fmt(median(teaches))) s), "
          + "accuracy@\(training.count) \(fmt(accuracy))")
}

/// Prediction alone, as in B3's query step: a forest fitted on `labels` rows of the seed-0 split,
/// probabilities for the 80,000-row pool, median of `repeats`.
func predictProbe(_ dir: String, labels count: Int, repeats: Int) throws {
    let colours = try readArray("\(dir)/survey_100k.colours.f64", as: Double.self)
    let labels = try readArray("\(dir)/survey_100k.labels.i64", as: Int64.self).map(Int.init)
    let split = try readArray("\(dir)/b3_split_seed0.i64", as: Int64.self).map(Int.init)
    let x = try FeatureMatrix(rows: labels.count, columns: 4, values: colours)
    let training = Array(split[0..<count])
    let pool = try x.selecting(rows: Array(split[count..<80_010]))
    var forest = RandomForest(trees: 100)
    let trainingRows = try x.selecting(rows: training)
    var fits: [Double] = []
    for _ in 0..<5 {
        fits.append(try seconds { try forest.fit(trainingRows, labels: training.map { labels[$0] }, classCount: 3, seed: 0) })
    }
    print("probe: fit median \(fmt(median(fits))) s")
    var times: [Double] = []
    var checksum = 0.0
    let cpuStart = cpuSeconds()
    defer { print("probe cpu per prediction \(fmt((cpuSeconds() - cpuStart) / Double(repeats))) s") }
    var hash: UInt64 = 0
    for _ in 0..<repeats {
        times.append(try seconds {
            let p = try forest.predictProbabilities(pool)
            checksum += p.reduce(0, +)
            hash = bitHash(p)
        })
    }
    print("probe: \(count) labels, \(forest.nodeCount) nodes, predict \(pool.rows) rows median \(fmt(median(times))) s (checksum \(checksum), hash \(String(hash, radix: 16)))")
}

/// A labelled CSV of ../shared/data (id first, label last, numbers between).
func loadCSV(_ path: String) throws -> (FeatureMatrix, [Int]) {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
    var rows: [[Double]] = [], names: [String] = []
    for line in lines {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false)
        rows.append(cells.dropFirst().dropLast().map { Double($0) ?? .nan })
        names.append(String(cells.last ?? ""))
    }
    let classes = Array(Set(names)).sorted()
    return (try FeatureMatrix(rows: rows), names.map { classes.firstIndex(of: $0) ?? 0 })
}

struct ProtocolRun: Decodable {
    var seed: Int, test: [Int], pool: [Int], initial: [Int], random_picks: [Int], budget: Int
}

func b5(protocolPath: String, dataDir: String, peersPath: String) throws {
    let runs = try JSONDecoder().decode([String: [ProtocolRun]].self, from: Data(contentsOf: URL(fileURLWithPath: protocolPath)))
    let peers = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: peersPath))) as? [String: Any]
    let results = peers?["results"] as? [String: Any]
    var worst = 0.0
    for name in ["wine", "breast_cancer", "digits"] {
        let (x, labels) = try loadCSV("\(dataDir)/sklearn_\(name).csv")
        let classCount = Set(labels).count
        for strategy in ["random", "uncertainty", "margin", "entropy"] {
            var areas: [Double] = []
            let elapsed = try seconds {
                for run in runs[name] ?? [] {
                    // B5's lr_std: standardised once with the statistics of the whole pool.
                    let scaler = FeatureScaler(.standard, fitting: try x.selecting(rows: run.pool))
                    let scaled = try scaler.transform(x)
                    let initialSet = Set(run.initial)
                    let rest = run.pool.filter { !initialSet.contains($0) }
                    var model = LogisticRegression()
                    model.warmStart = true
                    let picker: LearningCurve.Picker = strategy == "random" ? .positions(run.random_picks)
                        : .strategy(StrategyKind.named(strategy)!.scorer!)
                    let curve = try LearningCurve.run(x: scaled, labels: labels, classCount: classCount, test: run.test,
                                                      initial: run.initial, pool: rest, budget: run.budget,
                                                      classifier: model, picker: picker, seed: UInt64(run.seed))
                    areas.append(LearningCurve.areaUnderCurve(curve))
                }
            }
            let mean = areas.reduce(0, +) / Double(areas.count)
            let peer = (((results?[name] as? [String: Any])?["lr_std"] as? [String: Any])?[strategy] as? [String: Any])?["aulc_mean"] as? Double ?? .nan
            worst = max(worst, abs(mean - peer))
            print("b5 \(name) lr_std \(strategy): AUBC \(fmt(mean)) (modAL \(fmt(peer)), diff \(String(format: "%+.4f", mean - peer))) [\(String(format: "%.1f", elapsed)) s]")
        }
    }
    print("b5 largest |AUBC difference|: \(fmt(worst))")
}

let args = CommandLine.arguments
let startLoad = loadAverage()
defer { print("cpu \(fmt(cpuSeconds())) s (whole process); load average \(startLoad) at start, \(loadAverage()) at end") }
do {
    switch args.count > 1 ? args[1] : "" {
    case "b2" where args.count >= 3: try b2(args[2])
    case "b3" where args.count >= 3: try b3(args[2], iterations: args.count > 3 ? Int(args[3]) ?? 200 : 200)
    case "probe" where args.count >= 3: try predictProbe(args[2], labels: args.count > 3 ? Int(args[3]) ?? 110 : 110, repeats: 20)
    case "committee" where args.count >= 3: try committeeProbe(args[2], repeats: args.count > 3 ? Int(args[3]) ?? 3 : 3)
    case "forest" where args.count >= 3: try forestProbe(args[2], repeats: args.count > 3 ? Int(args[3]) ?? 10 : 10)
    case "onnx" where args.count >= 3: try onnxBench(args[2])
    case "b5" where args.count >= 5: try b5(protocolPath: args[2], dataDir: args[3], peersPath: args[4])
    default:
        print("usage: astrolabe-learnbench b2 DIR | b3 DIR [N] | committee DIR [N] | probe DIR [LABELS] | forest DIR [N] | b5 PROTOCOL SHARED_DATA PEERS_B5_JSON")
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
