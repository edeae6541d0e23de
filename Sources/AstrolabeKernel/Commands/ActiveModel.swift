import AstrolabeLearn

/// A classifier bound to a table: its features, classes, held-out test rows, starting labels,
/// and the last query it made (so answers can say which model asked and how much it wanted them).
struct ActiveModel {
    var name: String
    var tableName: String
    var features: [String]
    var strategyName: String
    var trees: Int
    var classes: [String]
    var testRows: [Int]
    var initialRows: [Int]
    var seed: UInt64
    /// Feature values of every row of the table, fixed when the model was made.
    var x: FeatureMatrix
    var forest = RandomForest()
    var trainingRows: [Int] = []
    var trainingLabels: [Int] = []
    var lastQuery: [Int: Double] = [:]
    /// Every row any query of this model has shown, for `plot ... highlight=MODEL`.
    var asked: Set<Int> = []
    var fits = 0
}
