import AstrolabeData

extension VerbCatalog {
    nonisolated(unsafe) static let session: [Verb] = [
        Verb("record", usage: "record PATH",
             summary: "Write this session so far, and every later command, to a replayable script.",
             arguments: [.path],
             provenance: .writesFiles,
             run: Session.record),
        Verb("help", usage: "help [VERB | WORD]",
             summary: "List the verbs, describe one, or find the verbs whose help mentions a word.", arguments: [.text],
             provenance: .readsOnly,
             run: Session.helpCommand),
    ]
}

/// `record` and `help`: commands about the session itself.
extension Session {
    func record(_ command: ParsedCommand) throws -> [Output] {
        guard let path = command.positionals.first else {
            throw CommandError("expected a file path: record PATH", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let warning: Output?
        do { warning = try startRecording(to: path.text) } catch let error as CommandError {
            throw CommandError(error.message, at: path)
        }
        return [.text("recording to \(path.text) (\(transcript.count) commands so far)")] + (warning.map { [$0] } ?? [])
    }

    // MARK: Help

    /// `help` lists the verbs; `help VERB` describes one; `help WORD` for any other word lists the
    /// verbs whose help mentions it, with the lines that do.
    func helpCommand(_ command: ParsedCommand) throws -> [Output] {
        guard let word = command.positionals.first else { return [.text(VerbCatalog.overview)] }
        if let verb = VerbCatalog.named(word.text) { return [.text(verb.helpText)] }
        let found = VerbCatalog.search(word.text)
        guard !found.isEmpty else {
            throw CommandError("no command `\(word.text)`, and no help text mentions it", at: word,
                               suggestion: nearestName(to: word.text, in: VerbCatalog.names))
        }
        var lines = ["`\(word.text)` is not a verb; it appears in the help of:"]
        for (verb, matches) in found {
            lines.append("  " + verb.name)
            lines += matches.map { "      " + $0 }
        }
        return [.text(lines.joined(separator: "\n"))]
    }
}
