/// The training features replaced by their ranks: for each feature, the sorted distinct values
/// (`levels`) and, for each row, the index of its value among them.
///
/// A split only depends on the order of values, so trees can be grown on ranks and the real
/// thresholds read back from `levels`. Ranks are computed once per fit and shared by every tree;
/// they let the per-node sort work on single 64-bit keys (rank in the high half, sample in the
/// low half), which halves the memory the hottest loop moves and makes each comparison one integer
/// compare. Because equal values get equal ranks, the trees are exactly those grown on the values.
struct RankedFeatures: Sendable {
    let rows: Int
    let featureCount: Int
    /// `ranks[f * rows + r]`: rank of row `r`'s value of feature `f` in `levels[f]`.
    let ranks: [UInt32]
    /// Sorted distinct values of each feature.
    let levels: [[Double]]

    /// Ranks the row-major matrix `x` after replacing NaN through `imputer`.
    /// Requires `x.rows` < 2³² (checked by the caller) so a rank and a row index fit in 32 bits.
    init(_ x: FeatureMatrix, imputer: MedianImputer) {
        let rows = x.rows
        var ranks = [UInt32](repeating: 0, count: rows * x.columns)
        var levels = [[Double]]()
        levels.reserveCapacity(x.columns)
        var order = [(value: Double, row: Int)]()
        order.reserveCapacity(rows)
        x.values.withUnsafeBufferPointer { v in
            for f in 0..<x.columns {
                order.removeAll(keepingCapacity: true)
                for r in 0..<rows { order.append((imputer.fill(v[r * x.columns + f], column: f), r)) }
                order.sort { $0.value < $1.value }
                var distinct = [Double]()
                for (value, row) in order {
                    if distinct.last != value { distinct.append(value) }
                    ranks[f * rows + row] = UInt32(truncatingIfNeeded: distinct.count - 1)
                }
                levels.append(distinct)
            }
        }
        self.rows = rows
        self.featureCount = x.columns
        self.ranks = ranks
        self.levels = levels
    }

    /// The threshold separating rank `rank` from rank `rank + 1` of feature `feature`.
    func threshold(feature: Int, between rank: Int) -> Double {
        let values = levels[feature]
        guard rank + 1 < values.count else { return values[rank] }
        return midpoint(values[rank], values[rank + 1])
    }
}
