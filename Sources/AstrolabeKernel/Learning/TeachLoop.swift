import AstrolabeData
import AstrolabeLearn

/// What the keyboard loop (`teach MODEL loop`) needs from a front end: showing outputs as they
/// happen, and reading one key without waiting for Enter. Only the REPL provides one; under
/// `astrolabe run` and in notebooks there is no keyboard, and scripts say `teach ID CLASS` instead.
public protocol KeyInput: AnyObject {
    func show(_ outputs: [Output])
    /// One key press, or nil at end of input.
    func readKey(prompt: String) -> Character?
}

extension Session {
    /// Lets `teach MODEL loop` read keys (the REPL calls this with its terminal).
    public func setKeyInput(_ input: (any KeyInput)?) { learning.keyInput = input }

    /// Whether a command is the keyboard loop, which is not itself recorded: its answers are,
    /// each as an explicit `teach`/`unsure`/`undo` line, so the recording replays without a human.
    func isInteractiveLoop(_ command: ParsedCommand) -> Bool {
        command.verb.text == "teach" && command.positionals.count == 2 && command.positionals[1].text == "loop"
            && models[command.positionals[0].text] != nil
    }

    /// The key of each class in the keyboard loop: 1…9, then 0 (ten classes, as digits run on a
    /// keyboard), then letters other than the loop's own u, s, z, q.
    static let classKeys: [Character] = Array("1234567890abcdefghijklmnoprtvwxy")

    /// `teach MODEL loop`: one queried row at a time; a key per class (`classKeys`), `u` unsure,
    /// `s` skip, `z` undo (the row undone is asked again next), `q` quit.
    func teachLoop(_ command: ParsedCommand) throws -> [Output] {
        let modelWord = command.positionals[0]
        guard let input = learning.keyInput else {
            throw CommandError("`teach \(modelWord.text) loop` needs an interactive terminal; in scripts write `teach ID CLASS` lines",
                               at: command.positionals[1])
        }
        var answered = 0
        /// The row whose answer `z` just took back: asked again next, whatever the model now prefers.
        var again: Int?
        while true {
            let model = try requireModel(modelWord, verb: command.verb)
            // A one-vs-rest model's `other` is no answer: its keys are the table's classes.
            let answerClasses = model.target != nil && !model.sourceClasses.isEmpty ? model.sourceClasses : model.classes
            guard answerClasses.count <= Self.classKeys.count else {
                throw CommandError("the keyboard loop handles up to \(Self.classKeys.count) classes (one key each); "
                                   + "this model has \(answerClasses.count): answer with `teach ID CLASS`", at: modelWord)
            }
            guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
            let row: Int
            if let undone = again {
                row = undone
                // The model asks it (provenance of the new answer), at its current score.
                let score = try selectQueries(model, pool: [row], count: 1).scores.first
                try workspace.updateModel(named: model.name) { $0.lastQuery = score.map { [row: $0] } ?? [:] }
                input.show([.text("asked again (its answer was undone): \(table.rowIdentifiers()[row])")])
                again = nil
            } else {
                // images=yes / sed=yes: each question comes with its contact-sheet tile, as `query` draws it.
                let sheet = ["images", "sed"].compactMap { command.optionEntry($0).map { " \($0.key)=\(quoteIfNeeded($0.value.text))" } }.joined()
                let shown = execute("query \(quoteIfNeeded(model.name)) 1" + sheet)
                if let error = shown.error { throw CommandError(error.message, at: modelWord) }
                input.show(shown.outputs)
                guard let queried = models[model.name]?.lastQuery.keys.first else { break }
                row = queried
            }
            let id = table.rowIdentifiers()[row]
            let keys = zip(Self.classKeys, answerClasses).map { "\($0) \($1)" }.joined(separator: "  ")
            guard let key = input.readKey(prompt: "\(id)?  \(keys)  u unsure  s skip  z undo  q quit: ") else { break }
            let line: String
            switch key {
            case "q", "Q", "\u{1B}", "\u{04}": return [.text("left the loop after \(answered) answer\(answered == 1 ? "" : "s")")]
            case "u", "U": line = "unsure \(quoteIfNeeded(id))"
            case "s", "S": line = "skip \(quoteIfNeeded(id))"
            case "z", "Z": line = "undo"
            default:
                guard let index = Self.classKeys.firstIndex(where: { String($0) == key.lowercased() }), index < answerClasses.count else {
                    input.show([.warning("key `\(key)` means nothing here")])
                    continue
                }
                line = "teach \(quoteIfNeeded(id)) \(quoteIfNeeded(answerClasses[index]))"
            }
            let result = execute(line)
            input.show(result.outputs)
            if let error = result.error { input.show([.warning(error.message)]) } else if line.hasPrefix("teach") || line.hasPrefix("unsure") {
                answered += 1
            } else if line == "undo", let undoneID = learning.lastUndone {
                again = table.rowIdentifiers().firstIndex(of: undoneID)
            }
        }
        return [.text("left the loop after \(answered) answer\(answered == 1 ? "" : "s")")]
    }
}
