/// Prediction with a `BinnedForest`: values binned against each feature's thresholds, rows packed
/// into 64-bit words, split node by node and looked up in the tables, then the leaf values added
/// tree after tree. (Building the forest's nodes and tables is in BinnedForest.swift.)
extension BinnedForest {
    /// Rows per block for a pool of `rows` over `workers` threads: at most `blockRows`, at least
    /// 4,096 unless the pool is smaller, and as many equal blocks as a multiple of the threads
    /// when that allows (an 80,000-row pool on 2 threads: 4 blocks of 20,000 rows, not 32,768 +
    /// 32,768 + 14,464). Any cut gives the same bits: each row's sums are its own.
    static func blockSize(rows: Int, workers: Int) -> Int {
        let threads = max(1, workers)
        let fewest = (rows + blockRows - 1) / blockRows
        let balanced = (fewest + threads - 1) / threads * threads
        let blocks = max(1, min(balanced, rows / 4096))
        return min(blockRows, max(1, (rows + blocks - 1) / blocks))
    }

    /// Number of values of the sorted `list` below `x` (its bin), without branches on the data.
    @inline(__always)
    static func countBelow(_ x: Double, in list: UnsafeBufferPointer<Double>) -> Int {
        guard let base = list.baseAddress, list.count > 0 else { return 0 }
        var low = 0, n = list.count
        while n > 1 {
            let half = n &>> 1
            // Arithmetic rather than a ternary, so the compiler cannot turn it into a branch that
            // would be mispredicted half the time.
            low &+= half & (0 &- Int(unsafeBitCast(base[low &+ half] < x, to: UInt8.self)))
            n &-= half
        }
        return low &+ Int(unsafeBitCast(base[low] < x, to: UInt8.self))
    }

    static func countBelow(_ x: Double, in list: [Double]) -> Int {
        list.withUnsafeBufferPointer { countBelow(x, in: $0) }
    }

    /// Bins rows `start..<start + count` of `x` (row-major, `columns` wide; NaN replaced through
    /// `fill`): the bin of feature `f` (one with thresholds) of block row `r` goes to
    /// `bins[f * blockRows + r]`, and when some tree has splits (`packsRows`) the row also into
    /// `packed[r]` as `r | bins`.
    func pack(_ x: UnsafePointer<Double>, columns: Int, start: Int, count: Int,
              fill: (Double, Int) -> Double, into packed: UnsafeMutablePointer<UInt64>,
              bins: UnsafeMutablePointer<UInt16>) {
        let features = min(columns, thresholds.count)
        defer {
            if packsRows {
                for r in 0..<count { packed[r] = UInt64(r) }
                for f in 0..<features where !thresholds[f].isEmpty {
                    let shift = UInt64(shifts[f])
                    let column = bins + f &* BinnedForest.blockRows
                    for r in 0..<count { packed[r] |= UInt64(column[r]) &<< shift }
                }
            }
        }
        for f in 0..<features {
            let column = bins + f &* BinnedForest.blockRows
            thresholds[f].withUnsafeBufferPointer { list in
                guard let base = list.baseAddress, !list.isEmpty else { return }
                guard list[0].isFinite && list[list.count - 1].isFinite else {
                    for r in 0..<count {
                        let value = fill(x[(start + r) &* columns &+ f], f)
                        let bin = BinnedForest.countBelow(value, in: list)
                        column[r] = UInt16(truncatingIfNeeded: bin)
                    }
                    return
                }
                // Finite thresholds: `t < x` is the sign of `t - x` (exact for finite t and any x
                // but NaN, which compares like +∞: above every threshold; -0.0 made +0.0 first so
                // that 0 - 0 is never -0.0), read as a mask so the search has no branch to
                // mispredict.
                if let guide = guides[f] {
                    guide.starts.withUnsafeBufferPointer { starts in
                    guide.padded.withUnsafeBufferPointer { padded in
                        guard let startBase = starts.baseAddress, let paddedBase = padded.baseAddress else { return }
                        let (low, scale, buckets, width) = (guide.low, guide.scale, guide.buckets, guide.width)
                        for r in 0..<count {
                            let raw = fill(x[(start + r) &* columns &+ f], f)
                            // +∞ (and NaN, which compares like it) as the largest finite double:
                            // every threshold is below both.
                            let value = Swift.min(raw.isNaN ? Double.infinity : raw + 0.0, .greatestFiniteMagnitude)
                            var at = Int(startBase[Guide.bucket(value, low: low, scale: scale, buckets: buckets)])
                            var step = width &>> 1
                            while step > 0 {
                                let below = Int(truncatingIfNeeded:
                                    Int64(bitPattern: (paddedBase[at &+ step &- 1] - value).bitPattern) &>> 63)
                                at &+= step & below
                                step &>>= 1
                            }
                            column[r] = UInt16(truncatingIfNeeded: at)
                        }
                    }}
                    return
                }
                let n0 = list.count
                for r in 0..<count {
                    let raw = fill(x[(start + r) &* columns &+ f], f)
                    let value = raw.isNaN ? Double.infinity : raw + 0.0
                    var low = 0, n = n0
                    while n > 1 {
                        let half = n &>> 1
                        let below = Int(truncatingIfNeeded: Int64(bitPattern: (base[low &+ half] - value).bitPattern) &>> 63)
                        low &+= half & below
                        n &-= half
                    }
                    let last = Int(truncatingIfNeeded: Int64(bitPattern: (base[low] - value).bitPattern) &>> 63)
                    let bin = low &- last
                    column[r] = UInt16(truncatingIfNeeded: bin)
                }
            }
        }
    }

