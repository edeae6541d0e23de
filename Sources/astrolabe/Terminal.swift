import AstrolabeKernel
import Foundation

/// How a front end shows outputs on a terminal or in a pipe: text on stdout, warnings and errors
/// on stderr. stdout is flushed before anything goes to stderr so the two interleave in order.
enum Terminal {
    static func show(_ output: Output) {
        switch output {
        case .text(let text):
            out(text.hasSuffix("\n") ? text : text + "\n")
        case .image(let image):
            let size = "\(image.width)×\(image.height) px"
            out(image.path.map { "wrote \($0) (\(size))\n" } ?? "figure (\(size), not saved)\n")
        case .warning(let text):
            err("warning: " + text + "\n")
        }
    }

    static func show(_ diagnostic: Diagnostic) {
        err(diagnostic.rendered + "\n")
    }

    static func error(_ message: String) {
        err("error: " + message + "\n")
    }

    /// Unbuffered writes straight to the descriptors: nothing waits in a buffer when a command
    /// crashes, and stdout and stderr interleave in the order things happened.
    static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing useful left to do with the text
            }
            offset += n
        }
    }
}

extension Diagnostic {
    /// The diagnostic, placed at `location` if the session left its file unset, so every error of
    /// a script or of stdin names a file and line.
    func placed(at location: SourceLocation) -> Diagnostic {
        guard self.location.file == nil, location.file != nil else { return self }
        var copy = self
        copy.location.file = location.file
        if copy.location.line <= 1 { copy.location.line = location.line }
        return copy
    }
}
