/// Colours for classes (labels), from Okabe & Ito (2008), "Color Universal Design".
///
/// Chosen because the eight colours stay distinguishable under the common forms of colour-vision
/// deficiency, which matters for figures that go to journals and to referees we do not know. The
/// order puts the strongest contrasts on white first; yellow is late because it is faint on white
/// and black last because it reads as "highlighted". Unlabelled rows get a light grey that recedes
/// behind the classes.
public enum CategoricalPalette {
    public static let okabeIto: [RGBA] = [
        RGBA(hex: 0x0072B2), // blue
        RGBA(hex: 0xE69F00), // orange
        RGBA(hex: 0x009E73), // bluish green
        RGBA(hex: 0xD55E00), // vermillion
        RGBA(hex: 0xCC79A7), // reddish purple
        RGBA(hex: 0x56B4E9), // sky blue
        RGBA(hex: 0xF0E442), // yellow
        RGBA(hex: 0x000000), // black
    ]

    /// Drawn for code -1 (missing / not yet labelled).
    public static let unlabelled = RGBA(hex: 0xBBBBBB)

    /// The colour of class `index`. Past eight classes the colours repeat, and `markerShape` changes
    /// instead so that classes stay distinguishable.
    public static func color(forClass index: Int) -> RGBA {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }

    /// The marker shape of class `index`: circles for the first eight, then squares, diamonds, triangles.
    public static func markerShape(forClass index: Int) -> MarkerShape {
        let all = MarkerShape.allCases
        return all[(max(0, index) / okabeIto.count) % all.count]
    }
}

/// Marker glyphs, used to tell classes apart once colours repeat.
public enum MarkerShape: CaseIterable, Sendable {
    case circle, square, diamond, triangle
}