    /// Writes, for each of the `count` packed rows, the sum of the leaf values of every tree (added
    /// in tree order, from 0) into `sums` (`classCount` per row, in block order; `sums` need not be
    /// initialised, so a caller's output is touched only by the thread predicting its block).
    /// Each sum is then multiplied by `scale` (the forest's mean: after every addition, as a
    /// separate pass would). `packed` holds the rows' words and `spare` `2 × count` more when the
    /// forest `packsRows` (neither is read otherwise); `offsets` holds `treesPerPass × count`
    /// entries.
    func accumulate(packed: UnsafePointer<UInt64>, bins: UnsafePointer<UInt16>, count: Int, spare: UnsafeMutablePointer<UInt64>,
                    offsets: UnsafeMutablePointer<Int32>, scale: Double, into sums: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        guard !roots.isEmpty else { sums.initialize(repeating: 0 * scale, count: count &* classCount); return }
        let rowMask = UInt64(BinnedForest.blockRows - 1)
        let classCount = self.classCount
        nodes.withUnsafeBufferPointer { nodes in
        leafValues.withUnsafeBufferPointer { values in
        tableFeatures.withUnsafeBufferPointer { features in
        maps.withUnsafeBufferPointer { maps in
        cells.withUnsafeBufferPointer { cells in
        withUnsafeTemporaryAllocation(of: SIMD4<Int>.self, capacity: depth + 2) { stack in
            guard let nodeBase = nodes.baseAddress, let valueBase = values.baseAddress,
                  let stackBase = stack.baseAddress, let mapBase = maps.baseAddress,
                  let cellBase = cells.baseAddress else {
                sums.initialize(repeating: 0, count: count &* classCount)
                return
            }
            let bufferA = spare, bufferB = spare + count
            var firstTree = 0
            // For 2 and 3 classes, quads add their leaf values as they find them, in tree order
            // (the same additions as the passes below); the trees after them go through the passes.
            if classCount == 2 || classCount == 3 {
                let quads = quadLeaves.count
                for q in 0..<quads {
                    addQuad(q, count: count, bins: bins, values: valueBase, scale: scale, into: sums,
                            fresh: q == 0, last: q == quads - 1 && 4 * quads == roots.count)
                }
                firstTree = 4 * quads
            }
            while firstTree < roots.count {
                let treeCount = min(BinnedForest.treesPerPass, roots.count - firstTree)
                // Whole quads of trees in this pass (passes of 8 start at multiples of 4).
                let quadTrees = max(0, min(treeCount, quadLeaves.count &* 4 &- firstTree)) & ~3
                for q in stride(from: 0, to: quadTrees, by: 4) {
                    lookUpQuad((firstTree &+ q) / 4, count: count, bins: bins, into: offsets + q &* count)
                }
                for t in quadTrees..<treeCount {
                    let leafOffsets = offsets + t &* count
                    // Entry: node, start, end, buffer holding the rows (0 packed, 1 A, 2 B).
                    // Depth first, right child pushed first: at most depth + 1 entries wait.
                    stackBase[0] = SIMD4(roots[firstTree + t], 0, count, 0)
                    var top = 1
                    while top > 0 {
                        top -= 1
                        let entry = stackBase[top]
                        let node = nodeBase[entry[0]]
                        let start = entry[1], end = entry[2]
                        let source: UnsafePointer<UInt64> = entry[3] == 0 ? packed
                            : UnsafePointer(entry[3] == 1 ? bufferA : bufferB)
                        if node.kind == .leaf {
                            let offset = Int32(truncatingIfNeeded: node.next)
                            if entry[3] == 0 {
                                // A root leaf: the whole block, in order (rows may not be packed).
                                for k in start..<end { leafOffsets[k] = offset }
                            } else {
                                for k in start..<end { leafOffsets[Int(truncatingIfNeeded: source[k] & rowMask)] = offset }
                            }
                            continue
                        }
                        if node.kind == .table {
                            // The root's rows are the packed block itself, in order.
                            lookUp(tables[node.next], source + start, inOrder: entry[3] == 0, count: end &- start,
                                   into: leafOffsets,
                                   bins: bins, features: features, maps: mapBase, cells: cellBase)
                            continue
                        }
                        let into = entry[3] == 1 ? 2 : 1
                        let target = into == 1 ? bufferA : bufferB
                        let mask = node.mask, bound = node.bound
                        var low = start, high = end &- 1
                        for k in start..<end {
                            let row = source[k]
                            // 0 or 1 as a number, so the compiler emits setcc rather than a branch
                            // that would be mispredicted for half the rows.
                            let left = Int(unsafeBitCast(row & mask <= bound, to: UInt8.self))
                            target[low] = row
                            target[high] = row
                            low &+= left
                            high &-= 1 &- left
                        }
                        let child = node.next
                        if low < end { stackBase[top] = SIMD4(child &+ 1, low, end, into); top += 1 }
                        if low > start { stackBase[top] = SIMD4(child, start, low, into); top += 1 }
                    }
                }
                // Tree order within each row, so the sums are those of adding tree after tree to 0
                // (the first pass starts from 0.0 rather than reading `sums`: the same additions).
                let fresh = firstTree == 0, last = firstTree + treeCount == roots.count
                // One loop per (first pass?, last pass?), the flags constants inside it.
                @inline(__always) func addThree(_ fresh: Bool, _ last: Bool) {
                    for r in 0..<count {
                        let out = sums + r &* 3
                        var s0 = 0.0, s1 = 0.0, s2 = 0.0
                        if !fresh { s0 = out[0]; s1 = out[1]; s2 = out[2] }
                        for t in 0..<treeCount {
                            let leaf = valueBase + Int(offsets[t &* count &+ r])
                            s0 += leaf[0]; s1 += leaf[1]; s2 += leaf[2]
                        }
                        if last { s0 *= scale; s1 *= scale; s2 *= scale }
                        out[0] = s0; out[1] = s1; out[2] = s2
                    }
                }
                @inline(__always) func addTwo(_ fresh: Bool, _ last: Bool) {
                    for r in 0..<count {
                        let out = sums + r &* 2
                        var s0 = 0.0, s1 = 0.0
                        if !fresh { s0 = out[0]; s1 = out[1] }
                        for t in 0..<treeCount {
                            let leaf = valueBase + Int(offsets[t &* count &+ r])
                            s0 += leaf[0]; s1 += leaf[1]
                        }
                        if last { s0 *= scale; s1 *= scale }
                        out[0] = s0; out[1] = s1
                    }
                }
                if classCount == 3 {
                    switch (fresh, last) {
                    case (true, true): addThree(true, true)
                    case (true, false): addThree(true, false)
                    case (false, true): addThree(false, true)
                    case (false, false): addThree(false, false)
                    }
                } else if classCount == 2 {
                    switch (fresh, last) {
                    case (true, true): addTwo(true, true)
                    case (true, false): addTwo(true, false)
                    case (false, true): addTwo(false, true)
                    case (false, false): addTwo(false, false)
                    }
                } else {
                    if fresh { sums.initialize(repeating: 0, count: count &* classCount) }
                    for t in 0..<treeCount {
                        for r in 0..<count {
                            let out = sums + r &* classCount
                            let leaf = valueBase + Int(offsets[t &* count &+ r])
                            for c in 0..<classCount { out[c] += leaf[c] }
                        }
                    }
                }
                if last && (classCount == 1 || classCount > 3) {
                    for i in 0..<(count &* classCount) { sums[i] *= scale }
                }
                firstTree += treeCount
            }
        }}}}}}
    }

