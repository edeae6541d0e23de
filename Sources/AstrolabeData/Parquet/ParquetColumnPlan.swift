/// How one flat Parquet column becomes a `Column`: its physical type with the logical
/// annotation that changes the numbers (unsigned integers), whether it may hold nulls, and the
/// column kind. Everything the reader does not read faithfully is refused here, by name.
struct ParquetColumnPlan: Sendable {
    enum Values: Sendable { case int32, uint32, int64, uint64, float, double, boolean, text }

    let name: String
    /// Position among the leaf columns (= the column chunk's position in each row group).
    let leaf: Int
    let physicalType: Int32
    let values: Values
    /// Optional columns carry definition levels (nulls); required ones do not.
    let optional: Bool

    var kind: ColumnKind {
        switch values {
        case .int32, .uint32, .int64, .uint64: return .integer
        case .float, .double: return .float
        case .boolean: return .boolean
        case .text: return .text
        }
    }

    var isText: Bool { values == .text }

    /// The plan for a leaf, or the reason it cannot be read.
    init(_ e: ParquetMetadata.SchemaElement, leaf: Int) throws {
        name = e.name
        self.leaf = leaf
        optional = e.repetition == 1
        physicalType = e.rawType ?? -1
        guard e.repetition != 2 else { throw ParquetFault("column `\(e.name)` is repeated (a list), which is not supported") }
        if let refused = Self.refusedAnnotation(e) {
            throw ParquetFault("column `\(e.name)` holds \(refused), which is not supported yet")
        }
        let unsigned = e.integerSigned == false || [11, 12, 13, 14].contains(e.convertedType ?? -1)
        switch e.type {
        case .boolean: values = .boolean
        case .int32: values = unsigned ? .uint32 : .int32
        case .int64: values = unsigned ? .uint64 : .int64
        case .float: values = .float
        case .double: values = .double
        case .byteArray: values = .text
        case .int96: throw ParquetFault("column `\(e.name)` is INT96 (a legacy timestamp), which is not supported")
        case .fixedLenByteArray: throw ParquetFault("column `\(e.name)` is FIXED_LEN_BYTE_ARRAY, which is not supported")
        case nil: throw ParquetFault("column `\(e.name)` has unknown physical type \(e.rawType.map(String.init) ?? "(none)")")
        }
    }

    /// Annotations whose values would be misread as plain numbers or text (dates as day counts,
    /// decimals as unscaled integers, binary as text).
    private static func refusedAnnotation(_ e: ParquetMetadata.SchemaElement) -> String? {
        let logical: [Int16: String] = [2: "a map", 3: "a list", 5: "decimals", 6: "dates", 7: "times", 8: "timestamps",
                                        13: "BSON", 14: "UUIDs", 15: "16-bit floats", 16: "variants", 17: "geometries",
                                        18: "geographies"]
        let converted: [Int32: String] = [1: "a map", 2: "a map", 3: "a list", 5: "decimals", 6: "dates", 7: "times",
                                          8: "times", 9: "timestamps", 10: "timestamps", 20: "BSON", 21: "intervals"]
        if let l = e.logicalType, let what = logical[l] { return what }
        if let c = e.convertedType, let what = converted[c] { return what }
        if let l = e.logicalType, ![1, 4, 10, 11, 12].contains(l) { return "logical type \(l)" }
        return nil
    }
}
