import AstrolabeData
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let files: [Verb] = [
        Verb("save", usage: "save session PATH.alab | save config PATH.json",
             summary: "Write the shortest script that rebuilds this session, or its configuration as JSON.",
             details: """
                 save session: per table its load and features (and joins); the classes and answers as they were when
                 its first model (or view, `load model FILE`, or `find`) came, one line per row; then what changed since,
                 in order — views made (where, sample), models made, answers (teach, unsure, undo, skip), class and feature
                 changes, `retrain` and its `every=N` cadence, `find` and `testset use` — so each view has the same rows and
                 each model fits as often, on the same labels, and predicts with the same version (NAME@FITS).
                 Replay it with `astrolabe run PATH`.
                 save config: the current table's dataset, column roles, classes and colours, features, views, models and
                 answers (every annotator's, with the active annotator and gold policy) as one JSON document;
                 `load config PATH` rebuilds and retrains from it.
                 example: save session sessions/blazars.alab
                 """,
             arguments: [.text, .path],
             provenance: .writesFiles,
             run: Session.save),
    ]
}

/// `save session`, `save config`, and `load config` (reached through `load`, which shares its verb).
extension Session {
    func save(_ command: ParsedCommand) throws -> [Output] {
        let kinds = ["session", "config"]
        guard let kind = command.positionals.first else {
            throw CommandError("expected what to save: save session PATH or save config PATH",
                               offset: command.verb.offset + command.verb.length, length: 1)
        }
        guard kinds.contains(kind.text) else {
            throw CommandError("cannot save `\(kind.text)` (expected session or config)", at: kind,
                               suggestion: nearestName(to: kind.text, in: kinds))
        }
        guard command.positionals.count >= 2 else {
            throw CommandError("expected a file path: save \(kind.text) PATH", offset: kind.offset + kind.length, length: 1)
        }
        let path = command.positionals[1]
        if let stray = command.positionals.dropFirst(2).first {
            throw CommandError("unexpected `\(stray.text)`: save \(kind.text) PATH", at: stray)
        }
        if kind.text == "session" {
            let (text, counts) = sessionScript()
            guard counts.tables > 0 else {
                throw CommandError("nothing to save yet: load a table first", at: kind)
            }
            try writeFile(Array(text.utf8), to: path.text, word: path)
            let views = counts.views > 0 ? ", \(plural(counts.views, "view"))" : ""
            var outputs: [Output] = [.text("saved session to \(path.text): \(plural(counts.tables, "table"))\(views), "
                                           + "\(plural(counts.features, "feature")), \(plural(counts.models, "model")), \(plural(counts.answers, "answer"))")]
            if !counts.lost.isEmpty {
                outputs.append(.warning("not saved: \(counts.lost.joined(separator: ", ")), made from a table that was loaded again since"))
            }
            return outputs
        }
        let document: JSONValue
        do { document = try configuration() } catch let error as CommandError {
            throw CommandError(error.message, at: kind)
        }
        try writeFile(Array((JSONWriter.write(document, indent: 2) + "\n").utf8), to: path.text, word: path)
        var text = "saved configuration of \(currentTableName ?? "") to \(path.text)"
        let others = savableTables.count - 1
        if others > 0 { text += " (\(plural(others, "other table")) not included: a configuration holds one dataset)" }
        return [.text(text)]
    }

    /// `load config PATH`.
    func loadConfig(_ command: ParsedCommand) throws -> [Output] {
        let path = command.positionals[1]
        guard let data = FileManager.default.contents(atPath: resolve(path.text)) else {
            throw CommandError("cannot read \(path.text)", at: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandError("\(path.text) is not UTF-8 text", at: path)
        }
        do {
            var outputs = try allOrNothing { try applyConfiguration(text: text, file: path.text) }
            outputs.append(.text("loaded configuration \(path.text)"))
            return outputs
        } catch let error as CommandError {
            throw CommandError(error.message, at: path, suggestion: error.suggestion)
        }
    }
}
