import AstrolabeData
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let sky: [Verb] = [
        Verb("match", usage: "match TABLE self radius=ANGLE [ra=COLUMN] [dec=COLUMN]",
             summary: "List the groups of rows of TABLE that lie within ANGLE of each other on the sky (duplicates).",
             details: """
                 Rows closer than radius= (1.5arcsec, 2arcmin, 0.01deg; a bare number is arcseconds) are linked, and
                 linked rows form a group (friends of friends). ra= and dec= are in degrees (default: the columns named
                 ra and dec, in any case). The table is not changed.
                 example: match blazars self radius=3arcsec
                 """,
             options: [.text("radius", "the largest separation of duplicates (arcsec, arcmin, deg)"),
                       .column("ra", "right ascension column, degrees"), .column("dec", "declination column, degrees")],
             arguments: [.table, .text],
             provenance: .readsOnly,
             run: Session.matchSelf),
    ]
}

/// `join OTHER sky ...` and `match TABLE self ...`: positional cross-matching on the sky.
extension Session {
    /// `join OTHER sky ra= dec= [other_ra= other_dec=] radius= [find=best|all|best-each-side]`.
    func skyJoin(_ command: ParsedCommand, table: Table, other: Table, otherWord: Word) throws -> [Output] {
        let radius = try skyRadius(command)
        let (ra, dec) = try skyColumns(command, in: table, ra: "ra", dec: "dec")
        let (otherRA, otherDec) = try skyColumns(command, in: other, ra: "other_ra", dec: "other_dec",
                                                 fallback: (command.word("ra").map { columnName($0) }, command.word("dec").map { columnName($0) }))
        let find = try command.choice("find", SkyMatch.Find.self)
        if find == .all { try refuseRowChange(table, option: command.optionEntry("find")) }
        let result = SkyMatch.match(leftRA: ra, leftDec: dec, rightRA: otherRA, rightDec: otherDec, radius: radius, find: find)
        // find=all: a row per pair, each row's pairs nearest first, a row without one kept once.
        let rows = find == .all ? Self.leftJoinRows(result.pairs, count: table.rowCount) : nil
        var partner = [Int](repeating: -1, count: rows?.count ?? table.rowCount)
        var separation = [Double](repeating: .nan, count: partner.count)
        if let rows {
            for (k, row) in rows.enumerated() {
                guard let pair = row.pair else { continue }
                (partner[k], separation[k]) = (pair.right, pair.separation)
            }
        } else {
            for pair in result.pairs { (partner[pair.left], separation[pair.left]) = (pair.right, pair.separation) }
        }
        var joined = table
        if let rows {
            joined = try table.selecting(rows: rows.map(\.left))
            joined.baseRows = nil
        }
        let added = try joined.addPartnerColumns(of: other, rows: partner)
        try joined.setColumn(Column(name: "sep_\(other.name)", values: .numeric(separation), kind: .float,
                                    metadata: ColumnMetadata(unit: "arcsec", description: "separation from the \(other.name) partner")))
        try workspace.update(joined)
        var lines = ["sky-joined \(other.name) into \(table.name) within \(NumberFormatting.short(radius))″ (find=\(find.rawValue)): "
                     + "\(result.matched) of \(plural(table.rowCount, "row")) matched, \(result.multiple) with several candidates, "
                     + "\(result.unmatched) unmatched; \(plural(added.count + 1, "column")) added (sep_\(other.name) in arcsec)"]
        if let rows {
            lines.append("\(table.name) now has \(plural(rows.count, "row")): one per pair (\(result.pairs.count)), and each unmatched row once")
        }
        if !added.renamed.isEmpty {
            lines.append("renamed: " + added.renamed.map { "\($0.from) → \($0.to)" }.joined(separator: ", "))
        }
        return [.text(lines.joined(separator: "\n"))]
    }

    /// The rows of a left join by pairs (sorted by left row): each left row's pairs in order, or
    /// the left row once with no pair.
    static func leftJoinRows(_ pairs: [SkyMatch.Pair], count: Int) -> [(left: Int, pair: SkyMatch.Pair?)] {
        var rows: [(left: Int, pair: SkyMatch.Pair?)] = []
        rows.reserveCapacity(pairs.count + count)
        var k = 0
        for i in 0 ..< count {
            let start = k
            while k < pairs.count, pairs[k].left == i { rows.append((i, pairs[k])); k += 1 }
            if k == start { rows.append((i, nil)) }
        }
        return rows
    }

