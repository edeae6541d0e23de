import Foundation
import XCTest

/// What one run of the `astrolabe` binary did.
struct AstrolabeRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The build products directory: the `astrolabe` executable sits next to the test bundle.
var productsDirectory: URL {
    #if os(macOS)
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
    }
    #endif
    return Bundle.main.bundleURL
}

/// Runs the built binary in `directory` as a user or a Makefile would, feeding `stdin`.
func runAstrolabe(_ arguments: [String], stdin: String = "", in directory: URL) throws -> AstrolabeRun {
    let binary = productsDirectory.appendingPathComponent("astrolabe")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        XCTFail("no astrolabe binary at \(binary.path); build it with `swift build --build-tests`")
        return AstrolabeRun(status: -1, stdout: "", stderr: "")
    }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["ASTROLABE_HISTORY"] = directory.appendingPathComponent("history").path
    process.environment = environment
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { errData = errors.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return AstrolabeRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                        stderr: String(decoding: errData, as: UTF8.self))
}

/// Runs `python -c code args...` with the interpreter the Makefile provides (a venv with nbformat),
/// or returns nil when ASTROLABE_PYTHON is not set.
func runPython(_ code: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
    guard let python = ProcessInfo.processInfo.environment["ASTROLABE_PYTHON"], !python.isEmpty else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", code] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The checkout this test file belongs to.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh working folder laid out like a checkout: `Samples/` linked, and the named files of
/// `Notebooks/` copied, so a replay writes only inside the folder.
func notebookWorkspace(copying names: [String]) throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("astrolabe-workspace-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("Notebooks"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("Samples"),
                                               withDestinationURL: repositoryRoot.appendingPathComponent("Samples"))
    for name in names {
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Notebooks/" + name),
                                         to: directory.appendingPathComponent("Notebooks/" + name))
    }
    return directory
}
