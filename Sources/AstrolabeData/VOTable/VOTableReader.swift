import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the first TABLE of an IVOA VOTable (versions 1.1 to 1.5) into a `Table`, through
/// libxml2's streaming reader (the document is never built as a tree in memory).
///
/// FIELDs give the columns: every numeric datatype (`unsignedByte`, `short`, `int`, `long`,
/// `float`, `double`) and `boolean` are numbers (booleans 0/1), `char` and `unicodeChar` are
/// text; a fixed numeric array (`arraysize="3"`) becomes one column per element (`NAME_0`, ...),
/// a variable one (`arraysize="*"`) text with its elements separated by spaces. Missing values
/// are the FIELD's `<VALUES null="...">`, NaN, empty cells, `?` booleans and BINARY2's null
/// flags. unit, ucd and DESCRIPTION are kept as the column's metadata. Data in TABLEDATA,
/// BINARY and BINARY2 (base64) are read; the FITS serialisation, streams in other files
/// (`href`) and complex numbers are refused by name. `bit` FIELDs (as astropy writes booleans)
/// are booleans, packed eight to a byte in BINARY.
///
/// The XML is parsed without fetching anything from the network and without expanding
/// external entities; a malformed document is an error at its line.
public struct VOTableReader: Sendable {
    public var precision: CSVOptions.Precision

    public init(precision: CSVOptions.Precision = .float64) {
        self.precision = precision
    }

    public func read(path: String, tableName: String) throws -> Table {
        try readWithReport(path: path, tableName: tableName).table
    }

    public func readWithReport(path: String, tableName: String) throws -> (table: Table, report: ReadReport) {
        let file = try MappedFile(path: path)
        return try withExtendedLifetime(file) {
            try readWithReport(buffer: file.buffer, source: path, tableName: tableName)
        }
    }

    public func read(bytes: [UInt8], source: String, tableName: String) throws -> Table {
        try bytes.withUnsafeBufferPointer { try readWithReport(buffer: $0, source: source, tableName: tableName).table }
    }

    func readWithReport(buffer: UnsafeBufferPointer<UInt8>, source: String, tableName: String) throws -> (table: Table, report: ReadReport) {
        if let inflated = try Decompression.inflate(buffer, source: source) {
            return try inflated.withUnsafeBufferPointer { try readWithReport(buffer: $0, source: source, tableName: tableName) }
        }
        guard buffer.count < Int(Int32.max) else {
            throw DataError("the VOTable is larger than 2 GB, which libxml2 cannot read from memory", file: source)
        }
        var walk = VOTableWalk()
        do {
            try walk.run(buffer)
        } catch var error as DataError {
            error.file = source
            if error.line == nil { error.line = walk.line }
            throw error
        }
        guard walk.sawTable else { throw DataError("the VOTable has no TABLE", file: source) }
        var report = ReadReport()
        if walk.tableCount > 1 { report.warnings.append("the VOTable has \(walk.tableCount) tables; the first was read") }
        report.warnings += walk.builders.compactMap(\.warning)
        var columns: [Column] = []
        var seen = Set<String>()
        for builder in walk.builders {
            for column in builder.columns(precision: precision) {
                guard seen.insert(column.name).inserted else { throw DataError("duplicate column name `\(column.name)`", file: source) }
                columns.append(column)
            }
        }
        return (try Table(name: tableName, columns: columns), report)
    }
}

/// The state of one pass over the XML.
struct VOTableWalk {
    var tableCount = 0
    var sawTable: Bool { tableCount > 0 }
    var builders: [VOTableColumnBuilder] = []
    var line: Int?

    private var inFirstTable = false
    private var fields: [VOTableField] = []
    private var pendingField: [String: String]?
    private var pendingNull: String?
    private var text: [UInt8]? // the text being collected (a TD, a STREAM, a DESCRIPTION)
    private var cellIndex = 0
    private var row = 0
    private var binary2 = false
    private var sawData = false

    /// Errors libxml2 reports while parsing, collected by its structured error handler.
    final class Errors {
        var first: (message: String, line: Int, column: Int)?
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) throws {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
        guard let reader = xmlReaderForMemory(base, Int32(buffer.count), nil, nil, options) else {
            throw DataError("libxml2 cannot start reading the VOTable")
        }
        defer { xmlFreeTextReader(reader) }
        let errors = Errors()
        let handler: xmlStructuredErrorFunc = { context, error in
            guard let context, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let sink = Unmanaged<Errors>.fromOpaque(context).takeUnretainedValue()
            guard sink.first == nil else { return }
            var message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            while message.hasSuffix("\n") { message.removeLast() }
            sink.first = (message, Int(error.pointee.line), Int(error.pointee.int2))
        }
        try withExtendedLifetime(errors) {
            xmlTextReaderSetStructuredErrorHandler(reader, handler, Unmanaged.passUnretained(errors).toOpaque())
            var count = 0
            while true {
                let status = xmlTextReaderRead(reader)
                if status == 0 { break }
                guard status == 1 else {
                    let e = errors.first
                    throw DataError("the XML is malformed: \(e?.message ?? "libxml2 stopped reading")", line: e?.line ?? line,
                                    column: e.map { $0.column > 0 ? $0.column : nil } ?? nil)
                }
                count += 1
                if count & 0xFFFF == 0 { try Cancellation.check() }
                do {
                    try visit(reader)
                } catch var error as DataError {
                    line = Int(xmlTextReaderGetParserLineNumber(reader))
                    if error.line == nil { error.line = line }
                    throw error
                }
            }
            if let e = errors.first {
                throw DataError("the XML is malformed: \(e.message)", line: e.line, column: e.column > 0 ? e.column : nil)
            }
        }
    }

