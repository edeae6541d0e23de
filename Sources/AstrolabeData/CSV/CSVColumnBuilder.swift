/// One column's cells from one chunk of a CSV file, with its type inferred as they arrive.
///
/// A column starts numeric (integers until a non-integer shows up). A `true`/`false` literal
/// while nothing but missing cells has been seen makes it boolean. Any other non-number makes it
/// text: the cells already read are then only placeholders, and `textFrom` tells the reader to
/// re-read them as text from the file (rare, and cheaper than keeping every cell's bytes around).
///
/// Numbers normally go straight into the final column: the reader hands each piece its stretch
/// of one preallocated array (`direct`, or `directFloats` for a float32 column), so a survey's
/// columns are written once and never copied.
struct CSVColumnBuilder: @unchecked Sendable {
    enum Mode { case numeric, boolean, text, skip }

    var mode: Mode
    let forced: ColumnKind?
    let float32: Bool
    var doubles: [Double] = []
    var floats: [Float] = []
    /// Values go to `floats` (float32 precision once a non-integer was seen).
    var usesFloats = false
    var strings: [String?] = []
    var allIntegers = true
    /// A non-missing cell was seen.
    var sawValue = false
    var count = 0
    /// Rows before this one hold placeholders and must be re-read as text.
    var textFrom: Int? = nil
    /// Cells of a column forced numeric that were not numbers (made missing).
    var badCells = 0
    /// Distinct strings, each stored once; nil once there are too many to be a category.
    var interned: [String: String]? = [:]
    let internLimit: Int
    /// This piece's stretch of the final column array, room for `directCapacity` rows: float64
    /// (`direct`) or float32 (`directFloats`, columns that `precision=float32` stores as floats),
    /// at most one of them; both nil: numbers go to `doubles`/`floats`. Should a piece ever hold
    /// more rows than its room, the numbers so far move to `doubles`/`floats` (`spilled`).
    var direct: UnsafeMutablePointer<Double>? = nil
    var directFloats: UnsafeMutablePointer<Float>? = nil
    var directCapacity = 0
    /// The whole final array that `direct`/`directFloats` point into (start, size in bytes), so
    /// the parser can map in its 4 KB pages just ahead of writing them
    /// (`ColumnStorage.populateSmallPages`); nil when there is none.
    var directArray: (start: UnsafeMutableRawPointer, bytes: Int)? = nil
    /// Whether this piece's rows are all in its stretch of a final array.
    var inPlace: Bool { direct != nil || directFloats != nil }
    var spilled = false

    init(forced: ColumnKind?, float32: Bool, internLimit: Int, skip: Bool = false) {
        self.forced = forced
        self.float32 = float32
        self.internLimit = internLimit
        if skip {
            mode = .skip
        } else if let forced {
            switch forced {
            case .integer, .float: mode = .numeric
            case .boolean: mode = .boolean
            case .text, .category: mode = .text
            }
        } else {
            mode = .numeric
        }
    }

    mutating func reserve(_ rows: Int) {
        if inPlace, mode != .text { return }
        switch mode {
        case .numeric, .boolean: doubles.reserveCapacity(rows)
        case .text: strings.reserveCapacity(rows)
        case .skip: break
        }
    }

    // MARK: Appending

    /// A number read by the fast path (numeric mode only).
    @inline(__always)
    mutating func appendNumber(_ value: Double, isInteger: Bool, sentinels: [Double]) {
        var v = value
        if !sentinels.isEmpty, sentinels.contains(v) {
            v = .nan
        } else if !sawValue || (!isInteger && allIntegers) {
            // Rare (at most twice per column and piece): the type state changes.
            noteTypeChange()
            sawValue = true
            if !isInteger { allIntegers = false }
        }
        if count < directCapacity, let direct {
            direct[count] = v
        } else if count < directCapacity, let directFloats {
            directFloats[count] = Float(v)
        } else if usesFloats {
            dropSavedArrays()
            floats.append(Float(v))
        } else {
            if inPlace { spill() }
            if float32, !allIntegers, !usesFloats { switchToFloats() }
            put(v)
        }
        count += 1
    }

    /// Stores a value at row `count` (the caller counts it): in place, or in `floats` once
    /// values are floats, else in `doubles`.
    @inline(__always)
    private mutating func put(_ v: Double) {
        if count < directCapacity {
            if let direct {
                direct[count] = v
                return
            }
            if let directFloats {
                directFloats[count] = Float(v)
                return
            }
        }
        if inPlace { spill() }
        if usesFloats { floats.append(Float(v)) } else { doubles.append(v) }
    }

