/// A fitted forest rewritten for fast, exact prediction on binned rows packed into 64-bit words.
///
/// Every threshold the forest tests on feature `f` goes into one sorted list `T_f` of distinct
/// values. A value `x` becomes its bin, the number of thresholds below it; then for every
/// threshold `T_f[j]`, `x <= T_f[j]` exactly when `bin(x) <= j` (all thresholds below `x` have
/// indices below `j` if `x <= T_f[j]`, and `T_f[0...j]` are all below `x` otherwise). So the trees
/// can be walked on bins and give the very leaves — and the very probabilities — of the walk on
/// doubles, while a row's bins and its index in the block fit in one `UInt64`:
/// `row | bin_0 << shift_0 | bin_1 << shift_1 | ...`, each field as wide as its feature needs.
///
/// Splitting rows node by node (as `DecisionTree.accumulatePartitioned` does) then moves the packed
/// words themselves: a row costs one sequential load, an AND, a compare and two stores per node on
/// its path, with no gather from a feature column. Subtrees small enough are lookup tables (see
/// `Table`), which read the bins from 16-bit columns; when the trees are small enough (B2's and
/// B3's), every tree is one table, read in block order, rows are not packed at all, and four trees
/// are looked up at once (`quadMaps`). A leaf records its offset for each of its rows; a second,
/// sequential pass adds the leaf values of a group of trees to each row's sums in tree order (for
/// quads of tables with 2 or 3 classes, as the leaves are found, in the same order), so the sums
/// are bit-for-bit those of adding tree after tree.
///
/// `init` returns nil when the bins do not fit (tens of thousands of distinct thresholds, or, when
/// some tree keeps splits, more than 64 bits in all), when a threshold is NaN, or when the leaf
/// values are too many for 32-bit offsets; the forest then predicts with `accumulatePartitioned`.
struct BinnedForest: Sendable {
    /// Most rows per prediction block: the row's index in its block takes the low `rowBits` bits.
    /// Big blocks spread each node's and table's fixed costs over more rows, and a whole-tree
    /// table (hundreds of kilobytes, from L3) is brought into L2 once per block: on B2's forest
    /// (1M rows, every tree one table) 32,768 rows took 13% less CPU than 8,192 and 6% less than
    /// 16,384. Smaller pools are cut into smaller, equal blocks, a multiple of the threads
    /// (`blockSize`).
    static let rowBits = 15
    static let blockRows = 1 << rowBits
    /// Trees whose leaf offsets are recorded before one pass adds their values.
    static let treesPerPass = 8

    /// Most cells a subtree's lookup table may have (a cell is one byte: 1 MB).
    /// Bigger tables replace more splits. On B2's forest (1,000 labels, 150 nodes a tree, 4
    /// features) a whole tree takes ≈ 160,000 cells: every tree one table, read in block order,
    /// predicted 30% faster than tables of at most 65,536 cells below ≈ 1.5 splits a tree, which
    /// were 10% faster than 16,384 cells.
    static let maxCells = 1 << 20
    /// Most bytes (a cell 1, a map entry 4) a table may take per node of the subtree it replaces,
    /// and over the whole forest (each tree its share): the tables' memory stays in proportion to
    /// the trees' and bounded, however large the training set (subtrees beyond the budget keep
    /// their splits). B2's trees need ≈ 1,100 bytes a node on average to be one table each (16 MB
    /// for the forest); 1,024 bytes a node left 42 of its 100 trees split at the top, and 2,048
    /// bytes a node or 32 MB a forest 2 of them — enough to pack every row for the splits.
    static let bytesPerNode = 4_096
    static let byteBudget = 64 << 20

    struct Node: Sendable {
        enum Kind: Sendable { case split, leaf, table }
        var kind: Kind
        /// Split: the bit field of the tested feature.
        var mask: UInt64
        /// Split: the threshold's index in its feature's list, shifted into the field; a row goes
        /// left when `row & mask <= bound`.
        var bound: UInt64
        /// Split: index (in `nodes`) of the left child, the right one follows it.
        /// Leaf: offset of its class values in `leafValues`. Table: index in `tables`.
        var next: Int
    }

