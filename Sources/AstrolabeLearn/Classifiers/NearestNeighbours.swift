/// The k nearest training rows of every query row, for the k-nearest-neighbours classifier and
/// regressor: squared Euclidean distances, the k smallest kept sorted, a strictly smaller distance
/// displacing (so ties keep the earlier training row). Query rows are searched in blocks of 512 on
/// `workers` threads; `visit` gets each query row once with its neighbours' training indices and
/// squared distances, nearest first, and must write only to that row's own output.
func forEachNeighbourhood(train: [Double], trainRows n: Int, query: [Double], queryRows rows: Int, columns: Int, k: Int,
                          workers: Int,
                          visit: @Sendable (_ row: Int, _ index: UnsafeBufferPointer<Int>, _ distance: UnsafeBufferPointer<Double>) -> Void) {
    let blockRows = 512, blocks = (rows + blockRows - 1) / blockRows
    performConcurrently(count: blocks, workers: workers) { block in
        var bestDistance = [Double](repeating: 0, count: k)
        var bestIndex = [Int](repeating: 0, count: k)
        train.withUnsafeBufferPointer { t in
        query.withUnsafeBufferPointer { q in
            for r in (block * blockRows)..<min((block + 1) * blockRows, rows) {
                var filled = 0
                let row = r * columns
                for i in 0..<n {
                    var d = 0.0
                    let base = i * columns
                    for c in 0..<columns {
                        let diff = q[row + c] - t[base + c]
                        d += diff * diff
                    }
                    guard filled < k || d < bestDistance[k - 1] else { continue }
                    var j = filled < k ? filled : k - 1
                    while j > 0 && bestDistance[j - 1] > d {
                        bestDistance[j] = bestDistance[j - 1]; bestIndex[j] = bestIndex[j - 1]; j -= 1
                    }
                    bestDistance[j] = d; bestIndex[j] = i
                    if filled < k { filled += 1 }
                }
                bestIndex.withUnsafeBufferPointer { index in
                    bestDistance.withUnsafeBufferPointer { distance in visit(r, index, distance) }
                }
            }
        }}
    }
}
