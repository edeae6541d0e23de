/// The BINARY and BINARY2 serialisations: base64 text decoded to bytes, then rows of big-endian
/// values one FIELD after another (BINARY2 starts each row with a bit per FIELD that is set when
/// the value is missing, the first FIELD in the most significant bit).
enum VOTableBinary {
    /// base64 text (with any XML blanks between) as bytes; nil at the first byte that is not base64.
    static func decodeBase64(_ text: [UInt8]) -> (bytes: [UInt8], bad: Int?) {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var accumulator: UInt32 = 0, bits = 0
        var padding = false
        for (i, c) in text.enumerated() {
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
            if c == 0x3D { padding = true; continue } // '='
            let v = table[Int(c)]
            guard v != 0xFF, !padding else { return (out, i) }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return (out, nil)
    }

    static func uint32(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt32? {
        guard p + 4 <= b.count else { return nil }
        return bits32(b, p)
    }

    static func bits16(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt16 {
        UInt16(b[p]) << 8 | UInt16(b[p + 1])
    }

    static func bits32(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt32 {
        UInt32(b[p]) << 24 | UInt32(b[p + 1]) << 16 | UInt32(b[p + 2]) << 8 | UInt32(b[p + 3])
    }

    static func bits64(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt64 {
        UInt64(bits32(b, p)) << 32 | UInt64(bits32(b, p + 4))
    }

    static func integer(_ b: UnsafeBufferPointer<UInt8>, _ p: Int, _ type: VOTableField.Datatype) -> Int64 {
        switch type {
        case .unsignedByte: return Int64(b[p])
        case .short: return Int64(Int16(bitPattern: bits16(b, p)))
        case .int: return Int64(Int32(bitPattern: bits32(b, p)))
        default: return Int64(bitPattern: bits64(b, p))
        }
    }

    /// A boolean byte: T/t/1 true, F/f/0 false, anything else (`?`, blank, NUL) missing.
    static func boolean(_ byte: UInt8) -> Double {
        switch byte {
        case 0x54, 0x74, 0x31: return 1
        case 0x46, 0x66, 0x30: return 0
        default: return .nan
        }
    }

    /// Bit `e` of a packed bit array (the first in the most significant bit of the first byte), 1 or 0.
    static func bit(_ b: UnsafeBufferPointer<UInt8>, _ e: Int) -> Double {
        b[e / 8] & (0x80 >> UInt8(e % 8)) != 0 ? 1 : 0
    }

    /// A char (ASCII, UTF-8 tolerated) or unicodeChar (UCS-2 big-endian) string, ended by the first
    /// NUL as astropy reads it; an empty string is missing.
    static func string(_ b: UnsafeBufferPointer<UInt8>, unicode: Bool) -> String? {
        let text: String
        if unicode {
            var units: [UInt16] = []
            units.reserveCapacity(b.count / 2)
            var p = 0
            while p + 1 < b.count {
                let unit = bits16(b, p)
                if unit == 0 { break }
                units.append(unit)
                p += 2
            }
            text = String(decoding: units, as: UTF16.self)
        } else {
            let end = b.firstIndex(of: 0) ?? b.count
            text = String(decoding: UnsafeBufferPointer(rebasing: b[..<end]), as: UTF8.self)
        }
        return text.isEmpty ? nil : text
    }

    /// Decodes every row of `bytes` into `builders`; `nullFlags` for BINARY2.
    static func decodeRows(_ bytes: [UInt8], into builders: inout [VOTableColumnBuilder], nullFlags: Bool) throws {
        try bytes.withUnsafeBufferPointer { b in
            let flagBytes = nullFlags ? (builders.count + 7) / 8 : 0
            var p = 0
            var row = 0
            while p < b.count {
                row += 1
                if row & 0xFFFF == 0 { try Cancellation.check() }
                guard p + flagBytes <= b.count else { throw DataError("the BINARY2 stream ends inside the null flags of row \(row)") }
                let flags = p
                p += flagBytes
                for f in builders.indices {
                    let missing = nullFlags && b[flags + f / 8] & (0x80 >> UInt8(f % 8)) != 0
                    p = try builders[f].append(binary: b, at: p, missing: missing, row: row)
                }
            }
        }
    }
}