    /// A subtree replaced by a lookup table over its own thresholds: the rows reaching it lie in a
    /// box of bins, the subtree's thresholds inside that box cut it into at most `maxCells` cells,
    /// and each cell lies in one leaf. A row's cell is the sum of one map entry per feature.
    struct Table: Sendable {
        /// First of this table's entries in `tableFeatures`, one per feature that cuts its box.
        /// four features, padded with entries that always add 0; otherwise `featureCount`).
        var firstFeature: Int
        var featureCount: Int
        /// Offset of cell 0 in `cells`.
        var firstCell: Int
        /// Offset in `leafValues` of the subtree's first leaf: the subtree's leaves are consecutive
        /// there, and a cell holds its leaf's index among them (one byte, so a table's cells take a
        /// quarter of the memory of leaf offsets: a whole tree's table stays in L2).
        var firstLeaf: Int
    }

    struct TableFeature: Sendable {
        /// The feature (its bins are the block's bin column `feature`).
        var feature: Int
        /// `maps[mapStart + bin]` is the bin's local index times its stride in the cells (the
        /// subtree's box keeps `mapStart + bin` inside this feature's map).
        var mapStart: Int
    }

    /// A shortcut into a feature's sorted thresholds: `bucket(x)`, monotone in `x`, picks a window
    /// of `width` thresholds from `starts[bucket]` that holds every threshold in `x`'s bucket.
    /// Thresholds before the window are in lower buckets, so below `x`; those after it (and the
    /// padding) are in higher buckets, so above `x` — the bin is `starts[bucket]` plus a search
    /// of fixed length in the window, with no branch on the data.
    struct Guide: Sendable {
        let low: Double, scale: Double, buckets: Int
        /// `starts[b]`: number of thresholds in buckets below `b`.
        let starts: [Int32]
        /// The thresholds, then `width` copies of `greatestFiniteMagnitude`.
        let padded: [Double]
        /// A power of two above the most thresholds in one bucket.
        let width: Int

        @inline(__always)
        static func bucket(_ x: Double, low: Double, scale: Double, buckets: Int) -> Int {
            // min/max on doubles are branch-free, and keep ±∞ inside 0 ... buckets - 1.
            Int(Swift.min(Swift.max((x - low) * scale, 0), Double(buckets - 1)))
        }

        /// nil when the thresholds are not all finite and below `greatestFiniteMagnitude`, or
        /// when a bucket would hold as many as a plain search visits.
        init?(_ thresholds: [Double]) {
            let m = thresholds.count
            guard m >= 16, let first = thresholds.first, let last = thresholds.last, first.isFinite,
                  last < .greatestFiniteMagnitude, last > first, (last - first).isFinite else { return nil }
            var buckets = 1
            while buckets < 8 * m && buckets < 4096 { buckets <<= 1 }
            let scale = Double(buckets) / (last - first)
            guard scale.isFinite, scale > 0 else { return nil }
            var starts = [Int32](repeating: 0, count: buckets + 1)
            for t in thresholds { starts[Guide.bucket(t, low: first, scale: scale, buckets: buckets) + 1] += 1 }
            var most: Int32 = 0
            for b in 0..<buckets { most = Swift.max(most, starts[b + 1]); starts[b + 1] += starts[b] }
            var width = 2
            while width <= Int(most) { width <<= 1 }
            guard width * 4 <= m else { return nil }
            self.low = first
            self.scale = scale
            self.buckets = buckets
            self.starts = starts
            self.padded = thresholds + [Double](repeating: .greatestFiniteMagnitude, count: width)
            self.width = width
        }
    }

