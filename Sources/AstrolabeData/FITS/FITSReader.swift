import CFITSIO

/// Reads a FITS table (binary or ASCII) into a `Table` through cfitsio, the reference FITS library.
///
/// cfitsio opens the file (compressed ones too), finds the HDU and parses the header; the
/// values follow its rules: `TSCALn`/`TZEROn` scaling (so unsigned integers stored with an offset
/// come out right) and undefined values (`TNULLn` in integer columns, NaN in float columns), which
/// become NaN here. Integer columns are
/// `integer` (exact up to 2^53), `L` columns are `boolean` (true 1, false 0, undefined missing),
/// `A` columns are text with trailing blanks removed (an empty string is missing), `E`/`D` are
/// floats (kept as float32 when `precision=float32`). A vector column (`3E`) becomes one column
/// per element, `name_0`, `name_1`, ...; variable-length arrays, complex numbers, bit arrays and
/// arrays of strings are refused by name.
///
/// A header that does not match the file is an error naming the HDU and the keyword: more rows
/// (NAXIS2 × NAXIS1) than the file holds is refused before anything is allocated for them, and
/// when cfitsio rejects a header (TFORMn, TFIELDS, NAXIS1 at odds) its own explanation is given.
///
/// Binary tables, the common case, are read as raw rows and decoded in parallel here
/// (`FITSBinaryRows`). ASCII tables are read through cfitsio's conversions in blocks of the row
/// count it finds optimal, every column of a block at a time, so each block of the file is read
/// once while it sits in cfitsio's buffers.
public struct FITSReader: Sendable {
    /// Which HDU: nil for the first table extension, `.number(n)` (0 is the primary HDU, as in
    /// astropy), or `.name(EXTNAME)`.
    public enum HDU: Sendable, Equatable {
        case number(Int)
        case name(String)
    }

    public var hdu: HDU?
    public var precision: CSVOptions.Precision
    /// Rows decoded per block of a binary table; nil: about 1 MB of rows (tests set it small).
    var rowsPerBlock: Int? = nil

    public init(hdu: HDU? = nil, precision: CSVOptions.Precision = .float64) {
        self.hdu = hdu
        self.precision = precision
    }

    /// True when the file starts like a FITS file (`SIMPLE  =`), whatever its name.
    public static func looksLikeFITS(path: String) -> Bool {
        FileFormat.detect(path: path) == .fits
    }

