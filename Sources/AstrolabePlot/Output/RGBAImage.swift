/// A raster image as the rest of Astrolabe sees it: 8-bit RGBA, straight (not premultiplied) alpha,
/// row-major from the top-left corner.
///
/// Straight alpha is what PNG stores, so an image can go to the encoder without conversion; cairo's
/// premultiplied BGRA stays inside the drawing code.
public struct RGBAImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: R, G, B, A for each pixel.
    public var pixels: [UInt8]

    /// An image of the given size filled with one colour (transparent black by default).
    public init(width: Int, height: Int, fill: RGBA = RGBA(0, 0, 0, 0)) throws {
        guard width > 0, height > 0, width <= 1 << 15, height <= 1 << 15 else {
            throw PlotError("image size \(width)×\(height) is outside 1…32768 pixels per side")
        }
        self.width = width
        self.height = height
        var p = [UInt8](repeating: 0, count: width * height * 4)
        if fill != RGBA(0, 0, 0, 0) {
            for i in stride(from: 0, to: p.count, by: 4) {
                p[i] = fill.r; p[i + 1] = fill.g; p[i + 2] = fill.b; p[i + 3] = fill.a
            }
        }
        self.pixels = p
    }

    /// Wraps existing pixels; the byte count must match the size.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, width <= 1 << 15, height <= 1 << 15 else {
            throw PlotError("image size \(width)×\(height) is outside 1…32768 pixels per side")
        }
        guard pixels.count == width * height * 4 else {
            throw PlotError("image of \(width)×\(height) needs \(width * height * 4) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at column `x`, row `y` (row 0 at the top).
    public func pixel(x: Int, y: Int) -> RGBA {
        let i = (y * width + x) * 4
        return RGBA(pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
    }
}

/// One straight-alpha colour.
public struct RGBA: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var r: UInt8, g: UInt8, b: UInt8, a: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8 = 255) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    /// From `0xRRGGBB`, opaque.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// `#rrggbb` (and `aa` when not opaque), the notation matplotlib and CSS use.
    public var description: String {
        func h(_ v: UInt8) -> String {
            let s = String(v, radix: 16)
            return s.count == 1 ? "0" + s : s
        }
        return "#" + h(r) + h(g) + h(b) + (a == 255 ? "" : h(a))
    }
}
