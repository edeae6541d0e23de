import CFITSIO
import Dispatch

/// Decodes the rows of a FITS binary table from their raw bytes, in parallel.
///
/// cfitsio's column-at-a-time reading (`fits_read_col` with type conversion) walks the file once
/// per column and converts cell by cell behind a call per block; a catalogue of a million rows
/// loaded slower than astropy, which copies the table in one read. Here cfitsio still reads the
/// bytes (`fits_read_tblbytes`, so every file cfitsio can open works, compressed ones included),
/// about 1 MB of whole rows at a time (small enough to stay in cache while it is decoded), and the
/// cores decode separate row ranges of each block straight into the final column arrays.
///
/// The conversions are cfitsio's own (getcol*.c): big-endian values, physical = raw × TSCALn +
/// TZEROn unless the scaling is the identity, `K` columns with TZEROn = 2^63 (unsigned 64-bit)
/// converted exactly by flipping the sign bit, integer cells equal to TNULLn missing (NaN)
/// before scaling, float cells never substituted (NaN stays NaN, infinities stay), `L` cells
/// `T` true, `F` false, zero bytes missing, and text cut at its first NUL with trailing blanks
/// removed (empty text is missing).
struct FITSBinaryRows {
    let plans: [FITSReader.ColumnPlan]
    let rowCount: Int
    let rowLength: Int
    let rowsPerBlock: Int?

    /// Where the workers write: the base addresses of the output arrays, which are neither
    /// copied nor resized until every block is done (each worker writes its own rows only).
    private struct Outputs: @unchecked Sendable {
        var doubles: [UnsafeMutablePointer<Double>?]
        var floats: [UnsafeMutablePointer<Float>?]
        var strings: [UnsafeMutablePointer<String?>?]
    }

    private struct Block: @unchecked Sendable {
        let bytes: UnsafeRawPointer
    }

    func read(_ file: UnsafeMutablePointer<fitsfile>, path: String) throws -> [ColumnValues] {
        for plan in plans {
            let size = Self.elementSize(plan)
            guard size > 0 else {
                throw DataError("column `\(plan.name)` has a type (cfitsio code \(plan.typecode)) that cannot be loaded", file: path)
            }
            guard plan.offset >= 0, plan.offset + size <= rowLength else {
                throw DataError("column `\(plan.name)` lies outside the table's \(rowLength)-byte rows", file: path)
            }
        }
        let n = rowCount
        // Arrays of the final size, left uninitialised for numbers (every cell is written below),
        // on huge pages where the system allows.
        var doubles: [[Double]] = plans.map { plan in
            plan.storage.isDouble || plan.storage == .logical ? ColumnStorage.uninitialized(Double.self, count: n) : []
        }
        var floats: [[Float]] = plans.map { plan in
            plan.storage == .float32 ? ColumnStorage.uninitialized(Float.self, count: n) : []
        }
        var strings: [[String?]] = plans.map { $0.storage == .text ? [String?](repeating: nil, count: n) : [] }
        var outputs = Outputs(doubles: [], floats: [], strings: [])
        for p in plans.indices {
            outputs.doubles.append(doubles[p].isEmpty ? nil : doubles[p].withUnsafeMutableBufferPointer { $0.baseAddress })
            outputs.floats.append(floats[p].isEmpty ? nil : floats[p].withUnsafeMutableBufferPointer { $0.baseAddress })
            outputs.strings.append(strings[p].isEmpty ? nil : strings[p].withUnsafeMutableBufferPointer { $0.baseAddress })
        }
        let outs = outputs

        if n > 0, rowLength > 0 {
            let blockRows = Swift.max(1, Swift.min(n, rowsPerBlock ?? Swift.max(1, (1 << 20) / rowLength)))
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: blockRows * rowLength, alignment: 64)
            defer { scratch.deallocate() }
            let block = Block(bytes: UnsafeRawPointer(scratch))
            let cores = ProcessInfo_activeProcessorCount()
            var first = 0
            while first < n {
                try Cancellation.check()
                let count = Swift.min(blockRows, n - first)
                var status: Int32 = 0
                ffgtbb(file, Int64(first + 1), 1, Int64(count * rowLength), scratch.assumingMemoryBound(to: UInt8.self), &status)
                if status != 0 { throw DataError("cannot read rows \(first + 1) to \(first + count): \(FITSReader.message(status))", file: path) }
                // A few thousand rows per piece at least, so small tables are not split for nothing.
                let pieces = rowsPerBlock != nil ? Swift.min(count, 3) : Swift.max(1, Swift.min(cores * 2, count / 4096))
                let start = first
                DispatchQueue.concurrentPerform(iterations: pieces) { k in
                    let lo = count * k / pieces, hi = count * (k + 1) / pieces
                    decode(block.bytes + lo * rowLength, rows: hi - lo, into: outs, at: start + lo)
                }
                first += count
            }
        }

