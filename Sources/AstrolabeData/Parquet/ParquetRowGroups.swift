import Foundation

/// Decodes the selected columns of every row group, row groups in parallel, each writing its
/// rows' stretch of the final arrays. The first error in row-group order is the one reported,
/// so which error a damaged file gives does not depend on the threads either.
struct ParquetRowGroups: @unchecked Sendable {
    let file: UnsafeBufferPointer<UInt8>
    let metadata: ParquetMetadata
    let plans: [ParquetColumnPlan]
    let rowCounts: [Int]
    let path: String

    func decode() throws -> [ColumnValues] {
        let total = rowCounts.reduce(0, +)
        let starts = rowCounts.indices.map { rowCounts[..<$0].reduce(0, +) }
        var numbers = plans.map { $0.isText ? [] : ColumnStorage.uninitialized(Double.self, count: total) }
        var strings = plans.map { $0.isText ? [String?](repeating: nil, count: total) : [] }
        var errors = [DataError?](repeating: nil, count: rowCounts.count)
        let pageLimit = Swift.min(MemoryBudget.available(), Int(Int32.max))
        try withSinks(&numbers, &strings) { sinks in
            errors.withUnsafeMutableBufferPointer { errorSlots in
                let slots = Shared(errors: errorSlots, sinks: sinks)
                DispatchQueue.concurrentPerform(iterations: rowCounts.count) { g in
                    slots.errors[g] = decodeGroup(g, start: starts[g], sinks: slots.sinks, pageLimit: pageLimit)
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
            if plans[p].isText {
                sinks.append(.strings(strings[p].withUnsafeMutableBufferPointer { $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)! }))
            } else {
                sinks.append(.numbers(numbers[p].withUnsafeMutableBufferPointer { $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)! }))
            }
        }
        // The arrays are not resized while the sinks are in use, so their storage stays put.
        try withExtendedLifetime((numbers, strings)) { try body(sinks) }
    }

    /// One row group, every selected column; the error names the row group and column.
    private func decodeGroup(_ g: Int, start: Int, sinks: [ParquetSink], pageLimit: Int) -> DataError? {
        let group = metadata.rowGroups[g]
        for (p, plan) in plans.enumerated() {
            let chunk = group.columns[plan.leaf]
            do {
                try check(chunk, plan: plan)
                let decoder = ParquetChunkDecoder(file: file, plan: plan, chunk: chunk, rows: rowCounts[g], pageLimit: pageLimit)
                let sink: ParquetSink
                switch sinks[p] {
                case .numbers(let base): sink = .numbers(base + start)
                case .strings(let base): sink = .strings(base + start)
                }
                try decoder.decode(into: sink)
            } catch let fault as ParquetFault {
                return DataError("row group \(g), column `\(plan.name)`: \(fault.message)", file: path)
            } catch let error as DataError {
                return DataError(error.message, file: path)
            } catch {
                return DataError("row group \(g), column `\(plan.name)`: \(error)", file: path)
            }
        }
        return nil
    }

    /// What a chunk must be for the plan to apply: its own type, a codec read here, in this file.
    private func check(_ chunk: ParquetMetadata.ColumnChunk, plan: ParquetColumnPlan) throws {
        guard !chunk.encrypted else { throw ParquetFault("the column is encrypted, which is not supported") }
        guard chunk.filePath == nil else { throw ParquetFault("the column's data is in another file (\(chunk.filePath!)), which is not supported") }
        guard chunk.rawType == plan.physicalType else { throw ParquetFault("the chunk's type \(chunk.rawType) differs from the schema's \(plan.physicalType)") }
        guard ParquetCodec.isSupported(chunk.codec) else { throw ParquetFault("compression \(ParquetCodec.name(chunk.codec)) is not supported (snappy, gzip, zstd are)") }
    }
}
