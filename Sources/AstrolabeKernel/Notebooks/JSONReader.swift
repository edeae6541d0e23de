/// Reads JSON text (RFC 8259) into a `JSONValue`, for notebooks (`check`), configuration files and
/// Jupyter messages. Hand-written rather than Foundation's `JSONSerialization` so that errors name
/// the line and column, numbers keep their integer-ness, and objects come back as `JSONValue`.
public enum JSONReader {
    public struct SyntaxError: Error, CustomStringConvertible, Sendable, Equatable {
        public var message: String
        public var line: Int
        public var column: Int
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Nesting deeper than this is refused (a hostile file must not overflow the stack).
    static let maximumDepth = 512

    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String) -> SyntaxError {
            var line = 1, column = 1
            var i = 0
            while i < min(index, bytes.count) {
                if bytes[i] == UInt8(ascii: "\n") { line += 1; column = 1 }
                else if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            return SyntaxError(message: message, line: line, column: column)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { index += 1 }
        }

        mutating func expect(_ word: String, _ value: JSONValue) throws -> JSONValue {
            for byte in word.utf8 {
                guard current == byte else { throw error("invalid literal (expected `\(word)`)") }
                index += 1
            }
            return value
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < JSONReader.maximumDepth else { throw error("nesting too deep") }
            guard let c = current else { throw error("unexpected end of input, expected a value") }
            switch c {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected character `\(Character(Unicode.Scalar(c)))`, expected a value")
            }
        }

        mutating func object(depth: Int) throws -> JSONValue {
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if current == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected `:` after key \"\(key)\"") }
                index += 1
                skipWhitespace()
                if members[key] != nil { throw error("duplicate key \"\(key)\"") }
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw error("expected `,` or `}` in an object")
            }
        }

        mutating func array(depth: Int) throws -> JSONValue {
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw error("expected `,` or `]` in an array")
            }
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let c = current else { throw error("unfinished \\u escape") }
                let digit: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex digit in \\u escape")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        mutating func string() throws -> String {
            index += 1
            var out: [UInt8] = []
            while true {
                guard let c = current else { throw error("unterminated string") }
                index += 1
                if c == UInt8(ascii: "\"") { break }
                if c < 0x20 { index -= 1; throw error("control character in a string (escape it)") }
                if c != UInt8(ascii: "\\") { out.append(c); continue }
                guard let e = current else { throw error("unterminated escape") }
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("lone high surrogate in \\u escape")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw error("lone low surrogate in \\u escape")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    index -= 1
                    throw error("invalid escape `\\\(Character(Unicode.Scalar(e)))`")
                }
            }
            guard let text = String(validating: out, as: UTF8.self) else { throw error("string is not valid UTF-8") }
            return text
        }

        mutating func number() throws -> JSONValue {
            let start = index
            var integral = true
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
                throw error("invalid number")
            }
            if first == UInt8(ascii: "0") { index += 1 } else { digits() }
            if current == UInt8(ascii: ".") {
                integral = false
                index += 1
                guard let d = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) else { throw error("expected digits after `.`") }
                digits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                integral = false
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let d = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) else { throw error("expected digits in the exponent") }
                digits()
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if integral, let n = Int(text) { return .int(n) }
            guard let d = Double(text), d.isFinite else { index = start; throw error("number out of range") }
            return .double(d)
        }

        mutating func digits() {
            while let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { index += 1 }
        }
    }
}

extension JSONValue {
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int? { if case .int(let n) = self { return n }; return nil }
    /// Numbers of either kind.
    public var doubleValue: Double? {
        switch self {
        case .int(let n): return Double(n)
        case .double(let d): return d
        default: return nil
        }
    }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }

    /// nbformat's multi-line strings are a string or a list of strings; both read as one string.
    public var joinedText: String? {
        if let s = stringValue { return s }
        guard let parts = arrayValue else { return nil }
        var out = ""
        for part in parts {
            guard let s = part.stringValue else { return nil }
            out += s
        }
        return out
    }

    /// Compact one-line JSON (Jupyter wire format), keys sorted for stable bytes.
    public var compact: String { JSONWriter.compact(self) }
}

extension JSONWriter {
    /// One line, no spaces, keys sorted.
    public static func compact(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : "null"
        case .string(let s): return quoted(s)
        case .array(let items): return "[" + items.map(compact).joined(separator: ",") + "]"
        case .object(let members):
            let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            return "{" + keys.map { quoted($0) + ":" + compact(members[$0]!) }.joined(separator: ",") + "}"
        }
    }
}
