import AstrolabeData
import AstrolabePlot
import Foundation

/// One queried row, as the contact sheet captions it.
struct QueriedRow {
    var row: Int
    var predicted: String
    var probability: Double
    var score: Double
}

/// `query M N images=yes sed=yes`: the queried rows' cutouts and SEDs as one contact sheet,
/// written like a plot (inline in notebooks, HTML and Jupyter; the path in the terminal).
extension Session {
    func querySheet(_ command: ParsedCommand, table: Table, rows: [QueriedRow]) throws -> [Output] {
        let images = try command.yesNo("images"), seds = try command.yesNo("sed")
        guard (images || seds), !rows.isEmpty else { return [] }
        let spec = try images ? sheetSpec(command, table: table) : nil
        let declared = cutouts.seds[cutoutTable(table)]
        if seds && declared == nil {
            throw CommandError("sed=yes needs the table's photometry: sed bands=COL:WAVELENGTH,… first", offset: command.optionEntry("sed")?.keyOffset, length: 3)
        }
        let ids = table.rowIdentifiers()
        var tiles: [ContactSheet.Tile] = []
        var warnings: [String] = []
        for (rank, queried) in rows.enumerated() {
            let id = ids[queried.row]
            var sedImage: RGBAImage?
            if let declared, seds {
                let (plot, _) = sedPlot(declared, table: table, rows: [queried.row], ids: [id], nuFnu: false)
                var small = plot
                small.legend = .none
                small.markerSize = 4
                sedImage = try (small as Panel).render(style: Self.sedTileStyle(height: spec?.size ?? 128))
            }
            var picture: RGBAImage
            if let spec {
                do {
                    let tile = try cutoutTile(spec, table: table, row: queried.row, id: id)
                    picture = tile.image
                    if let warning = tile.warning { warnings.append(warning) }
                } catch let error as CommandError {
                    picture = try CutoutImage.placeholder(size: spec.size)
                    warnings.append("no cutout for \(id): \(error.message)")
                } catch {
                    picture = try CutoutImage.placeholder(size: spec.size)
                    warnings.append("no cutout for \(id): \(error)")
                }
                tiles.append(.init(image: picture, caption: [], sed: sedImage))
            } else if let sedImage {
                tiles.append(.init(image: sedImage, caption: []))
            }
            let width = (tiles[tiles.count - 1].image.width + (tiles[tiles.count - 1].sed.map { $0.width + ContactSheet.gap / 2 } ?? 0))
            let characters = max(ContactSheet.captionCharacters, width / 7)
            tiles[tiles.count - 1].caption = ["\(rank + 1). \(id)", "\(queried.predicted) p=\(fixed(queried.probability))", "score \(fixed(queried.score))"]
                .map { $0.count > characters ? String($0.prefix(characters - 1)) + "…" : $0 }
        }
        let sheet = ContactSheet(tiles: tiles, columns: seds && images ? 2 : 4)
        var style = FigureStyle()
        (style.width, style.height) = sheet.size
        figureCount += 1
        let path = "plots/query-\(figureCount).png"
        let outputs = try writeFigure(path: path, word: command.verb, style: style, description: command.line) { vector in
            (try sheet.renderFigure(style: style), nil)
        }
        return outputs + warnings.map { Output.warning($0) }
    }

    /// The table's cutout settings (from its last `image`), else the default survey when it has positions.
    func sheetSpec(_ command: ParsedCommand, table: Table) throws -> CutoutSpec {
        if let spec = cutouts.specs[cutoutTable(table)] { return spec }
        guard skyColumns(table, spec: nil) != nil else {
            throw CommandError("images=yes needs a cutout source for \(table.name): run `image ID column=… | file=… | survey=…` once",
                               offset: command.optionEntry("images")?.keyOffset, length: 6)
        }
        return CutoutSpec(source: .survey(HiPSCutout.defaultSurvey))
    }

    /// A small SED beside a tile: the tile's height, 1.5 times as wide, small type.
    static func sedTileStyle(height: Int) -> FigureStyle {
        let h = max(FigureStyle.minSide, height)
        return FigureStyle(width: max(FigureStyle.minSide, h * 3 / 2), height: h, dpi: 100, titleSize: 6, labelSize: 6, tickSize: 5)
    }
}
