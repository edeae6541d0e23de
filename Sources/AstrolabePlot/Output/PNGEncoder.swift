import CPNG
import Dispatch

/// Encodes images as PNG with libpng, in memory, byte for byte reproducibly.
///
/// We use libpng rather than cairo's PNG writer because figures must carry a `pHYs` chunk (their
/// DPI, so journals and LaTeX size them right) and text chunks saying which command made them, and
/// because we choose the filters and zlib level ourselves. No `tIME` chunk is ever written, so the
/// same image always gives the same bytes (for a given zlib version).
///
/// Error handling: libpng reports errors by `longjmp`, which Swift cannot catch. So every input is
/// validated *before* libpng sees it (size limits, buffer length, text keywords and values), making
/// a libpng error impossible except for running out of memory. The error callback therefore stops
/// the process with a clear message instead of returning (returning would make libpng abort anyway).
public enum PNGEncoder {
    /// The longest text value accepted (libpng has no hard limit; this keeps files sane).
    public static let maxTextLength = 1 << 16

    /// PNG bytes of `image`, with a `pHYs` chunk for `dpi` and one text chunk per entry of `text`.
    ///
    /// An image whose pixels are all opaque is stored as RGB (a quarter smaller, identical pixels).
    /// Text values that are Latin-1 go into `tEXt`; others (e.g. a command naming a column `Δm`) go
    /// into `iTXt` as UTF-8. Keywords must be 1–79 printable Latin-1 characters, as the PNG
    /// specification requires.
    public static func encode(_ image: RGBAImage, dpi: Double = 100,
                              text: [(key: String, value: String)] = [],
                              compression: PNGCompression = .standard) throws -> [UInt8] {
        // --- Validation: after this, libpng cannot fail on our inputs. ---
        guard image.width > 0, image.height > 0, image.width <= 1_000_000, image.height <= 1_000_000,
              image.pixels.count == image.width * image.height * 4 else {
            throw PlotError("cannot encode a \(image.width)×\(image.height) image with \(image.pixels.count) bytes")
        }
        guard dpi.isFinite, dpi >= 1, dpi <= 100_000 else {
            throw PlotError("dpi must be between 1 and 100000, got \(dpi)")
        }
        let pixelsPerMetre = UInt32((dpi / 0.0254).rounded())
        let chunks = try text.map(TextChunk.init)

        let opaque = image.pixels.withUnsafeBufferPointer { p in
            stride(from: 3, to: p.count, by: 4).allSatisfy { p[$0] == 255 }
        }
        let channels = opaque ? 3 : 4

        // --- Encoding. ---
        let sink = PNGSink()
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }

        var pngOptional: png_structp? = png_create_write_struct(PNG_LIBPNG_VER_STRING, nil, pngError, pngWarning)
        guard let png = pngOptional else { throw PlotError("libpng could not start (out of memory?)") }
        var info: png_infop? = png_create_info_struct(png)
        defer { png_destroy_write_struct(&pngOptional, &info) }
        guard info != nil else { throw PlotError("libpng could not start (out of memory?)") }

        png_set_write_fn(png, sinkPointer.toOpaque(), pngWrite, pngFlush)
        png_set_compression_level(png, compression.zlibLevel)
        png_set_compression_strategy(png, compression.strategy)
        png_set_compression_buffer_size(png, 1 << 17)
        png_set_filter(png, 0, compression.filters)
        png_set_IHDR(png, info, UInt32(image.width), UInt32(image.height), 8,
                     opaque ? 2 : 6, // PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA
                     0, 0, 0)        // no interlace, default compression and filter method
        png_set_pHYs(png, info, pixelsPerMetre, pixelsPerMetre, 1) // PNG_RESOLUTION_METER
        // Our colours are sRGB; saying so stops viewers from guessing.
        png_set_sRGB(png, info, 0) // PNG_sRGB_INTENT_PERCEPTUAL

