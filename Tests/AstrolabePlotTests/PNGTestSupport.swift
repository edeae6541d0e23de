import CPNG
import Foundation
@testable import AstrolabePlot

/// An independent reader for the PNG chunk layout (ISO/IEC 15948), so encoder tests do not trust
/// the encoder's own view of what it wrote.
struct PNGChunk {
    let type: String
    let data: [UInt8]
}

enum PNGTestSupport {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    static func bigEndian32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    /// CRC-32 as defined in the PNG specification (reflected polynomial 0xEDB88320).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    /// The chunks of a PNG file; nil if the structure or a CRC is wrong.
    static func chunks(_ png: [UInt8]) -> [PNGChunk]? {
        guard png.count >= 8, Array(png[0..<8]) == signature else { return nil }
        var out: [PNGChunk] = []
        var i = 8
        while i + 12 <= png.count {
            let length = Int(bigEndian32(png, i))
            guard i + 12 + length <= png.count else { return nil }
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(png[(i + 8)..<(i + 8 + length)])
            guard crc32(png[(i + 4)..<(i + 8 + length)]) == bigEndian32(png, i + 8 + length) else { return nil }
            out.append(PNGChunk(type: type, data: data))
            i += 12 + length
        }
        return i == png.count ? out : nil
    }

    /// Decodes with libpng's simplified read API into RGBA bytes.
    static func decode(_ png: [UInt8]) -> (width: Int, height: Int, pixels: [UInt8])? {
        var image = png_image()
        image.version = 1 // PNG_IMAGE_VERSION
        let ok = png.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
        }
        guard ok != 0 else { return nil }
        image.format = 3 // PNG_FORMAT_RGBA
        var pixels = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * 4)
        let done = png.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        }
        png_image_free(&image)
        guard done != 0 else { return nil }
        return (Int(image.width), Int(image.height), pixels)
    }
}
