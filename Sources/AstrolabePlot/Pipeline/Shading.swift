import Dispatch
import Foundation

/// Step 2 of the datashader pipeline: turn aggregate values into colours.
///
/// Mirrors datashader's `tf.shade(agg, cmap=<list of colours>, how=..., span=...)`: empty pixels are
/// transparent; the smallest value (or `span`'s lower end) is subtracted first (datashader's
/// `offset`); values are transformed by `how` and spread linearly over the colour list, each channel
/// interpolated with `numpy.interp` and truncated to 8 bits. `eqHist` is the default because
/// catalogue densities span many decades: histogram equalisation gives every occupied pixel count a
/// share of the colour range, revealing both the dense core and the sparse outskirts.
public enum Shading: String, Sendable, Equatable, CaseIterable {
    /// Histogram equalisation of the non-empty values (datashader `how='eq_hist'`).
    case eqHist = "eq_hist"
    /// Linear in value.
    case linear
    /// `log1p(value - offset)`.
    case log
    /// Cube root of `value - offset`: between linear and log.
    case cbrt

    /// The mapping from counts to colour positions for this grid.
    public func mapping(for grid: CountGrid) -> ShadeMapping {
        // Without a span the mapping cannot fail.
        (try? ShadeMapping(how: self, counts: grid.counts, span: nil)) ?? { preconditionFailure("no span, no error") }()
    }

    /// Colours each pixel of `grid`: zero counts transparent, others opaque colours of `colormap`.
    public func shade(_ grid: CountGrid, colormap: Colormap = .viridis) -> RGBAImage {
        (try? shade(grid, colormap: colormap, span: nil)) ?? { preconditionFailure("no span, no error") }()
    }

    /// Like `shade(_:colormap:)`, with datashader's `span` (values clipped to it, which fixes the
    /// colour scale across figures) and a constant `alpha` for occupied pixels.
    public func shade(_ grid: CountGrid, colormap: Colormap, span: ClosedRange<Double>?, alpha: UInt8 = 255) throws -> RGBAImage {
        try shade(grid, colormap: colormap, mapping: try ShadeMapping(how: self, counts: grid.counts, span: span), alpha: alpha)
    }

    /// Colours `grid` with a mapping already made for it (a figure makes one and uses it for both
    /// the pixels and its colour bar).
    func shade(_ grid: CountGrid, colormap: Colormap, mapping map: ShadeMapping, alpha: UInt8 = 255) throws -> RGBAImage {
        let ramp = ColorRamp(colormap: colormap, low: map.low, high: map.high)
        // Counts repeat: colour each distinct count once, then look pixels up.
        let top = Int(map.maxValue)
        var image = try RGBAImage(width: grid.width, height: grid.height)
        if top <= 1 << 22 {
            var lut = [UInt32](repeating: 0, count: top + 1)
            for c in 1..<max(1, top + 1) { lut[c] = ramp.packed(map.transform(Double(c)), alpha: alpha) }
            lut.withUnsafeBufferPointer { l in
                image.pixels.withUnsafeMutableBytes { raw in
                    grid.counts.withUnsafeBufferPointer { counts in
                        let job = LookupJob(lut: l.baseAddress!, counts: counts.baseAddress!,
                                            out: raw.baseAddress!.assumingMemoryBound(to: UInt32.self), n: counts.count)
                        job.run()
                    }
                }
            }
        } else {
            image.pixels.withUnsafeMutableBytes { raw in
                let out = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
                for (i, c) in grid.counts.enumerated() where c != 0 {
                    out[i] = ramp.packed(map.transform(Double(c)), alpha: alpha)
                }
            }
        }
        return image
    }

    /// Colours a column reduction (`sum`, `mean`, `std`, …): NaN pixels (0 for count/any) transparent.
    public func shade(_ grid: ValueGrid, colormap: Colormap, span: ClosedRange<Double>? = nil, alpha: UInt8 = 255) throws -> RGBAImage {
        let mask = grid.emptyMask
        let present = zip(grid.values, mask).compactMap { $1 ? nil : $0 }
        var image = try RGBAImage(width: grid.width, height: grid.height)
        guard !present.isEmpty else { return image }
        let map = try ShadeMapping(how: self, values: present, integer: grid.isInteger, span: span)
        let ramp = ColorRamp(colormap: colormap, low: map.low, high: map.high)
        image.pixels.withUnsafeMutableBytes { raw in
            let out = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
            for i in grid.values.indices where !mask[i] {
                out[i] = ramp.packed(map.transform(grid.values[i]), alpha: alpha)
            }
        }
        return image
    }

