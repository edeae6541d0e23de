/// A table: equally long named columns, plus the roles a user gave some of them.
public struct Table: Sendable {
    public var name: String
    public private(set) var columns: [Column]
    /// Column holding the row identifiers (`id=`), if any.
    public var idColumn: String?
    /// Column holding the known class labels (`label=`), if any.
    public var labelColumn: String?
    /// For a table selected from another (a `where` or `sample` view): the row of the loaded table
    /// each row is. A view numbers its rows afresh, so without this a row's identifier (its row
    /// number, when there is no id column) would differ between a view and its base, and an answer
    /// given in the view would land on another row. Nil for a loaded table.
    public var baseRows: [Int]?
    /// Where each column is in `columns`, by name: finding a column, or adding one to a table of
    /// 100,000 columns, is then not a scan of them all (which made wide tables load in quadratic time).
    private var positions: [String: Int] = [:]

    public init(name: String, columns: [Column] = [], idColumn: String? = nil, labelColumn: String? = nil) throws {
        self.name = name
        self.columns = []
        self.idColumn = idColumn
        self.labelColumn = labelColumn
        self.columns.reserveCapacity(columns.count)
        positions.reserveCapacity(columns.count)
        for column in columns { try setColumn(column) }
    }

    public var rowCount: Int { columns.first?.count ?? 0 }
    public var columnNames: [String] { columns.map(\.name) }

    public func column(named name: String) -> Column? {
        positions[name].map { columns[$0] }
    }

    /// Adds a column, or replaces the one with the same name. All columns must have the same length.
    public mutating func setColumn(_ column: Column) throws {
        if !columns.isEmpty, column.count != rowCount {
            throw DataError("column `\(column.name)` has \(column.count) rows but table `\(name)` has \(rowCount)")
        }
        if let index = positions[column.name] {
            columns[index] = column
        } else {
            positions[column.name] = columns.count
            columns.append(column)
        }
    }

    /// The identifier of each row as text: the id column if there is one, else the row number from 1
    /// in the loaded table (the same row has the same number in every view of it).
    public func rowIdentifiers() -> [String] {
        if let idName = idColumn, let id = column(named: idName) {
            return (0..<id.count).map { id.displayText(row: $0) }
        }
        if let baseRows { return baseRows.map { String($0 + 1) } }
        return (0..<rowCount).map { String($0 + 1) }
    }
}
