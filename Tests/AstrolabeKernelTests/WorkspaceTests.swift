import AstrolabeData
import AstrolabeLearn
import XCTest
@testable import AstrolabeKernel

/// The session's tables and models (`Workspace`): each mutating method keeps the invariants —
/// unique names, models on existing tables, views with existing parents and bases, a current
/// table that exists, creation order — and drops exactly the models of a table it replaces.
final class WorkspaceTests: XCTestCase {
    func table(_ name: String, rows: Int = 3) throws -> Table {
        try Table(name: name, columns: [Column(name: "x", numbers: (0..<rows).map(Double.init))])
    }

    func model(_ name: String, on table: String) throws -> ActiveModel {
        ActiveModel(name: name, tableName: table, features: ["x"], strategyName: "margin", classifierName: "forest",
                    classes: ["a", "b"], testRows: [], initialRows: [], seed: 0, x: try FeatureMatrix(columns: [[0, 1, 2]]),
                    classifier: ScaledClassifier(RandomForest(), scaling: .none))
    }

    /// Fails the test when an invariant does not hold.
    func assertSound(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(workspace.violations(), [], file: file, line: line)
    }

    /// a, b loaded; a view `v` of a; models m1 on a, m2 on b, m3 on v.
    func populated() throws -> Workspace {
        var w = Workspace()
        w.load(try table("a"))
        w.load(try table("b"))
        try w.addView(try table("v", rows: 2), of: "a")
        try w.setModel(try model("m1", on: "a"))
        try w.setModel(try model("m2", on: "b"))
        try w.setModel(try model("m3", on: "v"))
        assertSound(w)
        return w
    }

    func testEmptyWorkspaceHasNoCurrentTable() {
        let w = Workspace()
        XCTAssertNil(w.currentTableName)
        XCTAssertNil(w.currentTable)
        assertSound(w)
    }

    func testLoadAppendsNewTablesInOrderAndMakesEachCurrent() throws {
        var w = Workspace()
        w.load(try table("b"))
        XCTAssertEqual(w.currentTableName, "b")
        w.load(try table("a"))
        XCTAssertEqual(Array(w.tables.keys), ["b", "a"])
        XCTAssertEqual(w.currentTableName, "a")
        XCTAssertEqual(w.currentTable?.name, "a")
        assertSound(w)
    }

    func testReloadKeepsPlaceAndDropsOnlyThatTablesModels() throws {
        var w = try populated()
        try w.use("b")
        let dropped = w.load(try table("a", rows: 5))
        XCTAssertEqual(dropped, ["m1"])
        XCTAssertEqual(Array(w.tables.keys), ["a", "b", "v"])
        XCTAssertEqual(w.tables["a"]?.rowCount, 5)
        XCTAssertEqual(w.currentTableName, "a")
        XCTAssertEqual(Array(w.models.keys), ["m2", "m3"], "models of b and of the view stay, in order")
        // The view keeps its parent and base: they still exist.
        XCTAssertEqual(w.viewParents["v"], "a")
        XCTAssertEqual(w.viewBases["v"], "a")
        assertSound(w)
    }

    func testLoadUnderAViewsNameMakesItALoadedTable() throws {
        var w = try populated()
        try w.addView(try table("vv", rows: 1), of: "v")
        let dropped = w.load(try table("v"))
        XCTAssertEqual(dropped, ["m3"])
        XCTAssertNil(w.viewBases["v"])
        XCTAssertNil(w.viewParents["v"])
        XCTAssertEqual(w.baseName(of: "v"), "v")
        XCTAssertEqual(w.viewParents["vv"], "v", "a view of it keeps its parent")
        XCTAssertEqual(Array(w.tables.keys), ["a", "b", "v", "vv"])
        assertSound(w)
    }

    func testAddViewRecordsParentAndLoadedBase() throws {
        var w = try populated()
        try w.addView(try table("vv", rows: 1), of: "v")
        XCTAssertEqual(w.viewParents["vv"], "v")
        XCTAssertEqual(w.viewBases["vv"], "a", "the base of a view of a view is the loaded table")
        XCTAssertEqual(w.currentTableName, "vv")
        XCTAssertEqual(Array(w.tables.keys), ["a", "b", "v", "vv"])
        assertSound(w)
    }

    func testRemakingAViewKeepsItsPlaceAndDropsItsModels() throws {
        var w = try populated()
        let dropped = try w.addView(try table("v", rows: 1), of: "b")
        XCTAssertEqual(dropped, ["m3"])
        XCTAssertEqual(Array(w.tables.keys), ["a", "b", "v"])
        XCTAssertEqual(w.viewParents["v"], "b")
        XCTAssertEqual(w.viewBases["v"], "b")
        XCTAssertEqual(Array(w.models.keys), ["m1", "m2"])
        assertSound(w)
    }

