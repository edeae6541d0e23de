// Regression forest fit + predict on the SDSS photo-z sample, beside scikit-learn's
// RandomForestRegressor (bench/regress/run.sh runs both). Not part of the tests.
//
//     astrolabe-regressbench Samples/sdss_mgs_photoz.csv [repeats]
import AstrolabeLearn
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
    print("usage: astrolabe-regressbench Samples/sdss_mgs_photoz.csv [repeats]")
    exit(2)
}
let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let lines = text.split(separator: "\n")
let header = lines[0].split(separator: ",").map(String.init)
let featureNames = ["u_minus_g", "g_minus_r", "r_minus_i", "i_minus_z", "r"]
let featureIndex = featureNames.compactMap { header.firstIndex(of: $0) }
guard let targetIndex = header.firstIndex(of: "z_spec"), featureIndex.count == featureNames.count else { exit(2) }
var rows: [[Double]] = [], targets: [Double] = []
for line in lines.dropFirst() {
    let cells = line.split(separator: ",", omittingEmptySubsequences: false)
    rows.append(featureIndex.map { Double(cells[$0]) ?? .nan })
    targets.append(Double(cells[targetIndex]) ?? .nan)
}
let trainCount = 7500
let train = try FeatureMatrix(rows: Array(rows.prefix(trainCount))), test = try FeatureMatrix(rows: Array(rows.dropFirst(trainCount)))
var fits: [Double] = [], predictions: [Double] = []
var metrics: RegressionMetrics?
for run in 0..<repeats {
    var forest = RandomForestRegressor(trees: 100)
    let t0 = Date()
    try forest.fit(train, targets: Array(targets.prefix(trainCount)), seed: UInt64(run))
    let t1 = Date()
    let predicted = try forest.predict(test)
    let t2 = Date()
    fits.append(t1.timeIntervalSince(t0))
    predictions.append(t2.timeIntervalSince(t1))
    metrics = RegressionMetrics(truth: Array(targets.dropFirst(trainCount)), predicted: predicted)
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
print(String(format: "astrolabe fit %.4f s  predict %.4f s  RMSE %.5f  NMAD %.5f", median(fits), median(predictions),
             metrics?.rmse ?? .nan, metrics?.nmad ?? .nan))
