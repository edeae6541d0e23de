import AstrolabePlot
import Foundation
import XCTest
@testable import AstrolabeKernel
#if canImport(Glibc)
import Glibc
#endif

/// Survey cutouts through a hips2fits server on loopback (started by the test: no internet):
/// fetched once, then read from `.astrolabe/cutouts/`; a time-out or an error page gives the grey
/// placeholder and a warning, and nothing is cached.
final class CutoutFetchTests: XCTestCase {
    var dir: URL!
    var session: Session!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-cutout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "id,ra,dec\nA,250.4226,36.4602\nB,10.5,-5.25\n".write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        session = try Session(options: SessionOptions(workingDirectory: dir.path))
        session.cutouts.offline = false
        XCTAssertNil(session.execute("load t.csv as t id=id").error)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func image(_ outputs: [Output]) -> PNGImage? {
        outputs.compactMap { if case .image(let i) = $0 { return i } else { return nil } }.first
    }

    func warnings(_ outputs: [Output]) -> [String] {
        outputs.compactMap { if case .warning(let w) = $0 { return w } else { return nil } }
    }

    func m13() throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: root.appendingPathComponent("Samples/m13.fits")))
    }

    func testSurveyCutoutIsFetchedOnceThenReplayedFromTheCache() throws {
        let server = try LoopbackServer(mode: .respond(status: 200, body: try m13()))
        defer { server.stop() }
        session.cutouts.server = server.url
        let first = session.execute("image A survey=CDS/P/DSS2/red fov=20arcsec size=64 to=a.png")
        XCTAssertNil(first.error)
        XCTAssertEqual(server.requests.count, 1)
        // The request is astroquery's URL for this row, sent to our server.
        let expected = HiPSCutout(survey: "CDS/P/DSS2/red", ra: 250.4226, dec: 36.4602, fovArcsec: 20, size: 64).url(server: "")
        XCTAssertEqual(server.requests.first.map { "?" + ($0.split(separator: "?", maxSplits: 1).last.map(String.init) ?? "") }, expected)
        XCTAssertTrue(warnings(first.outputs).isEmpty, "\(warnings(first.outputs))")
        let cache = dir.appendingPathComponent(".astrolabe/cutouts/CDS%2FP%2FDSS2%2Fred/250.4226000_+36.4602000_20arcsec_64.fits")
        XCTAssertEqual(Array(try Data(contentsOf: cache)), try m13())
        // Offline, the same command draws the same bytes from the cache without asking the server.
        session.cutouts.offline = true
        let again = session.execute("image A survey=CDS/P/DSS2/red fov=20arcsec size=64 to=a.png")
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(image(again.outputs)?.bytes, image(first.outputs)?.bytes)
        // A real image, not the placeholder: grey levels vary.
        let pixels = try XCTUnwrap(image(first.outputs).flatMap { PNGPixels(png: $0.bytes) })
        XCTAssertGreaterThan(Set(stride(from: 0, to: pixels.rgba.count, by: 4).map { pixels.rgba[$0] }).count, 20)
    }

    func testATimedOutFetchGivesTheGreyPlaceholderAndAWarning() throws {
        let server = try LoopbackServer(mode: .silent)
        defer { server.stop() }
        session.cutouts.server = server.url
        session.cutouts.timeout = 0.5
        let result = session.execute("image B survey=CDS/P/DSS2/red size=32 to=b.png")
        XCTAssertNil(result.error)
        XCTAssertEqual(warnings(result.outputs).count, 1)
        XCTAssertTrue(warnings(result.outputs)[0].contains("a grey tile stands in"), warnings(result.outputs)[0])
        let pixels = try XCTUnwrap(image(result.outputs).flatMap { PNGPixels(png: $0.bytes) })
        XCTAssertEqual(Set(stride(from: 0, to: pixels.rgba.count, by: 4).map { pixels.rgba[$0] }), [CutoutImage.placeholderGrey])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".astrolabe/cutouts").path))
    }

    func testAnErrorPageIsNotCachedAsAnImage() throws {
        let server = try LoopbackServer(mode: .respond(status: 500, body: Array("<html>no</html>".utf8)))
        defer { server.stop() }
        session.cutouts.server = server.url
        let result = session.execute("image A survey=CDS/P/DSS2/red size=32 to=a.png")
        XCTAssertNil(result.error)
        XCTAssertTrue(warnings(result.outputs).first?.contains("HTTP 500") == true, "\(warnings(result.outputs))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".astrolabe/cutouts").path))
        // A 200 answer that is not FITS is refused too.
        let html = try LoopbackServer(mode: .respond(status: 200, body: Array("<html>maintenance</html>".utf8)))
        defer { html.stop() }
        session.cutouts.server = html.url
        let second = session.execute("image A survey=CDS/P/DSS2/red size=32 to=a.png")
        XCTAssertTrue(warnings(second.outputs).first?.contains("not a FITS file") == true, "\(warnings(second.outputs))")
    }

    /// An answer beyond the size cap is cancelled: the grey tile and a warning, nothing cached —
    /// whether the server announces its length or the cap is passed while the bytes arrive.
    func testAnAnswerLargerThanTheCapGivesThePlaceholderAndIsNotCached() throws {
        session.cutouts.maxBytes = 50_000
        for announce in [true, false] {
            let server = try LoopbackServer(mode: .respond(status: 200, body: try m13(), announceLength: announce))
            defer { server.stop() }
            session.cutouts.server = server.url
            let result = session.execute("image A survey=CDS/P/DSS2/red size=32 to=a.png")
            XCTAssertNil(result.error)
            XCTAssertEqual(warnings(result.outputs).count, 1, "\(warnings(result.outputs))")
            XCTAssertTrue(warnings(result.outputs).first?.contains("larger than the cutout limit") == true, "\(warnings(result.outputs))")
            let pixels = try XCTUnwrap(image(result.outputs).flatMap { PNGPixels(png: $0.bytes) })
            XCTAssertEqual(Set(stride(from: 0, to: pixels.rgba.count, by: 4).map { pixels.rgba[$0] }), [CutoutImage.placeholderGrey])
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".astrolabe/cutouts").path))
        }
        // The same answer under a cap it fits is kept.
        session.cutouts.maxBytes = 200_000
        let server = try LoopbackServer(mode: .respond(status: 200, body: try m13(), announceLength: false))
        defer { server.stop() }
        session.cutouts.server = server.url
        let kept = session.execute("image A survey=CDS/P/DSS2/red size=32 to=a.png")
        XCTAssertTrue(warnings(kept.outputs).isEmpty, "\(warnings(kept.outputs))")
    }

    func testOfflineWithoutCacheGivesThePlaceholder() throws {
        session.cutouts.offline = true
        let result = session.execute("image A size=32 to=a.png")
        XCTAssertNil(result.error)
        XCTAssertTrue(warnings(result.outputs).first?.contains("offline") == true)
    }
}

