import AstrolabeData
import AstrolabeKernel
import CReadline
import Foundation

/// The interactive shell on GNU readline.
///
/// Uses readline's callback interface: the main thread polls stdin and the interrupt pipe, feeds
/// characters to readline, and runs each complete command itself. So Ctrl-C at the prompt is just
/// another event (drop the line, fresh prompt), and Ctrl-C during a command reaches the command
/// through `Cancellation` while the main thread is busy in it.
final class REPL {
    /// Prompts handed to readline, by text: kept for the whole run (a few, one per annotator), so
    /// readline never holds a pointer we freed.
    nonisolated(unsafe) private static var prompts: [String: UnsafeMutablePointer<CChar>] = [:]

    private enum LineEvent { case line(String), endOfFile }
    /// Set by the line handler (a C callback, so it cannot capture the REPL).
    nonisolated(unsafe) private static var event: LineEvent?

    private let session: Session
    /// `--annotator` was given: the prompt names that annotator from the start.
    private let showsStartingAnnotator: Bool
    private var history: History
    private var assembler = CommandAssembler(file: nil)
    private var warnedAboutHistory = false

    init(session: Session, showsStartingAnnotator: Bool) {
        self.session = session
        self.showsStartingAnnotator = showsStartingAnnotator
        self.history = History(path: History.defaultPath())
        session.setKeyInput(TerminalKeys())  // `teach MODEL loop`
    }

    func run() -> Int32 {
        astrolabe_set_catch_signals(0)  // our SIGINT handler, not readline's
        Completion.install(session: session)
        Terminal.out("Astrolabe — `help` lists the commands, Tab completes, Ctrl-D quits.\n")
        installHandler()
        while true {
            Interrupts.atPrompt.store(true, ordering: .relaxed)
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: Interrupts.readEnd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(Interrupts.readEnd >= 0 ? 2 : 1), -1)
            if Interrupts.pending {
                cancelLine()
                continue
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                rl_callback_read_char()
            }
            guard let event = REPL.event else { continue }
            REPL.event = nil
            switch event {
            case .endOfFile:
                Terminal.out("\n")
                return 0
            case .line(let line):
                if let status = handle(line) { return status }
                installHandler()
            }
        }
        rl_callback_handler_remove()
        return 0
    }

    /// The prompt for the next line, naming who answers once an annotator is set (`annotator NAME`
    /// or `--annotator`); installed afresh before every line, so a switch shows at once.
    private func currentPrompt() -> UnsafeMutablePointer<CChar> {
        let who = session.activeAnnotator ?? (showsStartingAnnotator ? session.options.annotator : nil)
        let text = Prompt.text(annotator: who, continuing: assembler.isContinuing)
        if let prompt = REPL.prompts[text] { return prompt }
        let prompt = strdup(text)!
        REPL.prompts[text] = prompt
        return prompt
    }

    private func installHandler() {
        Interrupts.reset()
        rl_callback_handler_install(currentPrompt(), { line in
            // readline has restored the terminal; take the line and stop readline from redrawing
            // the prompt until the command has run.
            if let line {
                REPL.event = .line(String(cString: line))
                free(line)
            } else {
                REPL.event = .endOfFile
            }
            rl_callback_handler_remove()
        })
    }

    /// Ctrl-C at the prompt: show `^C`, forget the half-typed line (and any `\` continuation).
    private func cancelLine() {
        rl_callback_sigcleanup()
        astrolabe_move_to_end()
        rl_redisplay()
        // Before removing the handler: leaving readline's terminal mode writes a carriage return
        // (the end of bracketed paste), which would put "^C" over the prompt.
        Terminal.out("^C")
        rl_free_line_state()
        rl_replace_line("", 0)
        rl_callback_handler_remove()
        Terminal.out("\n")
        assembler.reset()
        installHandler()
    }

    /// Runs one physical line; returns an exit status to quit with.
    private func handle(_ line: String) -> Int32? {
        let wasContinuing = assembler.isContinuing
        guard let command = assembler.feed(line, line: 1) else {
            if !wasContinuing, Script.isCommentLine(line) { record(line) }
            return nil
        }
        record(command.text)
        let trimmed = command.text.trimmingCharacters(in: .whitespaces)
        if trimmed == "exit" || trimmed == "quit" { return 0 }
        Interrupts.reset()
        Interrupts.atPrompt.store(false, ordering: .relaxed)
        let execution = session.execute(command.text, location: command.location)
        if Interrupts.pending { Terminal.out("\n") }  // after the terminal's "^C" echo
        execution.outputs.forEach(Terminal.show)
        if let error = execution.error { Terminal.show(error) }
        return nil
    }

    private func record(_ entry: String) {
        if !history.add(entry), !warnedAboutHistory {
            warnedAboutHistory = true
            Terminal.err("warning: cannot write the history file \(history.path)\n")
        }
    }
}