    /// Records the leaf offset of each of the `count` packed rows at `rows` through `table`;
    /// `bins` holds the block's bins, feature `f` of block row `r` at `f * blockRows + r`.
    // Not inlined: on its own, the loop keeps its pointers in registers.
    @inline(never)
    private func lookUp(_ table: Table, _ rows: UnsafePointer<UInt64>, inOrder: Bool, count: Int,
                        into offsets: UnsafeMutablePointer<Int32>,
                        bins: UnsafePointer<UInt16>, features: UnsafeBufferPointer<TableFeature>,
                        maps: UnsafePointer<UInt32>, cells: UnsafePointer<UInt8>) {
        let rowMask = UInt64(BinnedForest.blockRows - 1)
        let tableCells = cells + table.firstCell
        // A cell's leaf offset: the first leaf's, plus the leaf's index times the classes.
        let firstLeaf = Int32(truncatingIfNeeded: table.firstLeaf), stride = Int32(truncatingIfNeeded: classCount)
        let first = table.firstFeature
        struct Column {
            let bins: UnsafePointer<UInt16>, map: UnsafePointer<UInt32>
            @inline(__always) func cell(_ r: Int) -> Int { Int(map[Int(bins[r])]) }
        }
        @inline(__always) func column(_ j: Int) -> Column {
            let feature = features[first + j]
            return Column(bins: bins + feature.feature &* BinnedForest.blockRows, map: maps + feature.mapStart)
        }
        if inOrder {
            run { $0 }
        } else {
            run { Int(truncatingIfNeeded: rows[$0] & rowMask) }
        }
        // Specialised for rows in block order (a tree that is one table) or listed in `rows`.
        @inline(__always) func run(_ block: (Int) -> Int) {
        switch table.featureCount {
        case 1:
            let c0 = column(0)
            for k in 0..<count {
                let r = block(k)
                offsets[r] = firstLeaf &+ Int32(tableCells[c0.cell(r)]) &* stride
            }
        case 2:
            let c0 = column(0), c1 = column(1)
            for k in 0..<count {
                let r = block(k)
                offsets[r] = firstLeaf &+ Int32(tableCells[c0.cell(r) &+ c1.cell(r)]) &* stride
            }
        case 3:
            let c0 = column(0), c1 = column(1), c2 = column(2)
            for k in 0..<count {
                let r = block(k)
                offsets[r] = firstLeaf &+ Int32(tableCells[c0.cell(r) &+ c1.cell(r) &+ c2.cell(r)]) &* stride
            }
        case 4:
            let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
            for k in 0..<count {
                let r = block(k)
                offsets[r] = firstLeaf &+ Int32(tableCells[c0.cell(r) &+ c1.cell(r) &+ c2.cell(r) &+ c3.cell(r)]) &* stride
            }
        default:
            let columns = (0..<table.featureCount).map(column)
            for k in 0..<count {
                let r = block(k)
                var cell = 0
                for c in columns { cell &+= c.cell(r) }
                offsets[r] = firstLeaf &+ Int32(tableCells[cell]) &* stride
            }
        }
        }
    }

