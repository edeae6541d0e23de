/// Replaces missing values (NaN) by the median of each feature in the training data.
///
/// Catalogues are full of holes (no redshift, no counterpart), and a tree cannot compare NaN with a
/// threshold. The median is robust to the heavy tails astronomical quantities have, and it is
/// learned at fit time and stored with the model, so a row with a hole is treated identically at
/// training and at prediction. A feature that is missing everywhere is imputed with 0.
struct MedianImputer: Sendable, Equatable {
    /// One fill value per feature.
    private(set) var medians: [Double] = []

    init(medians: [Double] = []) {
        self.medians = medians
    }

    /// Learns the per-feature medians of the finite-or-infinite (not NaN) values of `x`.
    init(fitting x: FeatureMatrix) {
        var medians = [Double](repeating: 0, count: x.columns)
        var present = [Double]()
        present.reserveCapacity(x.rows)
        x.values.withUnsafeBufferPointer { v in
            for c in 0..<x.columns {
                present.removeAll(keepingCapacity: true)
                for r in 0..<x.rows {
                    let value = v[r * x.columns + c]
                    if !value.isNaN { present.append(value) }
                }
                medians[c] = MedianImputer.median(of: &present)
            }
        }
        self.medians = medians
    }

    /// The median as numpy computes it (mean of the two middle values for an even count); 0 when
    /// there are no values. Reorders `values`.
    static func median(of values: inout [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        values.sort()
        let mid = values.count / 2
        if values.count % 2 == 1 { return values[mid] }
        let low = values[mid - 1], high = values[mid]
        // Halve before adding so two huge values cannot overflow; fall back for ±∞ pairs.
        let m = low / 2 + high / 2
        return m.isNaN ? low : m
    }

    /// The value to use for feature `column` given the raw `value`.
    @inline(__always)
    func fill(_ value: Double, column: Int) -> Double {
        value.isNaN ? medians[column] : value
    }
}
