/// Where one row group's values of one column go: its stretch of the final column array.
enum ParquetSink {
    case numbers(UnsafeMutablePointer<Double>)
    case strings(UnsafeMutablePointer<String?>)
}

/// A dictionary page's values, which data pages then index.
enum ParquetDictionary {
    case numbers([Double])
    case strings([String])

    var count: Int {
        switch self {
        case .numbers(let v): return v.count
        case .strings(let v): return v.count
        }
    }
}

/// Decodes one column chunk (one column of one row group) page by page into its sink: the
/// dictionary page, then data pages v1 or v2 with their definition levels (nulls become NaN or
/// nil) and PLAIN, dictionary or RLE values. Every length and count is checked against the
/// bytes it lives in and the rows of the row group.
struct ParquetChunkDecoder {
    let file: UnsafeBufferPointer<UInt8>
    let plan: ParquetColumnPlan
    let chunk: ParquetMetadata.ColumnChunk
    let rows: Int
    /// The largest decompressed page accepted (the memory available).
    let pageLimit: Int

    func decode(into sink: ParquetSink) throws {
        let (start, end) = try byteRange()
        var position = start
        var done = 0
        var dictionary: ParquetDictionary?
        while done < rows {
            try Cancellation.check()
            guard position < end else { throw ParquetFault("the column chunk ends after \(done) of its \(rows) rows") }
            var reader = ThriftReader(UnsafeBufferPointer(rebasing: file[position ..< end]))
            let header = try ParquetPageHeader(&reader)
            position += reader.position
            guard header.compressedSize <= end - position else { throw ParquetFault("a page runs past the end of its column chunk") }
            guard header.uncompressedSize <= pageLimit else { throw ParquetFault("a page claims \(header.uncompressedSize) bytes, more than the memory available") }
            let payload = UnsafeBufferPointer(rebasing: file[position ..< position + header.compressedSize])
            position += header.compressedSize
            switch header.kind {
            case .dictionary:
                guard dictionary == nil else { throw ParquetFault("the column chunk has two dictionary pages") }
                guard header.encoding == 0 || header.encoding == 2 else { throw ParquetFault("dictionary page encoding \(header.encoding) is not PLAIN") }
                let bytes = try ParquetCodec.decompress(payload, codec: chunk.codec, size: header.uncompressedSize)
                dictionary = try bytes.withUnsafeBufferPointer { try readDictionary($0, count: header.valueCount) }
            case .data, .dataV2:
                guard header.valueCount <= rows - done else { throw ParquetFault("a page holds \(header.valueCount) values, more than the \(rows - done) rows left in the row group") }
                try decodeDataPage(header, payload, dictionary: dictionary, into: sink, at: done)
                done += header.valueCount
            case .other:
                continue
            }
        }
    }

    /// The chunk's bytes: from its dictionary page (when it has one) to its end, inside the file.
    private func byteRange() throws -> (Int, Int) {
        var start = chunk.dataPageOffset
        if let d = chunk.dictionaryPageOffset, d > 0, d < start { start = d }
        let (end, overflow) = start.addingReportingOverflow(chunk.compressedSize)
        guard start >= 4, chunk.compressedSize > 0, !overflow, end <= Int64(file.count) else {
            throw ParquetFault("the column chunk's bytes (\(start) + \(chunk.compressedSize)) are not inside the file")
        }
        return (Int(start), Int(end))
    }

    private func readDictionary(_ bytes: UnsafeBufferPointer<UInt8>, count: Int) throws -> ParquetDictionary {
        guard count <= bytes.count * 8 + 8 else { throw ParquetFault("the dictionary claims \(count) values in \(bytes.count) bytes") }
        var position = 0
        if plan.isText { return .strings(try ParquetPlain.strings(bytes, count: count, position: &position)) }
        return .numbers(try ParquetPlain.numbers(bytes, count: count, plan: plan))
    }

