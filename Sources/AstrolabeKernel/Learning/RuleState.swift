import AstrolabeLearn

/// A labelling rule: `rule NAME: CLASS when CONDITION` votes CLASS on the rows where the
/// condition holds and abstains elsewhere (where it is false or missing).
struct LabellingRule: Equatable {
    var name: String
    var className: String
    var condition: String

    var line: String { "rule \(name): \(quoteIfNeeded(className)) when \(condition)" }
}

/// The label model last fitted on a table: the rules and classes it combined, and its labels.
struct LabelModelFit {
    var method: WeakLabelModel.Method
    var balance: [Double]?
    var classes: [String]
    var ruleNames: [String]
    var model: WeakLabelModel
}

/// Rules per loaded table (a view uses its base table's rules) and the label model per table or view.
struct RuleState {
    var rules: [String: [LabellingRule]] = [:]
    var fits: [String: LabelModelFit] = [:]
}
