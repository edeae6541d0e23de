/// The interactive prompt's text: `astrolabe> `, or `astrolabe [alice]> ` once an annotator is set,
/// so whoever types an answer sees whose name it is stored under.
public enum Prompt {
    /// The prompt for a new command, or for a `\` continuation line (right-aligned `...> `, one
    /// column narrower than the main prompt, as it has always been).
    public static func text(annotator: String?, continuing: Bool) -> String {
        let main = annotator.map { "astrolabe [\($0)]> " } ?? "astrolabe> "
        guard continuing else { return main }
        return String(repeating: " ", count: max(0, main.count - 6)) + "...> "
    }
}

extension Session {
    /// The annotator chosen with `annotator NAME`, or nil while answers go under `--annotator` (or $USER).
    public var activeAnnotator: String? { team.active }
}
