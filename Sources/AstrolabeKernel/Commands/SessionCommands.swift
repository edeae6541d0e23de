import AstrolabeData

extension VerbCatalog {
    nonisolated(unsafe) static let session: [Verb] = [
        Verb("record", usage: "record PATH",
             summary: "Write this session so far, and every later command, to a replayable script.",
             arguments: [.path],
             run: Session.record),
        Verb("help", usage: "help [VERB]", summary: "List the verbs, or describe one.", arguments: [.text],
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

    /// `help` with no verb lists the verbs; `help VERB` describes one.
    public func help(_ verb: String?) -> String {
        guard let verb else { return VerbCatalog.overview }
        if let found = VerbCatalog.named(verb) { return found.helpText }
        var text = "no command `\(verb)`"
        if let near = nearestName(to: verb, in: VerbCatalog.names) { text += "; did you mean `\(near)`?" }
        return text
    }

    func helpCommand(_ command: ParsedCommand) throws -> [Output] {
        guard let word = command.positionals.first else { return [.text(VerbCatalog.overview)] }
        guard let verb = VerbCatalog.named(word.text) else {
            throw CommandError("no command `\(word.text)`", at: word, suggestion: nearestName(to: word.text, in: VerbCatalog.names))
        }
        return [.text(verb.helpText)]
    }
}
