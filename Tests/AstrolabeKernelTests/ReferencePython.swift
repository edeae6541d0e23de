import Foundation
import XCTest

/// The Python the reference checks run with: `ASTROLABE_PYTHON`, which `make test` points at
/// `.venv` (nbformat, astropy, pandas, onnx, onnxruntime, pyarrow). Skips the test when unset.
func referencePython(needing what: String) throws -> String {
    guard let python = ProcessInfo.processInfo.environment["ASTROLABE_PYTHON"], !python.isEmpty else {
        throw XCTSkip("ASTROLABE_PYTHON is not set (make test sets it to a venv with \(what))")
    }
    return python
}

/// Runs `python` with `arguments`: its exit status, standard output, and standard error as text.
func runPython(_ python: String, _ arguments: [String]) throws -> (status: Int32, output: Data, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = arguments
    let pipe = Pipe(), errors = Pipe()
    process.standardOutput = pipe
    process.standardError = errors
    try process.run()
    // Read both pipes before waiting, so a large output cannot block the child.
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, data, problem)
}
