import XCTest
@testable import AstrolabePlot

final class PNGEncoderTests: XCTestCase {
    /// A small image with varied, partly transparent pixels.
    func sampleImage(opaque: Bool) throws -> RGBAImage {
        var p = [UInt8]()
        for y in 0..<5 {
            for x in 0..<7 {
                p += [UInt8(x * 30), UInt8(y * 50), UInt8((x * y) % 256), opaque ? 255 : UInt8((x + y) * 20)]
            }
        }
        return try RGBAImage(width: 7, height: 5, pixels: p)
    }

    func testStructureHeaderResolutionAndText() throws {
        let png = try PNGEncoder.encode(try sampleImage(opaque: false), dpi: 300,
                                        text: [("Software", "Astrolabe"), ("Comment", "plot density a b")])
        XCTAssertEqual(Array(png[0..<8]), PNGTestSupport.signature)
        let chunks = try XCTUnwrap(PNGTestSupport.chunks(png), "chunk lengths or CRCs are wrong")
        XCTAssertEqual(chunks.first?.type, "IHDR")
        XCTAssertEqual(chunks.last?.type, "IEND")
        let ihdr = chunks[0].data
        XCTAssertEqual(PNGTestSupport.bigEndian32(ihdr, 0), 7)
        XCTAssertEqual(PNGTestSupport.bigEndian32(ihdr, 4), 5)
        XCTAssertEqual(ihdr[8], 8) // bit depth
        XCTAssertEqual(ihdr[9], 6) // RGBA, because some pixels are translucent
        let phys = try XCTUnwrap(chunks.first { $0.type == "pHYs" }).data
        // 300 dpi = 300 / 0.0254 = 11811.02 pixels per metre.
        XCTAssertEqual(PNGTestSupport.bigEndian32(phys, 0), 11811)
        XCTAssertEqual(PNGTestSupport.bigEndian32(phys, 4), 11811)
        XCTAssertEqual(phys[8], 1) // unit: metre
        let texts = chunks.filter { $0.type == "tEXt" }.map { String(decoding: $0.data, as: UTF8.self) }
        XCTAssertTrue(texts.contains("Software\0Astrolabe"))
        XCTAssertTrue(texts.contains("Comment\0plot density a b"))
        XCTAssertFalse(chunks.contains { $0.type == "tIME" }, "a timestamp would break reproducibility")
        XCTAssertTrue(chunks.contains { $0.type == "IDAT" })
    }

    func testDecodesBackToTheSamePixels() throws {
        for opaque in [false, true] {
            let image = try sampleImage(opaque: opaque)
            let png = try PNGEncoder.encode(image, dpi: 100, text: [])
            let decoded = try XCTUnwrap(PNGTestSupport.decode(png))
            XCTAssertEqual(decoded.width, 7)
            XCTAssertEqual(decoded.height, 5)
            XCTAssertEqual(decoded.pixels, image.pixels)
            if opaque {
                XCTAssertEqual(PNGTestSupport.chunks(png)?.first?.data[9], 2, "opaque images are stored as RGB")
            }
        }
    }

    /// Large unfiltered images are deflated in parallel segments joined into one zlib stream: libpng's
    /// reader (which checks the Adler-32) reads back the same pixels, the chunks are well formed,
    /// and the bytes repeat.
    func testParallelSegmentsDecodeToTheSamePixels() throws {
        for (opaque, width, height) in [(false, 700, 600), (true, 900, 700)] {
            var pixels = [UInt8](repeating: 0, count: width * height * 4)
            var state: UInt32 = 12345
            for i in stride(from: 0, to: pixels.count, by: 4) {
                // Runs of one colour with some noise, like a figure.
                state = state &* 1_664_525 &+ 1_013_904_223
                let noisy = state >> 28 == 0
                let v = UInt8(truncatingIfNeeded: (i / 4) % width / 37 &* 29)
                pixels[i] = noisy ? UInt8(truncatingIfNeeded: state >> 8) : v
                pixels[i + 1] = v &+ 40
                pixels[i + 2] = UInt8(truncatingIfNeeded: (i / 4) / width)
                pixels[i + 3] = opaque ? 255 : (noisy ? 128 : 255)
            }
            let image = try RGBAImage(width: width, height: height, pixels: pixels)
            XCTAssertGreaterThan(ParallelDeflate.segments(rows: height, rowBytes: 1 + width * (opaque ? 3 : 4)), 1)
            for compression in [PNGCompression.standard, .density] {
                let png = try PNGEncoder.encode(image, dpi: 100, text: [("Software", "test")], compression: compression)
                let decoded = try XCTUnwrap(PNGTestSupport.decode(png))
                XCTAssertEqual([decoded.width, decoded.height], [width, height])
                XCTAssertEqual(decoded.pixels, pixels)
                let chunks = try XCTUnwrap(PNGTestSupport.chunks(png))
                XCTAssertEqual(chunks.first?.type, "IHDR")
                XCTAssertEqual(chunks.last?.type, "IEND")
                XCTAssertTrue(chunks.contains { $0.type == "pHYs" } && chunks.contains { $0.type == "tEXt" })
                XCTAssertGreaterThan(chunks.filter { $0.type == "IDAT" }.count, 0)
                XCTAssertEqual(try PNGEncoder.encode(image, dpi: 100, text: [("Software", "test")], compression: compression), png)
            }
        }
    }

    func testSameInputSameBytes() throws {
        let image = try sampleImage(opaque: false)
        let a = try PNGEncoder.encode(image, dpi: 150, text: [("Comment", "x")])
        let b = try PNGEncoder.encode(image, dpi: 150, text: [("Comment", "x")])
        XCTAssertEqual(a, b)
    }

    func testNonLatin1TextGoesToITXt() throws {
        let png = try PNGEncoder.encode(try sampleImage(opaque: true), dpi: 100,
                                        text: [("Comment", "plot density Δm g−r")])
        let chunks = try XCTUnwrap(PNGTestSupport.chunks(png))
        let itxt = try XCTUnwrap(chunks.first { $0.type == "iTXt" })
        // keyword NUL compression-flag compression-method language NUL translated-keyword NUL text
        let expected = Array("Comment".utf8) + [0, 0, 0, 0, 0] + Array("plot density Δm g−r".utf8)
        XCTAssertEqual(itxt.data, expected)
    }

    func testBadInputsThrowInsteadOfReachingLibpng() throws {
        let image = try sampleImage(opaque: true)
        XCTAssertThrowsError(try PNGEncoder.encode(image, dpi: .nan, text: []))
        XCTAssertThrowsError(try PNGEncoder.encode(image, dpi: 0, text: []))
        XCTAssertThrowsError(try PNGEncoder.encode(image, dpi: 100, text: [("", "x")]))
        XCTAssertThrowsError(try PNGEncoder.encode(image, dpi: 100, text: [(String(repeating: "k", count: 80), "x")]))
        XCTAssertThrowsError(try PNGEncoder.encode(image, dpi: 100, text: [("Comment", "a\0b")]))
        XCTAssertThrowsError(try PNGEncoder.encode(image, dpi: 100, text: [("Cömment✓", "x")]))
        XCTAssertThrowsError(try RGBAImage(width: 2, height: 2, pixels: [1, 2, 3]))
    }
}
