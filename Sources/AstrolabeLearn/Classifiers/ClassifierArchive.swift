import Foundation

/// The fitted state of a classifier as plain values, for model files: trees as flat arrays, weights,
/// class statistics, training rows, boosting stages, the median imputer and the classes seen.
///
/// Restoring an archive gives back a model whose probabilities equal the archived model's bit for
/// bit, without refitting: every number is stored as it is (JSON writes the shortest text that reads
/// back to the same `Double`), and trees are rebuilt node by node into the same layout. Hyper-
/// parameters are stored too, so a restored model that is trained again behaves like the original.
///
/// One struct for every kind rather than one per classifier: a model file is read by kind, and the
/// fields a kind does not use are simply absent from the JSON.
public struct ClassifierArchive: Codable, Sendable, Equatable {
    /// `forest`, `extra-trees`, `tree`, `knn`, `logistic`, `naive-bayes`, `adaboost`, `boosting` or
    /// `committee`.
    public var kind: String
    var classCount: Int
    /// Number of features the model was fitted on.
    var columns: Int

    // Hyper-parameters.
    var trees: Int?
    var maxDepth: Int?
    var minSamplesLeaf: Int?
    var maxFeatures: String?
    var bootstrap: Bool?
    var k: Int?
    var weighting: String?
    var c: Double?
    var maxIterations: Int?
    var warmStart: Bool?
    var varSmoothing: Double?
    var estimators: Int?
    var learningRate: Double?

    // Fitted state.
    var medians: [Double]?
    /// Declared class index of each class the training set had (models fitted on taught classes only).
    var presentClasses: [Int]?
    /// Forest and single-tree models, AdaBoost stumps, boosting stages (round-major).
    var forest: [TreeArchive]?
    /// Logistic coefficients, AdaBoost alphas, boosting initial raw scores.
    var weights: [Double]?
    var means: [Double]?
    var variances: [Double]?
    var logPriors: [Double]?
    /// k-nearest neighbours: the imputed training rows (row-major) and their labels.
    var trainingValues: [Double]?
    var trainingLabels: [Int]?
    var iterations: Int?
    var converged: Bool?
    var members: [ClassifierArchive]?

    init(kind: String, classCount: Int, columns: Int) {
        self.kind = kind
        self.classCount = classCount
        self.columns = columns
    }
}

/// One tree as parallel flat arrays, node 0 the root: a split sends a row to node `next` when its
/// `feature` value is `<=` this threshold, else to `next + 1`; a leaf (`feature == -1`) has its
/// `classCount` values at `next * classCount` in `leafValues`.
///
/// In the file the four node arrays are base64 of their little-endian bytes: exact by
/// construction, a third of the size of decimal text, and read back in milliseconds where parsing
/// millions of JSON numbers (a forest of hundreds of trees) takes as long as refitting.
struct TreeArchive: Codable, Sendable, Equatable {
    var classCount: Int
    var featureCount: Int
    var feature: [Int32]
    var threshold: [Double]
    var next: [Int32]
    var leafValues: [Double]
    var impurityDecrease: [Double]

    init(classCount: Int, featureCount: Int, feature: [Int32], threshold: [Double], next: [Int32],
         leafValues: [Double], impurityDecrease: [Double]) {
        self.classCount = classCount
        self.featureCount = featureCount
        self.feature = feature
        self.threshold = threshold
        self.next = next
        self.leafValues = leafValues
        self.impurityDecrease = impurityDecrease
    }

