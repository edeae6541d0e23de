import AstrolabeData

/// Settings fixed when a session starts.
public struct SessionOptions: Sendable {
    /// Directory relative paths in commands resolve against (the script's or the shell's).
    public var workingDirectory: String
    /// Label store (SQLite). nil: `.astrolabe/labels.sqlite` under the working directory.
    public var storePath: String?
    /// Who gives the answers, recorded with each label.
    public var annotator: String
    /// Seed every random choice derives from.
    public var seed: UInt64
    /// True at a terminal prompt: enables progress and interactive-only behaviour.
    public var interactive: Bool

    public init(workingDirectory: String = ".", storePath: String? = nil, annotator: String = "user",
                seed: UInt64 = 42, interactive: Bool = false) {
        self.workingDirectory = workingDirectory
        self.storePath = storePath
        self.annotator = annotator
        self.seed = seed
        self.interactive = interactive
    }
}

/// The result of one command line.
public struct Execution: Sendable {
    public var outputs: [Output]
    public var error: Diagnostic?
    public init(outputs: [Output] = [], error: Diagnostic? = nil) {
        self.outputs = outputs
        self.error = error
    }
}

/// All state of one working session: tables, features, classes, models, labels, recording.
/// The REPL, `astrolabe run` and the Jupyter kernel all drive it through `execute`.
public final class Session {
    public let options: SessionOptions

    public init(options: SessionOptions) throws {
        self.options = options
    }

    /// Runs one logical command line (continuation lines already joined, comments allowed).
    /// Never throws: problems come back as `Execution.error`, and the session stays usable.
    public func execute(_ line: String, location: SourceLocation = SourceLocation()) -> Execution {
        Execution(outputs: [.text(line)])
    }

    /// Candidate completions for the word under `cursor` (a character offset into `line`):
    /// verbs at the start, option names (`key=`), column names, file paths after `load`/`to=`.
    public func completions(forLine line: String, cursor: Int) -> [String] { [] }

    /// `help` with no verb lists the verbs; `help VERB` describes one.
    public func help(_ verb: String?) -> String { "" }

    /// Starts writing every successful command to `path` as a replayable script
    /// (the REPL's `--record`); the `record` command does the same from inside a session.
    public func startRecording(to path: String) throws {}
}
