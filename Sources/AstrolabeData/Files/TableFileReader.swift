/// Reads a table file of whichever text-based format its content says: CSV/TSV, ECSV or
/// VOTable, each also gzip-, bzip2- or xz-compressed. The format is told by the bytes
/// (`FileFormat`), never by the name alone, so a VOTable called `.csv` is read as a VOTable and a
/// format that is not read is refused by its name. (FITS goes through `FITSReader`, which opens
/// compressed FITS itself.)
public struct TableFileReader: Sendable {
    public var csv: CSVOptions

    public init(csv: CSVOptions = CSVOptions()) {
        self.csv = csv
    }

    /// What `path` holds once decompressed, for messages and for the options that apply.
    public static func format(path: String) throws -> FileFormat {
        let outer = FileFormat.detect(path: path)
        guard case .compressed = outer, outer.refusal == nil else { return outer }
        let file = try MappedFile(path: path)
        return try withExtendedLifetime(file) {
            guard let inflated = try Decompression.inflate(file.buffer, source: path) else { return outer }
            return FileFormat.detect(Array(inflated.prefix(FileFormat.sniffLength)))
        }
    }

    public func readWithReport(path: String, tableName: String) throws -> (table: Table, report: ReadReport) {
        switch FileFormat.detect(path: path) {
        case .text: return try CSVReader(options: csv).readWithReport(path: path, tableName: tableName)
        case .votable: return try VOTableReader(precision: csv.precision).readWithReport(path: path, tableName: tableName)
        case .ecsv: return try ECSVReader(precision: csv.precision).readWithReport(path: path, tableName: tableName)
        case .fits: throw DataError("the file is FITS (FITSReader reads it)", file: path)
        case let other:
            if let refusal = other.refusal { throw DataError(refusal, file: path) }
        }
        // Compressed: inflate once, then read what is inside.
        let file = try MappedFile(path: path)
        let inflated = try withExtendedLifetime(file) { try Decompression.inflate(file.buffer, source: path) } ?? []
        return try inflated.withUnsafeBufferPointer { buffer in
            switch FileFormat.detect(Array(buffer.prefix(FileFormat.sniffLength))) {
            case .votable: return try VOTableReader(precision: csv.precision).readWithReport(buffer: buffer, source: path, tableName: tableName)
            case .ecsv: return try ECSVReader(precision: csv.precision).readWithReport(buffer: buffer, source: path, tableName: tableName)
            default: return try CSVReader(options: csv).read(buffer: buffer, source: path, tableName: tableName, mapped: nil)
            }
        }
    }
}
