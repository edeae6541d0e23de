// astrolabe-auditbench: `audit`'s two halves on a 1M-row table, beside cleanlab and scikit-learn
// (bench/audit/peer_audit.py writes DIR and times the peers on the same files).
//
//   astrolabe-auditbench DIR [TREES]
//     core: findLabelIssues (flags, self-confidence) on scikit-learn's own out-of-fold probabilities
//           (DIR/probs.f64): median of 5 after a warm-up, and whether the flags equal cleanlab's
//           (DIR/cleanlab_flags.u8)
//     oof:  out-of-fold probabilities, 5 stratified folds of a TREES-tree forest (default 10), one run
//     audit: the two together, as `audit MODEL folds=5` runs them
// Build with -c release. See bench/audit/README.md.
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

let args = CommandLine.arguments
guard args.count >= 2 else { print("usage: astrolabe-auditbench DIR [TREES]"); exit(2) }
let dir = args[1], trees = args.count > 2 ? Int(args[2]) ?? 10 : 10
let labels = try readArray(dir + "/y.i64", as: Int64.self).map(Int.init)
let n = labels.count
let values = try readArray(dir + "/x.f64", as: Double.self)
let columns = values.count / n
let k = (labels.max() ?? 0) + 1
let reference = try readArray(dir + "/probs.f64", as: Double.self)
let cleanlabFlags = try readArray(dir + "/cleanlab_flags.u8", as: UInt8.self).map { $0 != 0 }
print("rows \(n), features \(columns), classes \(k), trees \(trees)")

var issues = try findLabelIssues(labels: labels, probabilities: reference, classCount: k)
var times: [Double] = []
for _ in 0..<5 { times.append(try seconds { issues = try findLabelIssues(labels: labels, probabilities: reference, classCount: k) }) }
let same = issues.flagged == cleanlabFlags
print(String(format: "core (find_label_issues + self-confidence) on sklearn's probabilities: %.3f s (median of 5); flags equal cleanlab's: %@ (%d flagged)",
             times.sorted()[2], same ? "yes" : "NO", issues.flagged.filter { $0 }.count))

// Our flags on sklearn's probabilities, for peer_ties.py (ties at a pruning cut are ordered by row here).
try Data(issues.flagged.map { $0 ? 1 : 0 } as [UInt8]).write(to: URL(fileURLWithPath: dir + "/astrolabe_flags.u8"))
let x = try FeatureMatrix(rows: n, columns: columns, values: values)
var probabilities: [Double] = []
let oof = try seconds {
    probabilities = try outOfFoldProbabilities(x: x, labels: labels, classCount: k, folds: 5, seed: 42) { RandomForest(trees: trees) }
}
var own = issues
let core = try seconds { own = try findLabelIssues(labels: labels, probabilities: probabilities, classCount: k) }
print(String(format: "oof (5 folds, %d-tree forest): %.3f s; core on them: %.3f s; audit total %.3f s; %d flagged",
             trees, oof, core, oof + core, own.flagged.filter { $0 }.count))
