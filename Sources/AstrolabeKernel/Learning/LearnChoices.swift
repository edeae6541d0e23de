import AstrolabeLearn

/// The names `classifier=`, `members=`, `strategy=` and `strategies=` accept, read from
/// AstrolabeLearn's catalogues through one accessor each: help, completion and the handlers'
/// errors all ask here, so a catalogue that moves is repointed in one place.
enum LearnChoices {
    /// Single classifiers (committee members).
    static var classifiers: [String] { ClassifierCatalog.names }

    /// What `classifier=` takes: a classifier or a committee.
    static var modelKinds: [String] { classifiers + ["committee"] }

    /// Every query strategy, in the order errors list them.
    static var strategies: [String] {
        QueryStrategies.names + CommitteeStrategies.names + BatchStrategy.names + [ExpectedErrorReduction.name]
    }

    /// Whether `name` is a strategy (the registries also take their aliases, e.g. `_` for `-`).
    static func isStrategy(_ name: String) -> Bool {
        QueryStrategies.named(name) != nil || CommitteeStrategies.named(name) != nil
            || BatchStrategy(rawValue: name) != nil || name == ExpectedErrorReduction.name
    }
}
