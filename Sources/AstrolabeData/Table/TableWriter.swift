import CFITSIO
#if canImport(Glibc)
import Glibc
#endif

/// Writes a table so other tools can read it back: CSV (RFC 4180) or a FITS binary table.
///
/// Numbers are written exactly: integers as integers, other doubles as their shortest round-trip
/// text (so reading the CSV back gives the same bits), missing as an empty cell; booleans as
/// `true`/`false`. Text is quoted only when it must be. In FITS, float columns are `D` (`E` for
/// float32 storage), integer columns `K` with `TNULL` for missing cells, booleans `L`, text `nA`.
public enum TableWriter {
    public static func writeCSV(_ table: Table, to path: String) throws {
        var out: [UInt8] = []
        out.reserveCapacity(table.rowCount * max(1, table.columns.count) * 10)
        func append(_ s: String) { out.append(contentsOf: s.utf8) }
        func field(_ text: String) {
            if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
                append("\"" + text.replacingAll("\"", with: "\"\"") + "\"")
            } else {
                append(text)
            }
        }
        for (c, column) in table.columns.enumerated() {
            if c > 0 { out.append(UInt8(ascii: ",")) }
            field(column.name)
        }
        out.append(10)
        for r in 0 ..< table.rowCount {
            try Cancellation.checkEvery(r)
            for (c, column) in table.columns.enumerated() {
                if c > 0 { out.append(UInt8(ascii: ",")) }
                switch column.values {
                case .text(let v):
                    if let s = v[r] { field(s) } // missing: an empty cell
                case .numeric, .float32:
                    append(exactText(column, r))
                }
            }
            out.append(10)
        }
        try writeBytes(out, to: path)
    }

    /// The cell as exact text (empty when missing).
    static func exactText(_ column: Column, _ row: Int) -> String {
        let x = column.number(row: row)
        if x.isNaN { return "" }
        if column.kind == .boolean { return x != 0 ? "true" : "false" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), Swift.abs(x) < 9_007_199_254_740_992 { return String(Int64(x)) }
        if case .float32(let f) = column.values { return "\(f[row])" }
        return "\(x)"
    }

    static func writeBytes(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DataError("cannot write \(path): \(MappedFile.errnoText())", file: path) }
        defer { close(fd) }
        var done = 0
        try bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DataError("cannot write \(path): \(MappedFile.errnoText())", file: path)
                }
                done += n
            }
        }
    }

    public static func writeFITS(_ table: Table, to path: String, extensionName: String? = nil) throws {
        // cfitsio refuses to overwrite; the user asked for this path, so replace it.
        unlink(path)
        var status: Int32 = 0
        var fptr: UnsafeMutablePointer<fitsfile>?
        ffdkinit(&fptr, path, &status)
        guard status == 0, let file = fptr else {
            throw DataError("cannot write \(path): \(FITSReader.message(status))", file: path)
        }
        var closed = false
        defer { if !closed { var s: Int32 = 0; ffclos(file, &s) } }
        func check(_ what: String) throws {
            if status != 0 { throw DataError("cannot write \(path) (\(what)): \(FITSReader.message(status))", file: path) }
        }
        let intNull: Int64 = Int64.min
        var forms: [String] = []
        for column in table.columns {
            switch column.values {
            case .text(let v):
                let width = max(1, v.reduce(0) { max($0, $1?.utf8.count ?? 0) })
                forms.append("\(width)A")
            case .float32: forms.append("E")
            case .numeric:
                switch column.kind {
                case .boolean: forms.append("L")
                case .integer: forms.append("K")
                default: forms.append("D")
                }
            }
        }
        var nameStorage = table.columns.map { strdup($0.name) }
        var formStorage = forms.map { strdup($0) }
        defer {
            nameStorage.forEach { free($0) }
            formStorage.forEach { free($0) }
        }
        var extname = Array((extensionName ?? table.name).utf8CString)
        ffcrtb(file, 2, Int64(table.rowCount), Int32(table.columns.count), &nameStorage, &formStorage, nil, &extname, &status)
        try check("creating the table")
        for (c, column) in table.columns.enumerated() {
            let colnum = Int32(c + 1)
            let n = Int64(column.count)
            guard n > 0 else { continue }
            switch column.values {
            case .text(let v):
                var strings = v.map { strdup($0 ?? "") }
                defer { strings.forEach { free($0) } }
                ffpcl(file, 16, colnum, 1, 1, n, &strings, &status)
            case .float32(var f):
                var null = Float.nan
                ffpcn(file, 42, colnum, 1, 1, n, &f, &null, &status)
            case .numeric(var d):
                switch forms[c] {
                case "L":
                    var flags = d.map { $0.isNaN ? Int8(2) : ($0 != 0 ? 1 : 0) }
                    var null: Int8 = 2
                    ffpcn(file, 14, colnum, 1, 1, n, &flags, &null, &status)
                case "K":
                    var key = Array("TNULL\(c + 1)".utf8CString)
                    var nullValue = intNull
                    ffpky(file, 81, &key, &nullValue, nil, &status)
                    // Out-of-range values cannot be stored as 64-bit integers: written as undefined.
                    var ints = d.map { $0.isNaN || Swift.abs($0) >= 9.2e18 ? intNull : Int64($0) }
                    var null = intNull
                    ffpcn(file, 81, colnum, 1, 1, n, &ints, &null, &status)
                default:
                    // NaN cells are written as NaN, the FITS convention for undefined floats.
                    ffpcl(file, 82, colnum, 1, 1, n, &d, &status)
                }
            }
            try check("column `\(column.name)`")
        }
        ffclos(file, &status)
        closed = true
        try check("closing")
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
