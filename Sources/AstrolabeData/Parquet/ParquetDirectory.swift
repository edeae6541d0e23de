import Foundation

/// `load DIR`: every Parquet file under a directory as one table, in natural order of their paths
/// (`part.2` before `part.10`), rows of each file in order. Hive-style directories
/// (`band=r/year=2024/part-0.parquet`) become columns after the files' own: numbers when every
/// value reads as one (integers when all are whole), text otherwise; `__HIVE_DEFAULT_PARTITION__`
/// is missing. Files and directories whose names start with `_` or `.` (`_metadata`, `_SUCCESS`)
/// are skipped. Every file must have the same columns in the same order, of the same kinds.
public struct ParquetDirectoryReader: Sendable {
    public var precision: CSVOptions.Precision

    public init(precision: CSVOptions.Precision = .float64) { self.precision = precision }

    public static func isDirectory(path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    /// The Parquet files under `path`, relative to it, in natural order.
    static func files(under path: String) -> [String] {
        guard let walk = FileManager.default.enumerator(atPath: path) else { return [] }
        var found = [String]()
        while let relative = walk.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix("_") || name.hasPrefix(".") {
                walk.skipDescendants()
                continue
            }
            let full = (path as NSString).appendingPathComponent(relative)
            if !isDirectory(path: full), ParquetReader.looksLikeParquet(path: full) { found.append(relative) }
        }
        return found.sorted { naturalOrder($0, $1) }
    }

    public func read(path: String, tableName: String) throws -> Table {
        let files = Self.files(under: path)
        guard let first = files.first else { throw DataError("no Parquet files in \(path)", file: path) }
        let keys = partitionKeys(first)
        var parts = [Table](), partitionValues = [[String?]](repeating: [], count: keys.count)
        for file in files {
            let full = (path as NSString).appendingPathComponent(file)
            let table = try ParquetReader(precision: precision).read(path: full, tableName: tableName)
            let pairs = partitions(of: file)
            guard pairs.map(\.key) == keys else {
                throw DataError("\(file) has partitions \(pairs.map(\.key)) but \(first) has \(keys)", file: full)
            }
            if let reference = parts.first {
                guard table.columnNames == reference.columnNames else {
                    throw DataError("\(file) has columns \(table.columnNames.joined(separator: ", ")) but \(first) has "
                                    + reference.columnNames.joined(separator: ", "), file: full)
                }
            }
            for (k, pair) in pairs.enumerated() {
                partitionValues[k] += [String?](repeating: pair.value, count: table.rowCount)
            }
            parts.append(table)
        }
        var columns = try parts[0].columns.indices.map { c in try concatenate(parts.map { $0.columns[c] }, files: files) }
        for (k, key) in keys.enumerated() {
            guard !columns.contains(where: { $0.name == key }) else {
                throw DataError("partition key `\(key)` is also a column of the files", file: path)
            }
            columns.append(Self.partitionColumn(key, partitionValues[k]))
        }
        return try Table(name: tableName, columns: columns)
    }

    private func partitionKeys(_ file: String) -> [String] { partitions(of: file).map(\.key) }

    /// The `key=value` directories of a relative path, values percent-decoded.
    private func partitions(of file: String) -> [(key: String, value: String?)] {
        (file as NSString).deletingLastPathComponent.split(separator: "/").compactMap { (part: Substring) -> (key: String, value: String?)? in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else { return nil }
            let raw = String(pieces[1])
            let value: String? = raw == "__HIVE_DEFAULT_PARTITION__" ? nil : (raw.removingPercentEncoding ?? raw)
            return (String(pieces[0]), value)
        }
    }

    /// One column from the same column of every file.
    private func concatenate(_ pieces: [Column], files: [String]) throws -> Column {
        let first = pieces[0]
        for (i, piece) in pieces.enumerated() where piece.isNumeric != first.isNumeric || piece.kind != first.kind {
            throw DataError("column `\(first.name)` is \(piece.kind.rawValue) in \(files[i]) but \(first.kind.rawValue) in \(files[0])")
        }
        let values: ColumnValues
        if case .text = first.values {
            values = .text(pieces.flatMap { $0.strings ?? [] })
        } else if pieces.allSatisfy({ if case .float32 = $0.values { return true } else { return false } }) {
            values = .float32(pieces.flatMap { piece -> [Float] in if case .float32(let v) = piece.values { return v } else { return [] } })
        } else {
            values = .numeric(pieces.flatMap { $0.numbers ?? [] })
        }
        return Column(name: first.name, values: values, kind: first.kind, metadata: first.metadata)
    }

    static func partitionColumn(_ name: String, _ values: [String?]) -> Column {
        let numbers = values.map { $0.flatMap(Double.init) }
        let numeric = zip(values, numbers).allSatisfy { $0 == nil || $1 != nil }
        guard numeric else { return Column(name: name, values: .text(values), kind: .category) }
        let doubles = numbers.map { $0 ?? .nan }
        let whole = doubles.allSatisfy { $0.isNaN || $0 == $0.rounded() }
        return Column(name: name, values: .numeric(doubles), kind: whole ? .integer : .float)
    }
}

/// Paths compared with runs of digits as numbers (`part.2` < `part.10`), otherwise by characters.
func naturalOrder(_ a: String, _ b: String) -> Bool {
    var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
    var x = i.next(), y = j.next()
    while let p = x, let q = y {
        if p.properties.numericType == .decimal && q.properties.numericType == .decimal && p.isASCII && q.isASCII {
            var m = "", n = ""
            while let d = x, d.isASCII, ("0"..."9").contains(d) { m.unicodeScalars.append(d); x = i.next() }
            while let d = y, d.isASCII, ("0"..."9").contains(d) { n.unicodeScalars.append(d); y = j.next() }
            let mt = m.drop { $0 == "0" }, nt = n.drop { $0 == "0" }
            if mt.count != nt.count { return mt.count < nt.count }
            if mt != nt { return mt < nt }
            if m.count != n.count { return m.count < n.count }
            continue
        }
        if p != q { return p.value < q.value }
        x = i.next(); y = j.next()
    }
    return x == nil && y != nil
}