    /// The room is full: the rows so far move to this piece's own array.
    private mutating func spill() {
        if let direct { doubles = Array(UnsafeBufferPointer(start: direct, count: count)) }
        if let directFloats {
            floats = Array(UnsafeBufferPointer(start: directFloats, count: count))
            usesFloats = true
        }
        direct = nil
        directFloats = nil
        spilled = true
    }

    private mutating func switchToFloats() {
        noteTypeChange(arrays: true)
        floats.reserveCapacity(Swift.max(doubles.capacity, count + 1))
        for d in doubles { floats.append(Float(d)) }
        doubles = []
        usesFloats = true
    }

    @inline(__always)
    private mutating func appendMissingNumber() {
        put(.nan)
        count += 1
    }

    /// Any cell, given as the bytes between its delimiters (quotes already stripped).
    mutating func appendCell(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, quoted: Bool, escaped: Bool,
                             sentinels: CSVSentinels) {
        switch mode {
        case .skip:
            count += 1
        case .text:
            appendText(bytes, start: start, end: end, escaped: escaped, sentinels: sentinels)
        case .numeric:
            switch NumberParsing.parse(bytes, start: start, end: end) {
            case .number(let v):
                appendNumber(v, isInteger: Self.looksInteger(bytes, start, end, v), sentinels: sentinels.numbers)
            case .missing:
                appendMissingNumber()
            case .notANumber:
                if sentinels.matchesText(bytes, start, end) {
                    appendMissingNumber()
                } else if forced != nil {
                    badCells += 1
                    appendMissingNumber()
                } else if !sawValue, let b = Self.boolean(bytes, start, end) {
                    noteTypeChange(arrays: usesFloats)
                    mode = .boolean
                    if usesFloats {
                        doubles = floats.map(Double.init)
                        floats = []
                        usesFloats = false
                    }
                    put(b)
                    sawValue = true
                    count += 1
                } else {
                    becomeText()
                    appendText(bytes, start: start, end: end, escaped: escaped, sentinels: sentinels)
                }
            }
        case .boolean:
            if let b = Self.boolean(bytes, start, end) {
                if !sawValue { noteTypeChange() }
                put(b)
                sawValue = true
                count += 1
            } else if case .missing = NumberParsing.parse(bytes, start: start, end: end) {
                put(.nan)
                count += 1
            } else if sentinels.matchesText(bytes, start, end) {
                put(.nan)
                count += 1
            } else if forced != nil {
                if let n = Self.zeroOrOne(bytes, start, end) { put(n) } else {
                    badCells += 1
                    put(.nan)
                }
                count += 1
            } else {
                becomeText()
                appendText(bytes, start: start, end: end, escaped: escaped, sentinels: sentinels)
            }
        }
    }

    /// The column's type state as it was at the start of the row being read, saved when a cell
    /// of that row changes it, so that the row can still be skipped as malformed (a skipped row
    /// must not change a column's type, or the type would depend on how the file is split).
    ///
    /// Why saved on change rather than per row, or recomputed on a skip: the state changes at
    /// most a few times per column and piece (a first value, a first non-integer, a switch to
    /// boolean, floats or text), so the cells that pay for it are rare and every other cell pays
    /// one predictable branch; a copy per row would cost every cell, and recomputing from the
    /// kept values cannot tell `1.0` (not an integer) from `1`. The arrays are kept only when the
    /// change replaces them (text, floats, boolean from floats), where keeping them copies nothing.
    private struct RowStart {
        var row: Int
        var mode: Mode
        var sawValue: Bool
        var allIntegers: Bool
        var usesFloats: Bool
        var textFrom: Int?
        var arrays: (doubles: [Double], floats: [Float])? = nil
        /// A distinct string the row added to `interned`, or the strings it gave up on (too many).
        var internedKey: String? = nil
        var droppedInterned: [String: String]? = nil
    }

    private var rowStart: RowStart? = nil

    /// Saves the type state before a cell of row `row` changes it (first change in the row),
    /// and the value arrays if `arrays` (the change is about to replace them).
    private mutating func noteTypeChange(arrays: Bool = false, row: Int? = nil) {
        let row = row ?? count
        if rowStart?.row != row {
            rowStart = RowStart(row: row, mode: mode, sawValue: sawValue, allIntegers: allIntegers,
                                usesFloats: usesFloats, textFrom: textFrom)
        }
        if arrays, rowStart?.arrays == nil { rowStart?.arrays = (doubles, floats) }
    }

