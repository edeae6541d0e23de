/// The result of aggregating points onto a pixel grid: how many points fell in each pixel.
///
/// Row 0 is the top of the image (the largest y), so a grid maps onto an image without flipping.
/// The counts of points that could not be placed are kept, because a figure that silently drops
/// data misleads; the caller reports them.
public struct CountGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height` counts, row-major from the top-left.
    public var counts: [UInt32]
    /// Points with a NaN or infinite coordinate (skipped).
    public var nonFinite: Int
    /// Finite points outside the x or y range (dropped, as datashader does).
    public var outOfRange: Int

    public init(width: Int, height: Int, counts: [UInt32], nonFinite: Int = 0, outOfRange: Int = 0) throws {
        guard width > 0, height > 0, counts.count == width * height else {
            throw PlotError("a \(width)×\(height) count grid needs \(max(0, width * height)) counts, got \(counts.count)")
        }
        self.width = width
        self.height = height
        self.counts = counts
        self.nonFinite = nonFinite
        self.outOfRange = outOfRange
    }

    /// The count at column `x`, row `y` (row 0 at the top).
    public subscript(x: Int, y: Int) -> UInt32 { counts[y * width + x] }

    /// Number of points that landed in the grid.
    public var total: Int { counts.reduce(0) { $0 + Int($1) } }
}
