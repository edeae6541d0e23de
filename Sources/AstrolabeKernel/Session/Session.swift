import AstrolabeData
import Foundation
import OrderedCollections

/// Settings fixed when a session starts.
public struct SessionOptions: Sendable {
    /// Directory relative paths in commands resolve against (the script's or the shell's).
    public var workingDirectory: String
    /// Label store (SQLite). nil: a throwaway in-memory store, so replays start from nothing.
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
    let store: LabelStore

    /// Tables, views, models and the current table; only its methods change them, keeping the
    /// invariants listed in Workspace.swift. The properties below read it.
    var workspace = Workspace()
    var tables: OrderedDictionary<String, Table> { workspace.tables }
    var tableOrder: [String] { Array(workspace.tables.keys) }
    var viewBases: [String: String] { workspace.viewBases }
    var viewParents: [String: String] { workspace.viewParents }
    var currentTableName: String? { workspace.currentTableName }
    var models: OrderedDictionary<String, ActiveModel> { workspace.models }
    var modelOrder: [String] { Array(workspace.models.keys) }

    // Labels, per table name: set by `load` and the views, changed by the answers.
    /// Declared classes per table (nil: the distinct values of the label column).
    var declaredClasses: [String: ClassSet] = [:]
    /// Human answers per table, by row index; kept equal to the store's current answers.
    var answers: [String: [Int: LabelRecord]] = [:]
    /// Who is answering, every annotator's answers and the gold policy (Labels/TeamAnswers.swift).
    var team = TeamState()
    /// Teach-loop state: skipped rows, answer history for `undo`, retraining cadence.
    var learning = LearningState()
    /// Labelling rules per table and the label models fitted on them (Learning/RuleState.swift).
    var ruleState = RuleState()

    // Plots.
    /// Plot defaults (`set plot.X=`) and the last plot (`replot`); see PlotSettings.swift.
    var plotSettings = PlotSettings()
    /// Figures written without `to=` so far (they are numbered `plots/figure-N.png`).
    var figureCount = 0

    // What the session did, to write it back.
    /// How each table was loaded, each feature defined, each model made: what `save session` and
    /// `save config` write back, since the state itself keeps only the results.
    var provenance = SessionProvenance()
    /// Per table: where `image` cutouts come from, and the photometry `sed` declared (Cutouts/).
    var cutouts = CutoutState()

    /// Every command that succeeded, as typed (plus restored answers as explicit `teach` lines).
    var transcript: [String] = []
    /// Lines a command adds to the transcript after itself (answers restored by `load`).
    var transcriptFollowUps: [String] = []
    var recording: FileHandle?
    var recordingPath: String?

    public init(options: SessionOptions) throws {
        self.options = options
        do {
            let path = options.storePath.map { $0 == ":memory:" ? $0 : Session.resolve($0, in: options.workingDirectory) }
            store = try LabelStore(path: path ?? ":memory:")
        } catch let error as LabelStoreError {
            throw Diagnostic(error.description)
        }
    }

