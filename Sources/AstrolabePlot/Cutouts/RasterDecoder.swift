import AstrolabeData
import CJPEG
import CPNG
import Foundation

/// PNG (libpng) and JPEG (libjpeg-turbo) files decoded to RGBA, recognised by their first bytes.
public enum RasterDecoder {
    /// Larger pictures are refused before their pixels are allocated.
    public static let maxPixels = 64 << 20

    public static func decode(_ bytes: [UInt8], name: String) throws -> RGBAImage {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try png(bytes, name: name) }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return try jpeg(bytes, name: name) }
        throw DataError("not a PNG or JPEG image (nor FITS)", file: name)
    }

    static func png(_ bytes: [UInt8], name: String) throws -> RGBAImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        var pixels: [UInt8] = []
        var problem = "damaged PNG"
        let ok: Bool = bytes.withUnsafeBytes { raw in
            guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else { return false }
            defer { png_image_free(&image) }
            image.format = 3 // PNG_FORMAT_RGBA (a macro of macros Swift cannot import)
            let count = Int(image.width) * Int(image.height)
            guard count > 0, count <= maxPixels else { problem = "a \(image.width)×\(image.height) PNG is too large"; return false }
            pixels = [UInt8](repeating: 0, count: count * 4)
            return pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) } != 0
        }
        guard ok else { throw DataError("cannot read the PNG: \(problem)", file: name) }
        return try RGBAImage(width: Int(image.width), height: Int(image.height), pixels: pixels)
    }

    static func jpeg(_ bytes: [UInt8], name: String) throws -> RGBAImage {
        var rgb: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer {
            astrolabe_jpeg_decode($0.baseAddress, $0.count, maxPixels, &rgb, &width, &height, &message, message.count)
        }
        guard status == 0, let rgb else {
            throw DataError("cannot read the JPEG: \(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))", file: name)
        }
        defer { astrolabe_jpeg_free(rgb) }
        let count = Int(width) * Int(height)
        var pixels = [UInt8](repeating: 255, count: count * 4)
        for k in 0..<count { pixels[4 * k] = rgb[3 * k]; pixels[4 * k + 1] = rgb[3 * k + 1]; pixels[4 * k + 2] = rgb[3 * k + 2] }
        return try RGBAImage(width: Int(width), height: Int(height), pixels: pixels)
    }
}
