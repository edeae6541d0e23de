import Dispatch

/// Positional cross-matching of two catalogues (or of one with itself), by angular separation on
/// the sky, through a `SkyZones` index of the second (declination zones one radius high, sorted by
/// RA; `nearest`, which has no radius, uses the k-d tree `SkyIndex`). Queries run on every core in fixed chunks whose
/// results are put together in row order, so the result does not depend on the thread count.
public enum SkyMatch {
    /// Which pairs a match keeps.
    public enum Find: String, Sendable, CaseIterable {
        /// For each row, its nearest partner within the radius.
        case best
        /// Every pair within the radius.
        case all
        /// Pairs that are each other's nearest partner within the radius.
        case bestEachSide = "best-each-side"
    }

    public struct Pair: Sendable, Equatable {
        public var left: Int
        public var right: Int
        /// Angular separation in arcseconds (Vincenty's formula, as astropy).
        public var separation: Double
    }

    public struct Result: Sendable {
        /// Sorted by left row, then separation, then right row.
        public var pairs: [Pair]
        /// Left rows with at least one partner kept.
        public var matched: Int
        /// Left rows with more than one candidate within the radius.
        public var multiple: Int
        /// Left rows with no partner kept.
        public var unmatched: Int
    }

    /// For each left row: its nearest right row within the radius (-1: none) and how many right
    /// rows are within it. Distances compare as chords, which order pairs exactly as their angles.
    /// With `rightRA`/`rightDec`, also the separation to it in arcseconds (else NaN).
    static func nearestWithin(leftRA: [Double], leftDec: [Double], index: SkyZones, radius: Double,
                              rightRA: [Double]? = nil, rightDec: [Double]? = nil) -> [(right: Int, count: Int, separation: Double)] {
        let degrees = radius / 3600, chord = AngularSeparation.chord(degrees: degrees)
        // Queries go in zone order, so consecutive ones read neighbouring zones while they are in
        // the cache; each row's answer is its own.
        // The positions are gathered in that order first (a loop of independent loads), so the
        // queries read them in sequence; the partner's position comes from the index's entry.
        let sequence = index.queryOrder(ra: leftRA, dec: leftDec)
        let ras = sequence.map { leftRA[$0] }, decs = sequence.map { leftDec[$0] }
        let withSeparation = rightRA != nil && rightDec != nil
        let answers = parallelMap(count: sequence.count) { n -> (right: Int, count: Int, separation: Double) in
            let ra = ras[n], dec = decs[n]
            guard let q = AngularSeparation.unitVector(ra: ra, dec: dec) else { return (-1, 0, .nan) }
            var best = -1, bestEntry = -1, bestSquared = Double.infinity, count = 0
            index.visit(ra: ra, dec: dec, q: q, radius: degrees, chord: chord) { p, d2, k in
                count += 1
                if d2 < bestSquared || (d2 == bestSquared && p < best) { (best, bestEntry, bestSquared) = (p, k, d2) }
            }
            guard best >= 0, withSeparation else { return (best, count, .nan) }
            let partner = index.position(bestEntry)
            return (best, count, AngularSeparation.degrees(ra1: ra, dec1: dec, ra2: partner.ra, dec2: partner.dec) * 3600)
        }
        var result = [(right: Int, count: Int, separation: Double)](repeating: (-1, 0, .nan), count: leftRA.count)
        for (n, i) in sequence.enumerated() { result[i] = answers[n] }
        return result
    }

    /// Every pair within the radius, per left row nearest first (ties by right row).
    static func allWithin(leftRA: [Double], leftDec: [Double], index: SkyZones, radius: Double) -> [[(right: Int, chord: Double)]] {
        let degrees = radius / 3600, chord = AngularSeparation.chord(degrees: degrees)
        return parallelMap(count: leftRA.count) { i in
            guard let q = AngularSeparation.unitVector(ra: leftRA[i], dec: leftDec[i]) else { return [] }
            var found: [(right: Int, chord: Double)] = []
            index.visit(ra: leftRA[i], dec: leftDec[i], q: q, radius: degrees, chord: chord) { p, d2, _ in found.append((p, d2)) }
            return found.sorted { ($0.chord, $0.right) < ($1.chord, $1.right) }
        }
    }

    static func separation(_ i: Int, _ j: Int, _ leftRA: [Double], _ leftDec: [Double], _ rightRA: [Double], _ rightDec: [Double]) -> Double {
        AngularSeparation.degrees(ra1: leftRA[i], dec1: leftDec[i], ra2: rightRA[j], dec2: rightDec[j]) * 3600
    }

