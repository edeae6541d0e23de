import Foundation

/// One tile per queried source, in rank order, each captioned (id, predicted class, probability,
/// score) and optionally with a small SED beside it: what AstronomicAL shows next to a question.
public struct ContactSheet: Figure {
    public struct Tile: Sendable {
        public var image: RGBAImage
        public var caption: [String]
        public var sed: RGBAImage?
        public init(image: RGBAImage, caption: [String], sed: RGBAImage? = nil) {
            self.image = image
            self.caption = caption
            self.sed = sed
        }
    }

    public var tiles: [Tile]
    public var columns: Int
    /// Pixels between cells and around the sheet.
    public static let gap = 12
    /// Caption font size in pixels, and the height its lines take.
    public static let fontSize = 11.0
    static let lineHeight = 14

    public init(tiles: [Tile], columns: Int = 4) {
        self.tiles = tiles
        self.columns = max(1, min(columns, tiles.count))
    }

    /// Room for a caption line of `captionCharacters` characters at the caption font.
    public static let minCellWidth = 120
    public static let captionCharacters = 18

    var cellWidth: Int { max(Self.minCellWidth, tiles.map { $0.image.width + ($0.sed.map { $0.width + Self.gap / 2 } ?? 0) }.max() ?? 0) }
    var cellHeight: Int {
        let picture = tiles.map { max($0.image.height, $0.sed?.height ?? 0) }.max() ?? 0
        return picture + 4 + Self.lineHeight * (tiles.map(\.caption.count).max() ?? 0)
    }
    var rows: Int { (tiles.count + columns - 1) / columns }

    /// The sheet's size in pixels (at least FigureStyle's smallest side).
    public var size: (width: Int, height: Int) {
        (max(FigureStyle.minSide, columns * cellWidth + (columns + 1) * Self.gap),
         max(FigureStyle.minSide, rows * cellHeight + (rows + 1) * Self.gap))
    }

    public func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
        canvas.fill(RGBA(255, 255, 255))
        canvas.setFont(size: Self.fontSize)
        for (k, tile) in tiles.enumerated() {
            let x = Self.gap + (k % columns) * (cellWidth + Self.gap)
            let y = Self.gap + (k / columns) * (cellHeight + Self.gap)
            canvas.drawImage(tile.image, x: x, y: y)
            canvas.strokeRect(x: Double(x) + 0.5, y: Double(y) + 0.5, width: Double(tile.image.width - 1),
                              height: Double(tile.image.height - 1), color: RGBA(0, 0, 0), lineWidth: 1)
            if let sed = tile.sed { canvas.drawImage(sed, x: x + tile.image.width + Self.gap / 2, y: y) }
            let top = y + max(tile.image.height, tile.sed?.height ?? 0) + 4
            for (line, text) in tile.caption.enumerated() {
                canvas.text(text, x: Double(x), y: Double(top + line * Self.lineHeight), v: .top, color: RGBA(0, 0, 0))
            }
        }
        return []
    }
}
