import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let learn: [Verb] = [
        Verb("classes", usage: "classes NAME ... [unknown=VALUE,...]",
             summary: "Declare the classes models learn, in order; label values listed as unknown go to the pool.",
             details: """
                 Without this command the classes are the distinct values of the label column.
                 Rows whose label is not a declared class count as unlabelled.
                 Declaring classes again (say, adding one mid-session) changes the table's existing models too:
                 they learn the new list and retrain at once (one-vs-rest models keep their target).
                 example: classes bll fsrq unknown=bcu
                 """,
             options: [.text("unknown", "label values that mean 'not known'")],
             arguments: [.className],
             maxPositionals: Verb.unlimited, provenance: .noted(SessionProvenance.noteClasses),
             run: Session.classes),
        Verb("model", usage: "model NAME features=A,B,... [classifier=forest] [strategy=margin] [initial=N] [test=FRACTION | split=TRAIN:VALIDATION:TEST | split=own] [trees=N] [class_weight=balanced]",
             summary: "Create a classifier (or committee) over features and fit it on the labels known so far.",
             details: """
                 The rows whose label column holds a declared class are split, stratified, into a held-out test set
                 (test=, default 0.25) and the rest. initial= rows of the rest (default 2 per class, stratified)
                 start the training set, as if already labelled; every `teach` answer joins it. All other rows form
                 the pool that `query` ranks.
                 split=0.6:0.2:0.2 instead splits the labelled rows three ways (stratified; the numbers are relative
                 weights): a test set, a validation set scored after every fit (see `history`), and the rest.
                 The models of a table share their held-out rows (the same test and validation rows for the same
                 test= or split=), so `score` compares classifiers, not splits; split=own draws this model's own.
                 class_weight=balanced weighs each class's rows by n / (classes × n_class), as scikit-learn does
                 (balanced_subsample: per bootstrap sample of a forest; CLASS:W,... by hand, other classes 1):
                 forest, extra-trees, tree and logistic, so rare classes count in the fit.
                 calibrate=isotonic|sigmoid maps the probabilities to calibrated ones after every fit, as scikit-learn's
                 CalibratedClassifierCV: fitted on the validation set (calibration=validation, the default with split=)
                 or on out-of-fold probabilities of the training labels (calibration=cv:5, the default otherwise);
                 `plot reliability MODEL` shows the result.
                 strategy=expected-error refits the model for every pool row and class (modAL's expected error
                 reduction, 1 - max p loss): only for pools of at most 1000 rows.
                 example: model m classifier=forest features=PL_Index,hardness strategy=margin
                 example: model m features=PL_Index,hardness split=0.6:0.2:0.2
                 """,
             // The order here is the order `save session` writes a model's options in.
             options: [.columns("features", "comma-separated feature columns"),
                       .choice("classifier", names: { ClassifierKind.allNames }, default: "forest",
                               "the classifier, or a committee of several"),
                       .choice("strategy", names: { StrategyKind.allNames + RegressionStrategyKind.allNames.filter { !StrategyKind.allNames.contains($0) } },
                               StrategyKind.helpList + "; regression: " + RegressionStrategyKind.allNames.joined(separator: ", ")),
                       .choice("ties", TieBreak.self, default: .random,
                               "tied scores go first to the denser row (density), the row farthest from the labels (diverse) or by the seeded draw (random)"),
                       .text("initial", "number of starting labels (default 2 per class; 10 for regression), or all: every labelled row outside the held-out sets"),
                       .double("test", 0...0.9, default: 0.25, "held-out fraction"),
                       .text("split", "train:validation:test ratios of the labelled rows, e.g. 0.6:0.2:0.2; own: not the table's shared held-out rows"),
                       .int("trees", 1...10_000, default: 100, "number of trees (forest, extra-trees)"),
                       .choice("scaling", Scaling.self, "none, standard or robust (fitted on the training rows)"),
                       .int("committee", 0...100, default: 0, "a committee of N copies of the classifier"),
                       .choiceList("members", names: { ClassifierKind.memberNames }, "committee members, e.g. forest,logistic,knn"),
                       .int("k", 1...10_000, default: 5, "neighbours (knn)"), .double("c", 1e-6...1e6, default: 1, "inverse L2 strength (logistic)"),
                       .int("depth", 1...1000, "maximum tree depth"),
                       .int("estimators", 1...10_000, "boosting rounds"),
                       .text("class_weight", "balanced, balanced_subsample or CLASS:W,... (forest, extra-trees, tree, logistic)"),
                       .text("target", "one-vs-rest: this class against all others; each: one model NAME-CLASS per class; with regressor=, the numeric column to predict"),
                       .choice("start", ModelStart.self, default: .stratified, "cold start: stratified (default, at least one per class), random or k-center (representative)"),
                       .choice("calibrate", CalibrationMethod.self, "calibrate probabilities: isotonic or sigmoid (Platt)"),
                       .text("calibration", "what calibrate= fits on: validation (default with split=) or cv:N folds of the training labels (default cv:5)"),
                       .choice("weak", WeakSource.self, "labelmodel: also train on the label model's labels (answers win)"),
                       .double("weak_min", 0...1, default: 0.7, "weak=labelmodel: the least label-model confidence a row needs"),
                       .choice("regressor", names: { RegressorKind.allNames }, "a regression model of target=COLUMN instead of a classifier: " + RegressorKind.allNames.joined(separator: ", "))],
             arguments: [.text],
             provenance: .noted(SessionProvenance.noteModel),
             run: Session.model),
        Verb("query", usage: "query MODEL [N] [show=COLUMN,...] [strategy=NAME] [balance=predicted] [skip_covered=yes] [images=yes] [sed=yes]",
             summary: "Show the N pool rows (default 5) the model most wants labelled, best first.",
             details: """
                 Each row: its id, predicted class, class probabilities, the strategy's score, the catalogue's label
                 and the extra columns of show= (kept for the model's later queries and its keyboard loop; show=none
                 clears them; texts longer than the table's cells follow it in full). Rows that tie on the score (a young
                 forest's votes often split 50/50) are drawn among by a seeded key of their ids, not by their order in
                 the file; the output says how many tied.
                 images=yes adds a contact sheet: each row's cutout (the table's last `image` settings, else a
                 DSS2 survey cutout by RA/Dec) captioned with rank, id, predicted class, its probability and the score;
                 sed=yes puts each row's SED (see `sed`) beside it.
                 balance=predicted spreads the N rows over the classes the model predicts: the strategy's ranking dealt
                 round robin over predicted classes, rarest first, so each class predicted in the pool gets a slot while
                 N allows (for rare classes that plain uncertainty sampling never reaches).
                 strategy= asks this once by another strategy than the model's: strategy=conflict asks where the
                 labelling rules disagree, then where the label model is least sure (see `rule`, `labelmodel`).
                 skip_covered=yes leaves out the rows the table's label model labels with confidence ≥ 0.7.
                 strategy=suspect asks about the rows
                 the last `audit MODEL` flagged instead of the pool, lowest label quality first, for `teach` to confirm
                 (the given label again) or correct; a row answered since leaves the queue.
                 example: query m 5 strategy=conflict skip_covered=yes
                 example: query m 5 show=Redshift,ASSOC1
                 example: query m 10 strategy=suspect
                 example: query m 4 images=yes sed=yes
                 """,
             options: [.columns("show", "extra columns to show with each row (remembered for the model)"),
                       .choice("balance", QueryBalance.self, default: QueryBalance.none, "predicted: spread the batch over predicted classes"),
                       .choice("strategy", names: { StrategyKind.allNames }, "this query only: another strategy (conflict: rules disagree; suspect: the rows `audit` flagged)"),
                       .yesNo("skip_covered", default: false, "leave out rows the label model already labels with confidence ≥ 0.7"),
                       .yesNo("images", default: false, "a contact sheet of the rows' cutouts"), .yesNo("sed", default: false, "each row's SED in the contact sheet")],
             arguments: [.model, .number],
             // It remembers what it showed (show=, the scores answers cite): nothing a replay needs.
             provenance: .readsOnly,
             run: Session.query),
        Verb("teach", usage: "teach ID CLASS [confidence=0-1] [note=TEXT] | teach MODEL loop [images=yes] [sed=yes]",
             summary: "Give the class of one row. Stored durably before the prompt returns; models retrain.",
             details: """
                 Quote ids that contain spaces: teach "4FGL J0001.2+4741" bll
                 Teaching a row again relabels it (the store keeps both answers); `undo` takes an answer back
                 but the store keeps it too, marked undone. If the store turns out damaged, answers are refused
                 with an error naming it, never acknowledged as stored.
                 `teach MODEL loop` (REPL only) shows one queried row at a time: a key per class (1-9, 0, then letters),
                 u unsure, s skip, z undo (the row is then asked again), q quit; each answer is recorded as an explicit
                 teach/unsure/skip/undo line. With images=yes / sed=yes each row comes with its cutout / SED, as
                 `query … images=yes sed=yes` draws them.
                 The answer is stored under the active annotator (`annotator NAME`); other annotators' answers about
                 the row stay, and `gold` decides which one trains the models.
                 example: teach "4FGL J0001.2+4741" bll confidence=0.7 note="faint, check spectrum"
                 """,
             options: [.double("confidence", 0...1, "how sure you are (stored and exported)"), .text("note", "a comment stored with the answer"),
                       .yesNo("images", default: false, "loop: show each row's cutout"), .yesNo("sed", default: false, "loop: show each row's SED")],
             arguments: [.id, .className],
             provenance: .noted(SessionProvenance.noteTeach),
             run: Session.teach),
        Verb("unsure", usage: "unsure ID [note=TEXT]",
             summary: "Record that you cannot tell a row's class: kept out of training; asked again only after a new label.",
             options: [.text("note", "a remark stored with the answer")],
             arguments: [.id],
             provenance: .noted(SessionProvenance.noteRowMark),
             run: Session.unsure),
        Verb("labels", usage: "labels [by=annotator] [disagreements=yes]",
             summary: "List the answers given for the current table: the gold label per row, or every annotator's answer.",
             details: """
                 With several annotators (or by=annotator) each row shows every annotator's answer (confidence in
                 brackets) beside the gold label, with counts per annotator; disagreements=yes keeps the rows whose
                 answers disagree, the ones an adjudicator settles (`gold adjudicator=NAME`).
                 """,
             options: [.choice("by", ["annotator"], "annotator: one column per annotator"), .yesNo("disagreements", default: false, "yes: only rows whose answers disagree")],
             provenance: .readsOnly,
             run: Session.labels),
        Verb("score", usage: "score MODEL [on=test|validation|train]",
             summary: "Accuracy, per-class precision, recall and F1, and the confusion matrix on the model's test set.",
             details: """
                 For rare classes and probabilities it adds (as sklearn.metrics computes them) balanced accuracy (the mean
                 recall over the classes present), macro recall, Matthews correlation, each class's average precision (AP,
                 the area under its precision-recall curve), the Brier score (two classes: the mean squared error of the
                 second class's probability; more: the sum over classes) and the expected calibration error (10 equal bins
                 of the top probability: the mean |accuracy - confidence| weighted by the rows in each bin).
                 on= picks the set: test (default), validation (models made with split=) or train (the labels it
                 learnt from, a check for underfitting). For the models of `model NAME target=each`, `score NAME`
                 gives one row per label: each model's accuracy and its own class's precision, recall and F1.
                 """,
             options: [.choice("on", EvaluationSet.self, default: .test, "test, validation or train")],
             arguments: [.model],
             provenance: .readsOnly,
             run: Session.score),
        Verb("history", usage: "history MODEL [on=validation|train|test] [average=macro|weighted|CLASS] [rule=RULE] [to=PATH]",
             summary: "Scores after every fit (one row per number of labels) and the signals that say when to stop.",
             details: """
                 Every fit is scored on the training labels, the validation set and the test set; on= picks the
                 set shown (default validation when the model has one, else train; test only when asked).
                 average= gives macro (default) or weighted precision, recall and F1, or those of one class.
                 Stopping signals, over the pool: kappa, the agreement (Cohen's kappa) of this fit's predicted
                 classes with the previous fit's (near 1: new labels no longer change the predictions); pool
                 uncertainty, the mean uncertainty (the strategy's own for margin 1 - (p1 - p2), entropy and
                 least-confident, else least-confident); max uncertainty, that of the row the model most wants
                 labelled (low: it is confident everywhere). verdict: stop or continue after each fit by the
                 stopping rule rule= (default kappa: mean kappa ≥ 0.99 over 3 fits; see `help stopping`), then a
                 one-line recommendation.
                 to=PATH.png draws accuracy and F1 against the number of labels.
                 example: history m on=validation average=weighted
                 """,
             options: [.choice("on", EvaluationSet.self, "validation, train or test"), .text("average", default: "macro", "macro, weighted or a class name"),
                       .path("to", "PNG of the scores against labels")] + stoppingRuleOptions,
             arguments: [.model],
             provenance: .readsOnly,
             run: Session.history),
    ]
}

