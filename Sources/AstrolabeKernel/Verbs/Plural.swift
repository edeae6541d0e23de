/// "1 row", "2 rows": a count with its noun, for messages that are read by people.
func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