    enum CodingKeys: String, CodingKey {
        case classCount, featureCount, feature, threshold, next, leafValues, impurityDecrease
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classCount = try c.decode(Int.self, forKey: .classCount)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        impurityDecrease = try c.decode([Double].self, forKey: .impurityDecrease)
        func bytes(_ key: CodingKeys, width: Int) throws -> [UInt8] {
            guard let data = Data(base64Encoded: try c.decode(String.self, forKey: key)), data.count % width == 0 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not base64 of \(width)-byte values")
            }
            return Array(data)
        }
        func words64(_ key: CodingKeys) throws -> [Double] {
            let b = try bytes(key, width: 8)
            return stride(from: 0, to: b.count, by: 8).map { i in
                var bits: UInt64 = 0
                for j in 0..<8 { bits |= UInt64(b[i + j]) << (8 * UInt64(j)) }
                return Double(bitPattern: bits)
            }
        }
        func words32(_ key: CodingKeys) throws -> [Int32] {
            let b = try bytes(key, width: 4)
            return stride(from: 0, to: b.count, by: 4).map { i in
                var bits: UInt32 = 0
                for j in 0..<4 { bits |= UInt32(b[i + j]) << (8 * UInt32(j)) }
                return Int32(bitPattern: bits)
            }
        }
        feature = try words32(.feature)
        threshold = try words64(.threshold)
        next = try words32(.next)
        leafValues = try words64(.leafValues)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classCount, forKey: .classCount)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(impurityDecrease, forKey: .impurityDecrease)
        func pack64(_ values: [Double]) -> String {
            var b = [UInt8](); b.reserveCapacity(values.count * 8)
            for v in values { let bits = v.bitPattern; for j in 0..<8 { b.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(j)))) } }
            return Data(b).base64EncodedString()
        }
        func pack32(_ values: [Int32]) -> String {
            var b = [UInt8](); b.reserveCapacity(values.count * 4)
            for v in values { let bits = UInt32(bitPattern: v); for j in 0..<4 { b.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(j)))) } }
            return Data(b).base64EncodedString()
        }
        try c.encode(pack32(feature), forKey: .feature)
        try c.encode(pack64(threshold), forKey: .threshold)
        try c.encode(pack32(next), forKey: .next)
        try c.encode(pack64(leafValues), forKey: .leafValues)
    }
}

extension DecisionTree {
    var archive: TreeArchive {
        TreeArchive(classCount: classCount, featureCount: impurityDecrease.count,
                    feature: nodes.map(\.feature), threshold: nodes.map(\.threshold), next: nodes.map(\.next),
                    leafValues: leafValues, impurityDecrease: impurityDecrease)
    }

    /// Rebuilds the tree through the builder's own steps (splits in the order their children were
    /// appended, leaves in leaf order), so the layout is the archived one and nothing else can be
    /// made: a damaged archive is an error, never a tree that walks out of its arrays.
    init(archive a: TreeArchive) throws {
        let n = a.feature.count
        let bad = LearnError("the model file has a damaged tree")
        guard a.classCount >= 1, a.featureCount >= 0, n >= 1, a.threshold.count == n, a.next.count == n,
              a.impurityDecrease.count == a.featureCount, a.leafValues.count % a.classCount == 0 else { throw bad }
        self.init(classCount: a.classCount, featureCount: a.featureCount)
        let splits = (0..<n).filter { a.feature[$0] >= 0 }.sorted { a.next[$0] < a.next[$1] }
        var decreaseGiven = Set<Int>()
        for node in splits {
            let feature = Int(a.feature[node])
            guard feature < a.featureCount, node < nodeCount, Int(a.next[node]) == nodeCount,
                  a.threshold[node].isNaN == false else { throw bad }
            // The whole per-feature total on its first split: total + 0 + 0 ... is the total exactly.
            let decrease = decreaseGiven.insert(feature).inserted ? a.impurityDecrease[feature] : 0
            _ = setSplit(node, feature: feature, threshold: a.threshold[node], impurityDecrease: decrease)
        }
        // Features never split on keep their archived (zero) totals.
        for f in 0..<a.featureCount where !decreaseGiven.contains(f) && a.impurityDecrease[f] != 0 { throw bad }
        guard nodeCount == n else { throw bad }
        let leaves = (0..<n).filter { a.feature[$0] < 0 }.sorted { a.next[$0] < a.next[$1] }
        for (index, node) in leaves.enumerated() {
            guard Int(a.next[node]) == index, (index + 1) * a.classCount <= a.leafValues.count else { throw bad }
            let start = index * a.classCount
            Array(a.leafValues[start..<(start + a.classCount)]).withUnsafeBufferPointer { setLeaf(node, frequencies: $0) }
        }
        guard leafValues.count == a.leafValues.count else { throw bad }
        prepareForPrediction()
    }
}

extension MaxFeatures {
    var archiveText: String {
        switch self {
        case .sqrt: return "sqrt"
        case .log2: return "log2"
        case .all: return "all"
        case .count(let k): return "count:\(k)"
        case .fraction(let f): return "fraction:\(f)"
        }
    }

    init(archiveText text: String) throws {
        switch text {
        case "sqrt": self = .sqrt
        case "log2": self = .log2
        case "all": self = .all
        default:
            if text.hasPrefix("count:"), let k = Int(text.dropFirst(6)) { self = .count(k) }
            else if text.hasPrefix("fraction:"), let f = Double(text.dropFirst(9)) { self = .fraction(f) }
            else { throw LearnError("the model file has an unknown maxFeatures `\(text)`") }
        }
    }
}

