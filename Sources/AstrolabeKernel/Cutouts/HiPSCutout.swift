import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A cutout of a HiPS survey from CDS's hips2fits service: its URL (the string astroquery's
/// `hips2fits.query(..., get_query_payload)` sends), its place in the local cache, and the fetch.
struct HiPSCutout: Equatable {
    static let defaultServer = "https://alasky.cds.unistra.fr/hips-image-services/hips2fits"
    static let defaultSurvey = "CDS/P/DSS2/red"

    var survey: String
    var ra: Double
    var dec: Double
    var fovArcsec: Double
    var size: Int

    /// The field of view in degrees as astropy converts it: value × (arcsec → deg scale).
    var fovDegrees: Double { fovArcsec * (1.0 / 3600.0) }

    /// astroquery's payload, in its order and defaults (TAN, icrs, rotation 0, cuts 0.5%/99.5%,
    /// Greys_r, linear), encoded as `requests` encodes a query string (urlencode, quote_plus).
    func url(server: String = HiPSCutout.defaultServer) -> String {
        let payload: [(String, String)] = [
            ("width", String(size)), ("height", String(size)), ("projection", "TAN"), ("coordsys", "icrs"),
            ("rotation_angle", Self.python(0.0)), ("ra", Self.python(ra)), ("dec", Self.python(dec)),
            ("fov", Self.python(fovDegrees)), ("min_cut", "0.5%"), ("max_cut", "99.5%"), ("cmap", "Greys_r"),
            ("stretch", "linear"), ("hips", survey), ("format", "fits"),
        ]
        return server + "?" + payload.map { Self.quotePlus($0.0) + "=" + Self.quotePlus($0.1) }.joined(separator: "&")
    }

    /// Python's `str(float)`: the shortest round-trip digits, as Swift's description writes them
    /// for the magnitudes of positions and fields of view (both use exponents below 1e-4).
    static func python(_ value: Double) -> String { "\(value)" }

    /// urllib's quote_plus: letters, digits and `_.-~` kept, spaces as `+`, everything else %XX (UTF-8).
    static func quotePlus(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `.astrolabe/cutouts/SURVEY/RA_DEC_FOV_SIZE.fits`, the survey percent-encoded so that
    /// different ids never share a folder; positions to 1e-7 degree (0.4 mas).
    var cachePath: String {
        let folder = Self.quotePlus(survey)
        let name = String(format: "%.7f_%+.7f_%garcsec_%d.fits", ra, dec, fovArcsec, size)
        return ".astrolabe/cutouts/\(folder)/\(name)"
    }

    /// GETs `url`, giving up after `timeout` seconds or once the answer passes `maxBytes` (its
    /// announced length, or the bytes received so far: the transfer is cancelled, never kept).
    /// The body must be a FITS file (a service's error page is a failure, never cached as an image).
    static func fetch(_ url: String, timeout: Double, maxBytes: Int = CutoutState.defaultMaxBytes) -> Result<[UInt8], FetchFailure> {
        guard let target = URL(string: url) else { return .failure(FetchFailure("not a valid URL: \(url)")) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let receiver = CappedReceiver(limit: maxBytes)
        let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        session.dataTask(with: target).resume()
        // The task's own timeout ends it; the wait's margin only guards against a task that never calls back.
        if receiver.done.wait(timeout: .now() + timeout + 5) == .timedOut { return .failure(FetchFailure("no answer within \(timeout) s")) }
        return receiver.result()
    }

    /// Collects a fetch's bytes, refusing an answer larger than `limit` as soon as it is known to be.
    private final class CappedReceiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let limit: Int
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var data = Data()
        private var status = 200
        private var failure: FetchFailure?

        init(limit: Int) { self.limit = limit }

        private func tooLarge(_ bytes: Int64) -> FetchFailure {
            FetchFailure("the answer is larger than the cutout limit (\(bytes > 0 ? "\(bytes) bytes" : "more") > \(limit) bytes; ASTROLABE_CUTOUT_MAX_BYTES)")
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            lock.lock()
            if let http = response as? HTTPURLResponse { status = http.statusCode }
            let announced = response.expectedContentLength
            if announced > Int64(limit), status == 200 { failure = tooLarge(announced) }
            let refuse = failure != nil
            lock.unlock()
            completionHandler(refuse ? .cancel : .allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
            lock.lock()
            data.append(chunk)
            let over = data.count > limit && failure == nil
            if over { failure = tooLarge(Int64(data.count)); data = Data() }
            lock.unlock()
            if over { dataTask.cancel() }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            lock.lock()
            if failure == nil, let error { failure = FetchFailure(error.localizedDescription) }
            lock.unlock()
            done.signal()
        }

        func result() -> Result<[UInt8], FetchFailure> {
            lock.lock(); defer { lock.unlock() }
            if status != 200 { return .failure(FetchFailure("the server answered HTTP \(status)")) }
            if let failure { return .failure(failure) }
            guard data.starts(with: Array("SIMPLE  =".utf8)) else { return .failure(FetchFailure("the answer is not a FITS file")) }
            return .success([UInt8](data))
        }
    }

    struct FetchFailure: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

}
