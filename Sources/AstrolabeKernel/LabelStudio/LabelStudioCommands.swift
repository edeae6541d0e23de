import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let labelStudio: [Verb] = [
        Verb("serve", usage: "serve labelstudio MODEL [port=9090] [host=127.0.0.1] [retrain=N] [score=probability|uncertainty] [user=NAME password=WORD]",
             summary: "Serve a model to Label Studio as its ML backend until Ctrl-C or SIGTERM; annotations become answers.",
             details: """
                 Label Studio's ML backend protocol over HTTP: GET /health; POST /setup checks the project's labelling
                 config (one single-choice <Choices> whose values are the model's classes, a tag reading the id column
                 as $ID: `export labelconfig` writes one); POST /predict gives one prediction per task (the class, score =
                 its probability or score=uncertainty, model_version NAME@FITS:LABELS); POST /webhook stores
                 ANNOTATION_CREATED/UPDATED as answers under the Label Studio user (skipped tasks as unsure) and
                 ANNOTATIONS_DELETED as undos, each on disk before the response, and retrains MODEL after every
                 retrain=N answers (a new model_version). Bodies over 10 MB, malformed JSON and unknown tasks get a 4xx
                 with the reason; user= and password= ask for HTTP basic auth; one log line per request on stderr.
                 Binds to loopback unless host= says otherwise. Run it at the prompt or as the last line of a script:
                 astrolabe --store labels.sqlite < serve.alab
                 example: serve labelstudio m port=9090 retrain=5
                 """,
             options: [.int("port", 0...65_535, default: 9090, "TCP port (0: any free port, named in the log)"),
                       .text("host", default: "127.0.0.1", "address to bind (0.0.0.0: every interface)"),
                       .int("retrain", 1...1_000_000, default: 1, "answers between retrains"),
                       .choice("score", ["probability", "uncertainty"], default: "probability",
                               "what a prediction's score is: the class probability or the model's uncertainty"),
                       .text("user", "basic auth user name (with password=)"), .text("password", "basic auth password (with user=)")],
             arguments: [.text, .model],
             provenance: .noted(SessionProvenance.noteLabelStudio),
             run: Session.serve),
        Verb("import", usage: "import labelstudio EXPORT.json [table=T]",
             summary: "Store the annotations of a Label Studio JSON export as answers, each under its Label Studio user.",
             details: """
                 Tasks are matched to rows by the id column's data field (as `export tasks` writes it). Every annotation
                 becomes an answer of its annotator (completed_by's email, else labelstudio-user-N); cancelled (skipped)
                 ones are stored as unsure; the lead time and the annotation id go into the answer's note. An answer the
                 annotator already has is not stored again. Gold policies and `agreement` then apply; models retrain.
                 example: import labelstudio exports/project-1.json
                 """,
             options: [.text("table", "table whose rows the tasks are (default: the current one)")],
             arguments: [.text, .path],
             provenance: .noted(SessionProvenance.noteLabelStudio),
             run: Session.importLabelStudio),
    ]
}

/// The HTTP server behind `serve labelstudio`: installed by the executable (AstrolabeServe), so the
/// kernel needs no network library. It serves until interrupted and returns a summary.
public protocol LabelStudioServing: Sendable {
    func serve(_ backend: LabelStudioBackend) throws -> String
}

extension Session {
    /// The server `serve labelstudio` runs (nil: this front end cannot serve, e.g. the Jupyter kernel).
    public nonisolated(unsafe) static var labelStudioServer: (any LabelStudioServing)?

    /// The table of the model being served (for the provenance of the answers it stored).
    var labelStudioServedTable: String? { learning.labelStudioServed }

    func serve(_ command: ParsedCommand) throws -> [Output] {
        guard let what = command.positionals.first, what.text == "labelstudio" else {
            throw CommandError("serve speaks Label Studio's ML backend protocol: serve labelstudio MODEL",
                               at: command.positionals.first ?? command.verb, suggestion: "labelstudio")
        }
        let model = try requireModel(command.positionals.count > 1 ? command.positionals[1] : nil, verb: what)
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: what) }
        let user = command.word("user"), password = command.word("password")
        if (user == nil) != (password == nil) {
            throw CommandError("basic auth needs both user= and password=", at: user ?? password ?? command.verb)
        }
        guard let server = Session.labelStudioServer else {
            throw CommandError("this front end cannot serve HTTP: run `serve` in the astrolabe shell or a script it reads", at: command.verb)
        }
        let settings = LabelStudioBackend.Settings(host: command.text("host") ?? "127.0.0.1", port: try command.int("port"),
                                                   retrainEvery: try command.int("retrain"), user: user?.text, password: password?.text,
                                                   maxBody: 10 << 20)
        let backend = LabelStudioBackend(session: self, model: model, table: table, settings: settings,
                                         scoreByUncertainty: command.text("score") == "uncertainty")
        learning.labelStudioLines = []
        learning.labelStudioServed = table.name
        let summary: String
        do { summary = try server.serve(backend) } catch {
            throw CommandError("cannot serve on \(settings.host):\(settings.port): \(error)", at: command.verb)
        }
        return [.text(summary + ": \(plural(backend.answersStored, "answer")) stored, \(plural(backend.retrains, "retrain")); \(model.name) is now \(backend.modelVersion)")]
    }
}
