/// How to read a delimited text file: the `load` options `sep=`, `comment=`, `missing=`, `types=`,
/// `on_error=` and `precision=`.
public struct CSVOptions: Sendable, Equatable {
    /// What separates fields.
    public enum Separator: Sendable, Equatable {
        /// One byte, such as `,` `\t` `;` `|`.
        case byte(UInt8)
        /// Any run of spaces and tabs; leading and trailing blanks on a line are ignored.
        case whitespace
    }

    /// What to do with a malformed row (wrong number of fields, unterminated quote).
    public enum ErrorPolicy: String, Sendable, Equatable {
        /// Stop with an error naming the line.
        case fail
        /// Leave the row out, count it, and say so in a warning.
        case skip
    }

    /// How numbers that are not integers are stored.
    public enum Precision: String, Sendable, Equatable {
        case float64, float32
    }

    /// nil: chosen from the file (`CSVReader.defaultSeparator`): tab for `.tsv` and `.tab` files
    /// and for a header with tabs but no comma, else comma.
    public var separator: Separator? = nil
    /// Lines whose first character is this byte are skipped (e.g. `#`).
    public var comment: UInt8? = nil
    /// Extra cell values that mean "missing" in every column, such as `-99.99`. A sentinel that is a
    /// number matches numerically (so `-99.990` matches `-99.99`); otherwise the text must match.
    public var missing: [String] = []
    /// Column types chosen by the user, overriding inference.
    public var types: [String: ColumnKind] = [:]
    public var onError: ErrorPolicy = .fail
    public var precision: Precision = .float64
    /// A text column with at most this many distinct values (each used at least
    /// `categoryMinimumRepeat` times on average) is a category.
    public var categoryLimit: Int = 256
    public var categoryMinimumRepeat: Int = 10
    /// Number of pieces the file is parsed in; nil: chosen from the file size and the cores.
    public var chunkCount: Int? = nil
    /// Called from worker threads with the fraction of bytes parsed so far (0...1).
    public var progress: (@Sendable (Double) -> Void)? = nil

    public init() {}

    public static func == (a: CSVOptions, b: CSVOptions) -> Bool {
        a.separator == b.separator && a.comment == b.comment && a.missing == b.missing && a.types == b.types
            && a.onError == b.onError && a.precision == b.precision && a.categoryLimit == b.categoryLimit
            && a.categoryMinimumRepeat == b.categoryMinimumRepeat && a.chunkCount == b.chunkCount
    }

    /// `sep=` values: a single character, or `comma`, `tab`, `space`/`whitespace`, `semicolon`,
    /// `pipe`, or `\t`.
    public static func separator(named text: String) -> Separator? {
        switch text {
        case "comma", ",": return .byte(UInt8(ascii: ","))
        case "tab", "\\t", "\t": return .byte(UInt8(ascii: "\t"))
        case "whitespace", "space", "spaces", " ": return .whitespace
        case "semicolon", ";": return .byte(UInt8(ascii: ";"))
        case "pipe", "|": return .byte(UInt8(ascii: "|"))
        default:
            let bytes = Array(text.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != 10, bytes[0] != 13 else { return nil }
            return .byte(bytes[0])
        }
    }

    /// The numeric values among the sentinels.
    static func numericSentinels(_ missing: [String]) -> [Double] {
        missing.compactMap { text in
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { b in
                if case .number(let v) = NumberParsing.parse(b, start: 0, end: b.count) { return v }
                return nil
            }
        }
    }
}

/// What a read produced besides the table: things the user should know but that are not errors.
public struct ReadReport: Sendable, Equatable {
    public var warnings: [String] = []
    /// Rows left out with `on_error=skip`.
    public var skippedRows: Int = 0
    public init() {}
}