    private mutating func visit(_ reader: xmlTextReaderPtr) throws {
        switch xmlTextReaderNodeType(reader) {
        case 1: try start(reader, name: localName(reader))
        case 15: try end(name: localName(reader))
        case 3, 4, 13, 14: // text, CDATA, whitespace
            if text != nil, let value = xmlTextReaderConstValue(reader) {
                text!.append(contentsOf: UnsafeBufferPointer(start: value, count: strlen(value)))
            }
        default: break
        }
    }

    /// The element's name; TD and TR, a table's millions of cells and rows, without making a string.
    private func localName(_ reader: xmlTextReaderPtr) -> String {
        guard let name = xmlTextReaderConstLocalName(reader) else { return "" }
        if name[0] == 0x54, name[1] != 0, name[2] == 0 { // "T?"
            if name[1] == 0x44 { return "TD" }
            if name[1] == 0x52 { return "TR" }
        }
        return String(cString: name)
    }

    private func attribute(_ reader: xmlTextReaderPtr, _ name: String) -> String? {
        // Moving to the attribute reads its value in place (nothing to free), then back to the element.
        guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }

    private func attributes(_ reader: xmlTextReaderPtr, _ names: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for name in names { out[name] = attribute(reader, name) }
        return out
    }

    private mutating func start(_ reader: xmlTextReaderPtr, name: String) throws {
        let empty = xmlTextReaderIsEmptyElement(reader) == 1
        if name == "TABLE" {
            tableCount += 1
            inFirstTable = tableCount == 1
            if empty { inFirstTable = false }
            return
        }
        guard inFirstTable else { return }
        switch name {
        case "FIELD":
            guard !sawData else { throw DataError("a FIELD after the DATA of the table") }
            pendingField = attributes(reader, ["name", "ID", "datatype", "arraysize", "unit", "ucd"])
            pendingNull = nil
            if empty { try finishField() }
        case "VALUES" where pendingField != nil:
            pendingNull = attribute(reader, "null")
        case "DESCRIPTION" where pendingField != nil:
            text = empty ? nil : []
        case "DATA":
            guard !fields.isEmpty else { throw DataError("the TABLE has DATA but no FIELD") }
            sawData = true
            builders = fields.map { VOTableColumnBuilder(field: $0) }
        case "TR" where sawData:
            row += 1
            cellIndex = 0
            if row & 0x3FFF == 0 { try Cancellation.check() }
        case "TD" where sawData:
            if empty { try appendCell(nil) } else { text = [] }
        case "BINARY", "BINARY2":
            binary2 = name == "BINARY2"
        case "STREAM" where sawData:
            if let href = attribute(reader, "href") {
                throw DataError("the table's data are in another file (STREAM href=\"\(href)\"), which is not read")
            }
            let encoding = attribute(reader, "encoding") ?? "none"
            guard encoding == "base64" else {
                throw DataError("the STREAM has encoding=\"\(encoding)\"; only base64 is read")
            }
            text = empty ? nil : []
        case "FITS" where sawData:
            throw DataError("the table's data are in the FITS serialisation, which is not read: load the FITS file itself")
        default: break
        }
    }

    private mutating func end(name: String) throws {
        if name == "TABLE", inFirstTable { inFirstTable = false; return }
        guard inFirstTable else { return }
        switch name {
        case "FIELD": try finishField()
        case "DESCRIPTION" where pendingField != nil:
            pendingField?["description"] = text.map { String(decoding: $0, as: UTF8.self) }
            text = nil
        case "TD" where sawData:
            try appendCell(bytes: text ?? [])
            text = nil
        case "TR" where sawData:
            guard cellIndex == builders.count else {
                throw DataError("row \(row) has \(cellIndex) cells; the table has \(builders.count) FIELDs")
            }
        case "STREAM" where sawData:
            let decoded = VOTableBinary.decodeBase64(text ?? [])
            text = nil
            if let bad = decoded.bad { throw DataError("the STREAM is not base64: byte \(bad + 1) of its text is not a base64 character") }
            try VOTableBinary.decodeRows(decoded.bytes, into: &builders, nullFlags: binary2)
        default: break
        }
    }

    private mutating func appendCell(bytes: [UInt8]) throws {
        guard cellIndex < builders.count else {
            throw DataError("row \(row) has more cells than the table's \(builders.count) FIELDs")
        }
        try bytes.withUnsafeBufferPointer { try builders[cellIndex].append(cell: $0, row: row) }
        cellIndex += 1
    }

    private mutating func appendCell(_ cell: Substring?) throws {
        guard cellIndex < builders.count else {
            throw DataError("row \(row) has more cells than the table's \(builders.count) FIELDs")
        }
        try builders[cellIndex].append(cell: cell, row: row)
        cellIndex += 1
    }

    private mutating func finishField() throws {
        guard let a = pendingField else { return }
        pendingField = nil
        let name = a["name"] ?? a["ID"] ?? "col\(fields.count + 1)"
        let metadata = ColumnMetadata(unit: a["unit"], ucd: a["ucd"],
                                      description: a["description"].map { String(VOTableText.trimmed($0[...])) })
        fields.append(try VOTableField(name: name, datatype: a["datatype"], arraysize: a["arraysize"], null: pendingNull, metadata: metadata))
    }
}