    /// `find=all` changes the table's rows: only a loaded table without views, models or answers.
    func refuseRowChange(_ table: Table, option: ParsedCommand.Option?) throws {
        let why: String?
        if viewBases[table.name] != nil {
            why = "\(table.name) is a view"
        } else if viewBases.values.contains(table.name) {
            why = "\(table.name) has views"
        } else if models.values.contains(where: { $0.tableName == table.name }) {
            why = "\(table.name) has models"
        } else if !(answers[table.name] ?? [:]).isEmpty {
            why = "\(table.name) has answers"
        } else {
            why = nil
        }
        guard let why else { return }
        throw CommandError("find=all gives a row per pair, so it changes the rows, and \(why): join with find=all right after `load`",
                           offset: option?.value.offset, length: option?.value.length ?? 1)
    }

    func matchSelf(_ command: ParsedCommand) throws -> [Output] {
        guard let tableWord = command.positionals.first else {
            throw CommandError("expected a table: match TABLE self radius=ANGLE", offset: command.verb.offset + command.verb.length, length: 1)
        }
        guard let table = tables[tableWord.text] else {
            throw CommandError("no table `\(tableWord.text)`; load it first", at: tableWord, suggestion: nearestName(to: tableWord.text, in: tableOrder))
        }
        guard let mode = command.positionals.dropFirst().first, mode.text == "self" else {
            throw CommandError("expected `self`: match TABLE self radius=ANGLE", at: command.positionals.dropFirst().first ?? tableWord)
        }
        let radius = try skyRadius(command)
        let (ra, dec) = try skyColumns(command, in: table, ra: "ra", dec: "dec")
        let groups = SkyMatch.groups(ra: ra, dec: dec, radius: radius)
        let ids = table.rowIdentifiers()
        let rows = groups.reduce(0) { $0 + $1.count }
        var text = TextTable(header: ["group", "rows", "largest separation″", "ids"], numericColumns: [0, 1, 2])
        for (g, group) in groups.prefix(20).enumerated() {
            var widest = 0.0
            for a in group { for b in group where b > a {
                widest = max(widest, AngularSeparation.degrees(ra1: ra[a], dec1: dec[a], ra2: ra[b], dec2: dec[b]) * 3600)
            } }
            let shown = group.prefix(6).map { ids[$0] }.joined(separator: ", ") + (group.count > 6 ? ", ..." : "")
            text.append([String(g + 1), String(group.count), NumberFormatting.short(widest, significant: 4), shown])
        }
        var summary = "\(table.name): \(plural(groups.count, "group")) of duplicates within \(NumberFormatting.short(radius))″ "
            + "(\(plural(rows, "row")) of \(table.rowCount))"
        if groups.count > 20 { summary += "; the first 20:" }
        return [.text(groups.isEmpty ? summary : summary + "\n" + text.rendered)]
    }

    /// radius=: an angle with a unit (arcsec, arcmin, deg, or ″ ′ °); a bare number is arcseconds.
    func skyRadius(_ command: ParsedCommand) throws -> Double {
        guard let option = command.word("radius") else {
            throw CommandError("expected radius=ANGLE, e.g. radius=1.5arcsec", offset: command.verb.offset, length: command.verb.length)
        }
        let text = option.text
        let units: [(String, Double)] = [("arcsec", 1), ("arcmin", 60), ("deg", 3600), ("″", 1), ("′", 60), ("°", 3600), ("\"", 1), ("'", 60)]
        var number = Substring(text), scale = 1.0
        for (unit, factor) in units where text.hasSuffix(unit) {
            number = text.dropLast(unit.count)
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value > 0, value * scale <= 180 * 3600 else {
            throw CommandError("radius= takes a positive angle up to 180deg, such as 1.5arcsec, 2arcmin or 0.01deg", at: option)
        }
        return value * scale
    }

    /// The RA and Dec columns (degrees) named by the options `ra`/`dec` (or the given fallbacks),
    /// else the columns called ra and dec in any case.
    func skyColumns(_ command: ParsedCommand, in table: Table, ra raKey: String, dec decKey: String,
                    fallback: (String?, String?) = (nil, nil)) throws -> ([Double], [Double]) {
        func column(_ key: String, _ fallback: String?, _ plain: String) throws -> [Double] {
            let option = command.word(key)
            let named = option.map { columnName($0) }
                ?? (fallback.flatMap { table.column(named: $0) != nil ? $0 : nil })
                ?? table.columnNames.first { $0.lowercased() == plain }
            guard let name = named else {
                throw CommandError("table `\(table.name)` has no column `\(plain)`: name it with \(key)=COLUMN",
                                   offset: command.verb.offset, length: command.verb.length)
            }
            guard let values = table.column(named: name)?.numbers else {
                let problem = table.column(named: name) == nil ? "no column `\(name)` in `\(table.name)`" : "column `\(name)` is not numeric"
                if let option { throw CommandError(problem, at: option, suggestion: nearestName(to: name, in: table.columnNames)) }
                throw CommandError(problem, offset: command.verb.offset, length: command.verb.length)
            }
            return values
        }
        return (try column(raKey, fallback.0, "ra"), try column(decKey, fallback.1, "dec"))
    }
}
