import ArgumentParser
import AstrolabeData
import AstrolabeKernel
import Foundation

/// `astrolabe run SCRIPT`: replays a session script, optionally into a notebook and Markdown.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a session script, optionally writing a notebook, a Markdown report and an HTML page.",
        discussion: """
            Relative paths in the script resolve against the current directory. Labels go to a \
            fresh in-memory store unless --store is given, so a replay does not depend on earlier \
            sessions. The first error stops the run (exit status 1) and no notebook is written; \
            with --keep-going, errors are recorded in the notebook and the run goes on (exit \
            status 1 at the end).
            """)

    @Argument(help: ArgumentHelp("The session script (.alab).", valueName: "script"))
    var script: String

    @Option(help: ArgumentHelp("Write a Jupyter notebook (nbformat 4.5).", valueName: "out.ipynb"))
    var notebook: String?

    @Option(help: ArgumentHelp("Write Markdown, with figures in OUT_files/ beside it.", valueName: "out.md"))
    var markdown: String?

    @Option(help: ArgumentHelp("Write one self-contained HTML page (figures embedded).", valueName: "out.html"))
    var html: String?

    @Flag(help: "Record errors in the outputs and keep going; exit status 1 at the end.")
    var keepGoing = false

    @Option(help: ArgumentHelp("Label store (SQLite). Default: a fresh in-memory store.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Who gives the answers (default: `user`, the same on every machine).", valueName: "name"))
    var annotator: String?

    @Option(help: ArgumentHelp("Seed for every random choice.", valueName: "n"))
    var seed: UInt64 = 42

    @Flag(name: .shortAndLong, help: "Do not print outputs (warnings and errors still go to stderr).")
    var quiet = false

    /// The annotator of a replay's answers unless --annotator says otherwise.
    static let replayAnnotator = "user"

    /// SQLite's name for an in-memory database.
    static let inMemoryStore = ":memory:"

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: script, encoding: .utf8)
        } catch {
            Terminal.error("cannot read \(script): \((error as NSError).localizedDescription)")
            throw ExitCode.failure
        }
        let options = SessionOptions(
            workingDirectory: FileManager.default.currentDirectoryPath,
            storePath: store ?? Run.inMemoryStore,
            // Not $USER: `labels` prints the annotator, and a replay must give the same bytes for everyone.
            annotator: annotator ?? Run.replayAnnotator,
            seed: seed,
            interactive: false)
        let session: Session
        do { session = try Session(options: options) } catch {
            Terminal.error("cannot start the session: \(error)")
            throw ExitCode.failure
        }
        defer { session.close() }
        Shutdown.install(closing: session)
        warnIfDamaged(session)
        Interrupts.install()
        Interrupts.atPrompt.store(false, ordering: .relaxed)

        let parsed = Script(text: text, file: script)
        let result = Replay.run(script: parsed, session: session, keepGoing: keepGoing) { event in
            switch event {
            case .willExecute: break
            case .output(let output, _):
                if case .warning = output { Terminal.show(output) } else if !quiet { Terminal.show(output) }
            case .error(let diagnostic, let command):
                Terminal.show(diagnostic.placed(at: command.location))
            }
        }

        if result.interrupted {
            Terminal.err("interrupted; no notebook written\n")
            throw ExitCode(Interrupts.interruptedStatus)
        }
        if result.stopped && !keepGoing {
            if notebook != nil || markdown != nil || html != nil {
                Terminal.err("note: the run stopped at an error, so no notebook was written (--keep-going records errors in it)\n")
            }
            throw ExitCode.failure
        }
        do {
            if let notebook {
                try writeAtomically(NotebookWriter.ipynb(result), to: notebook)
            }
            if let markdown {
                try writeMarkdown(result, to: markdown)
            }
            if let html {
                try writeAtomically(HTMLWriter.html(result), to: html)
            }
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        if !result.errors.isEmpty { throw ExitCode.failure }
    }

    private func writeMarkdown(_ result: ReplayResult, to path: String) throws {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let folderName = base + "_files"
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? folderName : (parent as NSString).appendingPathComponent(folderName)
        let (text, files) = MarkdownWriter.markdown(result, imageFolder: folderName)
        let manager = FileManager.default
        if !files.isEmpty {
            do { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw WriteError(path: folder, reason: (error as NSError).localizedDescription)
            }
        }
        // Figures from an earlier, longer run would otherwise linger beside the new document.
        let written = Set(files.map { ($0.path as NSString).lastPathComponent })
        for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix("figure-") && name.hasSuffix(".png") && !written.contains(name) {
            try? manager.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
        for file in files {
            let target = parent.isEmpty ? file.path : (parent as NSString).appendingPathComponent(file.path)
            try writeAtomically(file.bytes, to: target)
        }
        try writeAtomically(Array(text.utf8), to: path)
    }
}

struct WriteError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write \(path): \(reason)" }
}

/// Writes through a temporary file and a rename, so a reader (or make) never sees half a file.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    do {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw WriteError(path: path, reason: (error as NSError).localizedDescription)
    }
}