    let classCount: Int
    /// Shortcuts into `thresholds` for binning (nil: plain binary search).
    let guides: [Guide?]
    /// Sorted distinct thresholds of each feature (empty for features no tree tests).
    let thresholds: [[Double]]
    /// Bit position of each feature's field (meaningless for features with no thresholds).
    let shifts: [Int]
    /// All trees' nodes, tree after tree; children indices are absolute.
    let nodes: [Node]
    /// Index in `nodes` of each tree's root.
    let roots: [Int]
    /// All trees' leaf class values, `classCount` per leaf.
    let leafValues: [Double]
    let tables: [Table]
    let tableFeatures: [TableFeature]
    /// Map entries of all tables.
    let maps: [UInt32]
    /// Leaf index (among its table's leaves) of all tables' cells.
    let cells: [UInt8]
    /// Longest root-to-leaf path over the trees.
    let depth: Int
    /// Whether some node is a split, so rows must be packed into words (`shifts`); otherwise
    /// every tree is one table, read in block order from the bins alone.
    let packsRows: Bool
    /// Features with thresholds.
    let dense: [Int]
    /// When every tree is one table over at most 8 features (`dense`): trees `4q ..< 4q + 4`
    /// looked up together. `quadMaps[q × (quadMaps.count / quads) + quadFeatureStarts[d] + bin]`
    /// holds the four trees' map entries for `bin` of feature `dense[d]` (0 for a tree whose table
    /// does not use it), the tables' first cells added in with `d = 0`: their sum over the
    /// features is each tree's cell in `cells`. `quadLeaves[q]`: the four tables' first leaves.
    let quadMaps: [SIMD4<UInt32>]
    let quadLeaves: [SIMD4<Int32>]
    let quadFeatureStarts: [Int]

