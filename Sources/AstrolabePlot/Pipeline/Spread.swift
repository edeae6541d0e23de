/// Step 3 of the datashader pipeline: make isolated pixels visible by spreading them.
///
/// At one pixel per bin a lone source in a sparse region is a single screen pixel, easy to miss.
/// `spread` grows every non-transparent pixel into a disc (or square) of radius `px`, compositing
/// overlapping pixels with the "over" operator in row order — datashader's `tf.spread`, with the
/// same float arithmetic so the bytes agree. `dynamicSpread` chooses the radius from how crowded
/// the image already is (datashader's `tf.dynspread`): sparse images are spread, dense ones not.
public enum Spread {
    public enum Shape: String, Sendable, CaseIterable {
        case circle, square
    }

    /// `tf.spread(img, px, shape)`: every opaque-ish pixel drawn over its neighbourhood.
    public static func spread(_ image: RGBAImage, px: Int, shape: Shape = .circle) throws -> RGBAImage {
        guard (0...50).contains(px) else { throw PlotError("spread must be between 0 and 50 pixels, got \(px)") }
        if px == 0 { return image }
        let w = 2 * px + 1
        var mask = [Bool](repeating: true, count: w * w)
        if shape == .circle {
            for i in 0..<w {
                for j in 0..<w {
                    let dx = Double(i - px), dy = Double(j - px)
                    mask[i * w + j] = (dx * dx + dy * dy).squareRoot() <= Double(px) + 0.5
                }
            }
        }
        let width = image.width, height = image.height
        var out = [UInt32](repeating: 0, count: width * height)
        image.pixels.withUnsafeBytes { raw in
            let src = raw.bindMemory(to: UInt32.self)
            // datashader's rows run from the bottom of the plot up, and later pixels are drawn over
            // earlier ones: visit our rows (top first) in reverse to composite in the same order.
            for y in stride(from: height - 1, through: 0, by: -1) {
                for x in 0..<width {
                    let el = UInt32(littleEndian: src[y * width + x])
                    if el >> 24 == 0 { continue }
                    for i in 0..<w {
                        let ty = y + i - px
                        guard ty >= 0, ty < height else { continue }
                        for j in 0..<w where mask[i * w + j] {
                            let tx = x + j - px
                            guard tx >= 0, tx < width else { continue }
                            let k = ty * width + tx
                            out[k] = out[k] == 0 ? el : over(el, out[k])
                        }
                    }
                }
            }
        }
        var result = try RGBAImage(width: width, height: height)
        result.pixels.withUnsafeMutableBytes { raw in
            let dst = raw.bindMemory(to: UInt32.self)
            for i in out.indices { dst[i] = out[i].littleEndian }
        }
        return result
    }

    /// `tf.dynspread(img, threshold, max_px, shape)`: the largest radius up to `maxPx` at which at most
    /// `threshold` of the occupied pixels have an occupied neighbour within twice that radius.
    public static func dynamicSpread(_ image: RGBAImage, threshold: Double = 0.5, maxPx: Int = 3,
                                     shape: Shape = .circle) throws -> RGBAImage {
        let px = try dynamicRadius(image, threshold: threshold, maxPx: maxPx)
        return px >= 1 ? try spread(image, px: px, shape: shape) : image
    }

    /// The radius `dynamicSpread` would use.
    public static func dynamicRadius(_ image: RGBAImage, threshold: Double = 0.5, maxPx: Int = 3) throws -> Int {
        guard threshold >= 0, threshold <= 1 else { throw PlotError("spread threshold must be in [0, 1], got \(threshold)") }
        guard (0...50).contains(maxPx) else { throw PlotError("maximum spread must be between 0 and 50 pixels, got \(maxPx)") }
        var chosen = 0
        for px in stride(from: 1, through: maxPx, by: 1) {
            chosen = px
            if density(image, radius: px * 2) > threshold {
                chosen = px - 1
                break
            }
        }
        return chosen
    }

    /// Fraction of occupied pixels with at least one occupied neighbour within `radius` (a square
    /// window), datashader's `_rgb_density`; infinity for an empty image. Uses a summed-area table so
    /// the cost does not grow with the radius.
    static func density(_ image: RGBAImage, radius: Int) -> Double {
        let w = image.width, h = image.height
        var sat = [Int32](repeating: 0, count: (w + 1) * (h + 1))
        var occupied = 0
        image.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                var row: Int32 = 0
                for x in 0..<w {
                    let on: Int32 = p[(y * w + x) * 4 + 3] != 0 ? 1 : 0
                    row += on
                    sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row
                }
            }
        }
        var withNeighbours = 0
        image.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                for x in 0..<w where p[(y * w + x) * 4 + 3] != 0 {
                    occupied += 1
                    let x0 = Swift.max(0, x - radius), x1 = Swift.min(w, x + radius + 1)
                    let y0 = Swift.max(0, y - radius), y1 = Swift.min(h, y + radius + 1)
                    let n = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0]
                    if n > 1 { withNeighbours += 1 }
                }
            }
        }
        return occupied == 0 ? .infinity : Double(withNeighbours) / Double(occupied)
    }

    /// datashader's "over" on packed RGBA (R in the low byte), in its float64 steps.
    @inline(__always)
    static func over(_ src: UInt32, _ dst: UInt32) -> UInt32 {
        @inline(__always) func ch(_ v: UInt32, _ s: UInt32) -> Double { Double((v >> s) & 255) / 255 }
        let sr = ch(src, 0), sg = ch(src, 8), sb = ch(src, 16), sa = ch(src, 24)
        let dr = ch(dst, 0), dg = ch(dst, 8), db = ch(dst, 16), da = ch(dst, 24)
        let factor = 1 - sa
        let a = sa + da * factor
        if a == 0 { return 0 }
        let r = (sr * sa + dr * da * factor) / a
        let g = (sg * sa + dg * da * factor) / a
        let b = (sb * sa + db * da * factor) / a
        @inline(__always) func u(_ v: Double) -> UInt32 { Swift.min(255, UInt32(Swift.max(0, v * 255))) }
        return u(a) << 24 | u(b) << 16 | u(g) << 8 | u(r)
    }
}
