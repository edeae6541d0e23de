import AstrolabeLearn
import Foundation

// The rules benchmark's Astrolabe side (bench/rules/run.sh): reads DIR/votes.bin (rows × rules int8,
// -1 abstain) and times one case, printing {"case", "seconds", ...} as the peers do.
//   astrolabe-rulesbench summary|majority|generative DIR

let arguments = CommandLine.arguments
guard arguments.count == 3, let meta = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arguments[2] + "/meta.json"))) as? [String: Int],
      let rows = meta["rows"], let rules = meta["rules"], let classes = meta["classes"],
      let bytes = try? Data(contentsOf: URL(fileURLWithPath: arguments[2] + "/votes.bin")), bytes.count == rows * rules else {
    FileHandle.standardError.write("usage: astrolabe-rulesbench summary|majority|generative DIR (made by peer_rules.py generate)\n".data(using: .utf8)!)
    exit(2)
}
let votes = bytes.map { Int32(Int8(bitPattern: $0)) }

func report(_ name: String, _ seconds: Double, _ extra: String = "") {
    print("{\"case\": \"\(name)\", \"seconds\": \(seconds)\(extra)}")
}

let start = DispatchTime.now().uptimeNanoseconds
func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
let matrix = try LabelMatrix(rows: rows, rules: rules, classes: classes, votes: votes)
switch arguments[1] {
case "summary":
    let summary = LabelMatrixSummary(matrix)
    report("astrolabe_lf_summary", elapsed(), ", \"coverage\": \(summary.coverage), \"conflict\": \(summary.conflict)")
case "majority":
    let model = try WeakLabelModel(matrix, method: .majority)
    report("astrolabe_majority", elapsed(), ", \"labelled\": \(model.labels.filter { $0 >= 0 }.count)")
case "generative":
    let model = try WeakLabelModel(matrix, method: .generative)
    let accuracies = (model.accuracies ?? []).map { String(format: "%.3f", $0) }.joined(separator: ", ")
    report("astrolabe_dawid_skene", elapsed(), ", \"iterations\": \(model.iterations), \"accuracies\": [\(accuracies)]")
default:
    FileHandle.standardError.write("unknown case \(arguments[1])\n".data(using: .utf8)!)
    exit(2)
}