    init?(trees: [DecisionTree], featureCount: Int, workers: Int = 1) {
        guard let first = trees.first, featureCount > 0 else { return nil }
        classCount = first.classCount
        var lists = [[Double]](repeating: [], count: featureCount)
        for tree in trees {
            guard tree.classCount == classCount else { return nil }
            for node in tree.nodes where node.feature >= 0 {
                let f = Int(node.feature)
                guard f < featureCount, !node.threshold.isNaN else { return nil }
                lists[f].append(node.threshold)
            }
        }
        var shifts = [Int](repeating: 0, count: featureCount)
        var widths = [Int](repeating: 0, count: featureCount)
        var used = BinnedForest.rowBits
        var fitsInWord = true
        for f in 0..<featureCount {
            lists[f].sort()
            var distinct: [Double] = []
            distinct.reserveCapacity(lists[f].count)
            // -0.0 and 0.0 compare equal, so they are one threshold (either one will do).
            for t in lists[f] where distinct.last.map({ $0 < t }) ?? true { distinct.append(t + 0.0) }
            lists[f] = distinct
            // Bins run from 0 to `distinct.count`.
            // Bins also go into 16-bit columns for the tables.
            guard distinct.count < Int(UInt16.max) else { return nil }
            widths[f] = distinct.isEmpty ? 0 : Int.bitWidth - distinct.count.leadingZeroBitCount
            shifts[f] = min(used, 63)
            used += widths[f]
            // Only splits need the packed word: a forest whose trees are all tables does not.
            fitsInWord = fitsInWord && used <= 64
        }
        // Each tree on its own (in parallel), then the parts joined in tree order with their
        // indices shifted: the result does not depend on the threads.
        let parts = ConcurrentSlots<Builder?>(count: trees.count, initialValue: nil)
        let budget = BinnedForest.byteBudget / trees.count
        let classCount = self.classCount
        let (sortedLists, fieldShifts, fieldWidths) = (lists, shifts, widths)
        // Where each tree's leaf values start in `leafValues`, so leaves and cells hold final offsets.
        var valueBases: [Int] = [], valueCount = 0
        for tree in trees {
            valueBases.append(valueCount)
            valueCount += tree.leafValues.count
        }
        guard valueCount <= Int(Int32.max) else { return nil }
        let treeValueBases = valueBases
        performConcurrently(count: trees.count, workers: workers) { t in
            var builder = Builder(lists: sortedLists, shifts: fieldShifts, widths: fieldWidths,
                                  classCount: classCount, budget: budget, valueBase: treeValueBases[t])
            if builder.add(trees[t]) { parts.buffer[t] = builder }
        }
        var nodes: [Node] = [], roots: [Int] = [], values: [Double] = []
        var tables: [Table] = [], tableFeatures: [TableFeature] = []
        var maps: [UInt32] = []
        // The tables' cells are planned above and filled below, each tree's straight into its
        // range of one allocation (no growing, no joining copy: B2's forest has 16 MB of cells).
        var cellBases: [Int] = [], cellCount = 0
        for part in parts.buffer {
            guard let part else { return nil }
            cellBases.append(cellCount)
            cellCount += part.cellCount
        }
        let treeCellBases = cellBases
        self.cells = [UInt8](unsafeUninitializedCapacity: cellCount) { buffer, initialized in
            let cells = SharedOutput(buffer: buffer)
            performConcurrently(count: trees.count, workers: workers) { t in
                guard let part = parts.buffer[t], let base = cells.buffer.baseAddress else { return }
                let range = UnsafeMutableBufferPointer(start: base + treeCellBases[t], count: part.cellCount)
                // Every cell is some leaf's; zeros first all the same, so no cell is ever unset.
                range.initialize(repeating: 0)
                part.fill(range)
            }
            initialized = cellCount
        }
        for (t, part) in parts.buffer.enumerated() {
            guard let part else { return nil }
            let nodeBase = nodes.count, tableBase = tables.count
            let featureBase = tableFeatures.count, mapBase = maps.count, cellBase = treeCellBases[t]
            roots.append(contentsOf: part.roots.map { $0 + nodeBase })
            nodes.append(contentsOf: part.nodes.map { node in
                var node = node
                switch node.kind {
                case .split: node.next += nodeBase
                case .leaf: break
                case .table: node.next += tableBase
                }
                return node
            })
            values.append(contentsOf: part.values)
            tables.append(contentsOf: part.tables.map {
                Table(firstFeature: $0.firstFeature + featureBase, featureCount: $0.featureCount,
                      firstCell: $0.firstCell + cellBase, firstLeaf: $0.firstLeaf)
            })
            tableFeatures.append(contentsOf: part.tableFeatures.map {
                TableFeature(feature: $0.feature, mapStart: $0.mapStart + mapBase)
            })
            maps.append(contentsOf: part.maps)
        }
        self.thresholds = lists
        self.guides = lists.map { Guide($0) }
        self.shifts = shifts
        self.nodes = nodes
        self.roots = roots
        self.leafValues = values
        self.tables = tables
        self.tableFeatures = tableFeatures
        self.maps = maps
        self.depth = trees.map(\.depth).max() ?? 0
        self.packsRows = nodes.contains { $0.kind == .split }
        guard fitsInWord || !packsRows else { return nil }
        // Quads: when every tree is one table over at most 8 features, four trees' map entries
        // for a bin side by side, so one 16-byte load per feature serves four trees.
        let dense = lists.indices.filter { !lists[$0].isEmpty }
        var quadMaps: [SIMD4<UInt32>] = [], quadLeaves: [SIMD4<Int32>] = [], quadFeatureStarts: [Int] = []
        let rootTables = roots.map { nodes[$0].kind == .table ? nodes[$0].next : -1 }
        if !packsRows, !dense.isEmpty, dense.count <= 8, !rootTables.contains(-1), cells.count <= Int(UInt32.max) {
            var start = 0
            for f in dense { quadFeatureStarts.append(start); start += lists[f].count + 1 }
            quadMaps.reserveCapacity(roots.count / 4 * start)
            for q in 0..<(roots.count / 4) {
                let quad = (0..<4).map { tables[rootTables[4 * q + $0]] }
                quadLeaves.append(SIMD4(quad.map { Int32(truncatingIfNeeded: $0.firstLeaf) }))
                for (d, f) in dense.enumerated() {
                    // A root table's box is every bin, so its map covers 0 ... thresholds.
                    let columns = quad.map { table in
                        (table.firstFeature..<(table.firstFeature + table.featureCount)).first { tableFeatures[$0].feature == f }
                    }
                    for bin in 0...lists[f].count {
                        var entry = SIMD4<UInt32>(repeating: 0)
                        for t in 0..<4 {
                            if let j = columns[t] { entry[t] = maps[tableFeatures[j].mapStart + bin] }
                            // The cell's place in `cells`, counted once, with the first feature.
                            if d == 0 { entry[t] &+= UInt32(truncatingIfNeeded: quad[t].firstCell) }
                        }
                        quadMaps.append(entry)
                    }
                }
            }
        }
        self.dense = dense
        self.quadMaps = quadMaps
        self.quadLeaves = quadLeaves
        self.quadFeatureStarts = quadFeatureStarts
    }

