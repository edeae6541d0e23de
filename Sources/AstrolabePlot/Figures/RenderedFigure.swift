/// A rendered figure with what the reader of the session should be told about it.
///
/// Plots never drop data silently: points with NaN or infinite coordinates are skipped (they have
/// no place on a linear axis) and said so in `notes`, which the kernel shows as warnings.
public struct RenderedFigure: Sendable {
    public let image: RGBAImage
    public let notes: [String]
}
