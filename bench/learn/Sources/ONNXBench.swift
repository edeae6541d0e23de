import AstrolabeData
import AstrolabeLearn
import Foundation

/// `astrolabe-learnbench onnx DIR`: a seeded 1M × 6 table (3 classes, 1% missing cells); forest
/// (100 trees), boosting (100 rounds) and logistic (standard scaling) fitted on its first 2,000
/// rows; each one's probabilities for all 1M rows timed (median of 3) and written to
/// DIR/NAME.p.bin with the model as DIR/NAME.onnx, the features as DIR/x.bin, for
/// bench/onnx/ort_bench.py to run onnxruntime on and compare. Then the table (with an integer id
/// and a text class) written as Parquet (median of 3) to DIR/t.parquet, for pyarrow's side.
func onnxBench(_ dir: String) throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let rows = 1_000_000, columns = 6, labelled = 2000
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    var values = [Double](repeating: 0, count: rows * columns), labels = [Int](repeating: 0, count: rows)
    for r in 0..<rows {
        let label = Int(uniform() * 3) % 3
        labels[r] = label
        for c in 0..<columns {
            let gauss = (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * Double.pi * uniform())
            values[r * columns + c] = uniform() < 0.01 ? .nan : gauss + Double(label) * Double(c % 3 + 1) * 0.4
        }
    }
    let x = try FeatureMatrix(rows: rows, columns: columns, values: values)
    let training = try FeatureMatrix(rows: labelled, columns: columns, values: Array(values[0..<(labelled * columns)]))
    try Data(values.withUnsafeBytes { Array($0) }).write(to: URL(fileURLWithPath: dir + "/x.bin"))
    let features = (0..<columns).map { "f\($0)" }, classes = ["a", "b", "c"]
    let models: [(String, any Classifier & Sendable, Scaling)] = [
        ("forest", RandomForest(trees: 100), .none),
        ("boosting", GradientBoosting(estimators: 100), .none),
        ("logistic", LogisticRegression(), .standard),
        // Depth-limited, so leaves hold mixed frequencies and the float32 scores matter.
        ("extra-trees", ExtraTrees(trees: 50, maxDepth: 8), .robust),
    ]
    for (name, model, scaling) in models {
        var classifier = ScaledClassifier(model, scaling: scaling)
        try classifier.fit(training, labels: Array(labels[0..<labelled]), classCount: 3, seed: 7)
        var p = [Double]()
        let times = try (0..<3).map { _ in try seconds { p = try classifier.predictProbabilities(x) } }
        print("astrolabe \(name) predict 1M rows: \(fmt(median(times))) s (median of 3)")
        try Data(p.withUnsafeBytes { Array($0) }).write(to: URL(fileURLWithPath: "\(dir)/\(name).p.bin"))
        let onnx = try ONNXExport.model(classifier, features: features, classes: classes, kind: name)
        try Data(onnx).write(to: URL(fileURLWithPath: "\(dir)/\(name).onnx"))
    }
    var table = [Column(name: "id", values: .numeric((0..<rows).map(Double.init)), kind: .integer)]
    for c in 0..<columns { table.append(Column(name: features[c], numbers: (0..<rows).map { values[$0 * columns + c] })) }
    table.append(Column(name: "label", strings: labels.map { classes[$0] }))
    let t = try Table(name: "t", columns: table)
    let writes = try (0..<3).map { _ in try seconds { try ParquetWriter.write(t, to: dir + "/t.parquet") } }
    print("astrolabe Parquet write 1M × 8: \(fmt(median(writes))) s (median of 3)")
}