    /// Translates trees into `nodes`, replacing every largest subtree that fits in `maxCells`
    /// cells by a table.
    private struct Builder {
        let lists: [[Double]], shifts: [Int], widths: [Int], classCount: Int
        /// Most bytes for this builder's tables' cells and maps.
        let budget: Int
        /// Offset of this builder's first leaf value in the forest's `leafValues`.
        let valueBase: Int
        var nodes: [Node] = [], roots: [Int] = [], values: [Double] = []
        var tables: [Table] = [], tableFeatures: [TableFeature] = []
        var maps: [UInt32] = []
        /// Cells of this builder's tables, filled by `fill` once they are all planned.
        var cellCount = 0
        var fills: [Fill] = []

        /// A planned table: its subtree (at `root` of `source`, rows in `box`), the features that
        /// cut the box with their local thresholds (ranks) and strides, where its cells go.
        struct Fill {
            let source: [DecisionTree.Node], ranks: [Int], leafOffsets: [Int]
            let root: Int, box: Box, features: [Int], local: [[Int]], strides: [Int]
            let firstCell: Int, firstLeaf: Int
        }

        init(lists: [[Double]], shifts: [Int], widths: [Int], classCount: Int, budget: Int, valueBase: Int) {
            self.budget = budget
            self.valueBase = valueBase
            self.lists = lists
            self.shifts = shifts
            self.widths = widths
            self.classCount = classCount
        }

        /// Box of bins: rows reaching a node have `low[f] <= bin_f <= high[f]`.
        struct Box { var low: [Int], high: [Int] }