    /// Records the leaf offsets of the `count` block rows (in order) in trees `4q ..< 4q + 4`,
    /// tree `4q + t`'s at `offsets + t × count`: per row, one 16-byte map load per feature gives
    /// the four trees' cells.
    @inline(never)
    private func lookUpQuad(_ q: Int, count: Int, bins: UnsafePointer<UInt16>, into offsets: UnsafeMutablePointer<Int32>) {
        let leaves = quadLeaves[q]
        let (l0, l1, l2, l3) = (leaves[0], leaves[1], leaves[2], leaves[3])
        let perQuad = quadMaps.count / quadLeaves.count
        quadMaps.withUnsafeBufferPointer { maps in
        cells.withUnsafeBufferPointer { cells in
            guard let mapBase = maps.baseAddress, let cells = cells.baseAddress else { return }
            let base = mapBase + q &* perQuad
            let o0 = offsets, o1 = offsets + count, o2 = o1 + count, o3 = o2 + count
            struct Column {
                let bins: UnsafePointer<UInt16>, map: UnsafePointer<SIMD4<UInt32>>
                @inline(__always) func entry(_ r: Int) -> SIMD4<UInt32> { map[Int(bins[r])] }
            }
            @inline(__always) func column(_ d: Int) -> Column {
                Column(bins: bins + dense[d] &* BinnedForest.blockRows, map: base + quadFeatureStarts[d])
            }
            // The four cells, then each leaf's offset in scalar registers (a vector multiply and
            // the lanes' shuffles cost more); `stride` a constant for 2 and 3 classes.
            @inline(__always) func run(_ stride: Int32) {
                @inline(__always) func record(_ v: SIMD4<UInt32>, _ r: Int) {
                    o0[r] = l0 &+ Int32(cells[Int(v[0])]) &* stride
                    o1[r] = l1 &+ Int32(cells[Int(v[1])]) &* stride
                    o2[r] = l2 &+ Int32(cells[Int(v[2])]) &* stride
                    o3[r] = l3 &+ Int32(cells[Int(v[3])]) &* stride
                }
                switch dense.count {
                case 1:
                    let c0 = column(0)
                    for r in 0..<count { record(c0.entry(r), r) }
                case 2:
                    let c0 = column(0), c1 = column(1)
                    for r in 0..<count { record(c0.entry(r) &+ c1.entry(r), r) }
                case 3:
                    let c0 = column(0), c1 = column(1), c2 = column(2)
                    for r in 0..<count { record(c0.entry(r) &+ c1.entry(r) &+ c2.entry(r), r) }
                case 4:
                    let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
                    for r in 0..<count { record(c0.entry(r) &+ c1.entry(r) &+ c2.entry(r) &+ c3.entry(r), r) }
                default:
                    let columns = dense.indices.map(column)
                    for r in 0..<count {
                        var v = SIMD4<UInt32>(repeating: 0)
                        for c in columns { v &+= c.entry(r) }
                        record(v, r)
                    }
                }
            }
            switch classCount {
            case 3: run(3)
            case 2: run(2)
            default: run(Int32(truncatingIfNeeded: classCount))
            }
        }}
    }

