/// Reads an ECSV file (astropy's `Table.write(format="ascii.ecsv")`): the YAML header
/// (`ECSVHeader`) gives the columns' types, units and descriptions; the data after it are read
/// by the CSV reader with those types, so quoting, missing values (an empty field, as astropy
/// writes a masked value) and speed are the CSV reader's.
///
/// `int64` and `uint64` columns are read as their digits first: when every value fits a double
/// exactly (up to 2^53) the column is an integer column, otherwise it stays text with every digit
/// (and a warning), rather than numbers silently rounded.
public struct ECSVReader: Sendable {
    public var precision: CSVOptions.Precision

    public init(precision: CSVOptions.Precision = .float64) {
        self.precision = precision
    }

    public func readWithReport(path: String, tableName: String) throws -> (table: Table, report: ReadReport) {
        let file = try MappedFile(path: path)
        return try withExtendedLifetime(file) { try readWithReport(buffer: file.buffer, source: path, tableName: tableName) }
    }

    public func read(bytes: [UInt8], source: String, tableName: String) throws -> Table {
        try bytes.withUnsafeBufferPointer { try readWithReport(buffer: $0, source: source, tableName: tableName).table }
    }

    func readWithReport(buffer: UnsafeBufferPointer<UInt8>, source: String, tableName: String) throws -> (table: Table, report: ReadReport) {
        if let inflated = try Decompression.inflate(buffer, source: source) {
            return try inflated.withUnsafeBufferPointer { try readWithReport(buffer: $0, source: source, tableName: tableName) }
        }
        let header: ECSVHeader
        do { header = try ECSVHeader(buffer) } catch var error as DataError {
            error.file = source
            throw error
        }
        var options = CSVOptions()
        options.separator = .byte(header.delimiter)
        options.precision = precision
        for column in header.columns { options.types[column.name] = Self.kind(column.datatype) }
        let body = UnsafeBufferPointer(rebasing: buffer[header.end...])
        try checkNames(body, header: header, source: source)
        var result: (table: Table, report: ReadReport)
        do {
            result = try CSVReader(options: options).read(buffer: body, source: source, tableName: tableName, mapped: nil)
        } catch var error as DataError {
            if let line = error.line { error.line = line + header.lineCount }
            throw error
        }
        var table = result.table
        for column in header.columns {
            guard var values = table.column(named: column.name) else { continue }
            values.metadata = column.metadata
            if column.datatype == "float32" || column.datatype == "float16", let numbers = values.numbers {
                // The text is the shortest spelling of a float32 (or float16) value: that value, not the nearest double.
                let rounded = column.datatype == "float32" ? numbers.map { Double(Float($0)) } : numbers.map { Double(Float16($0)) }
                values = Column(name: values.name, values: precision == .float32 ? .float32(rounded.map(Float.init)) : .numeric(rounded),
                                kind: .float, metadata: values.metadata)
            } else if column.datatype == "int64" || column.datatype == "uint64", let exact = Self.exactIntegers(values) {
                values = Column(name: values.name, values: .numeric(exact), kind: .integer, metadata: values.metadata)
            } else if column.datatype.hasSuffix("int64") {
                result.report.warnings.append("column `\(column.name)` holds integers beyond 2^53, which a number column cannot hold exactly: kept as text")
            }
            try table.setColumn(values)
        }
        return (table, result.report)
    }

    /// The data's first line must name the header's columns, in order.
    private func checkNames(_ body: UnsafeBufferPointer<UInt8>, header: ECSVHeader, source: String) throws {
        let stop = body.firstIndex(of: 0x0A).map { $0 + 1 } ?? body.count
        var options = CSVOptions()
        options.separator = .byte(header.delimiter)
        let names = try CSVReader(options: options).read(buffer: UnsafeBufferPointer(rebasing: body[..<stop]), source: source,
                                                         tableName: "header", mapped: nil).table.columnNames
        guard names == header.columns.map(\.name) else {
            throw DataError("the data's column names (\(names.joined(separator: " "))) differ from the header's "
                            + "(\(header.columns.map(\.name).joined(separator: " ")))", file: source, line: header.lineCount + 1)
        }
    }

    static func kind(_ datatype: String) -> ColumnKind {
        switch datatype {
        case "bool": return .boolean
        case "string", "int64", "uint64": return .text
        case _ where datatype.hasPrefix("float"): return .float
        default: return .integer
        }
    }

    /// The digits of an int64 column as numbers, when every one is exact as a double; nil otherwise.
    static func exactIntegers(_ column: Column) -> [Double]? {
        guard let strings = column.strings else { return nil }
        var out: [Double] = []
        out.reserveCapacity(strings.count)
        for text in strings {
            guard let text else { out.append(.nan); continue }
            guard let value = Int64(text) ?? (UInt64(text).flatMap { $0 <= 1 << 53 ? Int64($0) : nil }),
                  value <= 1 << 53, value >= -(1 << 53) else { return nil }
            out.append(Double(value))
        }
        return out
    }
}
