import Yams

/// The YAML header of an ECSV file (astropy's Enhanced Character Separated Values, format 1.0):
/// the lines before the data that start with `# `, after `# %ECSV 1.0` and `# ---`. It gives each
/// column's name, datatype, unit and description, and the delimiter (a space unless it says `,`).
/// Parsed with a real YAML parser (Yams, LibYAML inside), so quoting, flow and block styles and
/// tags such as `!!omap` in `meta` read as astropy wrote them.
struct ECSVHeader {
    struct Column {
        var name: String
        var datatype: String
        var metadata: ColumnMetadata
    }

    var columns: [Column]
    var delimiter: UInt8
    /// Lines the header takes; the column-name line of the data follows.
    var lineCount: Int
    /// Byte offset of the first line after the header.
    var end: Int

    static let datatypes: Set<String> = [
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "float128", "string",
    ]

    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var yaml: [String] = []
        var p = 0
        var line = 0
        while p < bytes.count, bytes[p] == 0x23 { // '#'
            let stop = bytes[p...].firstIndex(of: 0x0A) ?? bytes.count
            var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[p ..< stop]), as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            line += 1
            if line == 1 {
                guard text.hasPrefix("# %ECSV ") else { throw DataError("the first line is not `# %ECSV VERSION`", line: 1) }
                let version = text.dropFirst(8).trimmingCharacters(in: [" "])
                guard version.hasPrefix("0.9") || version.hasPrefix("1.") else {
                    throw DataError("ECSV version \(version) is not read (versions 0.9 and 1.x are)", line: 1)
                }
            } else if line == 2 {
                guard text == "# ---" else { throw DataError("the second line is not `# ---`", line: 2) }
            } else {
                guard text == "#" || text.hasPrefix("# ") else {
                    throw DataError("a header line must start with `# `", line: line, column: 2)
                }
                yaml.append(String(text.dropFirst(2)))
            }
            p = Swift.min(bytes.count, stop + 1)
        }
        guard line >= 2 else { throw DataError("the ECSV header ends before its `# ---` line", line: line + 1) }
        lineCount = line
        end = p
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml.joined(separator: "\n"))
        } catch {
            throw DataError("the ECSV header is not valid YAML: \(Self.describe(error, firstLine: 3))", line: Self.line(of: error).map { $0 + 2 })
        }
        guard let root = node?.mapping else { throw DataError("the ECSV header is not a YAML mapping", line: 3) }
        delimiter = try Self.delimiter(root["delimiter"])
        guard let list = root["datatype"]?.sequence else {
            throw DataError("the ECSV header has no `datatype:` list of columns", line: 3)
        }
        columns = try list.enumerated().map { try Self.column($1, index: $0) }
    }

    private static func delimiter(_ node: Node?) throws -> UInt8 {
        guard let node else { return 0x20 }
        switch node.string {
        case " ": return 0x20
        case ",": return 0x2C
        default: throw DataError("the ECSV delimiter is `\(node.string ?? "?")`; it must be a space or a comma")
        }
    }

    private static func column(_ node: Node, index: Int) throws -> Column {
        guard let map = node.mapping, let name = map["name"]?.string else {
            throw DataError("entry \(index + 1) of the ECSV `datatype:` list has no name")
        }
        guard let datatype = map["datatype"]?.string else { throw DataError("ECSV column `\(name)` has no datatype") }
        guard datatypes.contains(datatype) else {
            throw DataError("ECSV column `\(name)` has datatype \(datatype), which is not read "
                            + "(bool, int8-int64, uint8-uint64, float16-float128 and string are)")
        }
        if let subtype = map["subtype"]?.string {
            throw DataError("ECSV column `\(name)` has subtype \(subtype) (arrays or objects in a cell), which is not read")
        }
        return Column(name: name, datatype: datatype,
                      metadata: ColumnMetadata(unit: map["unit"]?.string, description: map["description"]?.string))
    }

    private static func line(of error: Error) -> Int? {
        if let yaml = error as? YamlError, case .parser(_, _, let mark, _) = yaml { return mark.line }
        if let yaml = error as? YamlError, case .scanner(_, _, let mark, _) = yaml { return mark.line }
        return nil
    }

    private static func describe(_ error: Error, firstLine: Int) -> String {
        if let yaml = error as? YamlError {
            switch yaml {
            case .parser(_, let problem, _, _), .scanner(_, let problem, _, _), .composer(_, let problem, _, _): return problem
            default: break
            }
        }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "YAML error"
    }
}
