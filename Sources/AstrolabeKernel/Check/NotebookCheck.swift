import Foundation

/// `astrolabe check`: compares a committed notebook with a fresh replay of its script, output by
/// output — text exactly, figures pixel by pixel (exactly, or within a per-channel tolerance) — and
/// describes every difference in words a reader can act on.
public enum NotebookCheck {
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        /// 1-based cell number in the notebook.
        public var cell: Int
        /// Where the cell starts in the script, when known (`FILE:LINE`).
        public var place: String?
        public var message: String
        public var description: String {
            "cell \(cell)" + (place.map { " (\($0))" } ?? "") + ": " + message
        }
    }

    public struct Report: Sendable {
        public var differences: [Difference]
        public var cells: Int
        public var outputs: Int
        public var figures: Int
        public var matches: Bool { differences.isEmpty }
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameters:
    ///   - notebook: the committed `.ipynb` bytes.
    ///   - replay: the fresh replay of the script.
    ///   - tolerance: largest per-channel difference (0–255) still counted as the same pixel.
    public static func compare(notebook: [UInt8], replay: ReplayResult, tolerance: Int = 0) throws -> Report {
        let expected: JSONValue
        do { expected = try JSONReader.parse(notebook) } catch let error as JSONReader.SyntaxError {
            throw ReadError(description: "not a JSON notebook: \(error)")
        }
        guard expected["nbformat"]?.intValue == 4, let expectedCells = expected["cells"]?.arrayValue else {
            throw ReadError(description: "not an nbformat 4 notebook (no `nbformat: 4` and `cells`)")
        }
        let actual = NotebookWriter.notebook(replay)
        let actualCells = actual["cells"]?.arrayValue ?? []
        var report = Report(differences: [], cells: actualCells.count, outputs: 0, figures: 0)
        func place(_ index: Int) -> String? {
            guard index < replay.cells.count, case .code(_, let commands) = replay.cells[index].cell,
                  let first = commands.first, let file = first.location.file else { return nil }
            return "\(file):\(first.location.line)"
        }
        func note(_ index: Int, _ message: String) {
            report.differences.append(Difference(cell: index + 1, place: place(index), message: message))
        }

        if !contains(expected["metadata"] ?? .null, actual["metadata"] ?? .null) {
            report.differences.append(Difference(cell: 0, place: nil, message: "notebook metadata differs:\n"
                + LineDiff.render(expected: JSONWriter.write(expected["metadata"] ?? .null),
                                  actual: JSONWriter.write(actual["metadata"] ?? .null))))
        }
        if expectedCells.count != actualCells.count {
            report.differences.append(Difference(cell: 0, place: nil, message:
                "the notebook has \(expectedCells.count) cells, the script replays into \(actualCells.count): it was made from another version of the script"))
        }
        for index in 0..<min(expectedCells.count, actualCells.count) {
            let e = expectedCells[index], a = actualCells[index]
            let eType = e["cell_type"]?.stringValue ?? "?", aType = a["cell_type"]?.stringValue ?? "?"
            guard eType == aType else {
                note(index, "is a \(eType) cell in the notebook but a \(aType) cell in the script")
                continue
            }
            let eSource = e["source"]?.joinedText ?? "", aSource = a["source"]?.joinedText ?? ""
            if eSource != aSource {
                note(index, "\(eType == "markdown" ? "prose" : "source") differs from the script (- notebook, + script):\n"
                     + LineDiff.render(expected: eSource + "\n", actual: aSource + "\n"))
                if eType == "markdown" { continue }
            }
            guard aType == "code" else { continue }
            if e["execution_count"] != a["execution_count"] {
                note(index, "execution count \(describe(e["execution_count"])) in the notebook, \(describe(a["execution_count"])) in the replay")
            }
            let eOutputs = coalescingStreams(e["outputs"]?.arrayValue ?? []), aOutputs = a["outputs"]?.arrayValue ?? []
            report.outputs += aOutputs.count
            for n in 0..<max(eOutputs.count, aOutputs.count) {
                guard n < eOutputs.count else { note(index, "the replay has an extra output \(n + 1): \(summary(aOutputs[n]))"); continue }
                guard n < aOutputs.count else { note(index, "output \(n + 1) is missing from the replay: \(summary(eOutputs[n]))"); continue }
                if let message = compareOutput(eOutputs[n], aOutputs[n], tolerance: tolerance, figures: &report.figures) {
                    note(index, "output \(n + 1) " + message)
                }
            }
        }
        return report
    }

    /// Whether `notebook` holds everything `replay` has: objects may have more keys. Jupyter adds
    /// metadata of its own (the kernel's language version, codemirror mode, widget state…) that a
    /// replay does not write and that says nothing about the analysis.
    static func contains(_ notebook: JSONValue, _ replay: JSONValue) -> Bool {
        guard let replayObject = replay.objectValue else { return notebook == replay }
        guard let notebookObject = notebook.objectValue else { return false }
        return replayObject.allSatisfy { key, value in notebookObject[key].map { contains($0, value) } ?? false }
    }

    /// The outputs with consecutive text on the same stream merged into one, as the replay writes
    /// them and as Jupyter's front ends show them; a notebook executed by nbclient keeps one stream
    /// output per message.
    static func coalescingStreams(_ outputs: [JSONValue]) -> [JSONValue] {
        var result: [JSONValue] = []
        for output in outputs {
            if output["output_type"]?.stringValue == "stream", let last = result.last,
               last["output_type"]?.stringValue == "stream", last["name"] == output["name"],
               case .object(var merged) = last {
                merged["text"] = .string((last["text"]?.joinedText ?? "") + (output["text"]?.joinedText ?? ""))
                result[result.count - 1] = .object(merged)
            } else {
                result.append(output)
            }
        }
        return result
    }

    /// nil when the outputs match.
    static func compareOutput(_ e: JSONValue, _ a: JSONValue, tolerance: Int, figures: inout Int) -> String? {
        let eType = e["output_type"]?.stringValue ?? "?", aType = a["output_type"]?.stringValue ?? "?"
        guard eType == aType else { return "was \(summary(e)) in the notebook, \(summary(a)) in the replay" }
        switch aType {
        case "stream":
            let eName = e["name"]?.stringValue ?? "", aName = a["name"]?.stringValue ?? ""
            let eText = e["text"]?.joinedText ?? "", aText = a["text"]?.joinedText ?? ""
            if eName != aName { return "went to \(eName) in the notebook, \(aName) in the replay" }
            if eText != aText { return "(\(aName)) text differs (- notebook, + replay):\n" + LineDiff.render(expected: eText, actual: aText) }
            return nil
        case "error":
            let eText = e["traceback"]?.arrayValue?.compactMap(\.stringValue).joined(separator: "\n") ?? ""
            let aText = a["traceback"]?.arrayValue?.compactMap(\.stringValue).joined(separator: "\n") ?? ""
            if eText != aText || e["evalue"] != a["evalue"] {
                return "(error) differs (- notebook, + replay):\n" + LineDiff.render(expected: eText + "\n", actual: aText + "\n")
            }
            return nil
        case "display_data", "execute_result":
            var problems: [String] = []
            let eData = e["data"]?.objectValue ?? [:], aData = a["data"]?.objectValue ?? [:]
            if let ePNG = eData["image/png"]?.joinedText, let aPNG = aData["image/png"]?.joinedText {
                figures += 1
                if ePNG != aPNG, let message = compareFigures(ePNG, aPNG, tolerance: tolerance) { problems.append(message) }
            } else if (eData["image/png"] == nil) != (aData["image/png"] == nil) {
                problems.append(eData["image/png"] == nil ? "the replay made a figure the notebook does not have"
                                                         : "the notebook has a figure the replay did not make")
            }
            for key in Set(eData.keys).union(aData.keys).sorted() where key != "image/png" {
                let eText = eData[key]?.joinedText ?? "", aText = aData[key]?.joinedText ?? ""
                if eText != aText { problems.append("\(key) differs (- notebook, + replay):\n" + LineDiff.render(expected: eText + "\n", actual: aText + "\n")) }
            }
            return problems.isEmpty ? nil : problems.joined(separator: "\n")
        default:
            return e == a ? nil : "(\(aType)) differs"
        }
    }

    /// Compares two base64 PNGs by their pixels; nil when they match within `tolerance`.
    static func compareFigures(_ eBase64: String, _ aBase64: String, tolerance: Int) -> String? {
        guard let eBytes = Data(base64Encoded: eBase64, options: .ignoreUnknownCharacters),
              let eImage = PNGPixels(png: [UInt8](eBytes)) else { return "the notebook's figure is not a readable PNG" }
        guard let aBytes = Data(base64Encoded: aBase64), let aImage = PNGPixels(png: [UInt8](aBytes)) else {
            return "the replay's figure is not a readable PNG"
        }
        guard let difference = eImage.difference(from: aImage, tolerance: tolerance) else {
            return "figure size changed: \(eImage.width)×\(eImage.height) in the notebook, \(aImage.width)×\(aImage.height) in the replay"
        }
        guard difference.differingPixels > 0 else { return nil }
        var text = "figure differs in \(difference.differingPixels) of \(aImage.width * aImage.height) pixels"
        text += " (largest channel difference \(difference.largestChannelDifference), tolerance \(tolerance))"
        if let box = difference.box {
            text += box.minX == box.maxX && box.minY == box.maxY
                ? " at x=\(box.minX), y=\(box.minY)"
                : " within x \(box.minX)…\(box.maxX), y \(box.minY)…\(box.maxY)"
        }
        return text
    }

    static func describe(_ value: JSONValue?) -> String {
        guard let value else { return "none" }
        if case .null = value { return "none" }
        return JSONWriter.compact(value)
    }

    /// A few words about an output, for outputs present on one side only.
    static func summary(_ output: JSONValue) -> String {
        let type = output["output_type"]?.stringValue ?? "?"
        switch type {
        case "stream":
            let first = (output["text"]?.joinedText ?? "").split(separator: "\n").first.map(String.init) ?? ""
            return "\(output["name"]?.stringValue ?? "stream") text “\(first)”"
        case "error": return "an error: \(output["evalue"]?.stringValue ?? "")"
        case "display_data", "execute_result":
            return output["data"]?["image/png"] != nil ? "a figure \(output["data"]?["text/plain"]?.joinedText ?? "")" : type
        default: return type
        }
    }
}