        // libpng copies the text in png_set_text, so the C strings only need to live for that call.
        var cStrings: [UnsafeMutablePointer<CChar>] = []
        defer { cStrings.forEach { $0.deallocate() } }
        func dup(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
            p[bytes.count] = 0
            cStrings.append(p)
            return p
        }
        if !chunks.isEmpty {
            var entries = chunks.map { c -> png_text in
                var t = png_text()
                t.compression = c.isInternational ? 1 : -1 // PNG_ITXT_COMPRESSION_NONE : PNG_TEXT_COMPRESSION_NONE
                t.key = dup(c.keyword)
                t.text = dup(c.value)
                t.text_length = c.isInternational ? 0 : c.value.count
                t.itxt_length = c.isInternational ? c.value.count : 0
                t.lang = nil
                t.lang_key = nil
                return t
            }
            png_set_text(png, info, &entries, Int32(entries.count))
        }

        png_write_info(png, info)
        // Large unfiltered images: the image data compressed in parallel segments (below); the
        // header and text chunks above still come from libpng, which also frames the chunks.
        if compression.filters == 0x08, image.width * image.height * channels >= ParallelDeflate.minimumBytes {
            let zlibStream = try ParallelDeflate.stream(image, channels: channels, compression: compression)
            var offset = 0
            let idat: [UInt8] = Array("IDAT".utf8), iend: [UInt8] = Array("IEND".utf8)
            zlibStream.withUnsafeBufferPointer { z in
                while offset < z.count {
                    let n = min(ParallelDeflate.chunkBytes, z.count - offset)
                    png_write_chunk(png, idat, z.baseAddress! + offset, n)
                    offset += n
                }
            }
            png_write_chunk(png, iend, nil, 0)
            return sink.bytes
        }
        image.pixels.withUnsafeBufferPointer { src in
            guard let base = src.baseAddress else { return }
            if opaque {
                let row = UnsafeMutablePointer<UInt8>.allocate(capacity: image.width * 3)
                defer { row.deallocate() }
                for y in 0..<image.height {
                    let line = base + y * image.width * 4
                    for x in 0..<image.width {
                        row[3 * x] = line[4 * x]; row[3 * x + 1] = line[4 * x + 1]; row[3 * x + 2] = line[4 * x + 2]
                    }
                    png_write_row(png, row)
                }
            } else {
                // RGBA rows go to libpng as they are (it copies each row before filtering).
                for y in 0..<image.height { png_write_row(png, base + y * image.width * 4) }
            }
        }
        png_write_end(png, nil)
        return sink.bytes
    }

    /// One validated text chunk: keyword and value as the bytes that go in the file.
    struct TextChunk {
        let keyword: [UInt8]
        let value: [UInt8]
        /// True when the value needs `iTXt` (UTF-8) rather than `tEXt` (Latin-1).
        let isInternational: Bool

        init(_ entry: (key: String, value: String)) throws {
            let scalars = Array(entry.key.unicodeScalars)
            let printable = scalars.allSatisfy { (32...126).contains($0.value) || (161...255).contains($0.value) }
            guard (1...79).contains(scalars.count), printable,
                  scalars.first != " ", scalars.last != " ", !entry.key.contains("  ") else {
                throw PlotError("PNG text keyword \"\(entry.key)\" must be 1–79 printable Latin-1 characters without leading, trailing or double spaces")
            }
            keyword = scalars.map { UInt8($0.value) }
            guard !entry.value.unicodeScalars.contains("\0") else {
                throw PlotError("PNG text \"\(entry.key)\" contains a NUL character")
            }
            guard entry.value.utf8.count <= PNGEncoder.maxTextLength else {
                throw PlotError("PNG text \"\(entry.key)\" is longer than \(PNGEncoder.maxTextLength) bytes")
            }
            if entry.value.unicodeScalars.allSatisfy({ $0.value <= 255 }) {
                value = entry.value.unicodeScalars.map { UInt8($0.value) }
                isInternational = false
            } else {
                value = Array(entry.value.utf8)
                isInternational = true
            }
        }
    }
}

/// How hard libpng works: zlib level and strategy, and which row filters it may choose from.
///
/// The right trade-off depends on the image, and we measured it (bench/plot, 1000×1000 images):
/// see the presets' comments for the numbers behind each choice.
public struct PNGCompression: Sendable, Equatable {
    public var zlibLevel: Int32
    /// zlib strategy: 0 default, 1 filtered, 3 RLE.
    public var strategy: Int32
    /// libpng filter mask (PNG_FILTER_NONE 0x08, SUB 0x10, UP 0x20, AVG 0x40, PAETH 0x80).
    public var filters: Int32