    /// One data page: levels (v1: inside the compressed data, length-prefixed; v2: before it,
    /// uncompressed), then the present values, spread over the page's rows.
    private func decodeDataPage(_ header: ParquetPageHeader, _ payload: UnsafeBufferPointer<UInt8>,
                                dictionary: ParquetDictionary?, into sink: ParquetSink, at row: Int) throws {
        let n = header.valueCount
        // Levels only for an optional column; a required one has every value.
        var defined: [UInt32]? = plan.optional ? [UInt32](repeating: 0, count: n) : nil
        let page: [UInt8]
        var valuesStart = 0
        if header.kind == .dataV2 {
            guard header.repetitionLength == 0 else { throw ParquetFault("a flat column has repetition levels") }
            let levelBytes = header.definitionLength
            guard levelBytes <= payload.count, levelBytes <= header.uncompressedSize else { throw ParquetFault("the definition levels run past the page") }
            if defined != nil {
                var levels = try HybridDecoder(UnsafeBufferPointer(rebasing: payload[0 ..< levelBytes]), bitWidth: 1)
                try defined?.withUnsafeMutableBufferPointer { try levels.decode(into: $0) }
            }
            let rest = UnsafeBufferPointer(rebasing: payload[levelBytes...])
            page = try ParquetCodec.decompress(rest, codec: header.isCompressed ? chunk.codec : 0, size: header.uncompressedSize - levelBytes)
        } else {
            page = try ParquetCodec.decompress(payload, codec: chunk.codec, size: header.uncompressedSize)
            if defined != nil {
                guard header.definitionEncoding == 3 else { throw ParquetFault("definition levels in encoding \(header.definitionEncoding) (not RLE) are not supported") }
                valuesStart = try page.withUnsafeBufferPointer { bytes in
                    let length = try ParquetPlain.lengthPrefix(bytes, at: 0)
                    var levels = try HybridDecoder(UnsafeBufferPointer(rebasing: bytes[4 ..< 4 + length]), bitWidth: 1)
                    try defined?.withUnsafeMutableBufferPointer { try levels.decode(into: $0) }
                    return 4 + length
                }
            }
        }
        var present = n
        if let defined {
            present = 0
            for level in defined {
                guard level <= 1 else { throw ParquetFault("a definition level is \(level) in a flat column") }
                present += Int(level)
            }
        }
        try page.withUnsafeBufferPointer { bytes in
            let values = UnsafeBufferPointer(rebasing: bytes[valuesStart...])
            try spread(values, encoding: header.encoding, present: present, defined: present == n ? nil : defined,
                       dictionary: dictionary, into: sink, at: row)
        }
    }

    /// Decodes `present` values and writes them to the rows whose level is 1, missing elsewhere
    /// (`defined` nil: every row has a value).
    private func spread(_ bytes: UnsafeBufferPointer<UInt8>, encoding: Int32, present: Int, defined: [UInt32]?,
                        dictionary: ParquetDictionary?, into sink: ParquetSink, at row: Int) throws {
        switch sink {
        case .numbers(let out):
            let values = try numbers(bytes, encoding: encoding, count: present, dictionary: dictionary)
            Self.scatter(values, defined, missing: .nan, into: out + row)
        case .strings(let out):
            let values = try strings(bytes, encoding: encoding, count: present, dictionary: dictionary)
            Self.scatter(values, defined, missing: nil, into: out + row)
        }
    }

    private static func scatter<T>(_ values: [T], _ defined: [UInt32]?, missing: T, into out: UnsafeMutablePointer<T>) {
        guard let defined else {
            for (i, value) in values.enumerated() { out[i] = value }
            return
        }
        var next = 0
        for (i, level) in defined.enumerated() {
            if level == 1 { out[i] = values[next]; next += 1 } else { out[i] = missing }
        }
    }

    private func numbers(_ bytes: UnsafeBufferPointer<UInt8>, encoding: Int32, count: Int,
                         dictionary: ParquetDictionary?) throws -> [Double] {
        switch encoding {
        case 0: return try ParquetPlain.numbers(bytes, count: count, plan: plan)
        case 2, 8:
            guard case .numbers(let values)? = dictionary else { throw ParquetFault("dictionary-encoded values without a dictionary page") }
            return try indices(bytes, count: count, dictionarySize: values.count).map { values[Int($0)] }
        case 3 where plan.values == .boolean:
            let length = try ParquetPlain.lengthPrefix(bytes, at: 0)
            var decoder = try HybridDecoder(UnsafeBufferPointer(rebasing: bytes[4 ..< 4 + length]), bitWidth: 1)
            var bits = [UInt32](repeating: 0, count: count)
            try bits.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            return bits.map { Double($0) }
        default:
            throw ParquetFault("encoding \(ParquetPlain.encodingName(encoding)) is not supported")
        }
    }

