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
    /// The name of its `ClassifierKind` (`forest`, `knn`, `committee`, ...).
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

/// A classifier that can be written to a model file: every kind in `ClassifierKind.all`. Its
/// `archive()` tags the archive with its catalogue name; the catalogue entry's `restore` reads it back.
public protocol ArchivableClassifier: Classifier, Sendable {
    /// The fitted state as plain values.
    func archive() throws -> ClassifierArchive
}

extension ClassifierArchive {
    /// The fitted state of `classifier`; an error for a kind that cannot be archived.
    public init(_ classifier: any Classifier) throws {
        guard let archivable = classifier as? any ArchivableClassifier else {
            throw LearnError("a \(type(of: classifier)) cannot be written to a model file")
        }
        self = try archivable.archive()
    }

    /// The classifier this archive describes, fitted as it was archived: restored by the catalogue
    /// entry its `kind` names.
    public func restore() throws -> any Classifier & Sendable {
        guard classCount >= 0, columns >= 0 else { throw damaged }
        guard let entry = ClassifierKind.named(kind) else {
            throw LearnError("the model file has an unknown classifier kind `\(kind)`")
        }
        return try entry.restore(self)
    }

    // Helpers for the kinds' `init(archive:)`: each field the kind needs, checked.

    var damaged: LearnError { LearnError("the model file's `\(kind)` model is damaged") }

    /// `value`, or the damaged-model error when the file lacks it.
    func need<T>(_ value: T?) throws -> T {
        guard let value else { throw damaged }
        return value
    }

    /// The median imputer, one median per column.
    func imputer() throws -> MedianImputer {
        let m = try need(medians)
        guard m.count == columns else { throw damaged }
        return MedianImputer(medians: m)
    }

    /// The classes the training set had, ascending, each a declared class.
    func subset() throws -> ClassSubset {
        let present = try need(presentClasses)
        guard present.allSatisfy({ $0 >= 0 && $0 < classCount }), present == present.sorted(),
              Set(present).count == present.count else { throw damaged }
        return ClassSubset(present: present, classCount: classCount)
    }

    /// The archived trees, each over the model's columns.
    func decisionTrees() throws -> [DecisionTree] {
        let list = try need(forest).map { try DecisionTree(archive: $0) }
        guard list.allSatisfy({ $0.impurityDecrease.count == columns }) else { throw damaged }
        return list
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
    /// The calibration maps (`calibrate=`); absent in files written before them.
    public var calibrator: ProbabilityCalibrator?
}

extension ScaledClassifier {
    /// The fitted state; an error before the first fit.
    public func archive() throws -> ScaledClassifierArchive {
        guard let scaler else { throw LearnError("the model has not been trained yet") }
        return ScaledClassifierArchive(scaling: scaling.rawValue, centres: scaler.centres, scales: scaler.scales,
                                       model: try ClassifierArchive(model), calibrator: calibrator)
    }

    /// The classifier `archive` describes, fitted, with its scaling.
    public init(archive: ScaledClassifierArchive) throws {
        guard let scaling = Scaling(rawValue: archive.scaling), archive.centres.count == archive.scales.count else {
            throw LearnError("the model file's feature scaling is damaged")
        }
        self.init(try archive.model.restore(), scaling: scaling)
        scaler = FeatureScaler(scaling: scaling, centres: archive.centres, scales: archive.scales)
        if let calibrator = archive.calibrator {
            guard calibrator.isWellFormed, calibrator.classCount == classCount else {
                throw LearnError("the model file's probability calibration is damaged")
            }
            self.calibrator = calibrator
        }
    }
}

extension FeatureScaler {
    init(scaling: Scaling, centres: [Double], scales: [Double]) {
        self.scaling = scaling
        self.centres = centres
        self.scales = scales
    }
}