    public init(zlibLevel: Int32, strategy: Int32, filters: Int32) {
        self.zlibLevel = zlibLevel
        self.strategy = strategy
        self.filters = filters
    }

    /// Figures with axes and text: no row filter, zlib level 3, default strategy. Figures are mostly
    /// flat colour (white margins, runs of one colour in density images, solid marker fills), which
    /// zlib matches best as raw bytes; every filter turns those runs into varied differences.
    /// Measured with `astrolabe-plotbench DATA --figure-sweep` (bench/plot/README.md), median of 5:
    /// 1000×1000 density figure of 1M points — level 3/none 13 ms, 212 kB; the previous choice
    /// (level 6, adaptive over all filters) 45 ms, 284 kB; level 1/none 10 ms, 241 kB; level 6/none
    /// 32 ms, 179 kB. 800×600 scatter of 20k points — level 3/none 6.5 ms, 135 kB; level 6/all
    /// 31 ms, 172 kB. Level 3 keeps most of level 6's size at a third of its time.
    public static let standard = PNGCompression(zlibLevel: 3, strategy: 0, filters: 0x08)

    /// Bare density images (datashader's `img.to_pil().save()` counterpart): mostly transparent
    /// runs and flat colours. Measured on the 10M-point 1000×1000 eq_hist image (bench/plot
    /// --png-sweep): no filter beats Sub/Up/Paeth/adaptive in both time and size here (filters turn
    /// repeated pixels into varied differences), zlib level 1 with Z_FILTERED ≈ 35 ms and 665 kB,
    /// against level 6 ≈ 110 ms / 514 kB and level 9 > 1 s; RLE is fast but twice the size.
    public static let density = PNGCompression(zlibLevel: 1, strategy: 1, filters: 0x08)
}

/// The zlib stream of an unfiltered image, compressed in parallel: the scanlines (each with filter
/// byte 0) are cut into a fixed number of segments, each deflated on its own (ending on a byte
/// boundary with a sync flush, the last one finished), and the raw deflate data joined under one
/// zlib header with the Adler-32 of the whole — as pigz does. A valid zlib stream any decoder
/// reads; back-references do not cross segments, which costs well under 1% in size. The segment
/// count depends only on the image size, never on the number of cores, so the bytes are the same
/// on every machine (for a given zlib).
enum ParallelDeflate {
    /// Below this many bytes of pixel data, libpng compresses on one core as before.
    static let minimumBytes = 1 << 20
    /// Bytes of compressed data per IDAT chunk.
    static let chunkBytes = 1 << 18
    /// Segments of about 512 kB of scanlines, at most 16.
    static func segments(rows: Int, rowBytes: Int) -> Int {
        max(1, min(16, min(rows, (rows * rowBytes) / (1 << 19))))
    }

    static func stream(_ image: RGBAImage, channels: Int, compression: PNGCompression) throws -> [UInt8] {
        let width = image.width, rows = image.height
        let rowBytes = 1 + width * channels
        let parts = segments(rows: rows, rowBytes: rowBytes)
        var outputs = [[UInt8]](repeating: [], count: parts)
        var adlers = [UInt](repeating: 0, count: parts)
        var failed = false
        image.pixels.withUnsafeBufferPointer { src in
            outputs.withUnsafeMutableBufferPointer { outs in
                adlers.withUnsafeMutableBufferPointer { ads in
                    let job = DeflateJob(src: src.baseAddress!, width: width, rows: rows, channels: channels, parts: parts,
                                         level: compression.zlibLevel, strategy: compression.strategy,
                                         outputs: outs.baseAddress!, adlers: ads.baseAddress!)
                    var ok = [Bool](repeating: true, count: parts)
                    ok.withUnsafeMutableBufferPointer { o in
                        let flags = o.baseAddress!
                        let sendable = FlagPointer(p: flags)
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            if !job.run(part) { sendable.p[part] = false }
                        }
                    }
                    failed = ok.contains(false)
                }
            }
        }
        guard !failed else { throw PlotError("zlib could not compress the image (out of memory?)") }
        // zlib header: deflate, 32 kB window, the level hint, and the check bits.
        let flevel: Int = compression.zlibLevel <= 1 ? 0 : (compression.zlibLevel <= 5 ? 1 : (compression.zlibLevel == 6 ? 2 : 3))
        var flg = flevel << 6
        let r = (0x78 * 256 + flg) % 31
        if r != 0 { flg += 31 - r }
        var out: [UInt8] = [0x78, UInt8(flg)]
        out.reserveCapacity(2 + outputs.reduce(0) { $0 + $1.count } + 4)
        var adler = adler32(0, nil, 0)
        for part in 0..<parts {
            out += outputs[part]
            let (start, end) = DeflateJob.rowRange(part, parts: parts, rows: rows)
            adler = adler32_combine(adler, adlers[part], off_t((end - start) * rowBytes))
        }
        out += [UInt8(truncatingIfNeeded: adler >> 24), UInt8(truncatingIfNeeded: adler >> 16),
                UInt8(truncatingIfNeeded: adler >> 8), UInt8(truncatingIfNeeded: adler)]
        return out
    }
}

