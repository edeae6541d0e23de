import AstrolabeData
import Foundation

/// Square cutout tiles: from a FITS image around a pixel, from a decoded PNG/JPEG, or the grey
/// placeholder shown when there is no image to show.
public enum CutoutImage {
    /// The grey of a placeholder tile and of pixels outside the image.
    public static let placeholderGrey: UInt8 = 128

    /// `size`×`size` grey tile of the region of `image` centred on the 0-based pixel (x, y), `halfWidth`
    /// image pixels on each side, north up when the image's y axis points north (FITS rows count
    /// upwards). Bilinear sampling between pixel centres (the nearest pixel beside a NaN), so a tile
    /// wider than the region it shows is smooth rather than blocky; outside the image: the
    /// placeholder grey. The stretch is computed over the tile's own pixels.
    public static func fits(_ image: FITSImage, x: Double, y: Double, halfWidth: Double, size: Int, stretch: Stretch) throws -> RGBAImage {
        var values = [Double](repeating: .nan, count: size * size)
        let step = 2 * halfWidth / Double(size)
        for row in 0..<size {
            let sy = y + halfWidth - (Double(row) + 0.5) * step
            for col in 0..<size {
                let sx = x - halfWidth + (Double(col) + 0.5) * step
                values[row * size + col] = sample(image, sx, sy)
            }
        }
        return try grey(stretch.apply(values), size: size)
    }

    /// The image at the 0-based position (sx, sy), interpolated bilinearly between the four nearest
    /// pixel centres (clamped at the edges); NaN outside the image.
    static func sample(_ image: FITSImage, _ sx: Double, _ sy: Double) -> Double {
        let w = image.width, h = image.height
        guard sx >= -0.5, sy >= -0.5, sx < Double(w) - 0.5, sy < Double(h) - 0.5 else { return .nan }
        let fx = sx.rounded(.down), fy = sy.rounded(.down)
        let tx = sx - fx, ty = sy - fy
        let x0 = min(max(Int(fx), 0), w - 1), x1 = min(max(Int(fx) + 1, 0), w - 1)
        let y0 = min(max(Int(fy), 0), h - 1), y1 = min(max(Int(fy) + 1, 0), h - 1)
        let a = image.pixels[y0 * w + x0], b = image.pixels[y0 * w + x1]
        let c = image.pixels[y1 * w + x0], d = image.pixels[y1 * w + x1]
        let value = (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty
        if value.isFinite { return value }
        let nx = min(max(Int(sx.rounded()), 0), w - 1), ny = min(max(Int(sy.rounded()), 0), h - 1)
        return image.pixels[ny * w + nx]
    }

    /// Grey levels from normalised values (NaN: the placeholder grey).
    static func grey(_ normalised: [Double], size: Int) throws -> RGBAImage {
        var pixels = [UInt8](repeating: 255, count: size * size * 4)
        for (k, v) in normalised.enumerated() {
            let level = v.isFinite ? UInt8((v * 255).rounded()) : placeholderGrey
            pixels[4 * k] = level; pixels[4 * k + 1] = level; pixels[4 * k + 2] = level
        }
        return try RGBAImage(width: size, height: size, pixels: pixels)
    }

    /// A uniform grey tile.
    public static func placeholder(size: Int) throws -> RGBAImage {
        try RGBAImage(width: size, height: size, fill: RGBA(placeholderGrey, placeholderGrey, placeholderGrey))
    }

    /// `image` scaled to fit a `size`×`size` tile (aspect kept, box-averaged, centred on black).
    public static func fit(_ image: RGBAImage, size: Int) throws -> RGBAImage {
        let scale = Double(size) / Double(max(image.width, image.height))
        let w = max(1, Int((Double(image.width) * scale).rounded())), h = max(1, Int((Double(image.height) * scale).rounded()))
        let left = (size - w) / 2, top = (size - h) / 2
        var pixels = [UInt8](repeating: 0, count: size * size * 4)
        for k in 0..<(size * size) { pixels[4 * k + 3] = 255 }
        for row in 0..<h {
            let y0 = Int(Double(row) / Double(h) * Double(image.height)), y1 = max(y0 + 1, Int(Double(row + 1) / Double(h) * Double(image.height)))
            for col in 0..<w {
                let x0 = Int(Double(col) / Double(w) * Double(image.width)), x1 = max(x0 + 1, Int(Double(col + 1) / Double(w) * Double(image.width)))
                var sum = [0, 0, 0], n = 0
                for sy in y0..<min(y1, image.height) {
                    for sx in x0..<min(x1, image.width) {
                        let i = (sy * image.width + sx) * 4
                        sum[0] += Int(image.pixels[i]); sum[1] += Int(image.pixels[i + 1]); sum[2] += Int(image.pixels[i + 2]); n += 1
                    }
                }
                let o = ((top + row) * size + left + col) * 4
                for c in 0..<3 { pixels[o + c] = UInt8((sum[c] + n / 2) / max(n, 1)) }
            }
        }
        return try RGBAImage(width: size, height: size, pixels: pixels)
    }
}
