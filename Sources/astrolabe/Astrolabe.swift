import ArgumentParser
import AstrolabeKernel
import Foundation

/// `astrolabe`: the interactive shell (or a line-by-line reader of piped stdin, or `-c` commands).
struct Astrolabe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "astrolabe",
        abstract: "Label and classify tabular data with active learning.",
        discussion: """
            With no subcommand, starts the interactive shell. When stdin is not a terminal, reads \
            commands from it like a script and stops at the first error.
            """,
        subcommands: [Run.self, Check.self, Kernel.self])

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
        if let record {
            do { try session.startRecording(to: record) } catch {
                Terminal.error("cannot record to \(record): \(error)")
                throw ExitCode.failure
            }
        }
        Interrupts.install()
        if !commands.isEmpty {
            throw ExitCode(CommandRunner.runCommandLine(commands, session: session))
        } else if interactive {
            throw ExitCode(REPL(session: session).run())
        } else {
            throw ExitCode(CommandRunner.runStandardInput(session: session))
        }
    }
}

func defaultAnnotator() -> String {
    if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
    return "user"
}
