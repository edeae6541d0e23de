/// `query M N balance=predicted`: a batch spread over the classes the model predicts, so a rare
/// class is asked about while the pool still holds rows predicted to be of it (uncertainty
/// sampling alone spends a batch on the boundary of the two commonest classes).
///
/// The strategy ranks the whole pool; each pool row joins the queue of its predicted class (most
/// probable, lowest index on ties) in that order; then one row is taken from each non-empty queue in
/// turn, the classes with the fewest predicted rows first, until the batch is full. Every class
/// predicted for some pool row gets a slot whenever the batch has at least as many rows as such
/// classes; with fewer, the rarest get them.
extension StrategyKind {
    /// The `count` rows to ask about, spread over predicted classes; an error for strategies that
    /// choose batches by distance (ranked-batch, k-center), which have no ranking of the pool to spread.
    public func selectBalanced(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        let rows = pool.classCount > 0 ? pool.probabilities.count / pool.classCount : 0
        let full = try select(pool, count: rows)
        guard full.byScore else {
            throw LearnError("balance=predicted spreads a ranking over classes; strategy `\(name)` chooses batches by distance and ranks nothing")
        }
        return QuerySelection(probabilities: full.probabilities, scores: full.scores,
                              ranked: spreadOverClasses(full.ranked, probabilities: full.probabilities, classCount: pool.classCount, count: count),
                              byScore: false)
    }
}

/// `ranked` (pool row indices, best first) dealt round robin over predicted classes, rarest first.
func spreadOverClasses(_ ranked: [Int], probabilities: [Double], classCount: Int, count: Int) -> [Int] {
    guard classCount > 0 else { return Array(ranked.prefix(count)) }
    let predicted = argmaxRows(probabilities, classCount: classCount)
    var queues = [[Int]](repeating: [], count: classCount)
    for row in ranked { queues[predicted[row]].append(row) }
    var sizes = [Int](repeating: 0, count: classCount)
    for p in predicted { sizes[p] += 1 }
    let order = (0..<classCount).filter { !queues[$0].isEmpty }.sorted { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
    var picked: [Int] = []
    var depth = 0
    while picked.count < count {
        var added = false
        for c in order where depth < queues[c].count && picked.count < count {
            picked.append(queues[c][depth])
            added = true
        }
        if !added { break }
        depth += 1
    }
    return picked
}
