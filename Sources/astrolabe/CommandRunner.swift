import AstrolabeData
import AstrolabeKernel
import Foundation

/// Non-interactive front ends: `-c COMMAND` and piped stdin. Both stop at the first error.
enum CommandRunner {
    /// Runs each `-c` command; returns the exit status.
    static func runCommandLine(_ commands: [String], session: Session) -> Int32 {
        for text in commands {
            if let status = execute(text, at: SourceLocation(), session: session) { return status }
        }
        return 0
    }

    /// Reads stdin line by line (no readline, no prompt), joining `\` continuations.
    static func runStandardInput(session: Session) -> Int32 {
        var assembler = CommandAssembler(file: "<stdin>")
        var number = 0
        while let line = readLine(strippingNewline: true) {
            number += 1
            var physical = line
            if physical.hasSuffix("\r") { physical.removeLast() }
            if number == 1 && physical.hasPrefix("#!") { continue }
            if let command = assembler.feed(physical, line: number),
               let status = execute(command.text, at: command.location, session: session) {
                return status
            }
        }
        if let command = assembler.finish(),
           let status = execute(command.text, at: command.location, session: session) {
            return status
        }
        return 0
    }

    /// Runs one command; returns an exit status when the run must stop.
    private static func execute(_ text: String, at location: SourceLocation, session: Session) -> Int32? {
        if Cancellation.isRequested { return Interrupts.interruptedStatus }
        let execution = session.execute(text, location: location)
        execution.outputs.forEach(Terminal.show)
        if let error = execution.error {
            Terminal.show(error.placed(at: location))
            return Cancellation.isRequested ? Interrupts.interruptedStatus : 1
        }
        return nil
    }
}