/// A one-thread HTTP server on 127.0.0.1 (an ephemeral port) that answers every request alike,
/// or (`.silent`) accepts connections and never answers, to test time-outs.
final class LoopbackServer: @unchecked Sendable {
    /// `announceLength: false` sends no Content-Length: the body ends when the connection closes.
    enum Mode { case respond(status: Int, body: [UInt8], announceLength: Bool = true), silent }
    let socketFD: Int32
    let port: UInt16
    private let lock = NSLock()
    private var paths: [String] = []
    private var open: [Int32] = []
    private var stopped = false
    var requests: [String] { lock.lock(); defer { lock.unlock() }; return paths }
    var url: String { "http://127.0.0.1:\(port)/hips2fits" }

    init(mode: Mode) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 8) == 0 else { close(fd); throw NSError(domain: "LoopbackServer", code: 1) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        socketFD = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve(mode) }
        thread.start()
    }

    private func serve(_ mode: Mode) {
        while true {
            let client = accept(socketFD, nil, nil)
            if client < 0 { return }
            var request = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !request.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                request += buffer[0..<n]
            }
            let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
            lock.lock(); if line.count > 1 { paths.append(String(line[1])) }; open.append(client); lock.unlock()
            guard case .respond(let status, let body, let announce) = mode else { continue }
            let length = announce ? "Content-Length: \(body.count)\r\n" : ""
            let head = "HTTP/1.1 \(status) X\r\n\(length)Content-Type: application/fits\r\nConnection: close\r\n\r\n"
            let bytes = Array(head.utf8) + body
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                sent += n
            }
            lock.lock(); open.removeAll { $0 == client }; lock.unlock()
            close(client)
        }
    }

    func stop() {
        lock.lock(); defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
        for client in open { close(client) }
    }
}
