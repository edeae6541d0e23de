import AstrolabeData
import OrderedCollections

/// The session's tables (loaded tables and the views made from them) and the models made on
/// them, in creation order. Only the methods below change them, and each keeps these invariants,
/// which the verbs rely on (`violations()` lists any that do not hold):
///
/// - each table is stored under its own name, each model under its own name: names are unique;
/// - every model belongs to a table that exists;
/// - a view's parent (the table it was made from) and base (the loaded table its rows are
///   numbered in) exist; a loaded table has neither;
/// - the current table exists, or is nil before the first `load`;
/// - order is creation order: storing a table or model under a name already taken keeps that
///   name's place, a new name goes last.
///
/// Tables are never removed. Storing a table under a taken name (`load` again, a view made again)
/// drops the models made on the table it replaces: their rows and feature values belong to the
/// old one. Changing a table's columns in place (`feature`, `join`) keeps them.
struct Workspace {
    private(set) var tables: OrderedDictionary<String, Table> = [:]
    private(set) var models: OrderedDictionary<String, ActiveModel> = [:]
    /// For views made by `where` and `sample`: the loaded table each was made from.
    private(set) var viewBases: [String: String] = [:]
    /// For views: the table each was made from (a view of a view has its view as parent).
    private(set) var viewParents: [String: String] = [:]
    private(set) var currentTableName: String?

    /// The current table, nil before the first `load`.
    var currentTable: Table? { currentTableName.flatMap { tables[$0] } }

    /// The loaded table a view was made from (the name itself for a loaded table).
    func baseName(of name: String) -> String { viewBases[name] ?? name }

    // MARK: Tables

    /// `load`: stores a loaded table under its name (a view of that name stops being one) and
    /// makes it current. Returns the names of the models dropped with the table it replaced.
    @discardableResult
    mutating func load(_ table: Table) -> [String] {
        tables[table.name] = table
        viewBases[table.name] = nil
        viewParents[table.name] = nil
        currentTableName = table.name
        return dropModels(on: table.name)
    }

    /// `where`, `sample`: stores `view`, made from the table `parent`, and makes it current.
    /// Returns the names of the models dropped with the table it replaced.
    @discardableResult
    mutating func addView(_ view: Table, of parent: String) throws -> [String] {
        guard tables[parent] != nil else { throw CommandError("no table `\(parent)` to make the view `\(view.name)` of") }
        guard view.name != parent else { throw CommandError("a view cannot replace the table `\(parent)` it is made from") }
        tables[view.name] = view
        viewBases[view.name] = baseName(of: parent)
        viewParents[view.name] = parent
        currentTableName = view.name
        return dropModels(on: view.name)
    }

    /// `feature`, `join`, `features combine`: the table with columns added or replaced, under its
    /// existing name. Its models stay: they keep the feature values they were made with.
    mutating func update(_ table: Table) throws {
        guard tables[table.name] != nil else { throw CommandError("table `\(table.name)` is gone") }
        tables[table.name] = table
    }

    /// `use`: makes an existing table current.
    mutating func use(_ name: String) throws {
        guard tables[name] != nil else { throw CommandError("no table `\(name)`") }
        currentTableName = name
    }

    private mutating func dropModels(on table: String) -> [String] {
        let dropped = models.values.filter { $0.tableName == table }.map(\.name)
        models.removeAll { $0.value.tableName == table }
        return dropped
    }

    // MARK: Models

    /// Stores a model under its name: a new name goes last, a taken one keeps its place (`model`
    /// made again under the same name, or a model refitted). Its table must exist.
    mutating func setModel(_ model: ActiveModel) throws {
        guard tables[model.tableName] != nil else {
            throw CommandError("table `\(model.tableName)` of model `\(model.name)` is gone")
        }
        models[model.name] = model
    }

    /// Changes the model `name` in place (nothing when there is none); it keeps its name.
    mutating func updateModel(named name: String, _ change: (inout ActiveModel) throws -> Void) throws {
        guard var model = models[name] else { return }
        try change(&model)
        guard model.name == name else { throw CommandError("model `\(name)` cannot be renamed to `\(model.name)`") }
        try setModel(model)
    }

    // MARK: Checking

    /// The invariants above that do not hold, in words (empty when all hold): what the tests check
    /// after every change.
    func violations() -> [String] {
        var problems: [String] = []
        for (name, table) in tables where table.name != name { problems.append("table `\(table.name)` stored as `\(name)`") }
        for (name, model) in models {
            if model.name != name { problems.append("model `\(model.name)` stored as `\(name)`") }
            if tables[model.tableName] == nil { problems.append("model `\(name)` belongs to missing table `\(model.tableName)`") }
        }
        for (view, parent) in viewParents where tables[parent] == nil || tables[view] == nil {
            problems.append("view `\(view)` or its parent `\(parent)` is missing")
        }
        for (view, base) in viewBases where tables[base] == nil || viewParents[view] == nil {
            problems.append("view `\(view)` has base `\(base)` but no parent, or the base is missing")
        }
        if Set(viewParents.keys) != Set(viewBases.keys) { problems.append("views with a parent differ from views with a base") }
        if let current = currentTableName, tables[current] == nil { problems.append("current table `\(current)` is missing") }
        return problems
    }
}
