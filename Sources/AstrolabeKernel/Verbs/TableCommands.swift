import AstrolabeData
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let tables: [Verb] = [
        Verb("join", usage: "join OTHER on=COLUMN [right_on=COLUMN] | join OTHER sky radius=ANGLE [ra= dec= other_ra= other_dec= find=best|all|best-each-side]",
             summary: "Add the columns of table OTHER to the current table, matching rows by a key (a left join).",
             details: """
                 Every row of the current table is kept, in order; it gets the columns of the first row of OTHER whose
                 key equals its own (compared as text, so 42 matches "42"). Rows without a partner get missing values,
                 and the numbers of unmatched and repeated keys are reported. Clashing names get the suffix _OTHER.
                 example: load sdss.csv as photo id=objid
                          load spectra.fits as spec
                          use photo
                          join spec on=objid
                 join OTHER sky matches by position instead: each row gets the columns of its nearest OTHER row within
                 radius= (1.5arcsec, 2arcmin, 0.01deg; a bare number is arcseconds) and sep_OTHER, the separation in
                 arcsec (Vincenty's formula, as astropy); the matched, several-candidate and unmatched counts are
                 reported. ra=/dec= (degrees) default to the columns named ra and dec; other_ra=/other_dec= to the same
                 names in OTHER. find=best-each-side keeps only pairs that are each other's nearest; find=all gives a row
                 per pair within the radius (as TOPCAT's and astropy's all matches), nearest first, and keeps each row
                 without a partner once: the table's rows change, so it is refused once the table has views, models
                 or answers.
                 example: join lit sky ra=RAJ2000 dec=DEJ2000 radius=1.5arcsec
                 """,
             options: [.column("on", "key column (in both tables)"), .column("right_on", "key column of OTHER, if named differently"),
                       .text("radius", "sky: the largest separation (arcsec, arcmin, deg)"), .column("ra", "sky: right ascension column, degrees"),
                       .column("dec", "sky: declination column, degrees"), .text("other_ra", "sky: OTHER's right ascension column"),
                       .text("other_dec", "sky: OTHER's declination column"), .choice("find", SkyMatch.Find.self, default: .best, "sky: best, all or best-each-side")],
             arguments: [.table, .text],
             provenance: .noted(SessionProvenance.noteJoin),
             run: Session.join),
        Verb("where", usage: "where EXPRESSION [as NAME]",
             summary: "Make the rows where EXPRESSION is true the current table (a view named NAME, default BASE_where).",
             details: """
                 Missing values are never true, so rows with a missing value in the condition are left out.
                 The view keeps the id and label columns and the answers already given. `use BASE` goes back.
                 example: where `g-r` > 0.4 and redshift < 2 as red
                 """,
             arguments: [.expression], freeText: true,
             provenance: .noted(SessionProvenance.noteView),
             run: Session.whereView),
        Verb("sample", usage: "sample N [seed=S] [as NAME]",
             summary: "Make N rows drawn at random (without replacement, seeded) the current table.",
             options: [.text("seed", "random seed (default: the session's)"), .text("as", "name of the sampled table")],
             arguments: [.number],
             maxPositionals: 3, provenance: .noted(SessionProvenance.noteView),
             run: Session.sample),
        Verb("use", usage: "use TABLE",
             summary: "Make a loaded table or view the current table.",
             arguments: [.table],
             provenance: .keptInState,
             run: Session.use),
        Verb("tables", usage: "tables",
             summary: "List the loaded tables and views with their size and memory.",
             provenance: .readsOnly,
             run: Session.listTables),
        Verb("features", usage: "features combine OP COLUMN ... [n=K] [force=yes]",
             summary: "Add a feature for every combination of K columns (OP: subtract, add, multiply, divide).",
             details: """
                 Names join the columns with the operator, in the order given: features combine subtract u g r makes
                 u-g, u-r and g-r. K is 2 to 5 (default 2); with K = 3, subtract makes u-g-r = (u - g) - r.
                 Columns can be listed with spaces or commas. More than 1000 new columns need force=yes.
                 example: features combine subtract u g r i z
                 """,
             options: [.int("n", 2...5, default: 2, "columns per combination"), .yesNo("force", default: false, "yes: allow more than 1000 new columns")],
             arguments: [.text, .text, .column],
             maxPositionals: Verb.unlimited, provenance: .noted(SessionProvenance.noteCombine),
             run: Session.features),
        Verb("export", usage: "export [TABLE] PATH [columns=A,B,...] [rows=where-expression] [with=gold,answers,predict:M] | export answers [TABLE] to=PATH [all=yes] | export tasks [TABLE] to=PATH.json [model=M] [order=uncertainty] [columns=...] [limit=N] | export labelconfig [TABLE] to=PATH.xml [show=COLUMNS] | export model MODEL to=PATH.onnx | export density X Y to=PATH [bins=WxH] [xrange=LO:HI] [yrange=LO:HI]",
             summary: "Write a table (default: the current one) as CSV, FITS or Parquet, chosen by the file extension; the answers given; Label Studio tasks and labelling config; or a model as ONNX.",
             details: """
                 Numbers are written exactly (they read back to the same values); missing cells are empty in CSV and
                 NaN (floats) or TNULL (integers) in FITS, nulls in Parquet (zstd, row groups of 131072 rows with
                 min/max statistics; integers INT64, text UTF-8). rows= keeps the rows where an expression is true.
                 `export table PATH` is `export PATH` (unless a table is named `table`).
                 with= adds columns: gold (the gold label), answers (answer_NAME per annotator), predict:M (for every
                 row: M_predicted, M_p_CLASS, M_uncertainty, M_set = train/validation/test/pool, M_version).
                 `export answers to=PATH.csv|.fits|.json` writes one row per standing answer: id, answer, kind,
                 annotator, confidence, note, time (ISO 8601 UTC), model, strategy, score; all=yes adds the answers
                 taken back or replaced since, with a status column.
                 `export model M to=PATH.onnx` writes a forest, extra-trees, tree, boosting or logistic model as ONNX
                 (input `features`, doubles in the model's feature order; outputs `label` and `probabilities`),
                 scaling and imputation included, for onnxruntime (see contrib/dask); other kinds are refused.
                 `export density X Y to=PATH.csv|.parquet` writes the count grid `plot density` shades (datashader's
                 Canvas.points with count()): one row per pixel with x_bin, y_bin (0 at the smallest x, y) and count;
                 bins= (default 400x400), xrange= and yrange= (default: the finite data's range) fix the grid.
                 `export tasks to=PATH.json` writes Label Studio tasks (data: the columns, the id column as text), with
                 model=M a prediction per task (class, score = its probability, model_version NAME@FITS:LABELS);
                 order=uncertainty puts the most uncertain first, limit=N keeps the first N. `export labelconfig
                 to=PATH.xml` writes the matching labelling config: the id, the show= columns (default: the model's
                 features), image columns, and one single-choice <Choices> with the classes.
                 example: export labelled.fits columns=id,u,g,r,label rows="label == 1"
                 example: export blazars labelled.fits with=gold,answers,predict:m
                 example: export model m to=m.onnx
                 example: export density g_minus_r r_minus_i to=density.csv bins=200x150 xrange=0:2 yrange=0:1
                 """,
             options: [.columns("columns", "columns to write"), .text("rows", "expression choosing the rows"),
                       .text("with", "gold, answers, predict:MODEL (comma-separated)"), .path("to", "export answers, model, density, tasks, labelconfig: the file"),
                       .text("bins", "export density: grid size WIDTHxHEIGHT (default 400x400)"),
                       .text("xrange", "export density: x range LO:HI"), .text("yrange", "export density: y range LO:HI"),
                       .yesNo("all", default: false, "export answers: yes to include superseded and undone answers"),
                       .model("model", "export tasks: the model whose predictions go with the tasks"),
                       .choice("order", ["rows", "uncertainty"], default: "rows", "export tasks: table order or most uncertain first"),
                       .int("limit", 1...100_000_000, "export tasks: at most N tasks"),
                       .columns("show", "export labelconfig: the columns shown to the annotator")],
             arguments: [.table, .path],
             maxPositionals: 3, provenance: .writesFiles,
             run: Session.export),
    ]
}