private struct FlagPointer: @unchecked Sendable { let p: UnsafeMutablePointer<Bool> }

/// One image's segments; worker `part` writes only `outputs[part]` and `adlers[part]`.
private struct DeflateJob: @unchecked Sendable {
    let src: UnsafePointer<UInt8>
    let width: Int, rows: Int, channels: Int, parts: Int
    let level: Int32, strategy: Int32
    let outputs: UnsafeMutablePointer<[UInt8]>
    let adlers: UnsafeMutablePointer<UInt>

    static func rowRange(_ part: Int, parts: Int, rows: Int) -> (Int, Int) {
        (rows * part / parts, rows * (part + 1) / parts)
    }

    func run(_ part: Int) -> Bool {
        let (start, end) = DeflateJob.rowRange(part, parts: parts, rows: rows)
        let rowBytes = 1 + width * channels
        let n = (end - start) * rowBytes
        // The segment's scanlines: filter byte 0, then RGB or RGBA.
        let raw = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n))
        defer { raw.deallocate() }
        for y in start..<end {
            let line = src + y * width * 4
            let dst = raw + (y - start) * rowBytes
            dst[0] = 0
            if channels == 4 {
                (dst + 1).update(from: line, count: width * 4)
            } else {
                for x in 0..<width {
                    dst[1 + 3 * x] = line[4 * x]; dst[2 + 3 * x] = line[4 * x + 1]; dst[3 + 3 * x] = line[4 * x + 2]
                }
            }
        }
        adlers[part] = adler32(adler32(0, nil, 0), raw, uInt(n))
        var z = z_stream()
        guard deflateInit2_(&z, level, Z_DEFLATED, -15, 8, strategy, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return false
        }
        defer { deflateEnd(&z) }
        let bound = Int(deflateBound(&z, uLong(n))) + 64
        var out = [UInt8](repeating: 0, count: bound)
        let last = part == parts - 1
        let produced: Int? = out.withUnsafeMutableBufferPointer { o in
            z.next_in = raw
            z.avail_in = uInt(n)
            z.next_out = o.baseAddress!
            z.avail_out = uInt(bound)
            let status = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH)
            guard last ? status == Z_STREAM_END : (status == Z_OK && z.avail_in == 0) else { return nil }
            return bound - Int(z.avail_out)
        }
        guard let produced else { return false }
        out.removeSubrange(produced...)
        outputs[part] = out
        return true
    }
}

/// Collects the bytes libpng writes. A class so that libpng can hold a pointer to it.
private final class PNGSink {
    var bytes: [UInt8] = []
}

private let pngWrite: @convention(c) (png_structp?, png_bytep?, Int) -> Void = { png, data, length in
    guard let png, let data, let io = png_get_io_ptr(png) else { return }
    let sink = Unmanaged<PNGSink>.fromOpaque(io).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
}

private let pngFlush: @convention(c) (png_structp?) -> Void = { _ in }

private let pngError: @convention(c) (png_structp?, png_const_charp?) -> Void = { _, message in
    // Unreachable with validated input (see PNGEncoder); libpng must not continue after an error
    // and Swift cannot longjmp, so stop with the reason rather than corrupt memory.
    let text = message.map { String(cString: $0) } ?? "unknown error"
    fatalError("libpng error after input validation (out of memory?): \(text)")
}

private let pngWarning: @convention(c) (png_structp?, png_const_charp?) -> Void = { _, _ in }
