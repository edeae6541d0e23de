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
    /// Zone z holds entries start[z] ..< start[z + 1].
    let start: [Int]
    /// Per entry, in zone then RA order: RA in [0, 360), the unit vector (x, y, z) and the point.
    let raKeys: [Double]
    let xyz: [Double]
    let points: [Int32]

    /// Indexes the positions with finite coordinates for queries within `radius` degrees.
    public init(ra raIn: [Double], dec decIn: [Double], radius: Double) {
        let n = Swift.min(raIn.count, decIn.count)
        // Zones one radius high, but not more zones than positions (nor more than 2^22).
        let zones = Swift.max(1, Swift.min(Int((180 / Swift.max(radius, 1e-9)).rounded(.down)), Swift.max(1, n), 1 << 22))
        height = 180 / Double(zones)
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
        var fill = counts
        var order = [Int32](repeating: 0, count: total)
        for i in 0 ..< n where zoneOf[i] >= 0 {
            let z = Int(zoneOf[i])
            order[fill[z]] = Int32(i)
            fill[z] += 1
        }
        // Inside each zone: by RA, ties by point number (the zone's points arrive in point order).
        var keys = [Double](repeating: 0, count: total)
        for k in 0 ..< total { keys[k] = Self.normalisedRA(raIn[Int(order[k])]) }
        let bounds = counts
        keys.withUnsafeMutableBufferPointer { keyBuffer in
            order.withUnsafeMutableBufferPointer { orderBuffer in
                let sorter = ZoneSorter(keys: keyBuffer, points: orderBuffer)
                let chunks = Swift.max(1, Swift.min(64, zones))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    for z in stride(from: c, to: zones, by: chunks) { sorter.sort(bounds[z], bounds[z + 1]) }
                }
            }
        }
        var xyz = [Double](repeating: 0, count: 3 * total)
        for k in 0 ..< total {
            // The same vectors as SkyIndex's, so both decide alike at the radius.
            let i = Int(order[k])
            guard let v = AngularSeparation.unitVector(ra: raIn[i], dec: decIn[i]) else { continue }
            xyz[3 * k] = v.x
            xyz[3 * k + 1] = v.y
            xyz[3 * k + 2] = v.z
        }
        raKeys = keys
        self.xyz = xyz
        points = order
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

    @inline(__always)
    static func zone(_ dec: Double, height: Double, count: Int) -> Int {
        Swift.min(count - 1, Swift.max(0, Int(((dec + 90) / height).rounded(.down))))
    }

    @inline(__always)
    static func normalisedRA(_ ra: Double) -> Double {
        let r = ra.truncatingRemainder(dividingBy: 360)
        return r < 0 ? (r + 360 < 360 ? r + 360 : 0) : r
    }

    /// Sorts each zone's stretch of (key, point) by key then point: insertion sort for the short
    /// stretches most zones are, a heap-free merge of index pairs otherwise.
    struct ZoneSorter: @unchecked Sendable {
        let keys: UnsafeMutableBufferPointer<Double>
        let points: UnsafeMutableBufferPointer<Int32>

        func sort(_ lo: Int, _ hi: Int) {
            if hi - lo <= 32 {
                var i = lo + 1
                while i < hi {
                    let key = keys[i], point = points[i]
                    var j = i - 1
                    while j >= lo, keys[j] > key || (keys[j] == key && points[j] > point) {
                        keys[j + 1] = keys[j]; points[j + 1] = points[j]; j -= 1
                    }
                    keys[j + 1] = key; points[j + 1] = point
                    i += 1
                }
                return
            }
            var pairs = (lo ..< hi).map { (keys[$0], points[$0]) }
            pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for (k, pair) in pairs.enumerated() { keys[lo + k] = pair.0; points[lo + k] = pair.1 }
        }
    }

    /// Calls `body(point, squared chord)` for every indexed point within `radius` degrees (chord
    /// `chord`) of the position (ra, dec) whose unit vector is `q`, zone by zone in RA order.
    @inline(__always)
    func visit(ra: Double, dec: Double, q: SIMD3<Double>, radius: Double, chord: Double, _ body: (Int, Double) -> Void) {
        let margin = 1e-9
        let low = dec - radius - margin, high = dec + radius + margin
        let z0 = Self.zone(Swift.max(low, -90), height: height, count: zoneCount)
        let z1 = Self.zone(Swift.min(high, 90), height: height, count: zoneCount)
        let limit = chord * chord
        // Half-width in RA of the circle, when it does not reach a pole.
        var halfWidth = 360.0
        if low > -90, high < 90 {
            let s = sin(radius * .pi / 180) / cos(dec * .pi / 180)
            if s < 1 { halfWidth = asin(s) * 180 / .pi + margin }
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
                            if d2 <= limit { body(Int(p[k]), d2) }
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
