/// Looking columns up by name the way commands need them: with errors a person can act on.
extension Table {
    /// The values of the numeric column `name`.
    ///
    /// Throws a `DataError` that suggests the nearest column name for an unknown name, and says so
    /// plainly when the column holds text.
    public func numericColumn(named name: String) throws -> [Double] {
        guard let column = column(named: name) else {
            throw unknownColumnError(name)
        }
        guard let numbers = column.numbers else {
            throw DataError("column `\(name)` is text, not numeric")
        }
        return numbers
    }

    /// The error for a column name this table does not have, with a did-you-mean when one is close.
    public func unknownColumnError(_ name: String) -> DataError {
        let suggestion = nearestName(to: name, in: columnNames)
        var message = "unknown column `\(name)` in table `\(self.name)`"
        if let suggestion { message += "; did you mean `\(suggestion)`?" }
        return DataError(message, suggestion: suggestion)
    }
}

extension Table {
    /// The indices of the rows where `mask` is true (non-zero), in order, as produced by a
    /// comparison expression. NaN (unknown) is not true, so rows with missing values are left out.
    /// Rows beyond the mask's length are not selected.
    public func rowIndices(where mask: [Double]) -> [Int] {
        var rows: [Int] = []
        let count = Swift.min(mask.count, rowCount)
        mask.withUnsafeBufferPointer { m in
            for i in 0 ..< count where m[i] != 0 && !m[i].isNaN { rows.append(i) }
        }
        return rows
    }
}