    /// Colours a categorical aggregate (datashader `tf.shade(agg, color_key=...)`): each pixel's
    /// colour is the count-weighted mean of its categories' colours, and its opacity runs from
    /// `minAlpha` to `alpha` with the total count, transformed by this shading.
    public func colorize(_ grid: CategoryGrid, colors: [RGBA], span: ClosedRange<Double>? = nil,
                         minAlpha: Int = 40, alpha: Int = 255) throws -> RGBAImage {
        guard colors.count >= grid.categories else {
            throw PlotError("\(colors.count) colours for \(grid.categories) categories; give one colour per category")
        }
        guard (0...255).contains(minAlpha), (0...255).contains(alpha), minAlpha <= alpha else {
            throw PlotError("min_alpha and alpha must satisfy 0 ≤ min_alpha ≤ alpha ≤ 255 (got \(minAlpha), \(alpha))")
        }
        let k = grid.categories, cells = grid.width * grid.height
        let totals = grid.totals.counts
        let alphaLUT = try CategoryAlpha(how: self, totals: totals, span: span,
                                         minAlpha: Double(minAlpha), alpha: Double(alpha)).lut
        // Empty pixels: datashader's fallback colour (mean of all colours), fully transparent.
        let cr = colors.prefix(k).map { Float($0.r) }, cg = colors.prefix(k).map { Float($0.g) },
            cb = colors.prefix(k).map { Float($0.b) }
        let fallback = (UInt32(cr.reduce(0, +) / Float(k)), UInt32(cg.reduce(0, +) / Float(k)), UInt32(cb.reduce(0, +) / Float(k)))
        let empty = fallback.0 | fallback.1 << 8 | fallback.2 << 16
        var image = try RGBAImage(width: grid.width, height: grid.height)
        image.pixels.withUnsafeMutableBytes { raw in
            grid.counts.withUnsafeBufferPointer { c in
                totals.withUnsafeBufferPointer { t in
                    alphaLUT.withUnsafeBufferPointer { a in
                        cr.withUnsafeBufferPointer { r in
                            cg.withUnsafeBufferPointer { g in
                                cb.withUnsafeBufferPointer { b in
                                    let job = BlendJob(out: raw.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                                       counts: c.baseAddress!, totals: t.baseAddress!, alpha: a.baseAddress!,
                                                       r: r.baseAddress!, g: g.baseAddress!, b: b.baseAddress!,
                                                       k: k, cells: cells, empty: empty)
                                    job.run()
                                }
                            }
                        }
                    }
                }
            }
        }
        return image
    }
}

/// Where a value lands on the colour scale, for shading pixels and for labelling a colour bar.
public struct ShadeMapping: Sendable {
    public let how: Shading
    /// Smallest and largest non-empty value.
    public let minValue: Double
    public let maxValue: Double
    public var minCount: Double { minValue }
    public var maxCount: Double { maxValue }
    /// What is subtracted before transforming (datashader's `offset`): the smallest value or span's start.
    let offset: Double
    let span: ClosedRange<Double>?
    /// eq_hist: bin centres (offset-subtracted) and the cumulative fraction at each.
    let centres: [Double]
    let cdf: [Double]
    /// Transformed values at the two ends of the colour scale.
    public private(set) var low: Double = 0
    public private(set) var high: Double = 0

    /// From a grid of counts (0 = empty), as datashader shades a uint32 aggregate.
    init(how: Shading, counts: [UInt32], span: ClosedRange<Double>?) throws {
        // Distinct counts and how many pixels have each: equalisation works on these.
        var top: UInt32 = 0, bottom = UInt32.max
        for c in counts where c != 0 {
            if c > top { top = c }
            if c < bottom { bottom = c }
        }
        var distinct: [Double] = [], frequency: [Double] = []
        if top > 0 {
            if top <= 1 << 22 {
                var f = [Double](repeating: 0, count: Int(top) + 1)
                counts.withUnsafeBufferPointer { cs in for c in cs { f[Int(c)] += 1 } }
                for v in Int(bottom)...Int(top) where f[v] > 0 { distinct.append(Double(v)); frequency.append(f[v]) }
            } else {
                var f: [UInt32: Double] = [:]
                for c in counts where c != 0 { f[c, default: 0] += 1 }
                for v in f.keys.sorted() { distinct.append(Double(v)); frequency.append(f[v] ?? 0) }
            }
        }
        try self.init(how: how, distinct: distinct, frequency: frequency, integer: true, span: span)
    }

