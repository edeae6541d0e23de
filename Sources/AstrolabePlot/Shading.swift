import Foundation

/// Step 2 of the datashader pipeline: turn counts into colours.
///
/// Mirrors datashader's `tf.shade(agg, cmap, how=...)` for count aggregates: empty pixels are
/// transparent; the smallest non-zero count is subtracted first (datashader's `offset`); the
/// transformed values are scaled so that the smallest maps to the first colour and the largest to
/// the last. `eqHist` is the default because catalogue densities span many decades: histogram
/// equalisation gives every occupied pixel count a share of the colour range, revealing both the
/// dense core and the sparse outskirts.
public enum Shading: String, Sendable, Equatable, CaseIterable {
    /// Histogram equalisation of the non-zero counts (datashader `how='eq_hist'`).
    case eqHist = "eq_hist"
    /// Linear in count.
    case linear
    /// `log1p(count - min)`.
    case log

    /// The mapping from counts to colour positions in [0, 1] for this grid.
    public func mapping(for grid: CountGrid) -> ShadeMapping {
        ShadeMapping(how: self, counts: grid.counts)
    }

    /// Colours each pixel of `grid`: zero counts transparent, others opaque colours of `colormap`.
    public func shade(_ grid: CountGrid, colormap: Colormap = .viridis) -> RGBAImage {
        let map = mapping(for: grid)
        var pixels = [UInt8](repeating: 0, count: grid.counts.count * 4)
        // Counts repeat a lot; cache the colour of each distinct small count.
        var cache = [UInt32: RGBA]()
        for (i, c) in grid.counts.enumerated() where c != 0 {
            let color: RGBA
            if let hit = cache[c] { color = hit } else {
                color = colormap.color(at: map.position(ofCount: Double(c)))
                cache[c] = color
            }
            pixels[4 * i] = color.r; pixels[4 * i + 1] = color.g
            pixels[4 * i + 2] = color.b; pixels[4 * i + 3] = 255
        }
        // The grid's dimensions were validated when it was made, so this cannot fail.
        return (try? RGBAImage(width: grid.width, height: grid.height, pixels: pixels))
            ?? { preconditionFailure("CountGrid dimensions are validated on creation") }()
    }
}

/// Where a count lands on the colour scale, for shading pixels and for labelling a colour bar.
public struct ShadeMapping: Sendable {
    public let how: Shading
    /// Smallest and largest non-zero count (0 and 0 for an empty grid).
    public let minCount: Double
    public let maxCount: Double
    /// eq_hist: bin centres (offset-subtracted counts) and the cumulative fraction at each.
    let centres: [Double]
    let cdf: [Double]
    /// Transformed value of the smallest and largest count (datashader's `span`).
    private(set) var low: Double
    private(set) var high: Double

    init(how: Shading, counts: [UInt32]) {
        self.how = how
        let nonzero = counts.filter { $0 != 0 }
        let lo = Double(nonzero.min() ?? 0), hi = Double(nonzero.max() ?? 0)
        minCount = lo
        maxCount = hi
        if how == .eqHist, !nonzero.isEmpty {
            (centres, cdf) = ShadeMapping.equalisation(nonzero, offset: UInt32(lo))
        } else {
            centres = []; cdf = []
        }
        // The span needs `transform`, which needs the tables above: fill it in last.
        low = 0; high = 0
        low = transform(lo)
        high = transform(hi)
    }

    /// Colour position in [0, 1] of a non-zero count. A single distinct count maps to 1 (the top
    /// colour), as datashader's `np.interp` over a zero-width span does.
    public func position(ofCount c: Double) -> Double {
        let t = transform(c)
        guard high > low else { return 1 }
        return min(1, max(0, (t - low) / (high - low)))
    }

    /// datashader's `_normalize_interpolate_how(how)(data - offset)` for one value.
    func transform(_ c: Double) -> Double {
        let d = c - minCount
        switch how {
        case .linear: return d
        case .log: return Foundation.log1p(max(0, d))
        case .eqHist: return ShadeMapping.interp(d, centres, cdf)
        }
    }

    /// datashader's `eq_hist` on offset-subtracted non-zero counts (`nbins = 256 * 256`):
    /// exact value counting when the values span fewer than `nbins` integers, otherwise a
    /// `nbins`-bin histogram with empty bins removed. Returns bin centres and the normalised CDF.
    static func equalisation(_ nonzero: [UInt32], offset: UInt32) -> ([Double], [Double]) {
        let nbins = 256 * 256
        let values = nonzero.map { $0 - offset }
        let vmax = Int(values.max() ?? 0)
        var hist: [Double]
        var centres: [Double]
        if vmax < nbins {
            hist = [Double](repeating: 0, count: vmax + 1)
            for v in values { hist[Int(v)] += 1 }
            centres = (0...vmax).map(Double.init)
        } else {
            // numpy.histogram: equal bins over [min, max] = [0, vmax], last bin closed.
            hist = [Double](repeating: 0, count: nbins)
            let width = Double(vmax) / Double(nbins)
            for v in values { hist[min(nbins - 1, Int(Double(v) / width))] += 1 }
            centres = (0..<nbins).map { (Double($0) + 0.5) * width }
            let keep = hist.indices.filter { hist[$0] > 0 }
            hist = keep.map { hist[$0] }
            centres = keep.map { centres[$0] }
        }
        var cdf = [Double](repeating: 0, count: hist.count)
        var sum = 0.0
        for i in hist.indices { sum += hist[i]; cdf[i] = sum }
        let total = sum
        return (centres, cdf.map { $0 / total })
    }

    /// `numpy.interp(x, xp, fp)` for increasing `xp`: clamps outside, linear inside.
    static func interp(_ x: Double, _ xp: [Double], _ fp: [Double]) -> Double {
        guard let first = xp.first, let last = xp.last else { return 0 }
        if x <= first { return fp[0] }
        if x >= last { return fp[fp.count - 1] }
        // Binary search for the interval [xp[j], xp[j+1]] containing x.
        var lo = 0, hi = xp.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if xp[mid] <= x { lo = mid } else { hi = mid }
        }
        if xp[lo] == x { return fp[lo] }
        let f = (x - xp[lo]) / (xp[hi] - xp[lo])
        return fp[lo] + (fp[hi] - fp[lo]) * f
    }
}
