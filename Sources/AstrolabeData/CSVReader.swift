#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Reads comma-separated files into a columnar `Table`.
///
/// The first row is the header. Each column becomes numeric when every non-missing cell is a
/// number (see `NumberParsing`), and text otherwise. Missing cells are NaN in numeric columns and
/// `nil` in text columns; empty cells are always missing, and `NA`, `NaN`, `nan`, `null`, `NULL`
/// are missing too when the rest of the column is numeric (in a text column they are kept as text,
/// since there they may be real values).
///
/// Text is decoded as UTF-8; invalid byte sequences become U+FFFD rather than failing, because one
/// bad byte in a comment column should not make a catalogue unreadable. Text inside quotes is kept
/// exactly; unquoted text is not trimmed either. Completely empty lines are skipped, as pandas does
/// (so in a one-column file an empty line is not a missing value).
///
/// Errors are `DataError`s carrying the file, line and column of the problem.
public struct CSVReader: Sendable {
    public init() {}

    /// Reads the file at `path`; errors name the file as given.
    public func read(path: String, tableName: String) throws -> Table {
        let bytes = try Self.readFile(path)
        return try read(bytes: bytes, source: path, tableName: tableName)
    }

    /// Reads CSV from memory; `source` names the data in errors (usually its path).
    public func read(bytes: [UInt8], source: String, tableName: String) throws -> Table {
        try bytes.withUnsafeBufferPointer { buffer in
            try read(buffer: buffer, source: source, tableName: tableName)
        }
    }

    func read(buffer: UnsafeBufferPointer<UInt8>, source: String, tableName: String) throws -> Table {
        let tokens = try CSVTokenizer(source: source).tokenize(buffer)
        let names = try Self.columnNames(tokens.header, buffer, source: source)
        var columns: [Column] = []
        columns.reserveCapacity(names.count)
        for (index, name) in names.enumerated() {
            try Cancellation.check()
            let values = Self.convert(tokens.columns[index], buffer)
            columns.append(Column(name: name, values: values))
        }
        return try Table(name: tableName, columns: columns)
    }

    /// Header names: empty ones become `column_N` (1-based); duplicates are an error.
    static func columnNames(_ header: [CSVFieldSpan], _ buffer: UnsafeBufferPointer<UInt8>,
                            source: String) throws -> [String] {
        var names: [String] = []
        var seen: [String: Int] = [:]
        for (index, span) in header.enumerated() {
            var name = decodeText(span, buffer)
            if name.isEmpty { name = "column_\(index + 1)" }
            if let first = seen[name] {
                let offset = span.isQuoted ? span.start - 1 : span.start
                // Header fields may span lines only when quoted; count the line of this field.
                var line = 1
                var lineStart = 0
                var j = 0
                while j < offset, j < buffer.count {
                    if buffer[j] == UInt8(ascii: "\n") {
                        line += 1
                        lineStart = j + 1
                    } else if buffer[j] == UInt8(ascii: "\r"), !(j + 1 < buffer.count && buffer[j + 1] == UInt8(ascii: "\n")) {
                        line += 1
                        lineStart = j + 1
                    }
                    j += 1
                }
                if line == 1, buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                    lineStart = 3
                }
                throw DataError("duplicate column name `\(name)` (also column \(first + 1) of the header)",
                                file: source, line: line,
                                column: CSVTokenizer.characterColumn(buffer, lineStart: lineStart, offset: offset))
            }
            seen[name] = index
            names.append(name)
        }
        return names
    }

    /// Converts one column's cells: numeric if every non-missing cell is a number, text otherwise.
    static func convert(_ spans: [CSVFieldSpan], _ buffer: UnsafeBufferPointer<UInt8>) -> ColumnValues {
        var numbers: [Double] = []
        numbers.reserveCapacity(spans.count)
        for span in spans {
            switch NumberParsing.parse(buffer, start: span.start, end: span.start + Int(span.length)) {
            case .number(let value): numbers.append(value)
            case .missing: numbers.append(.nan)
            case .notANumber: return .text(spans.map { $0.length == 0 ? nil : decodeText($0, buffer) })
            }
        }
        return .numeric(numbers)
    }

    /// The cell's text, with doubled quotes collapsed and invalid UTF-8 replaced by U+FFFD.
    static func decodeText(_ span: CSVFieldSpan, _ buffer: UnsafeBufferPointer<UInt8>) -> String {
        let start = max(0, min(span.start, buffer.count))
        let end = max(start, min(span.start + Int(span.length), buffer.count))
        let bytes = UnsafeBufferPointer(rebasing: buffer[start ..< end])
        guard span.hasEscapedQuotes else { return String(decoding: bytes, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            let c = bytes[k]
            unescaped.append(c)
            // Inside a quoted field every quote is doubled; keep one of each pair.
            k += (c == UInt8(ascii: "\"") && k + 1 < bytes.count && bytes[k + 1] == c) ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// The whole file, or a `DataError` quoting the operating system's reason.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError("cannot read \(path): \(Self.errnoText())", file: path) }
        defer { close(fd) }
        var info = stat()
        var capacity = 1 << 16
        if fstat(fd, &info) == 0, info.st_size > 0, info.st_size < Int.max / 2 {
            capacity = Int(info.st_size) + 1
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw DataError("cannot read \(path): \(Self.errnoText())", file: path)
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0 ..< got])
        }
        return bytes
    }

    private static func errnoText() -> String {
        guard let message = strerror(errno) else { return "error \(errno)" }
        return String(cString: message)
    }
}
