import AstrolabeData

/// Everything a command can change in a session, as plain values (tables, models and settings
/// are structs), so a compound command can be undone as a whole.
struct SessionState {
    var workspace: Workspace
    var declaredClasses: [String: ClassSet]
    var answers: [String: [Int: LabelRecord]]
    var learning: LearningState
    var figureCount: Int
    var provenance: SessionProvenance
    var plotSettings: PlotSettings
    var ruleState: RuleState
}

extension Session {
    /// Runs a compound command (`load config`) all or nothing: the answers it stores are one
    /// store transaction, and when it fails part-way the session is put back as it was and the
    /// store keeps none of them.
    func allOrNothing<T>(_ body: () throws -> T) throws -> T {
        let saved = state
        do {
            return try store.transaction(body)
        } catch {
            state = saved
            throw error
        }
    }

    var state: SessionState {
        get {
            SessionState(workspace: workspace, declaredClasses: declaredClasses, answers: answers,
                         learning: learning, figureCount: figureCount, provenance: provenance, plotSettings: plotSettings,
                         ruleState: ruleState)
        }
        set {
            workspace = newValue.workspace; declaredClasses = newValue.declaredClasses; answers = newValue.answers
            learning = newValue.learning; figureCount = newValue.figureCount; provenance = newValue.provenance
            plotSettings = newValue.plotSettings
            ruleState = newValue.ruleState
        }
    }
}