    /// Adds the leaf values of trees `4q ..< 4q + 4` (for 2 or 3 classes) to the sums of the
    /// `count` block rows (in order), tree after tree; the first quad (`fresh`) starts them from 0,
    /// the last one (`last`) multiplies them by `scale`: the additions and the multiplication of
    /// the passes in `accumulate`, without recording the leaves.
    @inline(never)
    private func addQuad(_ q: Int, count: Int, bins: UnsafePointer<UInt16>, values: UnsafePointer<Double>, scale: Double,
                         into sums: UnsafeMutablePointer<Double>, fresh: Bool, last: Bool) {
        let leaves = quadLeaves[q]
        let (l0, l1, l2, l3) = (Int(leaves[0]), Int(leaves[1]), Int(leaves[2]), Int(leaves[3]))
        let perQuad = quadMaps.count / quadLeaves.count
        let three = classCount == 3
        quadMaps.withUnsafeBufferPointer { maps in
        cells.withUnsafeBufferPointer { cells in
            guard let mapBase = maps.baseAddress, let cells = cells.baseAddress else { return }
            let base = mapBase + q &* perQuad
            struct Column {
                let bins: UnsafePointer<UInt16>, map: UnsafePointer<SIMD4<UInt32>>
                @inline(__always) func entry(_ r: Int) -> SIMD4<UInt32> { map[Int(bins[r])] }
            }
            @inline(__always) func column(_ d: Int) -> Column {
                Column(bins: bins + dense[d] &* BinnedForest.blockRows, map: base + quadFeatureStarts[d])
            }
            // Specialised on the classes, the first and last quads and 4 features (B2's and B3's).
            @inline(__always) func run(_ classes: Int, _ fresh: Bool, _ last: Bool, _ entry: (Int) -> SIMD4<UInt32>) {
                for r in 0..<count {
                    let v = entry(r)
                    let a = values + (l0 &+ Int(cells[Int(v[0])]) &* classes)
                    let b = values + (l1 &+ Int(cells[Int(v[1])]) &* classes)
                    let c = values + (l2 &+ Int(cells[Int(v[2])]) &* classes)
                    let d = values + (l3 &+ Int(cells[Int(v[3])]) &* classes)
                    let out = sums + r &* classes
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0
                    if !fresh { s0 = out[0]; s1 = out[1]; if classes == 3 { s2 = out[2] } }
                    s0 += a[0]; s1 += a[1]; if classes == 3 { s2 += a[2] }
                    s0 += b[0]; s1 += b[1]; if classes == 3 { s2 += b[2] }
                    s0 += c[0]; s1 += c[1]; if classes == 3 { s2 += c[2] }
                    s0 += d[0]; s1 += d[1]; if classes == 3 { s2 += d[2] }
                    if last { s0 *= scale; s1 *= scale; s2 *= scale }
                    out[0] = s0; out[1] = s1; if classes == 3 { out[2] = s2 }
                }
            }
            @inline(__always) func flags(_ entry: (Int) -> SIMD4<UInt32>) {
                switch (three, fresh, last) {
                case (true, true, true): run(3, true, true, entry)
                case (true, true, false): run(3, true, false, entry)
                case (true, false, true): run(3, false, true, entry)
                case (true, false, false): run(3, false, false, entry)
                case (false, true, true): run(2, true, true, entry)
                case (false, true, false): run(2, true, false, entry)
                case (false, false, true): run(2, false, true, entry)
                case (false, false, false): run(2, false, false, entry)
                }
            }
            if dense.count == 4 {
                let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
                flags { c0.entry($0) &+ c1.entry($0) &+ c2.entry($0) &+ c3.entry($0) }
            } else {
                let columns = dense.indices.map(column)
                flags { r in
                    var v = SIMD4<UInt32>(repeating: 0)
                    for c in columns { v &+= c.entry(r) }
                    return v
                }
            }
        }}
    }
}
