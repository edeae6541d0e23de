/// Checks of the numbers a model file brings, before any of them is trusted: `restore` checks
/// the shapes, these check the values whose damage would otherwise crash a later prediction or
/// poison it silently (NaN probabilities, division by a zero scale). Every error names the field
/// as a path into the file (`fitted.model.forest[3].leafValues[7]`).
extension ClassifierArchive {
    func validate(at place: String) throws {
        func bad(_ field: String, _ problem: String) -> LearnError { LearnError("`\(place).\(field)` \(problem)") }
        func finite(_ values: [Double]?, _ field: String) throws {
            guard let values, let i = values.firstIndex(where: { !$0.isFinite }) else { return }
            throw bad("\(field)[\(i)]", "is \(values[i]), not a finite number")
        }
        guard ClassifierKind.named(kind) != nil else {
            throw bad("kind", "is `\(kind)`, not a classifier this Astrolabe knows (\(ClassifierKind.allNames.joined(separator: ", ")))")
        }
        guard classCount >= 1 else { throw bad("classCount", "is \(classCount); a fitted model has at least one class") }
        if let present = presentClasses, present.isEmpty {
            throw bad("presentClasses", "is empty; a fitted model has seen at least one class")
        }
        try finite(weights, "weights")
        try finite(means, "means")
        try finite(logPriors, "logPriors")
        try finite(trainingValues, "trainingValues")
        if let variances, let i = variances.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw bad("variances[\(i)]", "is \(variances[i]); a variance must be a positive finite number")
        }
        // A model that keeps its training rows (nearest neighbours) predicts from them.
        if trainingValues != nil, trainingLabels?.isEmpty ?? true {
            throw bad("trainingLabels", "is empty; a nearest-neighbour model needs its training rows")
        }
        for (t, tree) in (forest ?? []).enumerated() {
            try finite(tree.leafValues, "forest[\(t)].leafValues")
            // Split nodes only (a leaf's threshold is unused); a short array is `restore`'s error.
            for node in tree.feature.indices where tree.feature[node] >= 0 && node < tree.threshold.count
                && !tree.threshold[node].isFinite {
                throw bad("forest[\(t)].threshold[\(node)]", "is \(tree.threshold[node]), not a finite split threshold")
            }
        }
        for (m, member) in (members ?? []).enumerated() { try member.validate(at: "\(place).members[\(m)]") }
    }
}

extension ScaledClassifierArchive {
    /// Checks the scaling and the model's values (see `ClassifierArchive.validate`); `place` is the
    /// archive's path in the file.
    public func validate(at place: String) throws {
        if let i = centres.firstIndex(where: { !$0.isFinite }) {
            throw LearnError("`\(place).centres[\(i)]` is \(centres[i]), not a finite number")
        }
        if let i = scales.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw LearnError("`\(place).scales[\(i)]` is \(scales[i]); a feature scale must be a positive finite number")
        }
        try model.validate(at: place + ".model")
    }
}
