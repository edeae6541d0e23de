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
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // ECSV headers are YAML: parsed by a real YAML parser (LibYAML inside).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // `serve labelstudio`: the HTTP server of the Label Studio ML backend (AstrolabeServe only).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries: module map + shim header, nothing else.
        // readline and libzmq need no flags (their headers are in /usr/include), and their pkg-config
        // files carry flags SwiftPM refuses with a warning (-D_XOPEN_SOURCE, -isystem): no pkgConfig.
        .systemLibrary(name: "CReadline", path: "Sources/CReadline",
                       providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CFITSIO", path: "Sources/CFITSIO", pkgConfig: "cfitsio",
                       providers: [.apt(["libcfitsio-dev"])]),
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ",
                       providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // libdeflate: whole-buffer gzip inflate, several times zlib's speed (zlib stays for its diagnostics).
        .systemLibrary(name: "CLibDeflate", path: "Sources/CLibDeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CBZip2", path: "Sources/CBZip2", providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(name: "CLZMA", path: "Sources/CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // wcslib: sky position <-> image pixel from a FITS header (cutouts by position).
        .systemLibrary(name: "CWCS", path: "Sources/CWCS", providers: [.apt(["wcslib-dev"])]),
        // libjpeg(-turbo) behind a setjmp guard (its default error handler exits the process).
        .target(name: "CJPEG", path: "Sources/CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        // Parquet page codecs (snappy has no pkg-config file on Debian 12).
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // Not a system library: the CSV reader's all-numbers record loop in C with AVX2/AVX-512
        // intrinsics (each function compiled for its instruction set, chosen at run time).
        .target(name: "CFastCSV", path: "Sources/CFastCSV"),
        .target(name: "AstrolabeData", dependencies: ["CFITSIO", "CFastCSV", "CZlib", "CLibDeflate", "CBZip2", "CLZMA", "CLibXML2", "CWCS", "CSnappy", "CZstd",
                                                    .product(name: "Yams", package: "Yams")]),
        .target(name: "AstrolabeLearn", dependencies: ["AstrolabeData"]),
        .target(name: "AstrolabePlot", dependencies: ["AstrolabeData", "CPNG", "CCairo", "CJPEG"]),
        .target(name: "AstrolabeKernel",
                dependencies: ["AstrolabeData", "AstrolabeLearn", "AstrolabePlot", "CSQLite", "CPNG",
                               .product(name: "Ink", package: "Ink"),
                               .product(name: "OrderedCollections", package: "swift-collections")]),
        // The Jupyter kernel: the messaging protocol over ZeroMQ, driving a Session through its public API only.
        .target(name: "AstrolabeJupyter",
                dependencies: ["AstrolabeKernel", "AstrolabeData", "CZMQ",
                               .product(name: "Crypto", package: "swift-crypto")]),
        // The Label Studio ML backend over HTTP (Hummingbird/SwiftNIO); the protocol itself is the kernel's
        // LabelStudioBackend, so the kernel knows nothing of NIO.
        .target(name: "AstrolabeServe",
                dependencies: ["AstrolabeKernel", "AstrolabeData", .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "Logging", package: "swift-log")]),
        .executableTarget(name: "astrolabe",
                          dependencies: ["AstrolabeKernel", "AstrolabeJupyter", "AstrolabeServe", "CReadline",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Load benchmark (bench/load/run.sh runs it beside pandas and astropy); not part of the tests.
        .executableTarget(name: "astrolabe-bench", dependencies: ["AstrolabeData"], path: "bench/load/Sources"),

        // Sky cross-match and VOTable/compressed-CSV loads beside astropy, pandas, polars (bench/sky/run.sh); not part of the tests.
        .executableTarget(name: "astrolabe-skybench", dependencies: ["AstrolabeData"], path: "bench/sky/Sources"),

        // Benchmark of the active-learning engine against the peers (bench/learn/README.md); not run by `make test`.
        .executableTarget(name: "astrolabe-learnbench", dependencies: ["AstrolabeLearn"], path: "bench/learn/Sources"),
        // Label-model benchmark against snorkel and crowd-kit (bench/rules/run.sh); not run by `make test`.
        .executableTarget(name: "astrolabe-rulesbench", dependencies: ["AstrolabeLearn"], path: "bench/rules/Sources"),
        // Benchmark of `audit` against cleanlab and scikit-learn (bench/audit/README.md); not run by `make test`.
        .executableTarget(name: "astrolabe-auditbench", dependencies: ["AstrolabeLearn"], path: "bench/audit/Sources"),
        // Regression forest beside scikit-learn's RandomForestRegressor (bench/regress/run.sh); not run by `make test`.
        .executableTarget(name: "astrolabe-regressbench", dependencies: ["AstrolabeLearn"], path: "bench/regress/Sources"),

        .testTarget(name: "AstrolabeDataTests", dependencies: ["AstrolabeData"],
                    resources: [.copy("Fixtures")]),
        // Benchmark against datashader (peer benchmark B1): bench/plot/README.md.
        .executableTarget(name: "astrolabe-plotbench", dependencies: ["AstrolabePlot"],
                          path: "bench/plot/Sources/astrolabe-plotbench"),

        .testTarget(name: "AstrolabeLearnTests", dependencies: ["AstrolabeLearn"], exclude: ["Fixtures"]),
        .testTarget(name: "AstrolabePlotTests", dependencies: ["AstrolabePlot", "CPNG"]),
        .testTarget(name: "AstrolabeKernelTests", dependencies: ["AstrolabeKernel"], exclude: ["Fixtures"]),
        .testTarget(name: "AstrolabeJupyterTests", dependencies: ["AstrolabeJupyter"]),
        .testTarget(name: "AstrolabeServeTests", dependencies: ["AstrolabeServe", "AstrolabeKernel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["AstrolabeKernel", "AstrolabePlot"]),
    ]
)