        var values: [ColumnValues] = []
        for (p, plan) in plans.enumerated() {
            switch plan.storage {
            case .double, .logical: values.append(.numeric(doubles[p]))
            case .float32: values.append(.float32(floats[p]))
            case .text: values.append(.text(strings[p]))
            }
            doubles[p] = []
            floats[p] = []
            strings[p] = []
        }
        return values
    }

    /// Bytes one element of the plan's column takes in a row.
    static func elementSize(_ plan: FITSReader.ColumnPlan) -> Int {
        switch plan.typecode {
        case 11, 14: return 1
        case 21: return 2
        case 41, 42: return 4
        case 81, 82: return 8
        case 16: return plan.width
        default: return 0
        }
    }

    /// Decodes `rows` rows starting at `source` into output rows `row...`, a few hundred rows of
    /// every column at a time so the source bytes stay in cache.
    private func decode(_ source: UnsafeRawPointer, rows: Int, into out: Outputs, at row: Int) {
        let tile = Swift.max(1, 32_768 / Swift.max(1, rowLength))
        var done = 0
        while done < rows {
            let count = Swift.min(tile, rows - done)
            let base = source + done * rowLength
            for (p, plan) in plans.enumerated() {
                let src = base + plan.offset
                let at = row + done
                switch plan.storage {
                case .double, .float32:
                    if let d = out.doubles[p] {
                        numbers(plan, src, count, d + at)
                    } else if let f = out.floats[p] {
                        singles(plan, src, count, f + at)
                    }
                case .logical:
                    if let d = out.doubles[p] { logicals(src, count, d + at) }
                case .text:
                    if let s = out.strings[p] { texts(src, width: plan.width, count, s + at) }
                }
            }
            done += count
        }
    }

    private func numbers(_ plan: FITSReader.ColumnPlan, _ src: UnsafeRawPointer, _ count: Int, _ out: UnsafeMutablePointer<Double>) {
        let stride = rowLength, scale = plan.scale, zero = plan.zero, null = plan.null
        switch plan.typecode {
        case 11: integers(UInt8.self, src, stride, count, out, scale, zero, null)
        case 21: integers(Int16.self, src, stride, count, out, scale, zero, null)
        case 41: integers(Int32.self, src, stride, count, out, scale, zero, null)
        case 81:
            if scale == 1, zero == 9_223_372_036_854_775_808.0 {
                // Unsigned 64-bit integers: exact, as cfitsio does, rather than raw + 2^63 rounded twice.
                for r in 0 ..< count {
                    let raw = Int64(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: Int64.self))
                    out[r] = null == raw ? .nan : Double(UInt64(bitPattern: raw) ^ (1 << 63))
                }
            } else {
                integers(Int64.self, src, stride, count, out, scale, zero, null)
            }
        case 42:
            let identity = scale == 1 && zero == 0
            for r in 0 ..< count {
                let v = Double(Float(bitPattern: UInt32(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: UInt32.self))))
                out[r] = identity ? v : v * scale + zero
            }
        default: // 82
            let identity = scale == 1 && zero == 0
            for r in 0 ..< count {
                let v = Double(bitPattern: UInt64(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: UInt64.self)))
                out[r] = identity ? v : v * scale + zero
            }
        }
    }

    @inline(__always)
    private func integers<T: FixedWidthInteger>(_: T.Type, _ src: UnsafeRawPointer, _ stride: Int, _ count: Int,
                                                _ out: UnsafeMutablePointer<Double>, _ scale: Double, _ zero: Double,
                                                _ null: Int64?) {
        let identity = scale == 1 && zero == 0
        if let null {
            for r in 0 ..< count {
                let raw = T(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: T.self))
                out[r] = Int64(raw) == null ? .nan : (identity ? Double(raw) : Double(raw) * scale + zero)
            }
        } else if identity {
            for r in 0 ..< count { out[r] = Double(T(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: T.self))) }
        } else {
            for r in 0 ..< count {
                out[r] = Double(T(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: T.self))) * scale + zero
            }
        }
    }

    /// `precision=float32` columns (E or D): cfitsio's conversion to float.
    private func singles(_ plan: FITSReader.ColumnPlan, _ src: UnsafeRawPointer, _ count: Int, _ out: UnsafeMutablePointer<Float>) {
        let stride = rowLength, scale = plan.scale, zero = plan.zero
        let identity = scale == 1 && zero == 0
        if plan.typecode == 42 {
            for r in 0 ..< count {
                let v = Float(bitPattern: UInt32(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: UInt32.self)))
                out[r] = identity ? v : Float(Double(v) * scale + zero)
            }
        } else {
            for r in 0 ..< count {
                let v = Double(bitPattern: UInt64(bigEndian: src.loadUnaligned(fromByteOffset: r * stride, as: UInt64.self)))
                out[r] = Float(identity ? v : v * scale + zero)
            }
        }
    }

    private func logicals(_ src: UnsafeRawPointer, _ count: Int, _ out: UnsafeMutablePointer<Double>) {
        for r in 0 ..< count {
            switch src.load(fromByteOffset: r * rowLength, as: UInt8.self) {
            case UInt8(ascii: "T"): out[r] = 1
            case UInt8(ascii: "F"): out[r] = 0
            case 0: out[r] = .nan
            default: out[r] = 1
            }
        }
    }

    private func texts(_ src: UnsafeRawPointer, width: Int, _ count: Int, _ out: UnsafeMutablePointer<String?>) {
        for r in 0 ..< count {
            let cell = UnsafeRawBufferPointer(start: src + r * rowLength, count: width)
            var end = 0
            while end < width, cell[end] != 0 { end += 1 }
            while end > 0, cell[end - 1] == 0x20 { end -= 1 }
            out[r] = end == 0 ? nil : String(decoding: UnsafeRawBufferPointer(rebasing: cell[0 ..< end]), as: UTF8.self)
        }
    }
}