    /// Runs one logical command line (continuation lines already joined, comments allowed).
    /// Never throws: problems come back as `Execution.error`, and the session stays usable.
    public func execute(_ line: String, location: SourceLocation = SourceLocation()) -> Execution {
        Cancellation.reset()
        func diagnostic(_ message: String, offset: Int?, length: Int, suggestion: String?) -> Diagnostic {
            var where_ = location
            where_.column = location.column + (offset ?? 0)
            return Diagnostic(message, location: where_, length: length,
                              sourceLine: line.trimmingCharacters(in: .newlines), suggestion: suggestion)
        }
        let command: ParsedCommand
        do {
            guard let parsed = try CommandParser.parse(line) else { return Execution() }
            command = parsed
        } catch let error as CommandLexer.LexError {
            return Execution(error: diagnostic(error.message, offset: error.offset, length: error.length, suggestion: nil))
        } catch {
            return Execution(error: diagnostic(String(describing: error), offset: nil, length: 1, suggestion: nil))
        }
        do {
            transcriptFollowUps = []
            var outputs = try run(command)
            if command.verb.text != "record" && command.verb.text != "help" && !isInteractiveLoop(command) {
                outputs += appendToTranscript(line.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            outputs += transcriptFollowUps.flatMap(appendToTranscript)
            transcriptFollowUps = []
            return Execution(outputs: outputs)
        } catch let error as CommandError {
            return Execution(error: diagnostic(error.message, offset: error.offset ?? command.verb.offset,
                                               length: error.offset == nil ? command.verb.length : error.length,
                                               suggestion: error.suggestion))
        } catch is Cancelled {
            return Execution(error: diagnostic("interrupted", offset: nil, length: command.verb.length, suggestion: nil))
        } catch let error as DataError {
            return Execution(error: diagnostic(error.description, offset: command.verb.offset, length: command.verb.length, suggestion: nil))
        } catch {
            return Execution(error: diagnostic(String(describing: error), offset: command.verb.offset,
                                               length: command.verb.length, suggestion: nil))
        }
    }

    func run(_ command: ParsedCommand) throws -> [Output] {
        let name = command.verb.text
        guard let verb = VerbCatalog.named(name) else {
            throw CommandError("unknown command `\(name)`", at: command.verb,
                               suggestion: nearestName(to: name, in: VerbCatalog.names))
        }
        try checkOptions(command, verb: verb)
        try checkPositionals(command, verb: verb)
        let outputs = try verb.run(self)(command)
        if case .noted(let rule) = verb.provenance { rule(&provenance, command, self) }
        return outputs
    }

    /// Unknown options are errors with a did-you-mean, never silently ignored.
    func checkOptions(_ command: ParsedCommand, verb: Verb) throws {
        if verb.freeText { return }
        for option in command.options where !verb.optionNames.contains(option.key) {
            let message = verb.options.isEmpty
                ? "`\(verb.name)` takes no options"
                : "unknown option `\(option.key)` for `\(verb.name)` (expected one of: \(verb.optionNames.joined(separator: ", ")))"
            throw CommandError(message, offset: option.keyOffset, length: option.key.count,
                               suggestion: nearestName(to: option.key, in: verb.optionNames))
        }
    }

    /// Extra positional arguments are errors, never silently ignored (`head 1 junk`).
    func checkPositionals(_ command: ParsedCommand, verb: Verb) throws {
        guard !verb.freeText, command.positionals.count > verb.maxPositionals else { return }
        let stray = command.positionals[verb.maxPositionals]
        let takes = verb.maxPositionals == 0 ? "takes no arguments" : "takes at most \(plural(verb.maxPositionals, "argument"))"
        throw CommandError("unexpected `\(stray.text)`: `\(verb.name)` \(takes) (usage: \(verb.usage))", at: stray)
    }

    // MARK: Paths

    static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") || directory == "." || directory.isEmpty { return path }
        return (directory as NSString).appendingPathComponent(path)
    }

    func resolve(_ path: String) -> String { Session.resolve(path, in: options.workingDirectory) }

    // MARK: Current table

    func currentTable(for word: Word? = nil) throws -> Table {
        guard let table = workspace.currentTable else {
            throw CommandError("no table loaded yet: start with `load PATH`", offset: word?.offset, length: word?.length ?? 1)
        }
        return table
    }

    // MARK: Recording

    /// Adds a line to the transcript and the recording; a warning when the recording just stopped.
    func appendToTranscript(_ line: String) -> [Output] {
        transcript.append(line)
        return writeToRecording(line + "\n").map { [$0] } ?? []
    }

    /// Writes to the recording file. A failed write (a full disk) stops the recording with a
    /// warning, once; the session goes on, since the transcript is still in memory.
    func writeToRecording(_ text: String) -> Output? {
        guard let recording else { return nil }
        do {
            try recording.write(contentsOf: Data(text.utf8))
        } catch {
            try? recording.close()
            self.recording = nil
            return .warning("recording to \(recordingPath ?? "") stopped: \(Session.reason(error)); the session goes on "
                            + "(`record PATH` writes everything so far to another file)")
        }
        // fsync fails on pipes and devices that take the bytes all the same: not a lost recording.
        try? recording.synchronize()
        return nil
    }

    /// Starts writing every successful command to `path` as a replayable script (the REPL's
    /// `--record`); the `record` command does the same from inside a session. Throws when the
    /// file cannot be opened; returns a warning when writing to it fails (see `writeToRecording`).
    public func startRecording(to path: String) throws -> Output? {
        let full = resolve(path)
        let dir = (full as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        // open(2), not FileManager.createFile: that writes a temporary file and renames it over
        // the path, which would replace a device such as /dev/stdout.
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CommandError("cannot write the recording to \(path): \(String(cString: strerror(errno)))")
        }
        try? recording?.close()
        recording = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        recordingPath = path
        var text = "# Astrolabe session recording: replay with `astrolabe run \(path)`\n\n"
        text += transcript.map { $0 + "\n" }.joined()
        return writeToRecording(text)
    }

    /// An I/O error in a few words (`No space left on device`).
    static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }

    // MARK: Shutdown

    /// Why the label store cannot take answers (SQLite found it damaged), or nil.
    public var storeDamage: String? { store.damage.map { "the label store \(store.path) is unusable (\($0)): answers will not be stored" } }

    /// Leaves the label store as one self-contained file (see `LabelStore.close`) and closes the
    /// recording. Every front end calls this on every way out; later answers are errors.
    public func close() {
        store.close()
        try? recording?.close()
        recording = nil
    }
}
