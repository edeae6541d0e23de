import AstrolabeData
import AstrolabePlot
import Foundation

/// `sed ...` (declare a table's photometry) and `plot sed ID ...` (draw it).
/// `flux=` of an SED plot: f_ν in Jy, or ν f_ν.
enum SEDFlux: String, CaseIterable {
    case fnu, nuFnu
}

extension PlotKind {
    /// `plot sed ID [ID ...]`: the declared photometry of some rows (`sed bands=…`).
    nonisolated(unsafe) static let sed: PlotKind = PlotKind(
        "sed", arguments: [("ID", .id), ("ID ...", .id)], requiredArguments: 1, repeatsLast: true,
        options: [.choice("flux", SEDFlux.self, default: .fnu, "fnu (f_ν in Jy, the default) or nuFnu (ν f_ν in erg s⁻¹ cm⁻²)")],
        refused: ["by", "xlabel", "ylabel", "cmap", "log", "invert", "xrange", "yrange", "bounds", "clip", "colorbar", "colors"]
            .map { ($0, "an SED plot sets its own axes: log wavelength against flux, one colour per id") },
        help: """
            flux against wavelength for each row ID, on log axes with error bars, one colour per id, from the
            photometry `sed bands=… err=… unit=…` declared for the table; flux=nuFnu draws ν f_ν.
            """,
        build: { session, request in
            try session.refuseOptions(request.command, kind: .sed)
            return try session.sedPanel(request)
        })
}