        mutating func add(_ tree: DecisionTree) -> Bool {
            let base = nodes.count
            roots.append(base)
            let leafBase = valueBase + values.count
            let source = tree.nodes
            let classCount = self.classCount
            // The leaves' values in depth-first order (left before right), so the leaves of every
            // subtree are consecutive: a table's cell then holds its leaf's index from the
            // subtree's first leaf, one byte, turned into an offset without a load.
            var order = [Int](repeating: 0, count: source.count)
            var leafCount = 0
            var walk = [0]
            while let i = walk.popLast() {
                guard i < source.count else { return false }
                let next = Int(source[i].next)
                if source[i].feature < 0 {
                    let from = next * classCount
                    guard next >= 0, from + classCount <= tree.leafValues.count else { return false }
                    order[i] = leafCount
                    leafCount += 1
                    values.append(contentsOf: tree.leafValues[from..<(from + classCount)])
                } else {
                    walk.append(next + 1)
                    walk.append(next)
                }
            }
            // Every leaf once, so the next tree's values start where `valueBase` says.
            guard leafCount * classCount == tree.leafValues.count else { return false }
            // Rank of each split's threshold in its feature's list.
            let lists = self.lists
            let ranks = source.map { $0.feature < 0 ? -1 : BinnedForest.countBelow($0.threshold, in: lists[Int($0.feature)]) }
            let leafOffsets = order.map { leafBase + $0 * classCount }
            nodes.append(contentsOf: repeatElement(Node(kind: .leaf, mask: 0, bound: 0, next: 0), count: source.count))
            var stack = [(0, Box(low: lists.map { _ in 0 }, high: lists.map(\.count)))]
            while let (i, box) = stack.popLast() {
                let node = source[i]
                // A box emptied by its ancestors receives no rows: any leaf will do.
                if zip(box.low, box.high).contains(where: { $0 > $1 }) {
                    nodes[base + i] = Node(kind: .leaf, mask: 0, bound: 0, next: leafBase)
                    continue
                }
                if node.feature < 0 {
                    nodes[base + i] = Node(kind: .leaf, mask: 0, bound: 0, next: leafOffsets[i])
                    continue
                }
                if let table = makeTable(source, ranks: ranks, root: i, box: box, leafOffsets: leafOffsets) {
                    nodes[base + i] = Node(kind: .table, mask: 0, bound: 0, next: table)
                    continue
                }
                let f = Int(node.feature), rank = ranks[i], left = Int(node.next)
                guard left + 1 < source.count else { return false }
                let shift = UInt64(shifts[f])
                nodes[base + i] = Node(kind: .split, mask: ((1 << UInt64(widths[f])) - 1) << shift,
                                       bound: UInt64(rank) << shift, next: base + left)
                var leftBox = box, rightBox = box
                leftBox.high[f] = min(box.high[f], rank)
                rightBox.low[f] = max(box.low[f], rank + 1)
                stack.append((left + 1, rightBox))
                stack.append((left, leftBox))
            }
            return true
        }

        /// The table for the subtree at `root` whose rows lie in `box` (its cells planned, for
        /// `fill`), or nil when it would need more than `maxCells` cells or more bytes than allowed.
        mutating func makeTable(_ source: [DecisionTree.Node], ranks: [Int], root: Int, box: Box,
                                leafOffsets: [Int]) -> Int? {
            // The subtree's thresholds that cut the box, per feature: a split whose rank is
            // outside `low ..< high` sends every row of the box the same way.
            var local = lists.map { _ in [Int]() }
            var pending = [root]
            var subtreeNodes = 0, subtreeLeaves = 0
            while let i = pending.popLast() {
                subtreeNodes += 1
                let node = source[i]
                guard node.feature >= 0 else { subtreeLeaves += 1; continue }
                let f = Int(node.feature), rank = ranks[i]
                if rank >= box.low[f] && rank < box.high[f] { local[f].append(rank) }
                pending.append(Int(node.next))
                pending.append(Int(node.next) + 1)
            }
            var cellCount = 1
            var features: [Int] = []
            for f in local.indices where !local[f].isEmpty {
                local[f].sort()
                var distinct = 0
                for rank in local[f] where distinct == 0 || local[f][distinct - 1] != rank {
                    local[f][distinct] = rank
                    distinct += 1
                }
                local[f].removeLast(local[f].count - distinct)
                features.append(f)
                cellCount *= local[f].count + 1
                if cellCount > BinnedForest.maxCells { return nil }
            }
            // A subtree none of whose splits cuts its box keeps its splits (they send every row the
            // same way); it cannot happen for a fitted tree, but costs nothing to allow.
            if features.isEmpty { return nil }
            // A cell holds its leaf's index among the table's leaves in one byte.
            if subtreeLeaves > Int(UInt8.max) + 1 { return nil }
            // Memory in proportion to the subtree, whatever the size of the training set.
            let mapBytes = MemoryLayout<UInt32>.size * features.reduce(0) { $0 + box.high[$1] - box.low[$1] + 1 }
            if cellCount + mapBytes > BinnedForest.bytesPerNode * subtreeNodes
                || self.cellCount + MemoryLayout<UInt32>.size * maps.count + cellCount + mapBytes > budget { return nil }
            // Strides: the first feature varies fastest.
            var strides: [Int] = [], stride = 1
            for f in features { strides.append(stride); stride *= local[f].count + 1 }
            let firstFeature = tableFeatures.count
            for (j, f) in features.enumerated() {
                // The local bin is the number of local thresholds below the bin.
                let mapOffset = maps.count
                var l = 0
                for bin in box.low[f]...box.high[f] {
                    while l < local[f].count && local[f][l] < bin { l += 1 }
                    maps.append(UInt32(truncatingIfNeeded: l * strides[j]))
                }
                tableFeatures.append(TableFeature(feature: f, mapStart: mapOffset - box.low[f]))
            }
            // The subtree's leaves are consecutive in depth-first order, the first one leftmost.
            var leftmost = root
            while source[leftmost].feature >= 0 { leftmost = Int(source[leftmost].next) }
            let firstLeaf = leafOffsets[leftmost]
            let firstCell = self.cellCount
            self.cellCount += cellCount
            fills.append(Fill(source: source, ranks: ranks, leafOffsets: leafOffsets, root: root, box: box,
                              features: features, local: features.map { local[$0] }, strides: strides,
                              firstCell: firstCell, firstLeaf: firstLeaf))
            tables.append(Table(firstFeature: firstFeature, featureCount: features.count, firstCell: firstCell,
                                firstLeaf: firstLeaf))
            return tables.count - 1
        }

