import CFITSIO
import Foundation

/// The first two-dimensional image of a FITS file (the primary HDU or the first image extension),
/// its pixels as Double (BSCALE/BZERO applied, BLANK as NaN) and its header, for cutouts.
/// A cube's first plane is taken (hips2fits returns colour surveys as three planes).
public struct FITSImage: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major, first FITS axis fastest: pixel (x, y) (0-based) is `pixels[y * width + x]`,
    /// the order numpy gives `hdu.data.ravel()`.
    public let pixels: [Double]
    /// The header as 80-character cards, for the WCS.
    public let header: String

    /// Larger images are refused rather than read (a cutout needs only a small part of a survey).
    public static let maxPixels = 64 << 20

    public init(path: String) throws {
        var fptr: UnsafeMutablePointer<fitsfile>?
        var status: Int32 = 0
        ffdkopn(&fptr, path, 0, &status)
        guard status == 0, let file = fptr else {
            throw DataError("cannot read as a FITS image: \(FITSReader.message(status))\(FITSReader.details())", file: path)
        }
        defer { var s: Int32 = 0; ffclos(file, &s) }
        try self.init(file: file, path: path)
    }

    /// Reads from bytes (a fetched cutout); `name` names it in errors.
    public init(bytes: [UInt8], name: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("image.fits")
        try Data(bytes).write(to: url)
        do { try self.init(path: url.path) } catch let error as DataError {
            throw DataError(error.message, file: name)
        }
    }

    private init(file: UnsafeMutablePointer<fitsfile>, path: String) throws {
        var status: Int32 = 0
        var hduCount: Int32 = 0
        ffthdu(file, &hduCount, &status)
        var found: (Int, Int)?
        for n in 1...max(1, Int(hduCount)) {
            var type: Int32 = 0
            ffmahd(file, Int32(n), &type, &status)
            guard status == 0 else { break }
            guard type == 0 /* IMAGE_HDU */ else { continue }
            var naxis: Int32 = 0
            var sizes = [Int64](repeating: 0, count: 9)
            ffgidm(file, &naxis, &status)
            ffgiszll(file, 9, &sizes, &status)
            if status == 0, naxis >= 2, sizes[0] > 0, sizes[1] > 0 { found = (Int(sizes[0]), Int(sizes[1])); break }
        }
        guard status == 0, let (w, h) = found else {
            throw DataError(status == 0 ? "the file has no two-dimensional image HDU"
                            : "cannot read the image: \(FITSReader.message(status))\(FITSReader.details())", file: path)
        }
        let pixelCount = w.multipliedReportingOverflow(by: h)
        guard !pixelCount.overflow, pixelCount.partialValue <= Self.maxPixels else {
            throw DataError("a \(w)×\(h) image is larger than the \(Self.maxPixels) pixels a cutout reads", file: path)
        }
        var values = [Double](repeating: .nan, count: w * h)
        var first: [Int64] = [1, 1, 1, 1, 1, 1, 1, 1, 1]
        var null = Double.nan
        var anyNull: Int32 = 0
        ffgpxvll(file, 82 /* TDOUBLE */, &first, Int64(w * h), &null, &values, &anyNull, &status)
        guard status == 0 else {
            throw DataError("cannot read the image pixels: \(FITSReader.message(status))\(FITSReader.details())", file: path)
        }
        var cards: UnsafeMutablePointer<CChar>?
        var count: Int32 = 0
        ffhdr2str(file, 1, nil, 0, &cards, &count, &status)
        defer { if let cards { fffree(cards, &status) } }
        width = w
        height = h
        pixels = values
        header = cards.map { String(cString: $0) } ?? ""
    }
}
