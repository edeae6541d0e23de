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

    /// `teach MODEL loop`: one queried row at a time; a digit key per class, `u` unsure, `s` skip,
    /// `z` undo, `q` quit.
    func teachLoop(_ command: ParsedCommand) throws -> [Output] {
        let modelWord = command.positionals[0]
        guard let input = learning.keyInput else {
            throw CommandError("`teach \(modelWord.text) loop` needs an interactive terminal; in scripts write `teach ID CLASS` lines",
                               at: command.positionals[1])
        }
        var answered = 0
        while true {
            let model = try requireModel(modelWord, verb: command.verb)
            // A one-vs-rest model's `other` is no answer: its keys are the table's classes.
            let answerClasses = model.target != nil && !model.sourceClasses.isEmpty ? model.sourceClasses : model.classes
            guard answerClasses.count <= 9 else {
                throw CommandError("the keyboard loop handles up to 9 classes (one digit each)", at: modelWord)
            }
            guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
            let shown = execute("query \(quoteIfNeeded(model.name)) 1")
            if let error = shown.error { throw CommandError(error.message, at: modelWord) }
            guard let row = models[model.name]?.lastQuery.keys.first else {
                input.show(shown.outputs)
                break
            }
            let id = table.rowIdentifiers()[row]
            let keys = answerClasses.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: "  ")
            input.show(shown.outputs)
            guard let key = input.readKey(prompt: "\(id)?  \(keys)  u unsure  s skip  z undo  q quit: ") else { break }
            let line: String
            switch key {
            case "q", "Q", "\u{1B}", "\u{04}": return [.text("left the loop after \(answered) answer\(answered == 1 ? "" : "s")")]
            case "u", "U": line = "unsure \(quoteIfNeeded(id))"
            case "s", "S": line = "skip \(quoteIfNeeded(id))"
            case "z", "Z": line = "undo"
            default:
                guard let digit = key.wholeNumberValue, digit >= 1, digit <= answerClasses.count else {
                    input.show([.warning("key `\(key)` means nothing here")])
                    continue
                }
                line = "teach \(quoteIfNeeded(id)) \(quoteIfNeeded(answerClasses[digit - 1]))"
            }
            let result = execute(line)
            input.show(result.outputs)
            if let error = result.error { input.show([.warning(error.message)]) } else if line.hasPrefix("teach") || line.hasPrefix("unsure") {
                answered += 1
            }
        }
        return [.text("left the loop after \(answered) answer\(answered == 1 ? "" : "s")")]
    }
}
