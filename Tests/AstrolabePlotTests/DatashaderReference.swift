/// Outputs of datashader 0.19.1 (numpy 2.4, matplotlib 3.11 viridis as 256 hex colours), recorded
/// once with a throwaway script so tests compare against the tool users know, not against ourselves.
///
/// ```python
/// a = xr.DataArray(np.array([[1, 2, 3, 5, 8, 0]], dtype=np.uint32), dims=['y', 'x'])
/// tf.shade(a, cmap=viridis_hex, how='eq_hist')
/// ```
/// and likewise for `[3, 3, 10, 900]` and `[3, 3, 10, 90000]`.
/// The aggregation example in `testCountsMatchHandComputedGrid` was also checked against
/// `ds.Canvas(plot_width=4, plot_height=2, x_range=(0, 4), y_range=(0, 2)).points(df, 'x', 'y')`,
/// which gives `[[0 1 0 2] [2 0 0 1]]` (top row first).
enum DatashaderReference {
    static let eqHist_3_3_10_900 = ["#440154", "#440154", "#21908c", "#fde725"]
    static let eqHist_3_3_10_90000 = ["#440154", "#440154", "#24868e", "#fde725"]
    static let eqHist_1_2_3_5_8_0 = ["#440154", "#3b518b", "#21908c", "#5cc862", "#fde725", "#00000000"]
}