        /// Writes the planned tables' cells into `cells` (this builder's `cellCount` of them,
        /// zeroed): each leaf owns a box of local bins (inclusive ranges per table feature).
        func fill(_ cells: UnsafeMutableBufferPointer<UInt8>) {
            guard let base = cells.baseAddress else { return }
            for plan in fills {
                let (source, ranks, box, features, local, strides) =
                    (plan.source, plan.ranks, plan.box, plan.features, plan.local, plan.strides)
                var pending = [(plan.root, features.map { _ in 0 }, local.map(\.count))]
                while let (i, low, high) = pending.popLast() {
                    let node = source[i]
                    if node.feature < 0 {
                        // At most 256 leaves in the subtree, consecutive from `firstLeaf`.
                        let offset = UInt8(truncatingIfNeeded: (plan.leafOffsets[i] - plan.firstLeaf) / classCount)
                        // Runs along the first feature (stride 1), the others counted like an odometer.
                        // The leaf's box lies inside the table's cells (its local bins are within
                        // 0 ... local count), so every run does.
                        let run = high[0] - low[0] + 1
                        var cell = low
                        var index = plan.firstCell
                        for j in cell.indices { index += cell[j] * strides[j] }
                        outer: while true {
                            // Runs are short (a few cells): a plain loop rather than a memset call.
                            let start = base + index
                            for k in 0..<run { start[k] = offset }
                            for j in 1..<cell.count {
                                if cell[j] < high[j] { cell[j] += 1; index += strides[j]; continue outer }
                                index -= (cell[j] - low[j]) * strides[j]
                                cell[j] = low[j]
                            }
                            break
                        }
                        continue
                    }
                    let f = Int(node.feature), rank = ranks[i], left = Int(node.next)
                    if rank >= box.high[f] { pending.append((left, low, high)); continue }
                    if rank < box.low[f] { pending.append((left + 1, low, high)); continue }
                    // The rank is one of the local thresholds of a table feature (`makeTable`
                    // collected them all): local bins up to its position go left.
                    guard let j = features.firstIndex(of: f), let p = local[j].firstIndex(of: rank) else { continue }
                    if low[j] <= p {
                        var leftHigh = high
                        leftHigh[j] = min(high[j], p)
                        pending.append((left, low, leftHigh))
                    }
                    if high[j] >= p + 1 {
                        var rightLow = low
                        rightLow[j] = max(low[j], p + 1)
                        pending.append((left + 1, rightLow, high))
                    }
                }
            }
        }
    }
}
