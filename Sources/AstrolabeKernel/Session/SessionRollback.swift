import AstrolabeData

/// Everything a command can change in a session, as plain values (tables, models and settings
/// are structs), so a compound command can be undone as a whole.
struct SessionState {
    var tables: [String: Table]
    var tableOrder: [String]
    var viewBases: [String: String]
    var viewParents: [String: String]
    var currentTableName: String?
    var declaredClasses: [String: ClassSet]
    var answers: [String: [Int: LabelRecord]]
    var models: [String: ActiveModel]
    var modelOrder: [String]
    var learning: LearningState
    var figureCount: Int
    var provenance: SessionProvenance
    var plotSettings: PlotSettings
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
            SessionState(tables: tables, tableOrder: tableOrder, viewBases: viewBases, viewParents: viewParents, currentTableName: currentTableName,
                         declaredClasses: declaredClasses, answers: answers, models: models, modelOrder: modelOrder,
                         learning: learning, figureCount: figureCount, provenance: provenance, plotSettings: plotSettings)
        }
        set {
            tables = newValue.tables; tableOrder = newValue.tableOrder; viewBases = newValue.viewBases
            viewParents = newValue.viewParents
            currentTableName = newValue.currentTableName; declaredClasses = newValue.declaredClasses
            answers = newValue.answers; models = newValue.models; modelOrder = newValue.modelOrder
            learning = newValue.learning; figureCount = newValue.figureCount; provenance = newValue.provenance
            plotSettings = newValue.plotSettings
        }
    }
}