    func testAddViewOfMissingOrSelfChangesNothing() throws {
        var w = try populated()
        let before = (Array(w.tables.keys), Array(w.models.keys), w.currentTableName)
        XCTAssertThrowsError(try w.addView(try table("x"), of: "nope"))
        XCTAssertThrowsError(try w.addView(try table("a"), of: "a"))
        XCTAssertEqual(Array(w.tables.keys), before.0)
        XCTAssertEqual(Array(w.models.keys), before.1)
        XCTAssertEqual(w.currentTableName, before.2)
        XCTAssertNil(w.viewParents["a"], "a loaded table is not turned into a view of itself")
        assertSound(w)
    }

    func testUpdateReplacesInPlaceKeepingModelsAndCurrent() throws {
        var w = try populated()
        try w.update(try table("a", rows: 7))
        XCTAssertEqual(w.tables["a"]?.rowCount, 7)
        XCTAssertEqual(Array(w.tables.keys), ["a", "b", "v"])
        XCTAssertEqual(Array(w.models.keys), ["m1", "m2", "m3"])
        XCTAssertEqual(w.currentTableName, "v")
        assertSound(w)
    }

    func testUpdateOfAMissingTableAddsNothing() throws {
        var w = try populated()
        XCTAssertThrowsError(try w.update(try table("c")))
        XCTAssertNil(w.tables["c"])
        assertSound(w)
    }

    func testUseSwitchesOnlyToExistingTables() throws {
        var w = try populated()
        try w.use("b")
        XCTAssertEqual(w.currentTableName, "b")
        XCTAssertThrowsError(try w.use("c"))
        XCTAssertEqual(w.currentTableName, "b")
        assertSound(w)
    }

    func testSetModelAppendsNewNamesAndReplacesTakenOnesInPlace() throws {
        var w = try populated()
        try w.setModel(try model("m0", on: "b"))
        XCTAssertEqual(Array(w.models.keys), ["m1", "m2", "m3", "m0"])
        try w.setModel(try model("m1", on: "b"))
        XCTAssertEqual(Array(w.models.keys), ["m1", "m2", "m3", "m0"], "made again under its name: same place")
        XCTAssertEqual(w.models["m1"]?.tableName, "b")
        assertSound(w)
    }

    func testSetModelOnAMissingTableStoresNothing() throws {
        var w = try populated()
        XCTAssertThrowsError(try w.setModel(try model("m9", on: "gone")))
        XCTAssertNil(w.models["m9"])
        assertSound(w)
    }

    func testUpdateModelChangesInPlaceAndRefusesRenames() throws {
        var w = try populated()
        try w.updateModel(named: "m2") { $0.lastQuery = [1: 0.5] }
        XCTAssertEqual(w.models["m2"]?.lastQuery, [1: 0.5])
        XCTAssertEqual(Array(w.models.keys), ["m1", "m2", "m3"])
        XCTAssertThrowsError(try w.updateModel(named: "m2") { $0.name = "m7" })
        XCTAssertNil(w.models["m7"])
        XCTAssertEqual(w.models["m2"]?.name, "m2")
        XCTAssertThrowsError(try w.updateModel(named: "m2") { $0.tableName = "gone" })
        XCTAssertEqual(w.models["m2"]?.tableName, "b")
        try w.updateModel(named: "absent") { $0.fits = 9 }
        XCTAssertNil(w.models["absent"])
        assertSound(w)
    }
}

/// The same invariants through the verbs: every command of a session that loads, makes views,
/// models, reloads and rolls back leaves the workspace sound, and the order is creation order.
final class WorkspaceSessionTests: IrisSessionTestCase {
    func testVerbsKeepTheInvariants() throws {
        let s = try session()
        let iris = Self.root.appendingPathComponent("Samples/iris.csv").path
        let lines = [
            "feature ratio = `petal length (cm)` / `petal width (cm)`",
            "model m1 features=ratio",
            "where `sepal length (cm)` > 5 as big",
            "model m2 features=ratio",
            "sample 40 as few",
            "use iris",
            "model m3 features=ratio",
            "where `sepal width (cm)` > 3 as big",      // the view made again: its model m2 goes
            "load \(iris) as iris id=id label=label",  // reloaded: m1 and m3 go
        ]
        for line in lines {
            ok(s, line)
            XCTAssertEqual(s.workspace.violations(), [], "after `\(line)`")
        }
        XCTAssertEqual(s.tableOrder, ["iris", "big", "few"])
        XCTAssertEqual(s.modelOrder, [])
        XCTAssertEqual(s.currentTableName, "iris")
        XCTAssertEqual(s.viewParents["few"], "big")
        XCTAssertEqual(s.viewBases["few"], "iris")
    }

    func testModelsKeepCreationOrderWhenMadeAgain() throws {
        let s = try session()
        ok(s, "model b features=`petal width (cm)`")
        ok(s, "model a features=`petal width (cm)`")
        ok(s, "model b features=`petal length (cm)`")
        XCTAssertEqual(s.modelOrder, ["b", "a"])
        XCTAssertEqual(s.models["b"]?.features, ["petal length (cm)"])
    }
}
