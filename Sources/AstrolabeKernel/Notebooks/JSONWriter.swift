/// A JSON value for writing deterministic files (notebooks). Objects keep no order of their own:
/// the writer sorts keys, so the same value always gives the same bytes.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A finite number that is not a whole `Int` literal (NaN and infinities have no JSON form).
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// Writes JSON the way Python's `json.dumps(sort_keys=True, indent=1, ensure_ascii=False)` does,
/// which is how nbformat writes notebooks: a notebook read and rewritten by Jupyter keeps its bytes.
public enum JSONWriter {
    public static func write(_ value: JSONValue, indent: Int = 1) -> String {
        var out = ""
        write(value, indent: indent, depth: 0, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, depth: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): out += quoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (n, item) in items.enumerated() {
                out += n == 0 ? "\n" : ",\n"
                out += String(repeating: " ", count: indent * (depth + 1))
                write(item, indent: indent, depth: depth + 1, into: &out)
            }
            out += "\n" + String(repeating: " ", count: indent * depth) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            // Python sorts keys by code point; compare scalars, not Swift's String ordering.
            let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (n, key) in keys.enumerated() {
                out += n == 0 ? "\n" : ",\n"
                out += String(repeating: " ", count: indent * (depth + 1))
                out += quoted(key) + ": "
                write(members[key]!, indent: indent, depth: depth + 1, into: &out)
            }
            out += "\n" + String(repeating: " ", count: indent * depth) + "}"
        }
    }

    /// RFC 8259 string: `"` and `\` escaped, control characters as short escapes or `\u00XX`;
    /// everything else (including non-ASCII) written as UTF-8, as Python does with ensure_ascii off.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
