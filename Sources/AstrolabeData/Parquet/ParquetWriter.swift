import Dispatch

/// Writes a table as a Parquet file that pyarrow, pandas, polars and Astrolabe's own reader read:
/// flat OPTIONAL columns (DOUBLE, FLOAT for float32 storage, INT64 for integer columns, BOOLEAN,
/// UTF-8 BYTE_ARRAY for text and categories; missing cells as nulls), row groups of `rowGroupRows`
/// rows, one zstd-compressed data page (v1, PLAIN) per column chunk, with min/max/null-count
/// statistics (and TYPE_ORDER column orders, so readers trust them). Column chunks are encoded in
/// parallel and laid out in order, so the bytes do not depend on the number of threads.
public enum ParquetWriter {
    /// 128 Ki rows: 1 MB per double column chunk, small enough for `where` to skip groups by
    /// their statistics, large enough that headers cost nothing.
    public static let defaultRowGroupRows = 131_072

    public static func write(_ table: Table, to path: String, rowGroupRows: Int = defaultRowGroupRows) throws {
        do {
            try TableWriter.writeBytes(try bytes(table, rowGroupRows: rowGroupRows), to: path)
        } catch let fault as ParquetFault {
            throw DataError("cannot write \(path): \(fault.message)", file: path)
        }
    }

    /// The file's bytes.
    static func bytes(_ table: Table, rowGroupRows: Int = defaultRowGroupRows) throws -> [UInt8] {
        let storages = table.columns.map(ParquetChunkEncoder.Storage.init)
        let rows = table.rowCount, width = table.columns.count
        let step = max(1, rowGroupRows)
        let groups = rows == 0 ? 0 : (rows + step - 1) / step
        var chunks = [Result<ParquetChunkEncoder.Chunk, any Error>?](repeating: nil, count: groups * width)
        chunks.withUnsafeMutableBufferPointer { slots in
            let out = SendableSlots(base: slots)
            DispatchQueue.concurrentPerform(iterations: groups * width) { k in
                let group = k / width, c = k % width
                let start = group * step
                out.base[k] = Result {
                    try ParquetChunkEncoder.encode(table.columns[c], storage: storages[c], start: start, count: min(step, rows - start))
                }
            }
        }
        var file: [UInt8] = Array("PAR1".utf8)
        var rowGroups = [[ColumnPlacement]]()
        for group in 0..<groups {
            var placed = [ColumnPlacement]()
            for c in 0..<width {
                guard let result = chunks[group * width + c] else { throw ParquetFault("a column chunk was not written") }
                let chunk = try result.get()
                placed.append(ColumnPlacement(offset: file.count, chunk: chunk))
                file.append(contentsOf: chunk.bytes)
            }
            rowGroups.append(placed)
        }
        let footer = footerBytes(table, storages: storages, rowGroups: rowGroups, step: step)
        file.append(contentsOf: footer)
        appendLittleEndian(UInt32(truncatingIfNeeded: footer.count), to: &file)
        file.append(contentsOf: Array("PAR1".utf8))
        return file
    }

    struct ColumnPlacement {
        var offset: Int
        var chunk: ParquetChunkEncoder.Chunk
    }

    private struct SendableSlots<T>: @unchecked Sendable { let base: UnsafeMutableBufferPointer<T> }

    /// `FileMetaData`: the schema, the row groups with each chunk's metadata, the column orders.
    static func footerBytes(_ table: Table, storages: [ParquetChunkEncoder.Storage], rowGroups: [[ColumnPlacement]],
                            step: Int) -> [UInt8] {
        ThriftWriter.message { w in
            w.i32(1, 1)
            w.structList(2, [nil] + table.columns.indices.map { Optional($0) }) { e, c in
                guard let c else {
                    e.string(4, "schema")
                    e.i32(5, Int32(truncatingIfNeeded: table.columns.count))
                    return
                }
                e.i32(1, storages[c].physicalType.rawValue)
                e.i32(3, 1)  // OPTIONAL
                e.string(4, table.columns[c].name)
                if storages[c] == .string {
                    e.i32(6, 0)  // UTF8
                    e.structure(10) { $0.structure(1) { _ in } }  // LogicalType STRING
                }
            }
            w.i64(3, Int64(table.rowCount))
            w.structList(4, Array(rowGroups.enumerated())) { g, item in
                let (index, placed) = item
                g.structList(1, Array(placed.enumerated())) { cc, entry in
                    columnChunk(&cc, entry.element, column: table.columns[entry.offset], storage: storages[entry.offset],
                                rows: min(step, table.rowCount - index * step))
                }
                g.i64(2, Int64(placed.reduce(0) { $0 + $1.chunk.uncompressedSize }))
                g.i64(3, Int64(min(step, table.rowCount - index * step)))
                g.i64(5, Int64(placed.first?.offset ?? 0))
                g.i64(6, Int64(placed.reduce(0) { $0 + $1.chunk.bytes.count }))
            }
            w.string(6, "astrolabe")
            w.structList(7, table.columns) { order, _ in order.structure(1) { _ in } }  // TYPE_ORDER
        }
    }

    static func columnChunk(_ w: inout ThriftWriter, _ placed: ColumnPlacement, column: Column,
                            storage: ParquetChunkEncoder.Storage, rows: Int) {
        w.i64(2, Int64(placed.offset))
        w.structure(3) { m in
            m.i32(1, storage.physicalType.rawValue)
            m.i32List(2, [0, 3])  // PLAIN, RLE
            m.stringList(3, [column.name])
            m.i32(4, 6)  // ZSTD
            m.i64(5, Int64(rows))
            m.i64(6, Int64(placed.chunk.uncompressedSize))
            m.i64(7, Int64(placed.chunk.bytes.count))
            m.i64(9, Int64(placed.offset))
            m.structure(12) { s in
                s.i64(3, Int64(placed.chunk.nulls))
                if let max = placed.chunk.max { s.binary(5, max) }
                if let min = placed.chunk.min { s.binary(6, min) }
            }
        }
    }
}