    private func strings(_ bytes: UnsafeBufferPointer<UInt8>, encoding: Int32, count: Int,
                         dictionary: ParquetDictionary?) throws -> [String] {
        switch encoding {
        case 0:
            var position = 0
            return try ParquetPlain.strings(bytes, count: count, position: &position)
        case 2, 8:
            guard case .strings(let values)? = dictionary else { throw ParquetFault("dictionary-encoded values without a dictionary page") }
            return try indices(bytes, count: count, dictionarySize: values.count).map { values[Int($0)] }
        default:
            throw ParquetFault("encoding \(ParquetPlain.encodingName(encoding)) is not supported")
        }
    }

    /// Dictionary indices: a bit width byte, then the hybrid encoding; each index checked.
    private func indices(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, dictionarySize: Int) throws -> [UInt32] {
        guard count > 0 else { return [] }
        guard let width = bytes.first else { throw ParquetFault("dictionary indices are missing") }
        var decoder = try HybridDecoder(UnsafeBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width))
        var out = [UInt32](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        for index in out where Int(index) >= dictionarySize {
            throw ParquetFault("dictionary index \(index) is past the dictionary's \(dictionarySize) values")
        }
        return out
    }
}

/// The PLAIN encoding: fixed-width little-endian numbers, bit-packed booleans, length-prefixed
/// byte arrays.
enum ParquetPlain {
    static func encodingName(_ code: Int32) -> String {
        let names: [Int32: String] = [0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
                                      6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"]
        return names[code] ?? "\(code)"
    }

    /// A 4-byte little-endian length at `at`, checked to fit in what follows it.
    static func lengthPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at: Int) throws -> Int {
        guard at >= 0, bytes.count - at >= 4 else { throw ParquetFault("a length runs past the page") }
        let length = Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        guard length <= bytes.count - at - 4 else { throw ParquetFault("a length of \(length) bytes runs past the page") }
        return length
    }

    static func numbers(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, plan: ParquetColumnPlan) throws -> [Double] {
        let width: Int
        switch plan.values {
        case .boolean: width = 0
        case .int32, .uint32, .float: width = 4
        case .int64, .uint64, .double: width = 8
        case .text: throw ParquetFault("text read as numbers")
        }
        if width == 0 {
            guard count <= bytes.count * 8 else { throw ParquetFault("\(count) booleans do not fit in \(bytes.count) bytes") }
            return (0 ..< count).map { Double((bytes[$0 >> 3] >> UInt8($0 & 7)) & 1) }
        }
        guard count <= bytes.count / width else { throw ParquetFault("\(count) values do not fit in \(bytes.count) bytes") }
        let raw = UnsafeRawBufferPointer(bytes)
        return (0 ..< count).map { i in
            let at = i * width
            switch plan.values {
            case .int32: return Double(raw.loadUnaligned(fromByteOffset: at, as: Int32.self).littleEndian)
            case .uint32: return Double(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            case .int64: return Double(raw.loadUnaligned(fromByteOffset: at, as: Int64.self).littleEndian)
            case .uint64: return Double(raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian)
            case .float: return Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian))
            default: return Double(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian)
            }
        }
    }

    /// `count` length-prefixed UTF-8 strings from `position`; text that is not UTF-8 is an error,
    /// not replaced.
    static func strings(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, position: inout Int) throws -> [String] {
        guard count <= bytes.count / 4 else { throw ParquetFault("\(count) strings do not fit in \(bytes.count) bytes") }
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0 ..< count {
            let length = try lengthPrefix(bytes, at: position)
            let text = UnsafeBufferPointer(rebasing: bytes[position + 4 ..< position + 4 + length])
            guard let string = String(validating: text, as: UTF8.self) else {
                throw ParquetFault("a string is not valid UTF-8 (\(out.count + 1) of the page)")
            }
            out.append(string)
            position += 4 + length
        }
        return out
    }
}
