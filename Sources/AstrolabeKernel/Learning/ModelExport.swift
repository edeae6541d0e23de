import AstrolabeData
import AstrolabeLearn
import Foundation

/// `export model M to=PATH.onnx`: the fitted model as an ONNX graph (AstrolabeLearn's `ONNXExport`),
/// to classify a whole catalogue with onnxruntime outside Astrolabe (contrib/dask).
extension Session {
    func exportModel(_ command: ParsedCommand) throws -> [Output] {
        let usage = "export model MODEL to=PATH.onnx"
        let model = try requireModel(command.positionals.dropFirst().first, verb: command.positionals[0])
        let nameWord = command.positionals[1]
        if model.regression != nil {
            throw CommandError("`\(model.name)` is a regression model; `export model` writes classifiers (forest, extra-trees, "
                               + "tree, boosting, logistic) to ONNX", at: nameWord)
        }
        if let stray = command.positionals.dropFirst(2).first {
            throw CommandError("unexpected `\(stray.text)`: \(usage)", at: stray)
        }
        for key in ["with", "columns", "rows", "all", "bins", "xrange", "yrange"] {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= is not for `export model`: \(usage)", offset: o.keyOffset, length: o.key.count)
            }
        }
        guard let to = command.word("to") else {
            throw CommandError("expected to=PATH.onnx: \(usage)", offset: nameWord.offset + nameWord.length, length: 1)
        }
        guard (to.text as NSString).pathExtension.lowercased() == "onnx" else {
            throw CommandError("export model writes .onnx files, not `\(to.text)`", at: to)
        }
        let kind = model.classifierName
        guard ONNXExport.supportedKinds.contains(kind) else {
            let description = ClassifierKind.named(kind)?.description ?? kind
            let kinds = ONNXExport.supportedKinds
            throw CommandError("model `\(model.name)` (\(description)) has no faithful ONNX form here; export model writes "
                               + kinds.dropLast().joined(separator: ", ") + " and \(kinds.last ?? "") models", at: nameWord)
        }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no labels yet: teach it before exporting", at: nameWord)
        }
        let bytes: [UInt8]
        do {
            bytes = try ONNXExport.model(model.classifier, features: model.features, classes: model.classes, kind: kind)
        } catch let error as LearnError {
            throw CommandError("model `\(model.name)` cannot be exported: \(error.message)", at: nameWord)
        }
        try writeFile(bytes, to: to.text, word: to)
        return [.text("wrote \(to.text): \(kind) on \(plural(model.features.count, "feature")) → "
                      + "\(model.classes.joined(separator: ", ")) (ONNX, \(formatBytes(bytes.count)))")]
    }
}