extension ClassifierArchive {
    /// The fitted state of `classifier`; an error for a kind that cannot be archived.
    public init(_ classifier: any Classifier) throws {
        switch classifier {
        case let m as RandomForest:
            self.init(kind: m.randomSplits ? "extra-trees" : "forest", forest: m)
        case let m as ExtraTrees:
            self.init(kind: "extra-trees", forest: m.forest)
        case let m as DecisionTreeClassifier:
            self.init(kind: "tree", forest: m.tree)
        case let m as KNearestNeighbors:
            self.init(kind: "knn", classCount: m.classCount, columns: m.columns)
            k = m.k; weighting = m.weighting.rawValue
            medians = m.imputer.medians; trainingValues = m.train; trainingLabels = m.labels
        case let m as LogisticRegression:
            self.init(kind: "logistic", classCount: m.classCount, columns: m.columns)
            c = m.c; maxIterations = m.maxIterations; warmStart = m.warmStart
            medians = m.imputer.medians; presentClasses = m.subset.present; weights = m.coefficients
            iterations = m.iterations; converged = m.converged
        case let m as GaussianNaiveBayes:
            self.init(kind: "naive-bayes", classCount: m.classCount, columns: m.columns)
            varSmoothing = m.varSmoothing
            medians = m.imputer.medians; presentClasses = m.subset.present
            means = m.means; variances = m.variances; logPriors = m.logPriors
        case let m as AdaBoost:
            self.init(kind: "adaboost", classCount: m.classCount, columns: m.columns)
            estimators = m.estimators; learningRate = m.learningRate; maxDepth = m.maxDepth
            medians = m.imputer.medians; presentClasses = m.subset.present
            forest = m.stumps.map(\.archive); weights = m.alphas
        case let m as GradientBoosting:
            self.init(kind: "boosting", classCount: m.classCount, columns: m.columns)
            estimators = m.estimators; learningRate = m.learningRate; maxDepth = m.maxDepth
            medians = m.imputer.medians; presentClasses = m.subset.present
            forest = m.trees.map(\.archive); weights = m.initial
        case let m as Committee:
            self.init(kind: "committee", classCount: m.classCount, columns: 0)
            members = try m.members.map { try ClassifierArchive($0) }
        default:
            throw LearnError("a \(type(of: classifier)) cannot be written to a model file")
        }
    }

    private init(kind: String, forest m: RandomForest) {
        self.init(kind: kind, classCount: m.classCount, columns: m.featureCount)
        trees = m.trees; maxDepth = m.maxDepth; minSamplesLeaf = m.minSamplesLeaf
        maxFeatures = m.maxFeatures.archiveText; bootstrap = m.bootstrap
        medians = m.imputer.medians; forest = m.forest.map(\.archive)
    }

