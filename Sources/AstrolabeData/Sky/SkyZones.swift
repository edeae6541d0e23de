import Dispatch
import Foundation

/// A zone index for matches within a radius (Gray, Szalay et al.'s "zones" algorithm): positions
/// bucketed in declination zones at least one radius high, sorted by RA inside each zone, with
/// their unit vectors beside them. A query looks only at the zones its circle touches and, in
/// each, at the RA interval the circle spans (binary search); the final test is the chord between
/// unit vectors, exactly as `SkyIndex` decides, so both find the same points. Circles that reach a
/// pole take their zones' whole RA range; intervals that pass RA = 0 are searched in two parts.
/// Built in O(n) (a counting sort by zone) plus small sorts inside zones, in parallel, without a
/// per-point allocation; the result depends only on the data.
public struct SkyZones: Sendable {
    /// Zone height in degrees; zone z covers declinations [-90 + z h, -90 + (z + 1) h).
    let height: Double
    let zoneCount: Int
    /// The radius the index was made for (degrees) and its sine.
    let radius: Double
    let sineOfRadius: Double
    /// Zone z holds entries start[z] ..< start[z + 1].
    let start: [Int]
    /// Per entry, in zone then RA order: RA in [0, 360), the unit vector (x, y, z) and the point.
    let raKeys: [Double]
    /// Per entry, its declination (with the RA key, the position a separation is computed from).
    let decs: [Double]
    let xyz: [Double]
    let points: [Int32]

