import Foundation

/// Decodes the selected columns of every row group, column chunks (a column of a row group) in
/// parallel, each writing its stretch of its final array: a file of one row group (pyarrow's
/// default up to a million rows) still uses every core. The first error in (row group, column)
/// order is the one reported, so which error a damaged file gives does not depend on the threads.
struct ParquetRowGroups: @unchecked Sendable {
    let file: UnsafeBufferPointer<UInt8>
    let metadata: ParquetMetadata
    let plans: [ParquetColumnPlan]
    let rowCounts: [Int]
    let path: String

    func decode() throws -> [ColumnValues] {
        let total = rowCounts.reduce(0, +)
        guard total > 0 else { return plans.map { $0.isText ? .text([]) : .numeric([]) } }
        let starts = rowCounts.indices.map { rowCounts[..<$0].reduce(0, +) }
        var numbers = plans.map { $0.isText ? [] : ColumnStorage.uninitialized(Double.self, count: total) }
        var strings = plans.map { $0.isText ? [String?](repeating: nil, count: total) : [] }
        let width = plans.count
        var errors = [DataError?](repeating: nil, count: rowCounts.count * width)
        let pageLimit = Swift.min(MemoryBudget.available(), Int(Int32.max))
        try withSinks(&numbers, &strings) { sinks in
            errors.withUnsafeMutableBufferPointer { errorSlots in
                let slots = Shared(errors: errorSlots, sinks: sinks)
                DispatchQueue.concurrentPerform(iterations: rowCounts.count * width) { k in
                    let (g, p) = k.quotientAndRemainder(dividingBy: width)
                    slots.errors[k] = decodeChunk(g, p, start: starts[g], sink: slots.sinks[p], pageLimit: pageLimit)
                }
            }
            if let first = errors.lazy.compactMap({ $0 }).first { throw first }
        }
        return plans.indices.map { plans[$0].isText ? .text(strings[$0]) : .numeric(numbers[$0]) }
    }

    private struct Shared: @unchecked Sendable {
        let errors: UnsafeMutableBufferPointer<DataError?>
        let sinks: [ParquetSink]
    }

    /// Sinks pointing at the start of every column's array, valid inside `body`.
    private func withSinks(_ numbers: inout [[Double]], _ strings: inout [[String?]], _ body: ([ParquetSink]) throws -> Void) throws {
        var sinks: [ParquetSink] = []
        for p in plans.indices {
            // The arrays are not empty (the caller returns early for no rows), so they have storage.
            if plans[p].isText, let base = strings[p].withUnsafeMutableBufferPointer({ $0.baseAddress }) {
                sinks.append(.strings(base))
            } else if let base = numbers[p].withUnsafeMutableBufferPointer({ $0.baseAddress }) {
                sinks.append(.numbers(base))
            } else {
                throw DataError("column `\(plans[p].name)` has no storage", file: path)
            }
        }
        // The arrays are not resized while the sinks are in use, so their storage stays put.
        try withExtendedLifetime((numbers, strings)) { try body(sinks) }
    }

    /// Column `p` of row group `g`, into `sink` from row `start`; the error names both.
    private func decodeChunk(_ g: Int, _ p: Int, start: Int, sink: ParquetSink, pageLimit: Int) -> DataError? {
        let plan = plans[p]
        let chunk = metadata.rowGroups[g].columns[plan.leaf]
        do {
            try check(chunk, plan: plan)
            let decoder = ParquetChunkDecoder(file: file, plan: plan, chunk: chunk, rows: rowCounts[g], pageLimit: pageLimit)
            switch sink {
            case .numbers(let base): try decoder.decode(into: .numbers(base + start))
            case .strings(let base): try decoder.decode(into: .strings(base + start))
            }
            return nil
        } catch let fault as ParquetFault {
            return DataError("row group \(g), column `\(plan.name)`: \(fault.message)", file: path)
        } catch let error as DataError {
            return DataError(error.message, file: path)
        } catch {
            return DataError("row group \(g), column `\(plan.name)`: \(error)", file: path)
        }
    }

    /// What a chunk must be for the plan to apply: its own type, a codec read here, in this file.
    private func check(_ chunk: ParquetMetadata.ColumnChunk, plan: ParquetColumnPlan) throws {
        guard !chunk.encrypted else { throw ParquetFault("the column is encrypted, which is not supported") }
        if let other = chunk.filePath { throw ParquetFault("the column's data is in another file (\(other)), which is not supported") }
        guard chunk.rawType == plan.physicalType else { throw ParquetFault("the chunk's type \(chunk.rawType) differs from the schema's \(plan.physicalType)") }
        guard ParquetCodec.isSupported(chunk.codec) else { throw ParquetFault("compression \(ParquetCodec.name(chunk.codec)) is not supported (snappy, gzip, zstd are)") }
    }
}