    /// The classifier this archive describes, fitted as it was archived.
    public func restore() throws -> any Classifier & Sendable {
        let damaged = LearnError("the model file's `\(kind)` model is damaged")
        func need<T>(_ value: T?) throws -> T {
            guard let value else { throw damaged }
            return value
        }
        func imputer() throws -> MedianImputer {
            let m = try need(medians)
            guard m.count == columns else { throw damaged }
            return MedianImputer(medians: m)
        }
        func subset() throws -> ClassSubset {
            let present = try need(presentClasses)
            guard present.allSatisfy({ $0 >= 0 && $0 < classCount }), present == present.sorted(),
                  Set(present).count == present.count else { throw damaged }
            return ClassSubset(present: present, classCount: classCount)
        }
        func trees() throws -> [DecisionTree] {
            let list = try need(forest).map { try DecisionTree(archive: $0) }
            guard list.allSatisfy({ $0.impurityDecrease.count == columns }) else { throw damaged }
            return list
        }
        guard classCount >= 0, columns >= 0 else { throw damaged }
        switch kind {
        case "forest", "extra-trees", "tree":
            var m = RandomForest(trees: try need(self.trees), maxDepth: maxDepth, minSamplesLeaf: try need(minSamplesLeaf),
                                 maxFeatures: try MaxFeatures(archiveText: try need(maxFeatures)), bootstrap: try need(bootstrap))
            m.randomSplits = kind == "extra-trees"
            let list = try trees()
            guard !list.isEmpty, list.allSatisfy({ $0.classCount == classCount }) else { throw damaged }
            m.restoreFitted(trees: list, imputer: try imputer(), classCount: classCount, featureCount: columns)
            if kind == "tree" { var t = DecisionTreeClassifier(); t.tree = m; return t }
            if kind == "extra-trees" { var t = ExtraTrees(); t.forest = m; return t }
            return m
        case "knn":
            guard let weighting = KNearestNeighbors.Weighting(rawValue: try need(weighting)), try need(k) >= 1 else { throw damaged }
            var m = KNearestNeighbors(k: try need(k), weighting: weighting)
            let values = try need(trainingValues), labels = try need(trainingLabels)
            guard values.count == labels.count * columns, labels.allSatisfy({ $0 >= 0 && $0 < classCount }) else { throw damaged }
            m.train = values; m.labels = labels; m.columns = columns; m.classCount = classCount
            m.imputer = try imputer()
            return m
        case "logistic":
            var m = LogisticRegression(c: try need(c), maxIterations: try need(maxIterations))
            m.warmStart = warmStart ?? false
            m.subset = try subset()
            let present = m.subset.present.count
            let outputs = present == 2 ? 1 : present
            let w = try need(weights)
            guard w.count == outputs * (columns + 1) else { throw damaged }
            m.coefficients = w; m.columns = columns; m.classCount = classCount
            m.imputer = try imputer()
            m.iterations = iterations ?? 0; m.converged = converged ?? false
            return m
        case "naive-bayes":
            var m = GaussianNaiveBayes(varSmoothing: try need(varSmoothing))
            m.subset = try subset()
            let k = m.subset.present.count
            let means = try need(self.means), variances = try need(self.variances), priors = try need(logPriors)
            guard means.count == k * columns, variances.count == k * columns, priors.count == k else { throw damaged }
            m.means = means; m.variances = variances; m.logPriors = priors
            m.columns = columns; m.classCount = classCount
            m.imputer = try imputer()
            return m
        case "adaboost":
            var m = AdaBoost(estimators: try need(estimators), learningRate: try need(learningRate), maxDepth: try need(maxDepth))
            m.subset = try subset()
            m.stumps = try trees()
            m.alphas = try need(weights)
            guard m.alphas.count == m.stumps.count,
                  m.stumps.allSatisfy({ $0.classCount == m.subset.present.count }) else { throw damaged }
            m.columns = columns; m.classCount = classCount
            m.imputer = try imputer()
            return m
        case "boosting":
            var m = GradientBoosting(estimators: try need(estimators), learningRate: try need(learningRate), maxDepth: try need(maxDepth))
            m.subset = try subset()
            let present = m.subset.present.count
            let outputs = present == 2 ? 1 : present
            m.trees = try trees()
            m.initial = try need(weights)
            guard m.initial.count == outputs, outputs > 0, m.trees.count % outputs == 0,
                  m.trees.allSatisfy({ $0.classCount == 1 }) else { throw damaged }
            m.columns = columns; m.classCount = classCount
            m.imputer = try imputer()
            return m
        case "committee":
            let list = try need(members).map { try $0.restore() }
            guard !list.isEmpty, list.allSatisfy({ $0.classCount == classCount }) else { throw damaged }
            return Committee(members: list)
        default:
            throw LearnError("the model file has an unknown classifier kind `\(kind)`")
        }
    }
}

extension ClassSubset {
    init(present: [Int], classCount: Int) {
        self.present = present
        self.classCount = classCount
    }
}

/// A `ScaledClassifier` as plain values: the fitted scaling and the fitted model behind it.
public struct ScaledClassifierArchive: Codable, Sendable, Equatable {
    public var scaling: String
    public var centres: [Double]
    public var scales: [Double]
    public var model: ClassifierArchive
}

extension ScaledClassifier {
    /// The fitted state; an error before the first fit.
    public func archive() throws -> ScaledClassifierArchive {
        guard let scaler else { throw LearnError("the model has not been trained yet") }
        return ScaledClassifierArchive(scaling: scaling.rawValue, centres: scaler.centres, scales: scaler.scales,
                                       model: try ClassifierArchive(model))
    }

    /// The classifier `archive` describes, fitted, with its scaling.
    public init(archive: ScaledClassifierArchive) throws {
        guard let scaling = Scaling(rawValue: archive.scaling), archive.centres.count == archive.scales.count else {
            throw LearnError("the model file's feature scaling is damaged")
        }
        self.init(try archive.model.restore(), scaling: scaling)
        scaler = FeatureScaler(scaling: scaling, centres: archive.centres, scales: archive.scales)
    }
}

extension FeatureScaler {
    init(scaling: Scaling, centres: [Double], scales: [Double]) {
        self.scaling = scaling
        self.centres = centres
        self.scales = scales
    }
}
