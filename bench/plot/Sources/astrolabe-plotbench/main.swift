// Astrolabe's side of peer benchmark B1 (../shared/bench/peers/b1_density.py): the same points, the
// same 1000×1000 canvas, eq_hist, viridis, each step timed separately (median of 5 after 1 warm-up).
//
//   swift build -c release --product astrolabe-plotbench
//   .build/release/astrolabe-plotbench DATADIR [OUTDIR]
//
// DATADIR holds points_10m.npy / points_10m_cat.npy from gen_data.py. When OUTDIR/agg_count_10m.npy
// (written by b1_density.py) exists, our aggregate is compared with datashader's pixel for pixel.
import AstrolabePlot
import Foundation

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: astrolabe-plotbench DATADIR [DATASHADER_OUTDIR] [--png-sweep] [--figure-sweep]\n".utf8))
    exit(2)
}
let dataDir = args[1]
let dsOut = args.count >= 3 && !args[2].hasPrefix("--") ? args[2] : nil
let sweep = args.contains("--png-sweep")
let figureSweep = args.contains("--figure-sweep")
let repeats = Int(ProcessInfo.processInfo.environment["PEERS_REPEATS"] ?? "") ?? 5

/// A .npy file's raw little-endian payload after its header.
func npyPayload(_ path: String) throws -> Data {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    return data.subdata(in: (10 + headerLength)..<data.count)
}

func loadPoints(_ key: String) throws -> (x: [Double], y: [Double], cat: [Int32]) {
    let xy = try npyPayload("\(dataDir)/points_\(key).npy")
    let n = xy.count / 16
    var x = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
    xy.withUnsafeBytes { raw in
        let d = raw.bindMemory(to: Double.self)
        for i in 0..<n { x[i] = d[2 * i]; y[i] = d[2 * i + 1] }
    }
    let c = try npyPayload("\(dataDir)/points_\(key)_cat.npy")
    let cat = c.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
    return (x, y, cat)
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func cpu() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }

/// Runs `body` 1 + repeats times; returns median wall and CPU seconds of the timed runs.
func bench<T>(_ body: () throws -> T) rethrows -> (wall: Double, cpu: Double, result: T) {
    var result = try body()
    var walls: [Double] = [], cpus: [Double] = []
    for _ in 0..<repeats {
        let w0 = now(), c0 = cpu()
        result = try body()
        walls.append(now() - w0); cpus.append(cpu() - c0)
    }
    return (median(walls), median(cpus), result)
}

func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }

let okabeIto6 = Array(CategoricalPalette.okabeIto.prefix(6))
let out = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-plotbench").path
try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)