    /// Once past the row that replaced the arrays, the old ones can no longer be needed.
    @inline(__always)
    private mutating func dropSavedArrays() {
        if let saved = rowStart, saved.arrays != nil, count > saved.row { rowStart = nil }
    }

    private mutating func becomeText() {
        noteTypeChange(arrays: true)
        textFrom = count
        mode = .text
        doubles = []
        floats = []
        usesFloats = false
        strings = [String?](repeating: nil, count: count)
    }

    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, escaped: Bool,
                                     sentinels: CSVSentinels) {
        dropSavedArrays()
        count += 1
        if end <= start || sentinels.matchesText(bytes, start, end) {
            strings.append(nil)
            return
        }
        let text = CSVText.decode(bytes, start: start, end: end, escaped: escaped)
        if interned != nil {
            if let existing = interned?[text] {
                strings.append(existing)
                return
            }
            // Rare (once per distinct string), and undone if the row is skipped.
            noteTypeChange(row: count - 1)
            if let size = interned?.count, size >= internLimit {
                rowStart?.droppedInterned = interned
                interned = nil
            } else {
                rowStart?.internedKey = text
                interned?[text] = text
            }
        }
        strings.append(text)
    }

    /// Forgets rows from `rows` on: the row being read, a malformed one being skipped (the
    /// parser never drops more), whose cells must leave no trace in the column's type.
    mutating func truncate(to rows: Int) {
        if let saved = rowStart, saved.row >= rows {
            rowStart = nil
            if mode == .text, saved.mode != .text {
                // The row that made the column text is being dropped: back to the numbers.
                strings = []
            }
            (mode, sawValue, allIntegers, usesFloats, textFrom) =
                (saved.mode, saved.sawValue, saved.allIntegers, saved.usesFloats, saved.textFrom)
            if let arrays = saved.arrays { (doubles, floats) = arrays }
            if let key = saved.internedKey { interned?[key] = nil }
            if let dropped = saved.droppedInterned { interned = dropped }
            // The arrays now hold the rows before `saved.row` (in place: nothing to remove).
            if saved.arrays != nil { count = Swift.min(count, saved.row) }
        }
        guard rows < count else { return }
        switch mode {
        case .skip: break
        case .numeric, .boolean:
            if inPlace {
                // Nothing to remove: the rows past `rows` are simply overwritten or never used.
            } else if usesFloats {
                floats.removeLast(Swift.min(floats.count, count - rows))
            } else {
                doubles.removeLast(Swift.min(doubles.count, count - rows))
            }
        case .text:
            strings.removeLast(Swift.min(strings.count, count - rows))
            if let from = textFrom, from > rows { textFrom = rows }
        }
        count = rows
    }

    // MARK: Cell classification

    static func looksInteger(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ v: Double) -> Bool {
        guard v.isFinite, v == v.rounded(), Swift.abs(v) <= 9_007_199_254_740_992 else { return false }
        for k in start ..< end {
            let c = b[k]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { return false }
        }
        return true
    }

    /// `true`/`false` in lower, upper or title case (as pandas reads them), trimmed of blanks.
    static func boolean(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var s = start, e = end
        while s < e, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
        let word = String(decoding: UnsafeBufferPointer(rebasing: b[s ..< e]), as: UTF8.self)
        switch word {
        case "true", "True", "TRUE": return 1
        case "false", "False", "FALSE": return 0
        default: return nil
        }
    }

    static func zeroOrOne(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard case .number(let v) = NumberParsing.parse(b, start: start, end: end), v == 0 || v == 1 else { return nil }
        return v
    }
}

/// The user's `missing=` values, ready to compare with cells.
struct CSVSentinels: Sendable {
    var numbers: [Double] = []
    var texts: [[UInt8]] = []

    init(_ values: [String]) {
        texts = values.map { Array($0.utf8) }
        numbers = CSVOptions.numericSentinels(values)
    }

    @inline(__always)
    func matchesText(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard !texts.isEmpty else { return false }
        for t in texts where t.count == end - start {
            var same = true
            for k in 0 ..< t.count where b[start + k] != t[k] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }
}

/// Turning a cell's bytes into a `String`.
enum CSVText {
    /// The cell's text, with doubled quotes collapsed and invalid UTF-8 replaced by U+FFFD.
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, start: Int, end: Int, escaped: Bool) -> String {
        let s = Swift.max(0, Swift.min(start, buffer.count))
        let e = Swift.max(s, Swift.min(end, buffer.count))
        let bytes = UnsafeBufferPointer(rebasing: buffer[s ..< e])
        guard escaped else { return String(decoding: bytes, as: UTF8.self) }
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
}
