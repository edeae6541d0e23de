import ArgumentParser
import AstrolabeData
import AstrolabeKernel
import Foundation

/// `astrolabe check SCRIPT NOTEBOOK`: a regression test for an analysis. Replays the script and
/// compares every output with the notebook; prints what changed and exits 1 on any difference.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a session script and compare every output with a notebook made from it.",
        discussion: """
            Text must match exactly; figures are compared pixel by pixel, exactly unless \
            --tolerance allows a per-channel difference. Errors in the replay are compared too (a \
            notebook written with --keep-going records them). Exit status: 0 when everything \
            matches, 1 on a difference, 2 when the script or the notebook cannot be read.
            """)

    @Argument(help: ArgumentHelp("The session script (.alab).", valueName: "script"))
    var script: String

    @Argument(help: ArgumentHelp("The notebook it replays into (.ipynb).", valueName: "notebook"))
    var notebook: String

    @Option(help: ArgumentHelp("Largest per-channel pixel difference (0-255) still counted as equal.", valueName: "n"))
    var tolerance: Int = 0

    @Option(help: ArgumentHelp("Seed for every random choice (as given to `run`).", valueName: "n"))
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Who gives the answers (as given to `run`; default: `user`).", valueName: "name"))
    var annotator: String?

    func validate() throws {
        guard (0...255).contains(tolerance) else { throw ValidationError("--tolerance must be from 0 to 255") }
    }

    func run() throws {
        let text: String
        let notebookBytes: [UInt8]
        do { text = try String(contentsOfFile: script, encoding: .utf8) } catch {
            Terminal.error("cannot read \(script): \((error as NSError).localizedDescription)")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: notebook) else {
            Terminal.error("cannot read \(notebook)")
            throw ExitCode(2)
        }
        notebookBytes = [UInt8](data)
        let session: Session
        do {
            session = try Session(options: SessionOptions(workingDirectory: FileManager.default.currentDirectoryPath,
                                                          storePath: Run.inMemoryStore, annotator: annotator ?? Run.replayAnnotator, seed: seed))
        } catch {
            Terminal.error("cannot start the session: \(error)")
            throw ExitCode(2)
        }
        defer { session.close() }
        Shutdown.install(closing: session)
        Interrupts.install()
        Interrupts.atPrompt.store(false, ordering: .relaxed)
        let result = Replay.run(script: Script(text: text, file: script), session: session, keepGoing: true)
        if result.interrupted {
            Terminal.err("interrupted\n")
            throw ExitCode(Interrupts.interruptedStatus)
        }
        let report: NotebookCheck.Report
        do { report = try NotebookCheck.compare(notebook: notebookBytes, replay: result, tolerance: tolerance) } catch {
            Terminal.error("\(notebook): \(error)")
            throw ExitCode(2)
        }
        if report.matches {
            print("\(notebook): all \(report.cells) cells match a fresh replay of \(script) (\(report.outputs) outputs, \(report.figures) figures)")
            return
        }
        for difference in report.differences { print(difference.description) }
        let count = report.differences.count
        Terminal.err("\(notebook): \(count) difference\(count == 1 ? "" : "s") from a fresh replay of \(script)\n")
        throw ExitCode.failure
    }
}