    /// From the non-empty values of a reduction.
    init(how: Shading, values: [Double], integer: Bool, span: ClosedRange<Double>?) throws {
        var f: [Double: Double] = [:]
        if how == .eqHist { for v in values { f[v, default: 0] += 1 } }
        let distinct = how == .eqHist ? f.keys.sorted() : [values.min() ?? 0, values.max() ?? 0]
        try self.init(how: how, distinct: distinct, frequency: distinct.map { f[$0] ?? 1 }, integer: integer, span: span)
    }

    /// `distinct` sorted ascending, `frequency[i]` pixels having `distinct[i]`.
    init(how: Shading, distinct: [Double], frequency: [Double], integer: Bool, span: ClosedRange<Double>?) throws {
        self.how = how
        self.span = span
        minValue = distinct.first ?? 0
        maxValue = distinct.last ?? 0
        if let span {
            guard how != .eqHist else {
                throw PlotError("span= cannot be combined with eq_hist shading (datashader refuses it too); use how=linear, log or cbrt")
            }
            guard span.lowerBound.isFinite, span.upperBound.isFinite else {
                throw PlotError("span \(span.lowerBound)…\(span.upperBound) must be finite")
            }
            offset = span.lowerBound
        } else {
            offset = minValue
        }
        let start = offset
        if how == .eqHist, !distinct.isEmpty {
            (centres, cdf) = ShadeMapping.equalisation(distinct.map { $0 - start }, frequency, integer: integer)
        } else {
            centres = []; cdf = []
        }
        if let span {
            low = rawTransform(0)
            high = rawTransform(span.upperBound - span.lowerBound)
        } else {
            low = transform(minValue)
            high = transform(maxValue)
        }
    }

    /// Colour position in [0, 1] of a value. A zero-width scale maps everything to 1 (the top
    /// colour), as datashader's `np.interp` over a zero-width span does.
    public func position(ofValue v: Double) -> Double {
        let t = transform(v)
        guard high > low else { return 1 }
        return Swift.min(1, Swift.max(0, (t - low) / (high - low)))
    }

    public func position(ofCount c: Double) -> Double { position(ofValue: c) }

    /// datashader's `how(clip(value, span) - offset)` for one value.
    func transform(_ v: Double) -> Double {
        var c = v
        if let span { c = Swift.min(Swift.max(c, span.lowerBound), span.upperBound) }
        return rawTransform(c - offset)
    }

    private func rawTransform(_ d: Double) -> Double {
        switch how {
        case .linear: return d
        case .log: return Foundation.log1p(d)
        case .cbrt: return Foundation.pow(d, 1.0 / 3.0)
        case .eqHist:
            return centres.withUnsafeBufferPointer { c in cdf.withUnsafeBufferPointer { f in NumPy.interp(d, c, f) } }
        }
    }

    /// datashader's `eq_hist` (`nbins = 256 * 256`) on offset-subtracted values given as distinct
    /// values with pixel frequencies: exact value counting for integer data spanning fewer than
    /// `nbins` values, otherwise `numpy.histogram` with empty bins removed.
    static func equalisation(_ values: [Double], _ frequency: [Double], integer: Bool) -> ([Double], [Double]) {
        let nbins = 256 * 256
        guard let vmin = values.first, let vmax = values.last else { return ([], []) }
        var hist: [Double], centres: [Double]
        // (Whole values beyond ±1e15 would not convert to Int; they take numpy's path.)
        if integer, abs(vmin) < 1e15, vmax - vmin < Double(nbins) {
            let lo = Int(vmin), n = Int(vmax) - lo + 1
            hist = [Double](repeating: 0, count: n)
            for (v, f) in zip(values, frequency) { hist[Int(v) - lo] += f }
            centres = (0..<n).map { Double(lo + $0) }
        } else {
            let (h, edges) = NumPy.histogram(values, weights: frequency, bins: nbins)
            let keep = h.indices.filter { h[$0] > 0 }
            hist = keep.map { h[$0] }
            centres = keep.map { (edges[$0] + edges[$0 + 1]) / 2 }
        }
        var cdf = [Double](repeating: 0, count: hist.count)
        var sum = 0.0
        for i in hist.indices { sum += hist[i]; cdf[i] = sum }
        let total = sum
        return (centres, cdf.map { $0 / total })
    }

    /// `numpy.interp` for arrays (kept for tests and callers outside the hot path).
    static func interp(_ x: Double, _ xp: [Double], _ fp: [Double]) -> Double { NumPy.interp(x, xp, fp) }
}

/// A colour list spread over `[low, high]`, looked up as datashader does:
/// `np.interp(t, np.linspace(low, high, n), channel, left=255).astype(uint8)`.
struct ColorRamp {
    let xp: [Double]
    let r: [Double], g: [Double], b: [Double]