    public func read(path: String, tableName: String) throws -> Table {
        var status: Int32 = 0
        var fptr: UnsafeMutablePointer<fitsfile>?
        ffcmsg()
        ffdkopn(&fptr, path, 0, &status) // READONLY; the disk variant: no extended-filename syntax
        guard status == 0, let file = fptr else {
            throw DataError("cannot read \(path) as FITS: \(Self.message(status))\(Self.details())", file: path)
        }
        defer {
            var closeStatus: Int32 = 0
            ffclos(file, &closeStatus)
        }
        func check(_ what: String) throws {
            if status != 0 { throw DataError("\(what): \(Self.message(status))\(Self.details())", file: path) }
        }

        var hduCount: Int32 = 0
        ffthdu(file, &hduCount, &status)
        try check("cannot count the HDUs")
        var type: Int32 = 0
        switch hdu {
        case .number(let n):
            guard n >= 0, n < Int(hduCount) else {
                throw DataError("hdu=\(n) does not exist: the file has HDUs 0 to \(hduCount - 1)", file: path)
            }
            ffmahd(file, Int32(n + 1), &type, &status)
            try check("cannot move to HDU \(n)")
            guard type == 1 || type == 2 else {
                throw DataError("HDU \(n) is an image, not a table", file: path)
            }
        case .name(let name):
            var mutable = Array(name.utf8CString)
            ffmnhd(file, -1, &mutable, 0, &status)
            if status != 0 {
                let names = Self.extensionNames(file, count: Int(hduCount))
                let suggestion = nearestName(to: name, in: names)
                throw DataError("no HDU with EXTNAME `\(name)`" + (names.isEmpty ? "" : " (the file has: \(names.joined(separator: ", ")))")
                                + (suggestion.map { "; did you mean `\($0)`?" } ?? ""), file: path, suggestion: suggestion)
            }
            ffghdt(file, &type, &status)
            guard type == 1 || type == 2 else { throw DataError("HDU `\(name)` is an image, not a table", file: path) }
        case nil:
            var found = false
            for n in 1 ..< max(1, Int(hduCount)) {
                ffmahd(file, Int32(n + 1), &type, &status)
                try check("cannot move to HDU \(n)")
                if type == 1 || type == 2 { found = true; break }
            }
            guard found else {
                // cfitsio stops counting at an HDU whose header it rejects: say why, not "no table".
                ffcmsg()
                ffmahd(file, hduCount + 1, &type, &status)
                if status != 0, status != 107 /* END_OF_FILE: there is no further HDU */ {
                    throw DataError("HDU \(hduCount) cannot be read: \(Self.message(status))\(Self.details())", file: path)
                }
                throw DataError("the file has no table HDU", file: path)
            }
        }
        var hduNumber: Int32 = 0
        ffghdn(file, &hduNumber)
        let hduName = "HDU \(hduNumber - 1)" + (Self.keyword(file, "EXTNAME").map { " (`\($0)`)" } ?? "")

        var rows: Int64 = 0
        var columnCount: Int32 = 0
        ffgnrwll(file, &rows, &status)
        ffgncl(file, &columnCount, &status)
        try check("cannot read the table's size")
        try Self.checkDeclaredSize(file, rows: rows, hdu: hduName, path: path)
        let rowCount = Int(rows)

        // Plan every output column.
        var plans: [ColumnPlan] = []
        var rowOffset = 0 // where the column starts in a binary table row
        for c in 1 ... max(1, Int(columnCount)) where columnCount > 0 {
            var name = Self.keyword(file, "TTYPE\(c)") ?? ""
            if name.isEmpty { name = "col\(c)" }
            var typecode: Int32 = 0, equivalent: Int32 = 0
            var repeatCount: Int64 = 0, width: Int64 = 0
            ffgtclll(file, Int32(c), &typecode, &repeatCount, &width, &status)
            ffeqtyll(file, Int32(c), &equivalent, &repeatCount, &width, &status)
            try check("cannot read the type of column `\(name)`")
            var scale = 1.0, zero = 0.0, null: Int64 = 0
            if type == 2 {
                var ttype = [CChar](repeating: 0, count: 80), tunit = [CChar](repeating: 0, count: 80)
                var dtype = [CChar](repeating: 0, count: 80), tdisp = [CChar](repeating: 0, count: 80)
                var r: Int64 = 0
                ffgbclll(file, Int32(c), &ttype, &tunit, &dtype, &r, &scale, &zero, &null, &tdisp, &status)
                try check("cannot read the scaling of column `\(name)`")
            }
            let columnOffset = rowOffset
            let elementBytes = typecode == 16 ? 1 : Int(width)
            rowOffset += Int(repeatCount) * elementBytes
            let tform = Self.keyword(file, "TFORM\(c)") ?? "?"
            if typecode < 0 {
                throw DataError("column `\(name)` (TFORM \(tform)) holds variable-length arrays, which cannot be loaded as a table column", file: path)
            }
            switch typecode {
            case 16: // TSTRING
                if width > 0, repeatCount > width {
                    throw DataError("column `\(name)` (TFORM \(tform)) holds arrays of strings; only single strings can be loaded", file: path)
                }
                plans.append(ColumnPlan(name: name, fitsColumn: Int32(c), element: 0, repeatCount: 1, storage: .text,
                                        width: Int(max(width, repeatCount)), typecode: typecode, offset: columnOffset,
                                        scale: 1, zero: 0, null: nil))
                continue
            case 1: throw DataError("column `\(name)` (TFORM \(tform)) is a bit array, which is not supported", file: path)
            case 83, 163: throw DataError("column `\(name)` (TFORM \(tform)) holds complex numbers, which are not supported", file: path)
            default: break
            }
            let storage: Storage
            switch (typecode, equivalent) {
            case (14, _): storage = .logical
            case (42, _), (82, _): storage = precision == .float32 ? .float32 : .double(.float)
            case (_, 42), (_, 82): storage = .double(.float) // scaled integers
            default: storage = .double(.integer)
            }
            guard repeatCount >= 1, repeatCount < 1 << 20 else {
                throw DataError("column `\(name)` (TFORM\(c) = \(tform)) has \(repeatCount) elements per row; at most "
                                + "\((1 << 20) - 1) can be loaded (one column each)", file: path)
            }
            for e in 0 ..< Int(repeatCount) {
                plans.append(ColumnPlan(name: repeatCount == 1 ? name : "\(name)_\(e)", fitsColumn: Int32(c), element: e,
                                        repeatCount: Int(repeatCount), storage: storage, width: 0, typecode: typecode,
                                        offset: columnOffset + e * elementBytes, scale: scale, zero: zero,
                                        null: null == Self.undefinedNull ? nil : null))
            }
        }
        for p in plans.indices { // TUNITn and TCOMMn (a common convention, not in the standard)
            let c = plans[p].fitsColumn
            plans[p].metadata = ColumnMetadata(unit: Self.keyword(file, "TUNIT\(c)"), description: Self.keyword(file, "TCOMM\(c)"))
        }
        var seen = Set<String>()
        for plan in plans where !seen.insert(plan.name).inserted {
            throw DataError("duplicate column name `\(plan.name)`", file: path)
        }
        let cells = rowCount.multipliedReportingOverflow(by: plans.count)
        try MemoryBudget.check(cells.overflow || cells.partialValue > Int.max / 8 ? Int.max : cells.partialValue * 8, for: "\(hduName): \(plans.count) columns of \(rowCount) rows")

        if type == 2 {
            var rowLength: Int64 = 0
            ffgkyjj(file, "NAXIS1", &rowLength, nil, &status)
            try check("cannot read the row length (NAXIS1)")
            guard rowLength >= rowOffset, rowLength < 1 << 31 else {
                throw DataError("\(hduName): the row length NAXIS1 = \(rowLength) does not fit the columns TFORM1 to TFORM\(columnCount) "
                                + "(\(rowOffset) bytes)", file: path)
            }
            let values = try FITSBinaryRows(plans: plans, rowCount: rowCount, rowLength: Int(rowLength),
                                            rowsPerBlock: rowsPerBlock).read(file, path: path)
            return try Table(name: tableName, columns: zip(plans, values).map { plan, values in
                Column(name: plan.name, values: values, kind: plan.kind, metadata: plan.metadata)
            })
        }

        // ASCII tables: cfitsio converts the text, in blocks of rows.
        var optimal = 0
        ffgrsz(file, &optimal, &status)
        let block = max(1, min(max(optimal, 1024), 1 << 16))
        var doubles = plans.map { $0.storage.isDouble || $0.storage == .logical ? [Double](repeating: .nan, count: rowCount) : [] }
        var floats = plans.map { $0.storage == .float32 ? [Float](repeating: .nan, count: rowCount) : [] }
        var strings = plans.map { $0.storage == .text ? [String?](repeating: nil, count: rowCount) : [] }
        var scratchDouble = [Double](), scratchFloat = [Float](), scratchLogical = [Int8]()
        var first = 0
        while first < rowCount {
            try Cancellation.check()
            let count = min(block, rowCount - first)
            var p = 0
            while p < plans.count {
                let plan = plans[p]
                let elements = count * plan.repeatCount
                var anyNull: Int32 = 0
                switch plan.storage {
                case .double(let kind):
                    if scratchDouble.count < elements { scratchDouble = [Double](repeating: 0, count: elements) }
                    // Integers: TNULL cells become NaN. Floats: no substitution at all, because cfitsio
                    // counts infinities as undefined too; NaN cells stay NaN by themselves.
                    var null = kind == .integer ? Double.nan : 0
                    ffgcv(file, 82, plan.fitsColumn, Int64(first + 1), 1, Int64(elements), &null, &scratchDouble, &anyNull, &status)
                    for e in 0 ..< plan.repeatCount {
                        doubles[p + e].withUnsafeMutableBufferPointer { out in
                            scratchDouble.withUnsafeBufferPointer { s in
                                for r in 0 ..< count { out[first + r] = s[r * plan.repeatCount + e] }
                            }
                        }
                    }
                case .float32:
                    if scratchFloat.count < elements { scratchFloat = [Float](repeating: 0, count: elements) }
                    var null: Float = 0
                    ffgcv(file, 42, plan.fitsColumn, Int64(first + 1), 1, Int64(elements), &null, &scratchFloat, &anyNull, &status)
                    for e in 0 ..< plan.repeatCount {
                        floats[p + e].withUnsafeMutableBufferPointer { out in
                            scratchFloat.withUnsafeBufferPointer { s in
                                for r in 0 ..< count { out[first + r] = s[r * plan.repeatCount + e] }
                            }
                        }
                    }
                case .logical:
                    if scratchLogical.count < elements { scratchLogical = [Int8](repeating: 0, count: elements) }
                    var null: Int8 = 2
                    ffgcv(file, 14, plan.fitsColumn, Int64(first + 1), 1, Int64(elements), &null, &scratchLogical, &anyNull, &status)
                    for e in 0 ..< plan.repeatCount {
                        for r in 0 ..< count {
                            let v = scratchLogical[r * plan.repeatCount + e]
                            doubles[p + e][first + r] = v == 2 ? .nan : (v != 0 ? 1 : 0)
                        }
                    }
                case .text:
                    let stride = plan.width + 1
                    var storage = [CChar](repeating: 0, count: stride * count)
                    storage.withUnsafeMutableBufferPointer { raw in
                        var pointers: [UnsafeMutablePointer<CChar>?] = (0 ..< count).map { raw.baseAddress! + $0 * stride }
                        var null = Array("".utf8CString)
                        null.withUnsafeMutableBufferPointer { nullBuffer in
                            _ = ffgcv(file, 16, plan.fitsColumn, Int64(first + 1), 1, Int64(count), nullBuffer.baseAddress,
                                      &pointers, &anyNull, &status)
                        }
                    }
                    storage.withUnsafeBufferPointer { raw in
                        for r in 0 ..< count {
                            let start = r * stride
                            var end = start
                            while end < start + plan.width, raw[end] != 0 { end += 1 }
                            while end > start, raw[end - 1] == 0x20 { end -= 1 }
                            if end > start {
                                let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(raw)[start ..< end])
                                strings[p][first + r] = String(decoding: bytes, as: UTF8.self)
                            }
                        }
                    }
                }
                try check("cannot read column `\(plan.name)`")
                p += max(1, plan.storage == .text ? 1 : plan.repeatCount)
            }
            first += count
        }