/// `query` and `score`: what the model asks, and how well it does.
extension Session {

    func query(_ command: ParsedCommand) throws -> [Output] {
        var model = try requireModel(command.positionals.first, verb: command.verb)
        var count = 5
        if let word = command.positionals.dropFirst().first {
            guard let n = Int(word.text), n > 0 else { throw CommandError("expected a positive count, got `\(word.text)`", at: word) }
            count = n
        }
        if let stray = command.positionals.dropFirst(2).first {
            throw CommandError("unexpected `\(stray.text)`: query MODEL [N] [show=COLUMN,...]", at: stray)
        }
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        if let show = command.optionEntry("show") {
            model.shownColumns = show.value.text == "none" ? [] : try columnList(show.value, in: table)
        }
        // A query that finds nothing to ask leaves no earlier question standing (the keyboard loop
        // reads the last query's row: a stale one was asked again and again once the pool ran out).
        model.lastQuery = [:]
        try workspace.setModel(model)
        if let word = command.word("strategy"), StrategyKind.named(word.text)?.needsAudit == true {
            return try querySuspect(command, model: model, table: table, count: count, at: word)
        }
        var asking = try askingModel(command, model: model)
        model.lastQueryStrategy = asking.strategyName == model.strategyName ? nil : asking.strategyName
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet: teach a few rows first", at: command.positionals[0])
        }
        let pool = poolRows(model)
        guard !pool.isEmpty else { return [.text("the pool is empty: every row is labelled or in the test set")] }
        let unskipped = pool.filter { !(skipped[model.tableName]?.contains($0) ?? false) }
        guard !unskipped.isEmpty else { return [.text("every pool row was skipped: nothing left to ask")] }
        // Rows answered with a class since the last fit (under `retrain every=N`) are not asked again.
        // (Usually none: an answered row is in the training set or held out, hence not in the pool;
        // the pool is in row order, so each answered row is looked up by bisection.)
        let pending = Set((answers[model.tableName] ?? [:]).filter { $0.value.kind == .label && sortedContains(unskipped, $0.key) }.keys)
        let unasked = pending.isEmpty ? unskipped : unskipped.filter { !pending.contains($0) }
        guard !unasked.isEmpty else { return [.text("every pool row is answered or skipped: retrain to go on (retrain \(quoteIfNeeded(model.name)))")] }
        let held = heldBackUnsure(table: model.tableName).filter { sortedContains(unasked, $0) }
        var candidates = held.isEmpty ? unasked : unasked.filter { !held.contains($0) }
        if candidates.isEmpty { candidates = unasked }
        let heldCount = unasked.count - candidates.count
        if model.regression != nil {
            return try regressionQuery(&model, table: table, candidates: candidates, count: count, heldCount: heldCount)
        }
        let balanced = try command.choice("balance", QueryBalance.self) == .predicted
        if try command.yesNo("skip_covered") {
            candidates = try uncoveredRows(candidates, table: table, at: command.word("skip_covered") ?? command.verb)
            guard !candidates.isEmpty else { return [.text("the label model covers every pool row with confidence ≥ 0.7: nothing left to ask")] }
        }
        asking.shownColumns = model.shownColumns
        if StrategyKind.named(asking.strategyName)?.family == .adaptive {
            asking.bandit = model.bandit?.copy() ?? AdaptiveBandit(budget: 100, seed: model.seed)
            model.bandit = asking.bandit
        }
        let selection = try selectQueries(asking, pool: candidates, count: count, balanced: balanced)
        let probabilities = selection.probabilities, scores = selection.scores, ranked = selection.ranked
        let ids = table.rowIdentifiers()
        let catalogueColumn = table.labelColumn.flatMap { table.column(named: $0) }
        var header = ["rank", "id", "predicted"] + model.classes.map { "p(\($0))" } + ["score"]
        if catalogueColumn != nil { header.append("catalogue") }
        let shown = model.shownColumns.compactMap { table.column(named: $0) }
        header += shown.map(\.name)
        var text = TextTable(header: header, numericColumns: Set([0] + Array(3..<(4 + model.classes.count))))
        model.lastQuery = [:]
        let k = model.classes.count
        var fullTexts: [String] = []
        var sheetRows: [QueriedRow] = []
        for (rank, index) in ranked.enumerated() {
            let row = candidates[index]
            let p = Array(probabilities[(index * k)..<(index * k + k)])
            let best = p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0
            model.lastQuery[row] = scores[index]
            model.asked.insert(row)
            sheetRows.append(QueriedRow(row: row, predicted: model.classes[best], probability: p[best], score: scores[index]))
            var cells = [String(rank + 1), ids[row], model.classes[best]] + p.map { fixed($0) } + [fixed(scores[index])]
            if let catalogueColumn { cells.append(catalogueColumn.displayText(row: row)) }
            cells += shown.map { $0.displayText(row: row) }
            text.append(cells)
            // The table cuts long cells; the text of a column asked for with show= is the point of
            // asking, so it follows the table in full.
            for column in shown where column.displayText(row: row).count > TextTable.maximumCellWidth {
                fullTexts.append("\(rank + 1). \(ids[row]) \(column.name): \(column.displayText(row: row))")
            }
        }
        try workspace.setModel(model)
        var stale = model.pendingAnswers > 0 ? ", \(plural(model.pendingAnswers, "answer")) not yet trained on" : ""
        if heldCount > 0 { stale += ", \(heldCount) marked unsure held back until the next label" }
        let head = "\(model.name) asks (\(asking.strategyName), \(model.trainingRows.count) labels, pool \(candidates.count)\(stale)):"
        let full = fullTexts.isEmpty ? "" : "\n\n" + fullTexts.joined(separator: "\n")
        return [.text(head + "\n" + text.rendered + full + tieNote(selection))] + (try querySheet(command, table: table, rows: sheetRows))
    }

    /// The model as this query asks: with the strategy of `strategy=` when given (once; the model keeps its own).
    func askingModel(_ command: ParsedCommand, model: ActiveModel) throws -> ActiveModel {
        var asking = model
        guard let word = command.word("strategy") else { return asking }
        let kind = try resolving(at: word) { try StrategyKind.resolve(word.text) }
        if kind.needsCommittee && model.members.isEmpty {
            throw CommandError("strategy `\(kind.name)` needs a committee model", at: word)
        }
        asking.strategyName = kind.name
        return asking
    }

    /// Says when the last row shown was one of several with the same score: which of them were
    /// shown was a seeded draw (by row id, not file order), and the user should know how many
    /// equally good questions there were.
    func tieNote(_ selection: QuerySelection) -> String {
        guard selection.byScore, let last = selection.ranked.last else { return "" }
        let score = selection.scores[last]
        let tied = tieCount(selection.scores, at: score)
        let shown = selection.ranked.filter { tieCount([selection.scores[$0]], at: score) == 1 }.count
        guard tied > shown else { return "" }
        let which = shown == 1 ? "the one shown was" : "the \(shown) shown were"
        return "\n\(tied) rows tie at score \(fixed(score)); \(which) drawn from them at random (seeded, by row id)"
    }

    /// The one-vs-rest models `model NAME target=each` made (`NAME-CLASS`), in creation order.
    func oneVsRestGroup(_ name: String) -> [ActiveModel] {
        modelOrder.compactMap { models[$0] }.filter { model in
            guard let target = model.target else { return false }
            return model.name == "\(name)-\(target)"
        }
    }

    /// `score NAME` for the models of `target=each`: one row per label, each model's precision,
    /// recall and F1 of its own class on the chosen set (AstronomicAL's per-label tabs, side by side).
    func scoreOneVsRest(_ group: [ActiveModel], command: ParsedCommand) throws -> [Output] {
        var text = TextTable(header: ["model", "label", "set", "labels", "accuracy", "precision", "recall", "f1", "support"],
                             numericColumns: [3, 4, 5, 6, 7, 8])
        for model in group {
            let set = !command.has("on") ? EvaluationSet.test : try evaluationSet(command, model: model)
            guard let table = tables[model.tableName], !model.trainingRows.isEmpty,
                  let matrix = try confusion(model, on: set, table: table) else {
                text.append([model.name, model.target ?? "", set.rawValue, String(model.trainingRows.count), "", "", "", "", ""])
                continue
            }
            text.append([model.name, model.target ?? "", set.rawValue, String(model.trainingRows.count), fixed(matrix.accuracy),
                         fixed(matrix.precision(0)), fixed(matrix.recall(0)), fixed(matrix.f1(0)), String(matrix.support(0))])
        }
        return [.text("one-vs-rest models, each scored on its own class (`score MODEL` for one in full):\n" + text.rendered)]
    }

    /// Whether an ascending array holds `value` (bisection).
    func sortedContains(_ sorted: [Int], _ value: Int) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }

    // MARK: Score

    func score(_ command: ParsedCommand) throws -> [Output] {
        if let word = command.positionals.first, models[word.text] == nil {
            let group = oneVsRestGroup(word.text)
            if !group.isEmpty { return try scoreOneVsRest(group, command: command) }
        }
        let model = try requireModel(command.positionals.first, verb: command.verb)
        if model.regression != nil { return try scoreRegression(model, command: command) }
        let set = !command.has("on") ? EvaluationSet.test : try evaluationSet(command, model: model)
        guard set != .test || !model.testRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no test set (it was made with test=0)", at: command.positionals[0])
        }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet", at: command.positionals[0])
        }
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        guard let matrix = try confusion(model, on: set, table: table) else {
            throw CommandError("no row of the \(set.rawValue) set of `\(model.name)` has a known class", at: command.positionals[0])
        }
        let what = set == .train ? "its training labels (\(model.trainingRows.count))" : "its \(set.rawValue) set (\(plural(matrix.total, "row")))"
        var lines = ["\(model.name) on \(what), trained on \(model.trainingRows.count) labels:"]
        lines.append("accuracy \(fixed(matrix.accuracy))  macro F1 \(fixed(matrix.macroF1))  weighted F1 \(fixed(matrix.weightedF1))")
        let k = model.classes.count
        let scored = try evaluationProbabilities(model, on: set, table: table)
        if let scored { lines += rareClassLines(matrix, truth: scored.truth, probabilities: scored.probabilities, classCount: k) }
        let precisions = scored.map { averagePrecisions(truth: $0.truth, probabilities: $0.probabilities, classCount: k) }
            ?? [String](repeating: "", count: k)
        var perClass = TextTable(header: ["class", "precision", "recall", "f1", "AP", "support"], numericColumns: [1, 2, 3, 4, 5])
        for (c, name) in model.classes.enumerated() {
            perClass.append([name, fixed(matrix.precision(c)), fixed(matrix.recall(c)), fixed(matrix.f1(c)), precisions[c], String(matrix.support(c))])
        }
        var confusion = TextTable(header: ["true \\ predicted"] + model.classes,
                                  numericColumns: Set(1...model.classes.count))
        for (t, name) in model.classes.enumerated() {
            confusion.append([name] + (0..<model.classes.count).map { String(matrix.counts[t][$0]) })
        }
        return [.text(lines.joined(separator: "\n") + "\n\n" + perClass.rendered + "\n\n" + confusion.rendered)]
    }
}
