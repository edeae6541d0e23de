/// The result of a column reduction per pixel (`sum`, `mean`, `min`, `max`, `std`, `any`,
/// `count`): one double per pixel, NaN where no point landed (0 for `count`, 0/1 for `any`).
///
/// Row 0 is the top of the image (the largest y), as in `CountGrid`.
public struct ValueGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let reduction: Reduction
    /// `width * height` values, row-major from the top-left.
    public var values: [Double]
    /// Points with a NaN or infinite coordinate (skipped).
    public var nonFinite: Int
    /// Finite points outside the x or y range (dropped).
    public var outOfRange: Int
    /// Points inside the ranges whose value was NaN (skipped, as datashader does).
    public var missingValues: Int

    public init(width: Int, height: Int, reduction: Reduction, values: [Double],
                nonFinite: Int = 0, outOfRange: Int = 0, missingValues: Int = 0) throws {
        guard width > 0, height > 0, values.count == width * height else {
            throw PlotError("a \(width)×\(height) grid needs \(max(0, width * height)) values, got \(values.count)")
        }
        self.width = width
        self.height = height
        self.reduction = reduction
        self.values = values
        self.nonFinite = nonFinite
        self.outOfRange = outOfRange
        self.missingValues = missingValues
    }

    /// Which pixels hold no data: NaN for float reductions, 0 for `count` and `any` (datashader's
    /// mask for unsigned and boolean aggregates).
    public var emptyMask: [Bool] {
        switch reduction {
        case .count, .any: return values.map { $0 == 0 }
        default: return values.map { $0.isNaN }
        }
    }

    /// True when values are whole numbers (datashader shades them with exact value counting).
    var isInteger: Bool { reduction == .count || reduction == .any }

    public subscript(x: Int, y: Int) -> Double { values[y * width + x] }
}