extension Session {
    func sed(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        if let stray = command.positionals.first { throw CommandError("unexpected `\(stray.text)`: options are written key=value", at: stray) }
        guard let bandsOption = command.optionEntry("bands") else {
            if command.options.isEmpty {
                guard let declared = cutouts.seds[cutoutTable(table)] else { return [.text("no SED declared for \(table.name): sed bands=COL:WAVELENGTH,… [err=…] [unit=ABmag]")] }
                return [.text(sedSummary(declared, table: table.name))]
            }
            throw CommandError("expected bands=COL:WAVELENGTH,…", offset: command.verb.offset + command.verb.length, length: 1)
        }
        var bands: [SEDDeclaration.Band] = []
        for part in bandsOption.value.text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let wavelength = SpectralFlux.wavelength(pieces[1]) else {
                throw CommandError("`\(part)`: each band is COLUMN:WAVELENGTH with a unit (354nm, 1.25um, 3540A)", at: bandsOption.value)
            }
            try requireNumericColumn(pieces[0], table: table, word: bandsOption.value)
            guard !bands.contains(where: { $0.column == pieces[0] }) else { throw CommandError("band `\(pieces[0])` is given twice", at: bandsOption.value) }
            bands.append(.init(column: pieces[0], metres: wavelength.metres, written: pieces[1]))
        }
        var errors: [String] = []
        if let o = command.optionEntry("err") {
            errors = o.value.text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard errors.count == bands.count else {
                throw CommandError("err= names \(errors.count) columns for \(bands.count) bands: give one error column per band, in order", at: o.value)
            }
            for name in errors { try requireNumericColumn(name, table: table, word: o.value) }
        }
        var unit = SpectralFlux.Unit.ABmag
        if let o = command.optionEntry("unit") {
            guard let u = SpectralFlux.Unit(rawValue: o.value.text) else {
                throw CommandError("unit= expects ABmag, Jy or mJy", at: o.value, suggestion: nearestName(to: o.value.text, in: SpectralFlux.Unit.allCases.map(\.rawValue)))
            }
            unit = u
        }
        let declared = SEDDeclaration(bands: bands, errors: errors, unit: unit)
        cutouts.seds[cutoutTable(table)] = declared
        return [.text(sedSummary(declared, table: table.name))]
    }

    /// Photometry and cutout settings belong to the data: a view shares its loaded table's (and
    /// `save session` writes the declaration with that table's load).
    func cutoutTable(_ table: Table) -> String { viewBases[table.name] ?? table.name }

    func requireNumericColumn(_ name: String, table: Table, word: Word) throws {
        guard let column = table.column(named: name) else { throw CommandError(table.unknownColumnError(name).message, at: word) }
        guard column.isNumeric else { throw CommandError("column `\(name)` is not numeric", at: word) }
    }

    func sedSummary(_ declared: SEDDeclaration, table: String) -> String {
        var text = TextTable(header: ["band", "wavelength", "error"], numericColumns: [])
        for (k, band) in declared.bands.enumerated() {
            text.append([band.column, band.written, declared.errors.isEmpty ? "" : declared.errors[k]])
        }
        return "SED of \(table) in \(declared.unit.rawValue), \(declared.bands.count) bands:\n" + text.rendered
    }

    /// `plot sed ID [ID ...] [flux=nuFnu|fnu]`: flux against wavelength, log axes, error bars, one
    /// colour per source; a panel inside `figure`, else a file like any plot.
    func sedPanel(_ request: PlotRequest) throws -> BuiltPanel {
        let command = request.command
        let table = try currentTable(for: command.verb)
        guard let declared = cutouts.seds[cutoutTable(table)] else {
            throw CommandError("no SED declared for \(table.name): first sed bands=COL:WAVELENGTH,… [err=…] [unit=ABmag]", at: request.kindWord)
        }
        let idWords = Array(command.positionals.dropFirst())
        let rows = try idWords.map { try rowIndex($0, in: table) }
        let nuFnu = try command.choice("flux", SEDFlux.self) == .nuFnu
        var (plot, skipped) = sedPlot(declared, table: table, rows: rows, ids: idWords.map(\.text), nuFnu: nuFnu)
        plot.title = command.word("title")?.text ?? "SED"
        let warnings = skipped > 0 ? ["\(plural(skipped, "band value")) missing or not positive: not drawn on the log axes"] : []
        return BuiltPanel(panel: plot, warnings: warnings)
    }

    /// The SED points of `rows` as a scatter plot with log axes: x the wavelength in the first
    /// band's unit, y f_ν (Jy) or ν f_ν (erg s⁻¹ cm⁻²); also the number of values not drawn.
    func sedPlot(_ declared: SEDDeclaration, table: Table, rows: [Int], ids: [String], nuFnu: Bool) -> (ScatterPlot, Int) {
        let unit = SpectralFlux.wavelength(declared.bands[0].written)?.unit ?? "nm"
        let scale = SpectralFlux.wavelengthUnits.first { $0.0 == unit }?.1 ?? 1e-9
        var x: [Double] = [], y: [Double] = [], low: [Double] = [], high: [Double] = [], codes: [Int] = []
        var skipped = 0
        for (k, row) in rows.enumerated() {
            for (b, band) in declared.bands.enumerated() {
                let value = table.column(named: band.column)?.number(row: row) ?? .nan
                let f = SpectralFlux.janskys(value, unit: declared.unit)
                let toPlot = { (jy: Double) in nuFnu ? SpectralFlux.nuFnu(janskys: jy, metres: band.metres) : jy }
                let point = toPlot(f)
                guard point.isFinite, point > 0 else { skipped += 1; continue }
                x.append(band.metres / scale)
                y.append(point)
                codes.append(k)
                let error = declared.errors.isEmpty ? Double.nan : (table.column(named: declared.errors[b])?.number(row: row) ?? .nan)
                if error.isFinite, error >= 0 {
                    let span = SpectralFlux.janskyInterval(value, error: error, unit: declared.unit)
                    let bottom = toPlot(span.low), top = toPlot(span.high)
                    // A lower end at or below zero has no place on a log axis: that side is not drawn.
                    low.append(bottom > 0 ? point - bottom : .nan)
                    high.append(top - point)
                } else {
                    low.append(.nan); high.append(.nan)
                }
            }
        }
        let yLabel = nuFnu ? "ν fν [erg s⁻¹ cm⁻²]" : "fν [Jy]"
        var plot = ScatterPlot(x: x, y: y, xLabel: "wavelength [\(unit)]", yLabel: yLabel,
                               coloring: .categories(codes: codes, names: ids), markerSize: 6)
        plot.xAxis.log = true
        plot.yAxis.log = true
        plot.alpha = 1
        plot.connectCategories = true
        plot.yError = .init(lower: low, upper: high)
        return (plot, skipped)
    }
}
