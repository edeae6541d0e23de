// astrolabe-skybench: times one sky cross-match or one table load in a fresh process and prints a
// JSON line with the seconds (wall and CPU) and what was found; bench/sky/run.sh runs it beside
// astropy, pandas and polars on the same files.
//
// usage: astrolabe-skybench match LEFT.csv RIGHT.csv RADIUS_ARCSEC
//        astrolabe-skybench load PATH
import AstrolabeData
import Foundation

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, wall: Double, cpu: Double) {
    let c0 = cpuSeconds(), t0 = DispatchTime.now()
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9, cpuSeconds() - c0)
}

func positions(_ path: String) throws -> ([Double], [Double]) {
    let table = try CSVReader().read(path: path, tableName: "t")
    guard let ra = table.column(named: "ra")?.numbers, let dec = table.column(named: "dec")?.numbers else {
        throw DataError("no ra/dec columns", file: path)
    }
    return (ra, dec)
}

let args = CommandLine.arguments
do {
    switch (args.count, args.dropFirst().first) {
    case (5, "match"):
        let left = try positions(args[2]), right = try positions(args[3])
        let radius = Double(args[4]) ?? 1
        let (result, wall, cpu) = timed {
            SkyMatch.match(leftRA: left.0, leftDec: left.1, rightRA: right.0, rightDec: right.1, radius: radius, find: .best)
        }
        print("{\"case\": \"astrolabe_match\", \"rows\": \(left.0.count), \"seconds\": \(wall), \"cpu\": \(cpu), "
              + "\"matched\": \(result.matched), \"multiple\": \(result.multiple)}")
    case (3, "load"):
        let (loaded, wall, cpu) = try timed { try TableFileReader().readWithReport(path: args[2], tableName: "t").table }
        print("{\"case\": \"astrolabe_load\", \"path\": \"\(args[2])\", \"rows\": \(loaded.rowCount), \"seconds\": \(wall), \"cpu\": \(cpu)}")
    default:
        FileHandle.standardError.write(Data("usage: astrolabe-skybench match LEFT.csv RIGHT.csv RADIUS_ARCSEC | load PATH\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
