import ArgumentParser
import AstrolabeKernel
import Foundation

/// `astrolabe`: the root command. It declares no options of its own: a root option would take the
/// value of a subcommand's option of the same name (`astrolabe run --store FILE`), so the shell's
/// options live on `shell`, the default subcommand.
struct Astrolabe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "astrolabe",
        abstract: "Label and classify tabular data with active learning.",
        discussion: """
            With no subcommand, starts the interactive shell (`astrolabe shell --help` lists its \
            options: --record, --store, --annotator, --seed, -c). When stdin is not a terminal, \
            reads commands from it like a script and stops at the first error.
            """,
        subcommands: [Shell.self, Run.self, Check.self, Kernel.self],
        defaultSubcommand: Shell.self)
}

/// `astrolabe [shell]`: the interactive shell (or a line-by-line reader of piped stdin, or `-c` commands).
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The interactive shell (the default subcommand); also runs piped stdin or -c commands.")

    @Option(help: ArgumentHelp("Record every successful command to FILE as a replayable script.",
                               valueName: "file"))
    var record: String?

    @Option(help: ArgumentHelp("Label store (SQLite). Default at the prompt: .astrolabe/labels.sqlite in the current directory; for piped input and -c: an empty in-memory store.",
                               valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Who gives the answers (default: $USER).", valueName: "name"))
    var annotator: String?

    @Option(help: ArgumentHelp("Seed for every random choice.", valueName: "n"))
    var seed: UInt64 = 42

    @Option(name: .customShort("c"), parsing: .singleValue,
            help: ArgumentHelp("Run COMMAND and exit (repeatable; stops at the first error).",
                               valueName: "command"))
    var commands: [String] = []

    func run() throws {
        let interactive = commands.isEmpty && isatty(STDIN_FILENO) == 1
        let options = SessionOptions(
            workingDirectory: FileManager.default.currentDirectoryPath,
            // Answers typed at the prompt must survive a crash: interactive sessions use a store file
            // by default. Piped scripts and -c are replays, so they start from an empty store unless
            // --store says otherwise; their result then depends only on their commands.
            storePath: store ?? (interactive ? ".astrolabe/labels.sqlite" : nil),
            annotator: annotator ?? defaultAnnotator(),
            seed: seed,
            interactive: interactive)
        let session: Session
        do {
            session = try Session(options: options)
        } catch {
            Terminal.error("cannot start the session: \(error)")
            throw ExitCode.failure
        }
        // Every way out closes the store, so it is one self-contained file afterwards.
        defer { session.close() }
        Shutdown.install(closing: session)
        warnIfDamaged(session)
        if let record {
            do {
                if let warning = try session.startRecording(to: record) { Terminal.show(warning) }
            } catch {
                Terminal.error("cannot record to \(record): \(error)")
                throw ExitCode.failure
            }
        }
        Interrupts.install()
        if !commands.isEmpty {
            throw ExitCode(CommandRunner.runCommandLine(commands, session: session))
        } else if interactive {
            throw ExitCode(REPL(session: session, showsStartingAnnotator: annotator != nil).run())
        } else {
            throw ExitCode(CommandRunner.runStandardInput(session: session))
        }
    }
}

func defaultAnnotator() -> String {
    if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
    return "user"
}

/// Says at the start when the label store is damaged; each answer then says so again.
func warnIfDamaged(_ session: Session) {
    if let damage = session.storeDamage { Terminal.show(.warning(damage)) }
}
