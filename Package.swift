// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Astrolabe",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "astrolabe", targets: ["astrolabe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries: module map + shim header, nothing else.
        .systemLibrary(name: "CReadline", path: "Sources/CReadline", pkgConfig: "readline",
                       providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "AstrolabeData"),
        .target(name: "AstrolabeLearn", dependencies: ["AstrolabeData"]),
        .target(name: "AstrolabePlot", dependencies: ["AstrolabeData", "CPNG", "CCairo"]),
        .target(name: "AstrolabeKernel",
                dependencies: ["AstrolabeData", "AstrolabeLearn", "AstrolabePlot", "CSQLite"]),
        .executableTarget(name: "astrolabe",
                          dependencies: ["AstrolabeKernel", "CReadline",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Benchmark against datashader (peer benchmark B1): bench/plot/README.md.
        .executableTarget(name: "astrolabe-plotbench", dependencies: ["AstrolabePlot"],
                          path: "bench/plot/Sources/astrolabe-plotbench"),

        .testTarget(name: "AstrolabeDataTests", dependencies: ["AstrolabeData"]),
        .testTarget(name: "AstrolabeLearnTests", dependencies: ["AstrolabeLearn"]),
        .testTarget(name: "AstrolabePlotTests", dependencies: ["AstrolabePlot", "CPNG"]),
        .testTarget(name: "AstrolabeKernelTests", dependencies: ["AstrolabeKernel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["AstrolabeKernel"]),
    ]
)