/// Maximum number of columns `features combine` creates without force=yes.
let combineLimit = 1000

/// `join`, `where`, `sample`, `use`, `tables`, `features combine`, `export`: working with whole tables.
///
/// Views (`where`, `sample`) are filtered copies, not index lists: every command (models, plots,
/// labels) then works on a view exactly as on a loaded table, and the copy costs one gather of the
/// selected rows (about as long as evaluating one expression over the base; see bench/load).
extension Session {
    // MARK: join

    func join(_ command: ParsedCommand) throws -> [Output] {
        var table = try currentTable(for: command.verb)
        guard let otherWord = command.positionals.first else {
            throw CommandError("expected a table to join: join OTHER on=COLUMN", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let sky = command.positionals.count > 1 && command.positionals[1].text == "sky"
        if let stray = command.positionals.dropFirst(sky ? 2 : 1).first {
            throw CommandError("unexpected `\(stray.text)`: join OTHER on=COLUMN or join OTHER sky radius=ANGLE", at: stray)
        }
        guard let other = tables[otherWord.text] else {
            throw CommandError("no table `\(otherWord.text)`; load it first", at: otherWord,
                               suggestion: nearestName(to: otherWord.text, in: tableOrder))
        }
        guard other.name != table.name else { throw CommandError("cannot join a table with itself", at: otherWord) }
        if sky { return try skyJoin(command, table: table, other: other, otherWord: otherWord) }
        guard let on = command.optionEntry("on") else {
            throw CommandError("expected on=COLUMN naming the key column", at: otherWord)
        }
        let leftKey = columnName(on.value)
        guard table.column(named: leftKey) != nil else {
            throw CommandError("unknown column `\(leftKey)` in `\(table.name)`", at: on.value,
                               suggestion: nearestName(to: leftKey, in: table.columnNames))
        }
        let rightWord = command.word("right_on") ?? on.value
        let rightKey = columnName(rightWord)
        guard other.column(named: rightKey) != nil else {
            throw CommandError("unknown column `\(rightKey)` in `\(other.name)`", at: rightWord,
                               suggestion: nearestName(to: rightKey, in: other.columnNames))
        }
        let result = try table.leftJoin(other, on: leftKey, rightKey: rightKey)
        let added = result.table.columns.count - table.columns.count
        table = result.table
        try workspace.update(table)
        let matched = table.rowCount - result.unmatchedLeft
        var lines = ["joined \(other.name) into \(table.name) on \(leftKey)\(rightKey == leftKey ? "" : "=\(rightKey)"): "
                     + "\(matched) of \(plural(table.rowCount, "row")) matched, \(result.unmatchedLeft) unmatched; \(plural(added, "column")) added"]
        if !result.renamed.isEmpty {
            lines.append("renamed: " + result.renamed.map { "\($0.from) → \($0.to)" }.joined(separator: ", "))
        }
        var outputs: [Output] = [.text(lines.joined(separator: "\n"))]
        if result.unusedRight > 0 {
            outputs.append(.warning(result.ambiguousLeft > 0
                ? "\(plural(result.unusedRight, "row")) of \(other.name) not used: no row of \(table.name) has the key, or it repeats an earlier key"
                : "\(plural(result.unusedRight, "row")) of \(other.name) matched no row of \(table.name)"))
        }
        if result.ambiguousLeft > 0 {
            outputs.append(.warning("\(plural(result.ambiguousLeft, "row")) matched a key repeated in \(other.name); the first occurrence was used"))
        }
        return outputs
    }

    // MARK: Views

    func whereView(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let parts = Session.splitViewName(command.rest)
        let text = parts.condition
        let name = parts.name ?? baseName(of: table) + "_where"
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CommandError("expected a condition: where EXPRESSION [as NAME]", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let mask = try evaluate(text, offset: command.restOffset, in: table)
        let rows = table.rowIndices(where: mask)
        if rows.isEmpty, let absent = try? Expression(parsing: text).absentTextValues(in: table), !absent.isEmpty {
            // Most likely a mistyped value: an empty view would only hide the mistake.
            throw CommandError(absent.joined(separator: "; "), offset: command.restOffset, length: max(1, text.count))
        }
        let view = try makeView(of: table, rows: rows, name: name)
        let expression = text.trimmingCharacters(in: .whitespaces)
        return [.text("\(view.name): \(rows.count) of \(plural(table.rowCount, "row")) of \(table.name) where \(expression)")]
    }

    /// `CONDITION as NAME` or `CONDITION as=NAME` (as `sample` also takes it) → the condition and
    /// the name; the name is optional.
    static func splitViewName(_ rest: String) -> (condition: String, name: String?) {
        let words = rest.split(separator: " ", omittingEmptySubsequences: true)
        if words.count >= 3, words[words.count - 2] == "as", let range = rest.range(of: " as ", options: .backwards) {
            return (String(rest[..<range.lowerBound]), String(words[words.count - 1]))
        }
        if words.count >= 2, let last = words.last, last.hasPrefix("as="), last.count > 3,
           let range = rest.range(of: " as=", options: .backwards) {
            return (String(rest[..<range.lowerBound]), String(last.dropFirst(3)))
        }
        return (rest, nil)
    }

    func sample(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard let word = command.positionals.first, let count = Int(word.text), count >= 0 else {
            throw CommandError("expected a row count: sample N [seed=S]",
                               offset: command.positionals.first?.offset ?? command.verb.offset + command.verb.length, length: 1)
        }
        var seed = options.seed
        if let option = command.word("seed") {
            guard let s = UInt64(option.text) else { throw CommandError("seed must be a whole number ≥ 0", at: option) }
            seed = s
        }
        let name = try viewName(command, after: 1) ?? baseName(of: table) + "_sample"
        let rows = table.sampleRows(count, seed: seed)
        let view = try makeView(of: table, rows: rows, name: name)
        var outputs: [Output] = [.text("\(view.name): \(plural(rows.count, "row")) drawn from \(plural(table.rowCount, "row")) of \(table.name) (seed \(seed))")]
        if count > table.rowCount {
            outputs.append(.warning("asked for \(count) rows but \(table.name) has \(table.rowCount); took them all"))
        }
        return outputs
    }

    /// The name a view command gives its view: `as NAME` after its `count` own positionals, or
    /// `as=NAME` (both spellings work for `sample` and `where`); nil when neither is given.
    func viewName(_ command: ParsedCommand, after count: Int) throws -> String? {
        let extra = Array(command.positionals.dropFirst(count))
        if let option = command.word("as") {
            if let stray = extra.first { throw CommandError("unexpected `\(stray.text)`: the view is already named by as=", at: stray) }
            return option.text
        }
        guard let first = extra.first else { return nil }
        guard first.text == "as", extra.count == 2 else {
            throw CommandError("unexpected `\(first.text)`: name the view with `as NAME`", at: extra.count > 2 ? extra[2] : first)
        }
        return extra[1].text
    }

    /// Registers a filtered copy of `table` as the current table, carrying the answers given so far.
    @discardableResult
    func makeView(of table: Table, rows: [Int], name: String) throws -> Table {
        guard name != table.name else {
            throw CommandError("a view cannot replace the table it is made from; choose another name with `as`")
        }
        let view = try table.selecting(rows: rows, name: name)
        try workspace.addView(view, of: table.name)
        declaredClasses[name] = declaredClasses[table.name]
        var carried: [Int: LabelRecord] = [:]
        if let given = answers[table.name], !given.isEmpty {
            for (viewRow, baseRow) in rows.enumerated() { if let record = given[baseRow] { carried[viewRow] = record } }
        }
        answers[name] = carried
        return view
    }

    /// The loaded table a view was made from (itself for a loaded table).
    func baseName(of table: Table) -> String { viewBases[table.name] ?? table.name }

    func use(_ command: ParsedCommand) throws -> [Output] {
        guard let word = command.positionals.first else {
            throw CommandError("expected a table name: use TABLE", offset: command.verb.offset + command.verb.length, length: 1)
        }
        guard let table = tables[word.text] else {
            throw CommandError("no table `\(word.text)`", at: word, suggestion: nearestName(to: word.text, in: tableOrder))
        }
        try workspace.use(table.name)
        return [.text("\(table.name): \(plural(table.rowCount, "row")) × \(plural(table.columns.count, "column"))")]
    }

    func listTables(_ command: ParsedCommand) throws -> [Output] {
        guard !tableOrder.isEmpty else { return [.text("no tables loaded")] }
        var text = TextTable(header: ["table", "rows", "columns", "memory", "view of", "status"], numericColumns: [1, 2, 3])
        for name in tableOrder {
            guard let table = tables[name] else { continue }
            let memory = table.columns.reduce(0) { $0 + $1.memoryBytes }
            text.append([name, String(table.rowCount), String(table.columns.count), formatBytes(memory),
                         viewBases[name] ?? "", name == currentTableName ? "current" : ""])
        }
        return [.text(text.rendered)]
    }

    // MARK: features combine

    func features(_ command: ParsedCommand) throws -> [Output] {
        var table = try currentTable(for: command.verb)
        guard let sub = command.positionals.first, sub.text == "combine" else {
            throw CommandError("expected `combine`: features combine OP COLUMN ...",
                               offset: command.positionals.first?.offset ?? command.verb.offset + command.verb.length,
                               length: command.positionals.first?.length ?? 1,
                               suggestion: command.positionals.first.flatMap { nearestName(to: $0.text, in: ["combine"]) })
        }
        guard command.positionals.count >= 2 else {
            throw CommandError("expected an operation: subtract, add, multiply or divide", offset: sub.offset + sub.length, length: 1)
        }
        let opWord = command.positionals[1]
        guard let op = CombineOperation(rawValue: opWord.text) else {
            throw CommandError("unknown operation `\(opWord.text)` (expected subtract, add, multiply or divide)", at: opWord,
                               suggestion: nearestName(to: opWord.text, in: CombineOperation.allCases.map(\.rawValue)))
        }
        var names: [String] = []
        var listed = Set<String>()
        for word in command.positionals.dropFirst(2) {
            for name in try columnList(word, in: table) {
                guard table.column(named: name)?.isNumeric == true else {
                    throw CommandError("column `\(name)` is text, not numeric", at: word)
                }
                if !listed.insert(name).inserted { throw CommandError("column `\(name)` is listed twice", at: word) }
                names.append(name)
            }
        }
        let k = try command.int("n")
        guard names.count >= k else {
            throw CommandError("need at least \(k) columns to combine \(k) at a time, got \(names.count)",
                               offset: opWord.offset + opWord.length, length: 1)
        }
        let total = FeatureCombinations.count(names.count, choose: k) ?? Int.max
        let force = command.word("force")?.text
        if let force, force != "yes", force != "no" {
            throw CommandError("force= takes yes or no", at: command.word("force")!)
        }
        if total > combineLimit, force != "yes" {
            throw CommandError("this would create \(total) columns (more than \(combineLimit)); add force=yes to create them anyway",
                               at: command.word("n") ?? opWord)
        }
        // The memory the new columns take, checked before any is made (force=yes lifts the column
        // limit, not this one).
        let bytes = total.multipliedReportingOverflow(by: table.rowCount * MemoryLayout<Double>.stride)
        do {
            try MemoryBudget.check(bytes.overflow ? Int.max : bytes.partialValue,
                                   for: "features combine: \(total) columns of \(table.rowCount) rows")
        } catch let error as DataError {
            throw CommandError(error.message, at: command.word("n") ?? opWord)
        }
        let columns = names.map { table.column(named: $0)?.numbers ?? [] }
        var created = 0, replaced = 0
        var shown: [String] = []
        for subset in FeatureCombinations.subsets(names.count, k) {
            try Cancellation.check()
            let name = FeatureCombinations.name(subset.map { names[$0] }, op)
            let values = FeatureCombinations.values(subset.map { columns[$0] }, op)
            if table.column(named: name) != nil { replaced += 1 } else { created += 1 }
            try table.setColumn(Column(name: name, numbers: values))
            if shown.count < 10 { shown.append(name) }
        }
        try workspace.update(table)
        var text = "features combine \(op.rawValue): \(total) columns from \(names.count) choose \(k)"
        text += " (\(created) new" + (replaced > 0 ? ", \(replaced) replaced)" : ")")
        text += ": " + shown.joined(separator: ", ") + (total > shown.count ? ", ..." : "")
        return [.text(text)]
    }

    // MARK: export

    func export(_ command: ParsedCommand) throws -> [Output] {
        if command.positionals.first?.text == "answers", tables["answers"] == nil { return try exportAnswers(command) }
        if command.positionals.first?.text == "tasks", tables["tasks"] == nil { return try exportTasks(command) }
        if command.positionals.first?.text == "labelconfig", tables["labelconfig"] == nil { return try exportLabelConfig(command) }
        if command.positionals.first?.text == "model", tables["model"] == nil, command.positionals.count >= 2 {
            return try exportModel(command)
        }
        if command.positionals.first?.text == "density", tables["density"] == nil, command.positionals.count >= 2 {
            return try exportDensity(command)
        }
        try refuseLabelStudioOptions(command)
        try refuseAnswerOptions(command)
        for key in ["bins", "xrange", "yrange"] {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= is for `export density X Y to=PATH`", offset: o.keyOffset, length: o.key.count)
            }
        }
        var table: Table
        let pathWord: Word
        switch command.positionals.count {
        case 1:
            table = try currentTable(for: command.verb)
            pathWord = command.positionals[0]
        case 2:
            let tableWord = command.positionals[0]
            if tableWord.text == "table", tables["table"] == nil {
                // `export table PATH`, the phrase the help and the issue use, means the current table.
                table = try currentTable(for: command.verb)
                pathWord = command.positionals[1]
                break
            }
            guard let named = tables[tableWord.text] else {
                throw CommandError("no table `\(tableWord.text)`", at: tableWord, suggestion: nearestName(to: tableWord.text, in: tableOrder))
            }
            table = named
            pathWord = command.positionals[1]
        case 0:
            throw CommandError("expected a file path: export [TABLE] PATH", offset: command.verb.offset + command.verb.length, length: 1)
        default:
            throw CommandError("unexpected `\(command.positionals[2].text)`: export [TABLE] PATH", at: command.positionals[2])
        }
        let lower = pathWord.text.lowercased()
        let fits = [".fits", ".fit", ".fts"].contains { lower.hasSuffix($0) }
        let parquet = lower.hasSuffix(".parquet")
        guard fits || parquet || lower.hasSuffix(".csv") else {
            throw CommandError("export writes .csv, .fits or .parquet files; give the path one of those extensions", at: pathWord)
        }
        if let rows = command.optionEntry("rows") {
            let mask = try evaluate(rows.value.text, offset: rows.value.quoted ? rows.value.offset + 1 : rows.value.offset, in: table)
            table = try table.selecting(rows: table.rowIndices(where: mask))
        }
        if let columns = command.optionEntry("columns") {
            let names = try columnList(columns.value, in: table)
            table = try Table(name: table.name, columns: names.compactMap { table.column(named: $0) },
                              idColumn: table.idColumn, labelColumn: table.labelColumn)
        }
        if let with = command.word("with") { table = try addingLabelColumns(to: table, with: with) }
        let full = resolve(pathWord.text)
        let dir = (full as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        do {
            if fits {
                try TableWriter.writeFITS(table, to: full)
            } else if parquet {
                try ParquetWriter.write(table, to: full)
            } else {
                try TableWriter.writeCSV(table, to: full)
            }
        } catch let error as DataError {
            throw CommandError(error.message.replacingOccurrences(of: full, with: pathWord.text), at: pathWord)
        }
        return [.text("wrote \(plural(table.rowCount, "row")) × \(plural(table.columns.count, "column")) to \(pathWord.text)")]
    }
}

/// Bytes for people: 512 B, 12.3 kB, 45.6 MB (powers of 1000).
func formatBytes(_ bytes: Int) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
        value /= 1000
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", locale: Locale(identifier: "en_US_POSIX"), value, units[unit])
}
