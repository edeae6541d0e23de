/// Writes a replayed script as a Jupyter notebook (nbformat 4.5).
///
/// The bytes depend only on the replay result: no timestamps, no absolute paths, keys sorted,
/// indent 1 and a final newline, as nbformat itself writes — so re-saving in Jupyter is a no-op.
public enum NotebookWriter {
    public static func ipynb(_ result: ReplayResult) -> [UInt8] {
        Array((JSONWriter.write(notebook(result)) + "\n").utf8)
    }

    /// The notebook as a JSON value (for callers that want to add metadata before writing).
    public static func notebook(_ result: ReplayResult) -> JSONValue {
        var cells: [JSONValue] = []
        for (index, cellResult) in result.cells.enumerated() {
            let id = JSONValue.string("cell-\(index + 1)")
            switch cellResult.cell {
            case .markdown(let text):
                cells.append(.object([
                    "cell_type": .string("markdown"),
                    "id": id,
                    "metadata": .object([:]),
                    "source": multiline(text),
                ]))
            case .code(let source, _):
                cells.append(.object([
                    "cell_type": .string("code"),
                    "execution_count": cellResult.executionCount.map { .int($0) } ?? .null,
                    "id": id,
                    "metadata": .object([:]),
                    "outputs": .array(outputs(cellResult.outputs)),
                    "source": multiline(source.joined(separator: "\n")),
                ]))
            }
        }
        return .object([
            "cells": .array(cells),
            "metadata": .object([
                "kernelspec": .object([
                    "display_name": .string("Astrolabe"),
                    "language": .string("astrolabe"),
                    "name": .string("astrolabe"),
                ]),
                "language_info": .object([
                    "file_extension": .string(".alab"),
                    "mimetype": .string("text/x-astrolabe"),
                    "name": .string("astrolabe"),
                ]),
            ]),
            "nbformat": .int(4),
            "nbformat_minor": .int(5),
        ])
    }

    /// Outputs in nbformat shape. Consecutive text on the same stream is merged into one output,
    /// as Jupyter does when it records a cell.
    static func outputs(_ cellOutputs: [CellOutput]) -> [JSONValue] {
        var result: [JSONValue] = []
        var stream: (name: String, text: String)? = nil
        func flushStream() {
            if let s = stream {
                result.append(.object([
                    "name": .string(s.name),
                    "output_type": .string("stream"),
                    "text": multiline(s.text),
                ]))
            }
            stream = nil
        }
        func appendStream(_ name: String, _ text: String) {
            let line = text.hasSuffix("\n") ? text : text + "\n"
            if let s = stream, s.name == name { stream = (name, s.text + line) }
            else { flushStream(); stream = (name, line) }
        }
        for output in cellOutputs {
            switch output {
            case .output(.text(let text)):
                appendStream("stdout", text)
            case .output(.warning(let text)):
                appendStream("stderr", "warning: " + text)
            case .output(.image(let image)):
                flushStream()
                result.append(.object([
                    "data": .object([
                        "image/png": .string(image.base64),
                        "text/plain": multiline(image.label),
                    ]),
                    "metadata": .object([
                        "image/png": .object(["height": .int(image.height), "width": .int(image.width)]),
                    ]),
                    "output_type": .string("display_data"),
                ]))
            case .error(let diagnostic):
                flushStream()
                result.append(.object(errorFields(diagnostic).merging(["output_type": .string("error")]) { a, _ in a }))
            }
        }
        flushStream()
        return result
    }

    /// An error as nbformat's error output and Jupyter's `error` message both hold it: `ename`,
    /// `evalue` (the message) and `traceback` (the rendered diagnostic, one line each).
    public static func errorFields(_ diagnostic: Diagnostic) -> [String: JSONValue] {
        ["ename": .string("Error"), "evalue": .string(diagnostic.description),
         "traceback": .array(Script.physicalLines(diagnostic.rendered).map { .string($0) })]
    }

    /// nbformat's multi-line string: a list of lines, each ending in "\n" except the last.
    static func multiline(_ text: String) -> JSONValue {
        var lines: [JSONValue] = []
        var current = ""
        for scalar in text.unicodeScalars {
            current.unicodeScalars.append(scalar)
            if scalar == "\n" { lines.append(.string(current)); current = "" }
        }
        if !current.isEmpty { lines.append(.string(current)) }
        return .array(lines)
    }
}

/// Standard base64 (RFC 4648, with padding, no line breaks).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)],
                    alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)],
                    alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