    /// Matches every left position with the right catalogue within `radius` arcseconds.
    public static func match(leftRA: [Double], leftDec: [Double], rightRA: [Double], rightDec: [Double],
                             radius: Double, find: Find) -> Result {
        let index = SkyZones(ra: rightRA, dec: rightDec, radius: radius / 3600)
        let sep = { (i: Int, j: Int) in separation(i, j, leftRA, leftDec, rightRA, rightDec) }
        var pairs: [Pair] = []
        var multiple = 0
        if find == .all {
            let found = allWithin(leftRA: leftRA, leftDec: leftDec, index: index, radius: radius)
            for (i, list) in found.enumerated() {
                if list.count > 1 { multiple += 1 }
                pairs += list.map { Pair(left: i, right: $0.right, separation: sep(i, $0.right)) }
            }
        } else {
            let found = nearestWithin(leftRA: leftRA, leftDec: leftDec, index: index, radius: radius, rightRA: rightRA, rightDec: rightDec)
            let back = find == .bestEachSide
                ? nearestWithin(leftRA: rightRA, leftDec: rightDec, index: SkyZones(ra: leftRA, dec: leftDec, radius: radius / 3600), radius: radius) : []
            pairs.reserveCapacity(found.count)
            for (i, hit) in found.enumerated() {
                if hit.count > 1 { multiple += 1 }
                guard hit.right >= 0, find == .best || back[hit.right].right == i else { continue }
                pairs.append(Pair(left: i, right: hit.right, separation: hit.separation))
            }
        }
        var matched = 0, last = -1
        for pair in pairs where pair.left != last { matched += 1; last = pair.left }
        return Result(pairs: pairs, matched: matched, multiple: multiple, unmatched: leftRA.count - matched)
    }

    /// For every left position its nearest right position, whatever the distance, as astropy's
    /// `SkyCoord.match_to_catalog_sky`: (right row, separation in arcseconds), or nil for a
    /// missing position or an empty catalogue.
    public static func nearest(leftRA: [Double], leftDec: [Double], rightRA: [Double], rightDec: [Double]) -> [(Int, Double)?] {
        let index = SkyIndex(ra: rightRA, dec: rightDec)
        return parallelMap(count: leftRA.count) { i in
            guard let q = AngularSeparation.unitVector(ra: leftRA[i], dec: leftDec[i]),
                  let hit = index.nearest(to: q, radius: 2.000001) else { return nil }
            let s = AngularSeparation.degrees(ra1: leftRA[i], dec1: leftDec[i], ra2: rightRA[hit.point], dec2: rightDec[hit.point])
            return (hit.point, s * 3600)
        }
    }

    /// Groups of positions within `radius` arcseconds of each other, linked in chains (friends of
    /// friends): each group sorted, groups ordered by their first row; single rows are left out.
    public static func groups(ra: [Double], dec: [Double], radius: Double) -> [[Int]] {
        let found = allWithin(leftRA: ra, leftDec: dec, index: SkyZones(ra: ra, dec: dec, radius: radius / 3600), radius: radius)
        var parent = Array(0 ..< ra.count)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for (i, list) in found.enumerated() {
            for pair in list where pair.right != i {
                let a = root(i), b = root(pair.right)
                if a != b { parent[Swift.max(a, b)] = Swift.min(a, b) }
            }
        }
        var members: [Int: [Int]] = [:]
        for i in 0 ..< ra.count { members[root(i), default: []].append(i) }
        return members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    /// `transform(i)` for i in 0..<count, computed in fixed chunks on every core, in order.
    static func parallelMap<T: Sendable>(count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        let chunk = 4096
        let chunks = (count + chunk - 1) / chunk
        guard chunks > 1 else { return (0 ..< count).map(transform) }
        let results = ChunkResults<T>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            results.set(c, (c * chunk ..< Swift.min(count, (c + 1) * chunk)).map(transform))
        }
        return results.joined()
    }
}

/// Each chunk's results, written by one thread each (to its own slot, through a pointer, so no
/// exclusive access to a shared array is claimed) and read after all have finished.
private final class ChunkResults<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<[T]>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [], count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ c: Int, _ values: [T]) { slots[c] = values }
    func joined() -> [T] { (0 ..< count).flatMap { slots[$0] } }
}