for key in ["1m", "10m"] {
    let p = try loadPoints(key)
    print("== \(key): \(p.x.count) points")
    var rows: [(String, Double, Double)] = []
    let agg = try bench { () throws -> CountGrid in
        let (xr, yr) = try DensityAggregate.bounds(x: p.x, y: p.y)
        return try DensityAggregate.count(x: p.x, y: p.y, xRange: xr, yRange: yr, width: 1000, height: 1000)
    }
    rows.append(("agg count, auto range", agg.wall, agg.cpu))
    let bounds = try bench { try DensityAggregate.bounds(x: p.x, y: p.y) }
    rows.append(("  of which: range (bounds)", bounds.wall, bounds.cpu))
    let grid = agg.result
    let shade = try bench { try Shading.eqHist.shade(grid, colormap: .viridis, span: nil) }
    rows.append(("shade eq_hist viridis", shade.wall, shade.cpu))
    let png = try bench { () throws -> Int in
        let bytes = try PNGEncoder.encode(shade.result, dpi: 100, compression: .density)
        _ = FileManager.default.createFile(atPath: "\(out)/density_\(key).png", contents: Data(bytes))
        return bytes.count
    }
    rows.append(("PNG encode + write", png.wall, png.cpu))
    let whole = agg.wall + shade.wall + png.wall
    for r in rows { print(String(format: "  %-32@ %10@  (cpu %@)", r.0 as NSString, ms(r.1) as NSString, ms(r.2) as NSString)) }
    print("  agg+shade+PNG total: \(ms(whole)); PNG \(png.result) bytes; sum \(grid.total), nonzero px \(grid.counts.filter { $0 != 0 }.count), max \(grid.counts.max() ?? 0)")
    if let dsOut, let ds = try? npyPayload("\(dsOut)/agg_count_\(key).npy") {
        // datashader's rows run from ymin upwards; ours from the top.
        let theirs = ds.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
        var same = theirs.count == grid.counts.count
        if same {
            for row in 0..<1000 where same {
                for col in 0..<1000 where grid.counts[row * 1000 + col] != theirs[(999 - row) * 1000 + col] { same = false; break }
            }
        }
        print("  aggregate identical to datashader's agg_count_\(key).npy: \(same)")
    }

    if key == "10m" {
        var crows: [(String, Double, Double)] = []
        let cagg = try bench { () throws -> CategoryGrid in
            let (xr, yr) = try DensityAggregate.bounds(x: p.x, y: p.y)
            return try DensityAggregate.countByCategory(x: p.x, y: p.y, codes: p.cat, categories: 6,
                                                        xRange: xr, yRange: yr, width: 1000, height: 1000)
        }
        crows.append(("categorical agg (6 classes)", cagg.wall, cagg.cpu))
        // The same aggregate without banding (one private 6 MB grid per core), for the ratio.
        let flat = try bench { () throws -> CategoryGrid in
            let (xr, yr) = try DensityAggregate.bounds(x: p.x, y: p.y)
            return try DensityAggregate.countByCategory(x: p.x, y: p.y, codes: p.cat, categories: 6,
                                                        xRange: xr, yRange: yr, width: 1000, height: 1000, banded: false)
        }
        crows.append(("categorical agg, not banded", flat.wall, flat.cpu))
        print("  banded and unbanded categorical aggregates identical: \(flat.result == cagg.result)")
        let cshade = try bench { try Shading.eqHist.colorize(cagg.result, colors: okabeIto6) }
        crows.append(("categorical shade eq_hist", cshade.wall, cshade.cpu))
        let cpng = try bench { () throws -> Int in
            let bytes = try PNGEncoder.encode(cshade.result, dpi: 100, compression: .density)
            _ = FileManager.default.createFile(atPath: "\(out)/categorical_\(key).png", contents: Data(bytes))
            return bytes.count
        }
        crows.append(("categorical PNG encode + write", cpng.wall, cpng.cpu))
        for r in crows { print(String(format: "  %-32@ %10@  (cpu %@)", r.0 as NSString, ms(r.1) as NSString, ms(r.2) as NSString)) }
        print("  categorical total: \(ms(cagg.wall + cshade.wall + cpng.wall)); PNG \(cpng.result) bytes")

        if sweep {
            print("  PNG settings sweep on the 10M categorical image (level, strategy, filters → time, bytes):")
            for level in [1, 2] as [Int32] {
                for strategy in [0, 1, 3] as [Int32] {
                    for (fname, filters) in [("none", 0x08), ("sub", 0x10), ("up", 0x20), ("all", 0xF8)] as [(String, Int32)] {
                        let c = PNGCompression(zlibLevel: level, strategy: strategy, filters: filters)
                        let r = try bench { try PNGEncoder.encode(cshade.result, dpi: 100, compression: c).count }
                        print("    level \(level) strategy \(strategy) \(fname): \(ms(r.wall)) (cpu \(ms(r.cpu))) \(r.result) bytes")
                    }
                }
            }
            print("  PNG settings sweep on the 10M eq_hist image (level, strategy, filters → time, bytes):")
            for level in [1, 2, 3, 6, 9] as [Int32] {
                for strategy in [0, 1, 3] as [Int32] {
                    for (fname, filters) in [("none", 0x08), ("sub", 0x10), ("up", 0x20), ("paeth", 0x80), ("all", 0xF8)] as [(String, Int32)] {
                        let c = PNGCompression(zlibLevel: level, strategy: strategy, filters: filters)
                        let r = try bench { try PNGEncoder.encode(shade.result, dpi: 100, compression: c).count }
                        print("    level \(level) strategy \(strategy) \(fname): \(ms(r.wall)) \(r.result) bytes")
                    }
                }
            }
        }
    }
}

// The whole figure the `plot density x y spread=0 width=1000 height=1000` command draws for the 1M
// points (axes, ticks, colour bar), and the PNG settings for it: this is the figure the whole-process
// benchmark (CSV → PNG) writes.
if figureSweep {
    let p = try loadPoints("1m")
    var plot = DensityPlot(x: p.x, y: p.y, xLabel: "x", yLabel: "y")
    plot.spreading = .none
    let style = FigureStyle(width: 1000, height: 1000)
    let rendered = try bench { try plot.renderFigure(style: style).image }
    print("== figure 1000×1000, 1M points: render (aggregate, shade, axes, colour bar) \(ms(rendered.wall)) (cpu \(ms(rendered.cpu)))")
    func pngSweep(_ image: RGBAImage, levels: [Int32], strategies: [Int32]) throws {
        for level in levels {
            for strategy in strategies {
                for (fname, filters) in [("none", 0x08), ("sub", 0x10), ("up", 0x20), ("paeth", 0x80), ("all", 0xF8)] as [(String, Int32)] {
                    let c = PNGCompression(zlibLevel: level, strategy: strategy, filters: filters)
                    let r = try bench { try PNGEncoder.encode(image, dpi: 100, compression: c).count }
                    print("    level \(level) strategy \(strategy) \(fname): \(ms(r.wall)) (cpu \(ms(r.cpu))) \(r.result) bytes")
                }
            }
        }
    }
    print("  PNG settings on the figure (level, strategy, filters → wall, cpu, bytes):")
    try pngSweep(rendered.result, levels: [1, 2, 3, 4, 6], strategies: [0, 1])
    // A figure of another kind: antialiased markers and text (scatter of 20k points, 800×600).
    let scatter = ScatterPlot(x: Array(p.x.prefix(20_000)), y: Array(p.y.prefix(20_000)), xLabel: "x", yLabel: "y")
    let scatterImage = try scatter.render(style: FigureStyle(width: 800, height: 600))
    print("  PNG settings on a 20k-point scatter figure, 800×600:")
    try pngSweep(scatterImage, levels: [1, 3, 6], strategies: [0])
}
