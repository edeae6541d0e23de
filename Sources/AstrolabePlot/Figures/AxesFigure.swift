import Foundation

/// A figure that can be a panel of a `PanelFigure`: what the grid asks of it to letter it, share
/// its axes with its neighbours, draw an axis title once for several panels and carry reference
/// overlays. The grid knows no figure kind by name; each kind conforms in its own file, so a new
/// kind of figure is a panel as soon as it conforms.
public protocol AxesFigure: Figure {
    /// The title over the figure (a grid puts the panel's letter in front).
    var title: String? { get set }
    /// Whether it has numeric x and y axes that can be shared (a confusion matrix has not).
    var hasNumericAxes: Bool { get }
    /// The ranges it would show, in data units (not log10 on a log axis), for sharing; nil
    /// without numeric axes.
    func sharedRanges() throws -> (x: ClosedRange<Double>, y: ClosedRange<Double>)?
    /// Shows `x` / `y` (data units; nil: its own range) and hides the tick labels of inner panels.
    mutating func share(x: ClosedRange<Double>?, y: ClosedRange<Double>?, hideXTickLabels: Bool, hideYTickLabels: Bool) throws
    /// The x and y axis titles as drawn, when a grid may draw them once for several panels; nil
    /// when the figure lays out and draws its own (then every panel of the grid keeps its own).
    var axisTitles: (x: String, y: String)? { get }
    /// Leaves out the axis titles the grid draws for it.
    mutating func hideAxisTitles(x: Bool, y: Bool)
    /// Reference curves and regions drawn in its plot area (always empty for a figure without
    /// numeric axes of its own, which ignores them: the plot kind refuses `overlay` there).
    var overlays: [ReferenceOverlay] { get set }
}

/// A figure drawn on plain numeric x and y axes described by `AxisOptions` (scatter, density,
/// histogram, line): sharing ranges and titles works alike for all of them, so it is written here.
public protocol XYAxesFigure: AxesFigure {
    var xAxis: AxisOptions { get set }
    var yAxis: AxisOptions { get set }
    /// The ranges it shows, in axis units (log10 on a log axis).
    func dataRanges() throws -> (ClosedRange<Double>, ClosedRange<Double>)
}

extension XYAxesFigure {
    public var hasNumericAxes: Bool { true }

    public func sharedRanges() throws -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        let (a, b) = try dataRanges()
        func data(_ r: ClosedRange<Double>, _ log: Bool) -> ClosedRange<Double> { log ? pow(10, r.lowerBound)...pow(10, r.upperBound) : r }
        return (data(a, xAxis.log), data(b, yAxis.log))
    }

    public mutating func share(x xr: ClosedRange<Double>?, y yr: ClosedRange<Double>?, hideXTickLabels: Bool, hideYTickLabels: Bool) throws {
        guard let own = try sharedRanges() else { return }
        // A log axis cannot reach zero or below: there the panel keeps its own lower end.
        func limits(_ r: ClosedRange<Double>, _ own: ClosedRange<Double>, _ log: Bool) -> ClosedRange<Double> {
            guard log, r.lowerBound <= 0 else { return r }
            return own.lowerBound...max(own.upperBound, r.upperBound)
        }
        if let xr {
            xAxis.limits = limits(xr, own.x, xAxis.log); xAxis.clipSigma = nil
            if hideXTickLabels { xAxis.showTickLabels = false }
        }
        if let yr {
            yAxis.limits = limits(yr, own.y, yAxis.log); yAxis.clipSigma = nil
            if hideYTickLabels { yAxis.showTickLabels = false }
        }
    }

    public mutating func hideAxisTitles(x: Bool, y: Bool) {
        if x { xAxis.showTitle = false }
        if y { yAxis.showTitle = false }
    }
}
