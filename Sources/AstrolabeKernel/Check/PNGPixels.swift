import CPNG

/// A PNG decoded to 8-bit RGBA with libpng, so `check` can compare figures pixel by pixel
/// (two PNGs with the same pixels may differ in bytes, e.g. in their text chunks).
struct PNGPixels: Equatable {
    var width: Int
    var height: Int
    /// Row-major RGBA, 4 bytes per pixel.
    var rgba: [UInt8]

    init?(png bytes: [UInt8]) {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        var pixels: [UInt8] = []
        let ok: Bool = bytes.withUnsafeBytes { raw in
            guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else { return false }
            image.format = 3 // PNG_FORMAT_RGBA: a macro of macros Swift cannot import
            let count = Int(image.width).multipliedReportingOverflow(by: Int(image.height) * 4)
            // A figure larger than 64 megapixels is not something a replay makes; refuse rather than allocate.
            guard !count.overflow, count.partialValue <= 256 << 20 else { png_image_free(&image); return false }
            pixels = [UInt8](repeating: 0, count: count.partialValue)
            let done = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            png_image_free(&image)
            return done != 0
        }
        guard ok else { return nil }
        width = Int(image.width)
        height = Int(image.height)
        rgba = pixels
    }

    /// How two figures of the same size differ: pixels whose largest channel difference exceeds
    /// `tolerance`, the largest difference seen, and the box around the differing pixels.
    struct Difference: Equatable {
        var differingPixels: Int
        var largestChannelDifference: Int
        var box: (minX: Int, minY: Int, maxX: Int, maxY: Int)?

        static func == (a: Difference, b: Difference) -> Bool {
            a.differingPixels == b.differingPixels && a.largestChannelDifference == b.largestChannelDifference
                && a.box?.minX == b.box?.minX && a.box?.minY == b.box?.minY && a.box?.maxX == b.box?.maxX && a.box?.maxY == b.box?.maxY
        }
    }

    /// nil when the sizes differ.
    func difference(from other: PNGPixels, tolerance: Int) -> Difference? {
        guard width == other.width, height == other.height, rgba.count == other.rgba.count else { return nil }
        var count = 0, largest = 0
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        rgba.withUnsafeBufferPointer { a in
            other.rgba.withUnsafeBufferPointer { b in
                var p = 0
                while p < a.count {
                    var d = 0
                    for c in 0..<4 { d = max(d, abs(Int(a[p + c]) - Int(b[p + c]))) }
                    if d > 0 { largest = max(largest, d) }
                    if d > tolerance {
                        count += 1
                        let pixel = p / 4
                        let x = pixel % width, y = pixel / width
                        minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                    }
                    p += 4
                }
            }
        }
        return Difference(differingPixels: count, largestChannelDifference: largest,
                          box: count > 0 ? (minX, minY, maxX, maxY) : nil)
    }
}
