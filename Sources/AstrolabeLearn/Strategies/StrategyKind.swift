import Foundation

/// The query strategies users can name: one entry per strategy, and the one place a new strategy
/// is added (its own file with a `QueryStrategy`, `CommitteeStrategy` or `PoolStrategy`, plus one
/// entry in `all`). `select` is the whole of batch selection: the kernel hands it a `QueryPool`.
public struct StrategyKind: Sendable {
    /// What a strategy scores rows from.
    public enum Rule: Sendable {
        /// The model's probabilities alone.
        case scores(any QueryStrategy)
        /// Each committee member's probabilities: the model must be a committee.
        case committee(any CommitteeStrategy)
        /// The rows' features or refits of the model as well.
        case pool(any PoolStrategy)
    }

    /// The groups strategies are listed in, with what help says of each.
    public enum Family: Sendable, CaseIterable {
        case uncertainty, committee, diversity, refitting, rules, audit, adaptive

        var note: String {
            switch self {
            case .uncertainty, .diversity: return ""
            case .committee: return " (committees)"
            case .refitting: return " (pools up to \(ExpectedErrorReduction.maxPool) rows)"
            case .rules: return " (with a label model of labelling rules)"
            case .audit: return " (query MODEL strategy=suspect, after audit MODEL)"
            case .adaptive: return " (a bandit choosing among \(AdaptiveBandit.arms.joined(separator: ", ")))"
            }
        }
    }

    /// What users type (`strategy=margin`).
    public let name: String
    public let description: String
    public let family: Family
    public let rule: Rule
    /// Other spellings accepted (modAL's names).
    let aliases: [String]
    /// The largest pool it accepts (it refits per pool row), or nil for any.
    public let maxPool: Int?

    init(_ name: String, _ description: String, family: Family, aliases: [String] = [], maxPool: Int? = nil, rule: Rule) {
        self.name = name
        self.description = description
        self.family = family
        self.aliases = aliases
        self.maxPool = maxPool
        self.rule = rule
    }

    /// Whether the model must be a committee.
    public var needsCommittee: Bool {
        if case .committee = rule { return true }
        return false
    }

    /// Whether it asks about the rows an audit flagged (`query MODEL strategy=suspect`) rather than the pool.
    public var needsAudit: Bool { family == .audit }

    /// The probability scorer of a `.scores` strategy, else nil.
    public var scorer: (any QueryStrategy)? {
        if case .scores(let strategy) = rule { return strategy }
        return nil
    }

    /// The measure of uncertainty reports and the stopping signals use: the strategy's own when it
    /// scores probabilities by how unsure they are (margin, entropy, least-confident), else
    /// least-confident.
    public var uncertaintyMeasure: any QueryStrategy {
        if let strategy = scorer, family == .uncertainty, !(strategy is RandomSampling) { return strategy }
        return LeastConfidentSampling()
    }

    /// The `count` pool rows this strategy asks about, best first.
    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        switch rule {
        case .scores(let strategy):
            return try pool.ranked(by: strategy.scores(probabilities: pool.probabilities, classCount: pool.classCount, seed: pool.seed),
                               count: count)
        case .committee(let strategy):
            guard let members = try pool.memberProbabilities() else {
                throw LearnError("strategy `\(name)` needs a committee")
            }
            return try pool.ranked(by: strategy.scores(memberProbabilities: members, classCount: pool.classCount), count: count)
        case .pool(let strategy):
            return try strategy.select(pool, count: count)
        }
    }
}

extension StrategyKind {
    /// Every strategy, in the order they are listed to users.
    public static let all: [StrategyKind] = [
        StrategyKind("margin", "the smallest gap between the two most probable classes", family: .uncertainty,
                     rule: .scores(MarginSampling())),
        StrategyKind("entropy", "the entropy of the class probabilities", family: .uncertainty, rule: .scores(EntropySampling())),
        StrategyKind("least-confident", "the lowest top probability", family: .uncertainty, aliases: ["uncertainty"],
                     rule: .scores(LeastConfidentSampling())),
        StrategyKind("random", "rows drawn at random", family: .uncertainty, rule: .scores(RandomSampling())),
        StrategyKind("vote-entropy", "the entropy of the members' votes", family: .committee, rule: .committee(VoteEntropy())),
        StrategyKind("consensus-entropy", "the entropy of the members' mean probabilities", family: .committee,
                     rule: .committee(ConsensusEntropy())),
        StrategyKind("max-disagreement", "the largest divergence of a member from the consensus", family: .committee,
                     aliases: ["kl", "kl-max-disagreement"], rule: .committee(MaxDisagreement())),
        StrategyKind("density", "margin weighted by information density", family: .diversity, rule: .pool(InformationDensity())),
        StrategyKind("ranked-batch", "ranked batch-mode sampling", family: .diversity, rule: .pool(RankedBatchSampling())),
        StrategyKind("k-center", "k-center greedy core-set batches", family: .diversity, rule: .pool(KCenterSampling())),
        StrategyKind("expected-error", "expected error reduction (refits per pool row and class)", family: .refitting,
                     maxPool: ExpectedErrorReduction.maxPool, rule: .pool(ExpectedErrorReduction())),
        StrategyKind("conflict", "where the labelling rules disagree, then where the label model is least sure",
                     family: .rules, rule: .pool(RuleConflictSampling())),
        StrategyKind("suspect", "the rows `audit` flagged, lowest label quality first (confirm or correct their labels)",
                     family: .audit, rule: .pool(SuspectSampling())),
        StrategyKind("adaptive", "active learning by learning: a bandit (EXP4.P) learns which strategy to ask by", family: .adaptive,
                     aliases: ["albl"], rule: .pool(AdaptiveSampling())),
    ]

    /// Every name `strategy=` takes, in listing order.
    public static var allNames: [String] { all.map(\.name) }

    /// The strategy called `name` or one of its aliases (case-insensitive; `_` and `-` are
    /// interchangeable), or nil.
    public static func named(_ name: String) -> StrategyKind? {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        return all.first { $0.name == key || $0.aliases.contains(key) }
    }

    /// The strategy called `name`; an `UnknownName` listing them all, with the nearest, otherwise.
    public static func resolve(_ name: String) throws -> StrategyKind {
        guard let kind = named(name) else { throw UnknownName(what: "strategy", name: name, available: allNames) }
        return kind
    }

    /// The names for help text, family by family: "margin, entropy, ...; vote-entropy, ... (committees); ...".
    public static var helpList: String {
        Family.allCases.compactMap { family in
            let names = all.filter { $0.family == family }.map(\.name)
            return names.isEmpty ? nil : names.joined(separator: ", ") + family.note
        }.joined(separator: "; ")
    }
}
