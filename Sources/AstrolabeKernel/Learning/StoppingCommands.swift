import AstrolabeData
import AstrolabeLearn

extension VerbCatalog {
    /// The options that choose a stopping rule (`stopping` and `history` share them).
    static var stoppingRuleOptions: [OptionSpec] { [
        .choice("rule", StoppingRule.names, "kappa (stabilising predictions), uncertainty (overall), change (classification change) or budget"),
        .double("threshold", 0...1, "the rule's threshold (default: kappa 0.99, uncertainty 0.05, change 0)"),
        .int("window", 1...1000, default: 3, "kappa: successive fits averaged"),
        .int("budget", 1...10_000_000, "budget: the labels to stop at"),
    ] }

    nonisolated(unsafe) static let stopping: [Verb] = [
        Verb("stopping", usage: "stopping MODEL [rule=kappa|uncertainty|change|budget] [threshold=X] [window=N] [budget=N]",
             summary: "Whether to stop labelling: each stopping rule's verdict after every fit, and a recommendation.",
             details: """
                 Rules, over the pool (the rows a fit predicts and its predecessor predicted too); each decides as
                 small-text's criterion of the same name fed the same predictions:
                 kappa: stabilising predictions (Bloodgood & Vijay-Shanker 2009, KappaAverage): stop once the mean
                 Cohen's kappa between successive fits' predicted classes over the last window= pairs (default 3)
                 is at least threshold= (default 0.99).
                 uncertainty: overall uncertainty (Zhu, Wang & Hovy 2008, OverallUncertainty): stop once the mean
                 entropy of the probabilities, divided by log(classes), is below threshold= (default 0.05).
                 change: classification change (Zhu et al., ClassificationChange): stop once at most a threshold=
                 fraction (default 0: none) of the predicted classes changed since the previous fit.
                 budget: stop at budget= labels.
                 Without rule= every rule is shown (budget only with budget=); the recommendation follows
                 kappa (the rule Bloodgood & Vijay-Shanker found both timely and safe) or the rule named.
                 history shows the same verdict after every fit; simulate reports where each rule would have
                 stopped and the accuracy that cost.
                 example: stopping m rule=kappa threshold=0.95 window=3
                 """,
             options: stoppingRuleOptions,
             arguments: [.model],
             provenance: .readsOnly,
             run: Session.stopping),
    ]
}

extension Session {
    /// The rule named by `rule=` with its settings, or nil when `rule=` is not given.
    func stoppingRule(_ command: ParsedCommand) throws -> StoppingRule? {
        guard let word = command.word("rule") else {
            for key in ["threshold", "window"] where command.has(key) {
                throw CommandError("\(key)= sets a stopping rule's threshold: name the rule with rule=", at: command.word(key) ?? command.verb)
            }
            return nil
        }
        let threshold = command.has("threshold") ? try command.double("threshold") : nil
        switch word.text {
        case "kappa": return .kappa(threshold: threshold ?? 0.99, window: try command.int("window"))
        case "uncertainty":
            let t = threshold ?? 0.05
            guard t < 1 else { throw CommandError("rule=uncertainty takes threshold= below 1 (entropy is at most 1)", at: command.word("threshold") ?? word) }
            return .uncertainty(threshold: t)
        case "change": return .change(threshold: threshold ?? 0)
        case "budget":
            guard command.has("budget") else { throw CommandError("rule=budget needs budget=N, the labels to stop at", at: word) }
            return .budget(labels: try command.int("budget"))
        default:
            throw CommandError("rule= expects \(StoppingRule.names.joined(separator: ", "))", at: word,
                               suggestion: nearestName(to: word.text, in: StoppingRule.names))
        }
    }

    /// The rules `stopping` shows: the one named, else every default (and budget with budget=).
    func stoppingRules(_ command: ParsedCommand) throws -> [StoppingRule] {
        if let rule = try stoppingRule(command) { return [rule] }
        return StoppingRule.defaults + (command.has("budget") ? [.budget(labels: try command.int("budget"))] : [])
    }

    /// `stopping MODEL [rule=…]`.
    func stopping(_ command: ParsedCommand) throws -> [Output] {
        let model = try requireModel(command.positionals.first, verb: command.verb)
        if let stray = command.positionals.dropFirst().first {
            throw CommandError("unexpected `\(stray.text)`; options are written key=value (rule=, threshold=, window=, budget=)", at: stray)
        }
        let rules = try stoppingRules(command)
        guard !model.history.isEmpty else {
            throw CommandError("model `\(model.name)` has not been trained on any label yet", at: command.positionals[0])
        }
        let steps = model.stoppingSteps.steps
        var table = TextTable(header: ["rule", "stops when", "verdict", "first said stop", "now"], numericColumns: [])
        for rule in rules {
            let decisions = rule.decisions(steps)
            let first = decisions.firstIndex(of: true).map { "at \(plural(steps[$0].labels, "label"))" } ?? "never"
            table.append([rule.name, rule.summary, decisions.last == true ? "stop" : "continue", first,
                          rule.signal(steps, at: steps.count - 1)])
        }
        let head = "stopping \(model.name) after \(plural(model.history.count, "fit")) at \(plural(steps.count, "label count")) "
            + "(\(steps[0].labels) → \(steps[steps.count - 1].labels); refits on the same labels count once), "
            + "signals over the pool of \(plural(model.history.last?.poolSize ?? 0, "row"))"
        return [.text(head + "\n" + table.rendered + "\n" + stoppingRecommendation(rules[0], steps: steps))]
    }

    /// One line: stop or go on, after which rule and since when.
    func stoppingRecommendation(_ rule: StoppingRule, steps: [StoppingStep]) -> String {
        let decisions = rule.decisions(steps)
        guard let last = steps.last else { return "" }
        if decisions.last == true {
            let since = decisions.lastIndex(of: false).map { $0 + 1 } ?? 0
            return "recommendation: stop — \(rule.summary) (\(rule.name)) since \(plural(steps[since].labels, "label")); "
                + "more labels are unlikely to change the predictions much"
        }
        let at: String = if case .budget = rule { "" } else { " at \(plural(last.labels, "label"))" }
        return "recommendation: keep labelling — \(rule.name) wants \(rule.summary); now \(rule.signal(steps, at: steps.count - 1))\(at)"
    }
}
