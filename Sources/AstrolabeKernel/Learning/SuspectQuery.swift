import AstrolabeData
import AstrolabeLearn

/// `query MODEL strategy=suspect`: the rows the last audit flagged, lowest label quality first,
/// for a human to confirm or correct with `teach`.
extension Session {
    func querySuspect(_ command: ParsedCommand, model: ActiveModel, table: Table, count: Int, at word: Word) throws -> [Output] {
        guard let audit = model.audit else {
            throw CommandError("strategy=suspect asks about the rows an audit flagged, and `\(model.name)` has not been audited: "
                               + "run `audit \(quoteIfNeeded(model.name))` first", at: word)
        }
        if let o = command.optionEntry("images") ?? command.optionEntry("sed") {
            throw CommandError("\(o.key)= is not available with strategy=suspect", offset: o.keyOffset, length: o.key.count)
        }
        let answered = Set((answers[model.tableName] ?? [:]).filter { $0.value.kind == .label }.keys)
        let skippedRows = skipped[model.tableName] ?? []
        let flagged = audit.rows.indices.filter { audit.issues.flagged[$0] }
        let open = flagged.filter { !answered.contains(audit.rows[$0]) && !skippedRows.contains(audit.rows[$0]) }
        var updated = model
        updated.lastQuery = [:]
        updated.lastQueryStrategy = "suspect"
        guard !open.isEmpty else {
            try workspace.setModel(updated)
            return [.text("every row audit \(model.name) flagged (\(flagged.count)) is answered or skipped: nothing left to check")]
        }
        let k = model.classes.count
        let probabilities = open.flatMap { audit.probabilities[($0 * k)..<($0 * k + k)] }
        let openRows = open.map { audit.rows[$0] }
        let seed = model.seed &+ UInt64(model.fits)
        let unavailable: () throws -> FeatureMatrix = { throw LearnError("strategy suspect measures no distances") }
        let pool = QueryPool(probabilities: probabilities, classCount: k, seed: seed,
                             tieBreakKeys: tieBreakKeys(model, pool: openRows, seed: seed), memberProbabilities: { nil },
                             poolSpace: unavailable, labelledSpace: unavailable,
                             refitting: { throw LearnError("strategy suspect refits nothing") },
                             labelQuality: open.map { audit.issues.quality[$0] })
        let selection: QuerySelection
        do { selection = try StrategyKind.resolve("suspect").select(pool, count: count) } catch let error as LearnError {
            throw CommandError(error.message, at: word)
        }
        let ids = table.rowIdentifiers()
        let shown = model.shownColumns.compactMap { table.column(named: $0) }
        var text = TextTable(header: ["rank", "id", "given", "suggested", "quality"] + model.classes.map { "p(\($0))" } + shown.map(\.name),
                             numericColumns: Set([0, 4] + Array(5..<(5 + k))))
        for (rank, index) in selection.ranked.enumerated() {
            let i = open[index], row = audit.rows[i]
            updated.lastQuery[row] = selection.scores[index]
            updated.asked.insert(row)
            text.append([String(rank + 1), ids[row], model.classes[audit.given[i]], model.classes[audit.issues.suggested[i]],
                         fixed(audit.issues.quality[i])] + (0..<k).map { fixed(audit.probabilities[i * k + $0]) }
                        + shown.map { $0.displayText(row: row) })
        }
        try workspace.setModel(updated)
        let head = "\(model.name) asks to check (suspect: \(flagged.count) flagged by its audit, "
            + "\(flagged.count - open.count) answered or skipped, \(open.count) open):"
        let hint = "confirm a label with `teach ID GIVEN`, correct it with `teach ID CLASS`"
        return [.text(head + "\n" + text.rendered + "\n" + hint + tieNote(selection))]
    }
}