    init(colormap: Colormap, low: Double, high: Double) {
        xp = NumPy.linspace(low, high, colormap.table.count)
        r = colormap.table.map { Double(($0 >> 16) & 0xFF) }
        g = colormap.table.map { Double(($0 >> 8) & 0xFF) }
        b = colormap.table.map { Double($0 & 0xFF) }
    }

    /// RGBA bytes of transformed value `t` packed little-endian (R in the lowest byte); NaN → transparent.
    func packed(_ t: Double, alpha: UInt8) -> UInt32 {
        guard !t.isNaN else { return 0 }
        func channel(_ fp: [Double]) -> UInt32 {
            let v = NumPy.interp(t, xp, fp, left: 255)
            return v.isFinite ? UInt32(Swift.min(255, Swift.max(0, v))) : 0
        }
        return channel(r) | channel(g) << 8 | channel(b) << 16 | UInt32(alpha) << 24
    }
}

/// Opacity per total count for categorical shading: datashader's `_interpolate_alpha`.
private struct CategoryAlpha {
    /// Alpha byte for each total count 0…max.
    let lut: [UInt8]

    init(how: Shading, totals: [UInt32], span: ClosedRange<Double>?, minAlpha: Double, alpha: Double) throws {
        var top: UInt32 = 0, bottom = UInt32.max
        for t in totals {
            if t > top { top = t }
            if t < bottom { bottom = t }
        }
        guard top <= 1 << 24 else { throw PlotError("more than \(1 << 24) points in one pixel; use a coarser grid") }
        var freq = [Double](repeating: 0, count: Int(top) + 1)
        totals.withUnsafeBufferPointer { ts in for t in ts { freq[Int(t)] += 1 } }
        // datashader masks empty pixels (turning the totals to float, so eq_hist bins them) only when
        // some pixel is empty; a grid without empty pixels stays integer.
        let hasEmpty = bottom == 0
        let present = (hasEmpty ? 1 : 0)...Int(top)
        let distinct = present.filter { freq[$0] > 0 }.map(Double.init)
        var lut = [UInt8](repeating: 0, count: Int(top) + 1)
        guard !distinct.isEmpty else { self.lut = lut; return }
        let map = try ShadeMapping(how: how, distinct: distinct, frequency: distinct.map { freq[Int($0)] },
                                   integer: !hasEmpty, span: span)
        let xp = [map.low, map.high], fp = [minAlpha, alpha]
        for t in present where !(span != nil && t == 0) {
            let a = NumPy.interp(map.transform(Double(t)), xp, fp, left: 0, right: 255)
            lut[t] = a.isFinite ? UInt8(Swift.min(255, Swift.max(0, a))) : 0
        }
        self.lut = lut
    }
}

/// Pixel lookup through a colour table, split across cores by rows of the image.
private struct LookupJob: @unchecked Sendable {
    let lut: UnsafePointer<UInt32>
    let counts: UnsafePointer<UInt32>
    let out: UnsafeMutablePointer<UInt32>
    let n: Int

    func run() {
        let parts = n < 100_000 ? 1 : 8
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            for i in (n * p / parts)..<(n * (p + 1) / parts) { out[i] = lut[Int(counts[i])] }
        }
    }
}

/// Count-weighted colour blending per pixel (float32 arithmetic, as datashader's matmul), split
/// across cores.
private struct BlendJob: @unchecked Sendable {
    let out: UnsafeMutablePointer<UInt32>
    let counts: UnsafePointer<UInt32>, totals: UnsafePointer<UInt32>, alpha: UnsafePointer<UInt8>
    let r: UnsafePointer<Float>, g: UnsafePointer<Float>, b: UnsafePointer<Float>
    let k: Int, cells: Int
    let empty: UInt32

    func run() {
        let parts = cells < 100_000 ? 1 : 8
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            for i in (cells * p / parts)..<(cells * (p + 1) / parts) {
                let total = totals[i]
                if total == 0 { out[i] = empty; continue }
                var sr: Float = 0, sg: Float = 0, sb: Float = 0
                let base = counts + i * k
                for j in 0..<k {
                    let c = Float(base[j])
                    sr += c * r[j]; sg += c * g[j]; sb += c * b[j]
                }
                let t = Float(total)
                let pr = UInt32(sr / t), pg = UInt32(sg / t), pb = UInt32(sb / t)
                out[i] = pr | pg << 8 | pb << 16 | UInt32(alpha[Int(total)]) << 24
            }
        }
    }
}
