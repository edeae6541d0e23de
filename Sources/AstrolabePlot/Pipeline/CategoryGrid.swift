/// Counts per pixel and category (datashader `count_cat`): the aggregate behind density plots
/// coloured by label.
///
/// Stored pixel-major (`counts[cell * categories + k]`) because shading blends all categories of
/// one pixel at a time; row 0 is the top of the image.
public struct CategoryGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let categories: Int
    public var counts: [UInt32]
    public var nonFinite: Int
    public var outOfRange: Int
    /// Points whose category code was outside `0..<categories` (skipped).
    public var uncategorised: Int

    public init(width: Int, height: Int, categories: Int, counts: [UInt32],
                nonFinite: Int = 0, outOfRange: Int = 0, uncategorised: Int = 0) throws {
        guard width > 0, height > 0, categories > 0, counts.count == width * height * categories else {
            throw PlotError("a \(width)×\(height) grid of \(categories) categories needs \(max(0, width * height * categories)) counts, got \(counts.count)")
        }
        self.width = width
        self.height = height
        self.categories = categories
        self.counts = counts
        self.nonFinite = nonFinite
        self.outOfRange = outOfRange
        self.uncategorised = uncategorised
    }

    /// The count of category `k` at column `x`, row `y`.
    public subscript(x: Int, y: Int, k: Int) -> UInt32 { counts[(y * width + x) * categories + k] }

    /// Points of every category per pixel.
    public var totals: CountGrid {
        var t = [UInt32](repeating: 0, count: width * height)
        counts.withUnsafeBufferPointer { c in
            for i in 0..<t.count {
                var s: UInt32 = 0
                for k in 0..<categories { s &+= c[i * categories + k] }
                t[i] = s
            }
        }
        // Same dimensions as this grid, validated on creation.
        return (try? CountGrid(width: width, height: height, counts: t)) ?? { preconditionFailure("validated") }()
    }
}
