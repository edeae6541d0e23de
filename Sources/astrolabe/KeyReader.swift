import AstrolabeKernel
import Foundation

/// Single key presses for `teach MODEL loop`: switches the terminal out of line mode for one read.
final class TerminalKeys: KeyInput {
    func show(_ outputs: [Output]) { outputs.forEach(Terminal.show) }

    func readKey(prompt: String) -> Character? {
        Terminal.out(prompt)
        var saved = termios()
        let isTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if isTerminal {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        defer { if isTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &saved) } }
        var byte: UInt8 = 0
        let count = read(STDIN_FILENO, &byte, 1)
        guard count == 1 else { Terminal.out("\n"); return nil }
        let key = Character(Unicode.Scalar(byte))
        Terminal.out((key.isLetter || key.isNumber ? String(key) : "") + "\n")
        return key
    }
}