    /// Indexes the positions with finite coordinates for queries within `radius` degrees.
    public init(ra raIn: [Double], dec decIn: [Double], radius: Double) {
        let n = Swift.min(raIn.count, decIn.count)
        // Zones one radius high, but not more zones than positions (nor more than 2^22).
        let zones = Swift.max(1, Swift.min(Int((180 / Swift.max(radius, 1e-9)).rounded(.down)), Swift.max(1, n), 1 << 22))
        height = 180 / Double(zones)
        self.radius = radius
        sineOfRadius = sin(radius * .pi / 180)
        zoneCount = zones
        var zoneOf = [Int32](repeating: -1, count: n)
        var counts = [Int](repeating: 0, count: zones + 1)
        for i in 0 ..< n where raIn[i].isFinite && decIn[i].isFinite && Swift.abs(decIn[i]) <= 90 {
            let z = Self.zone(decIn[i], height: height, count: zones)
            zoneOf[i] = Int32(z)
            counts[z + 1] += 1
        }
        for z in 0 ..< zones { counts[z + 1] += counts[z] }
        start = counts
        let total = counts[zones]
        // One pass in row order puts each position in its zone's stretch (reads in sequence,
        // writes by zone), then each zone is sorted by RA, ties by point number.
        var fill = counts
        var order = [Int32](repeating: 0, count: total)
        var keys = [Double](repeating: 0, count: total)
        var decs = [Double](repeating: 0, count: total)
        for i in 0 ..< n where zoneOf[i] >= 0 {
            let z = Int(zoneOf[i])
            let k = fill[z]
            order[k] = Int32(i)
            keys[k] = Self.normalisedRA(raIn[i])
            decs[k] = decIn[i]
            fill[z] = k + 1
        }
        let bounds = counts
        var xyz = [Double](repeating: 0, count: 3 * total)
        keys.withUnsafeMutableBufferPointer { keyBuffer in
          decs.withUnsafeMutableBufferPointer { decBuffer in
            order.withUnsafeMutableBufferPointer { orderBuffer in
                let sorter = ZoneSorter(keys: keyBuffer, decs: decBuffer, points: orderBuffer)
                let chunks = Swift.max(1, Swift.min(64, zones))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    for z in stride(from: c, to: zones, by: chunks) { sorter.sort(bounds[z], bounds[z + 1]) }
                }
                // Unit vectors in entry order, in fixed chunks on both cores (each its own stretch).
                xyz.withUnsafeMutableBufferPointer { out in
                    let target = VectorTarget(xyz: out, keys: UnsafeBufferPointer(keyBuffer), decs: UnsafeBufferPointer(decBuffer))
                    let chunk = 1 << 16
                    DispatchQueue.concurrentPerform(iterations: (total + chunk - 1) / chunk) { c in
                        for k in c * chunk ..< Swift.min(total, (c + 1) * chunk) { target.fill(k) }
                    }
                }
            }
          }
        }
        raKeys = keys
        self.xyz = xyz
        points = order
        self.decs = decs
    }

    /// The rows in zone order (a counting sort by zone of this index's height, rows in order inside
    /// a zone; rows without a position last): queries in this order walk the zones in memory order.
    func queryOrder(ra: [Double], dec: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: zoneCount + 2)
        let zones = dec.indices.map { i -> Int in
            guard ra[i].isFinite, dec[i].isFinite, Swift.abs(dec[i]) <= 90 else { return zoneCount }
            return Self.zone(dec[i], height: height, count: zoneCount)
        }
        for z in zones { counts[z + 1] += 1 }
        for z in 0 ... zoneCount { counts[z + 1] += counts[z] }
        var order = [Int](repeating: 0, count: dec.count)
        for (i, z) in zones.enumerated() { order[counts[z]] = i; counts[z] += 1 }
        return order
    }

    /// The vectors' buffer, written by several threads at disjoint entries, from the entries'
    /// positions (the RA key equals the RA for RA in [0, 360)).
    struct VectorTarget: @unchecked Sendable {
        let xyz: UnsafeMutableBufferPointer<Double>
        let keys: UnsafeBufferPointer<Double>
        let decs: UnsafeBufferPointer<Double>
        @inline(__always) func fill(_ k: Int) {
            guard let v = AngularSeparation.unitVector(ra: keys[k], dec: decs[k]) else { return }
            xyz[3 * k] = v.x; xyz[3 * k + 1] = v.y; xyz[3 * k + 2] = v.z
        }
    }

    @inline(__always)
    static func zone(_ dec: Double, height: Double, count: Int) -> Int {
        Swift.min(count - 1, Swift.max(0, Int(((dec + 90) / height).rounded(.down))))
    }

    @inline(__always)
    static func normalisedRA(_ ra: Double) -> Double {
        let r = ra.truncatingRemainder(dividingBy: 360)
        return r < 0 ? (r + 360 < 360 ? r + 360 : 0) : r
    }

    /// Sorts each zone's stretch of (key, point) by key then point, moving the declinations along:
    /// insertion sort for the short stretches most zones are, a sort of index pairs otherwise.
    struct ZoneSorter: @unchecked Sendable {
        let keys: UnsafeMutableBufferPointer<Double>
        let decs: UnsafeMutableBufferPointer<Double>
        let points: UnsafeMutableBufferPointer<Int32>

        func sort(_ lo: Int, _ hi: Int) {
            if hi - lo <= 32 {
                var i = lo + 1
                while i < hi {
                    let key = keys[i], dec = decs[i], point = points[i]
                    var j = i - 1
                    while j >= lo, keys[j] > key || (keys[j] == key && points[j] > point) {
                        keys[j + 1] = keys[j]; decs[j + 1] = decs[j]; points[j + 1] = points[j]; j -= 1
                    }
                    keys[j + 1] = key; decs[j + 1] = dec; points[j + 1] = point
                    i += 1
                }
                return
            }
            var entries = (lo ..< hi).map { (keys[$0], points[$0], decs[$0]) }
            entries.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for (k, e) in entries.enumerated() { keys[lo + k] = e.0; points[lo + k] = e.1; decs[lo + k] = e.2 }
        }
    }

    /// The sine of `radius` (degrees), kept for the radius the index was made for.
    @inline(__always)
    func sinRadius(_ radius: Double) -> Double { radius == self.radius ? sineOfRadius : sin(radius * .pi / 180) }

    /// The position (RA in [0, 360), Dec) of entry `k`, as `visit` names entries.
    @inline(__always)
    func position(_ k: Int) -> (ra: Double, dec: Double) { (raKeys[k], decs[k]) }

    /// Calls `body(point, squared chord, entry)` for every indexed point within `radius` degrees (chord
    /// `chord`) of the position (ra, dec) whose unit vector is `q`, zone by zone in RA order.
    @inline(__always)
    func visit(ra: Double, dec: Double, q: SIMD3<Double>, radius: Double, chord: Double, _ body: (Int, Double, Int) -> Void) {
        let margin = 1e-9
        let low = dec - radius - margin, high = dec + radius + margin
        let z0 = Self.zone(Swift.max(low, -90), height: height, count: zoneCount)
        let z1 = Self.zone(Swift.min(high, 90), height: height, count: zoneCount)
        let limit = chord * chord
        // Half-width in RA of the circle, when it does not reach a pole.
        // (tan(asin s) ≥ asin s bounds it without an inverse sine; cos dec is the length of q's x, y.)
        var halfWidth = 360.0
        if low > -90, high < 90 {
            let s = sinRadius(radius) / (q.x * q.x + q.y * q.y).squareRoot()
            if s < 0.99 { halfWidth = s / (1 - s * s).squareRoot() * (180 / .pi) + margin }
        }
        let centre = Self.normalisedRA(ra)
        raKeys.withUnsafeBufferPointer { keys in
            xyz.withUnsafeBufferPointer { v in
                points.withUnsafeBufferPointer { p in
                    @inline(__always) func scan(_ from: Int, _ to: Int) {
                        var k = from
                        while k < to {
                            let dx = v[3 * k] - q.x, dy = v[3 * k + 1] - q.y, dz = v[3 * k + 2] - q.z
                            let d2 = dx * dx + dy * dy + dz * dz
                            if d2 <= limit { body(Int(p[k]), d2, k) }
                            k += 1
                        }
                    }
                    @inline(__always) func lowerBound(_ lo: Int, _ hi: Int, _ key: Double) -> Int {
                        var lo = lo, hi = hi
                        while lo < hi {
                            let mid = (lo + hi) >> 1
                            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
                        }
                        return lo
                    }
                    @inline(__always) func upperBound(_ lo: Int, _ hi: Int, _ key: Double) -> Int {
                        var lo = lo, hi = hi
                        while lo < hi {
                            let mid = (lo + hi) >> 1
                            if keys[mid] <= key { lo = mid + 1 } else { hi = mid }
                        }
                        return lo
                    }
                    for z in z0 ... z1 {
                        let a = start[z], b = start[z + 1]
                        guard a < b else { continue }
                        if halfWidth >= 180 { scan(a, b); continue }
                        let lo = centre - halfWidth, hi = centre + halfWidth
                        if lo < 0 {
                            scan(a, upperBound(a, b, hi))
                            scan(lowerBound(a, b, lo + 360), b)
                        } else if hi >= 360 {
                            scan(lowerBound(a, b, lo), b)
                            scan(a, upperBound(a, b, hi - 360))
                        } else {
                            scan(lowerBound(a, b, lo), upperBound(a, b, hi))
                        }
                    }
                }
            }
        }
    }
}
