#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file holds, told by its first bytes rather than its name: a VOTable called `.csv`,
/// a gzip file, or a Parquet file must be refused by name, not read as a one-column CSV.
public enum FileFormat: Equatable, Sendable {
    /// Text, presumably a delimited table (CSV, TSV, ...).
    case text
    /// A FITS file (`SIMPLE  =`).
    case fits
    /// An IVOA VOTable (XML whose root element is `VOTABLE`).
    case votable
    /// astropy's enhanced CSV (first line `# %ECSV 1.0`).
    case ecsv
    /// A Parquet file (`PAR1` at the start; `detect(path:)` also wants it at the end).
    case parquet
    /// Compressed: gzip, bzip2, xz or zstd (the name of the compression).
    case compressed(String)
    /// A format that is recognised but not read: VOTable, Parquet, HDF5, zip, ...
    case unsupported(String)

    /// Bytes looked at: enough for every signature below.
    static let sniffLength = 512

    /// The format of the file at `path`, from its first bytes (read with `pread`, so a pipe or a
    /// device is not consumed or mapped). A file that cannot be opened is `.text`: the reader
    /// that opens it next says why it cannot.
    public static func detect(path: String) -> FileFormat {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return .text }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .text }
        var head = [UInt8](repeating: 0, count: sniffLength)
        let got = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let format = detect(Array(head.prefix(Swift.max(0, got))))
        // Parquet ends with its magic too; without it the footer is missing (cut short) or encrypted (PARE).
        var tail = [UInt8](repeating: 0, count: 4)
        if format == .parquet, info.st_size < 12 || tail.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, 4, off_t(info.st_size) - 4) }) != 4
            || tail != Array("PAR1".utf8) {
            return .unsupported("a damaged or encrypted Parquet file (it does not end with PAR1)")
        }
        return format
    }

    /// The format of data starting with `head`.
    public static func detect(_ head: [UInt8]) -> FileFormat {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts(Array("SIMPLE  =".utf8)) { return .fits }
        if starts([0x1F, 0x8B]) { return .compressed("gzip") }
        if starts(Array("BZh".utf8)) { return .compressed("bzip2") }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .compressed("xz") }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .compressed("zstd") }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .unsupported("a zip archive") }
        if starts(Array("PAR1".utf8)) { return .parquet }
        if starts([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) { return .unsupported("HDF5") }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return .unsupported("a PNG image") }
        if starts(Array("%PDF".utf8)) { return .unsupported("a PDF document") }
        if starts(Array("SQLite format 3".utf8)) { return .unsupported("an SQLite database") }
        // XML: a VOTable says so near its start; other XML is still not a table we read.
        var text = head[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        text = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if text.starts(with: Array("<".utf8)) {
            return rootElement(text).map { $0.uppercased() == "VOTABLE" ? .votable : .unsupported("XML (root element <\($0)>)") }
                ?? .unsupported("XML")
        }
        if text.starts(with: Array("# %ECSV".utf8)) { return .ecsv }
        return .text
    }

    /// The name of the first element of an XML document, after its declaration, comments and
    /// doctype; nil when it does not appear in the bytes given.
    static func rootElement(_ text: ArraySlice<UInt8>) -> String? {
        var i = text.startIndex
        while let open = text[i...].firstIndex(of: 0x3C) { // <
            let next = open + 1
            guard next < text.endIndex else { return nil }
            if text[next] == 0x3F || text[next] == 0x21 { // <? or <!: skip to its end
                guard let close = text[next...].firstIndex(of: 0x3E) else { return nil }
                i = close + 1
                continue
            }
            let name = text[next...].prefix { $0 != 0x20 && $0 != 0x3E && $0 != 0x2F && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
            guard name.endIndex < text.endIndex else { return nil }
            // A namespace prefix (`<vot:VOTABLE>`) does not change what the element is.
            let local = name.split(separator: 0x3A).last ?? name[...]
            return String(decoding: local, as: UTF8.self)
        }
        return nil
    }

    /// Why a file of this format cannot be loaded as it is, or nil when it can.
    public var refusal: String? {
        switch self {
        case .text, .fits, .votable, .ecsv, .parquet: return nil
        case .compressed(let name) where ["gzip", "bzip2", "xz"].contains(name): return nil
        case .compressed(let name):
            let tool = ["zstd": "unzstd"][name] ?? "decompress"
            return "the file is \(name)-compressed, which is not supported: decompress it first (\(tool) FILE)"
        case .unsupported(let name):
            return "the file is \(name), which is not supported: load reads CSV/TSV (also gzip, bzip2 or xz-compressed), ECSV, VOTable, FITS and Parquet"
        }
    }
}
