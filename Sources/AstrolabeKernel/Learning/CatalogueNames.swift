import AstrolabeLearn

/// Names looked up in AstrolabeLearn's catalogues (`ClassifierKind`, `StrategyKind`) as command
/// errors: the catalogue's message and nearest name, the caret under the word typed.
func resolving<T>(at word: Word, _ lookup: () throws -> T) throws -> T {
    do {
        return try lookup()
    } catch let unknown as UnknownName {
        throw CommandError(unknown.message, at: word, suggestion: unknown.suggestion)
    }
}