        var columns: [Column] = []
        for (p, plan) in plans.enumerated() {
            switch plan.storage {
            case .double, .logical: columns.append(Column(name: plan.name, values: .numeric(doubles[p]), kind: plan.kind, metadata: plan.metadata))
            case .float32: columns.append(Column(name: plan.name, values: .float32(floats[p]), kind: plan.kind, metadata: plan.metadata))
            case .text: columns.append(Column(name: plan.name, values: .text(strings[p]), kind: plan.kind, metadata: plan.metadata))
            }
            doubles[p] = []
            floats[p] = []
            strings[p] = []
        }
        return try Table(name: tableName, columns: columns)
    }

    // MARK: Plans

    enum Storage: Equatable {
        case double(ColumnKind), float32, logical, text
        var isDouble: Bool { if case .double = self { return true } else { return false } }
    }

    struct ColumnPlan {
        var name: String
        var metadata = ColumnMetadata()
        var fitsColumn: Int32
        /// Element of a vector column this output column holds.
        var element: Int
        var repeatCount: Int
        var storage: Storage
        var width: Int
        var kind: ColumnKind {
            switch storage {
            case .double(let kind): return kind
            case .float32: return .float
            case .logical: return .boolean
            case .text: return .text
            }
        }
        /// cfitsio's code for the stored type (11 B, 21 I, 41 J, 81 K, 42 E, 82 D, 14 L, 16 A).
        var typecode: Int32
        /// Binary tables: byte offset of this element in a row.
        var offset: Int
        /// TSCALn, TZEROn and TNULLn (binary tables; nil when no TNULLn).
        var scale: Double
        var zero: Double
        var null: Int64?
    }

    /// cfitsio's marker for "no TNULLn keyword" (NULL_UNDEFINED in fitsio2.h).
    static let undefinedNull: Int64 = 1_234_554_321

    // MARK: Helpers

    /// Refuses a table whose header declares more rows than the file holds (NAXIS2 of 10^12 would
    /// have the reader allocate terabytes; one row too many would read a row of padding or zeros),
    /// before anything is allocated for them.
    static func checkDeclaredSize(_ file: UnsafeMutablePointer<fitsfile>, rows: Int64, hdu: String, path: String) throws {
        var status: Int32 = 0
        var rowLength: Int64 = 0, headStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
        ffgkyjj(file, "NAXIS1", &rowLength, nil, &status)
        ffghadll(file, &headStart, &dataStart, &dataEnd, &status)
        if status != 0 { throw DataError("\(hdu): cannot read NAXIS1: \(message(status))", file: path) }
        guard rows >= 0, rowLength >= 0 else {
            throw DataError("\(hdu): NAXIS\(rows < 0 ? 2 : 1) = \(rows < 0 ? rows : rowLength) is negative", file: path)
        }
        let fileSize = file.pointee.Fptr.pointee.logfilesize
        let available = Swift.max(0, fileSize - dataStart)
        let (declared, overflow) = rows.multipliedReportingOverflow(by: rowLength)
        if overflow || declared > available {
            let need = overflow ? "more than 2^63 bytes" : "\(declared) bytes"
            throw DataError("\(hdu): NAXIS2 = \(rows) rows of NAXIS1 = \(rowLength) bytes need \(need), but the file holds "
                            + "\(available) bytes after the header (\(rowLength > 0 ? available / rowLength : 0) whole rows): "
                            + "NAXIS2 is wrong or the file is truncated", file: path)
        }
    }

    /// cfitsio's own explanation of its last error (its message stack), after " — ", or "".
    static func details() -> String {
        var lines: [String] = []
        var text = [CChar](repeating: 0, count: 81)
        while ffgmsg(&text) != 0 {
            let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let line = String(decoding: bytes, as: UTF8.self).trimmingCharactersSpace()
            // cfitsio's own HDU numbers count from 1, unlike hdu= and these messages: left out.
            if !line.isEmpty, !lines.contains(line), !line.hasPrefix("Failed to move to HDU") { lines.append(line) }
        }
        return lines.isEmpty ? "" : " — " + lines.joined(separator: "; ")
    }

    static func message(_ status: Int32) -> String {
        var text = [CChar](repeating: 0, count: 81)
        ffgerr(status, &text)
        let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self) + " (cfitsio status \(status))"
    }

    static func keyword(_ file: UnsafeMutablePointer<fitsfile>, _ name: String) -> String? {
        var status: Int32 = 0
        var value = [CChar](repeating: 0, count: 1024)
        var comment = [CChar](repeating: 0, count: 1024)
        ffgkys(file, name, &value, &comment, &status)
        guard status == 0 else { return nil }
        let bytes = value.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    static func extensionNames(_ file: UnsafeMutablePointer<fitsfile>, count: Int) -> [String] {
        var names: [String] = []
        for n in 1 ..< max(1, count) {
            var status: Int32 = 0, type: Int32 = 0
            ffmahd(file, Int32(n + 1), &type, &status)
            if status == 0, let name = keyword(file, "EXTNAME") { names.append(name) }
        }
        return names
    }
}

private extension String {
    func trimmingCharactersSpace() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
