/// What a command produces. Front ends (REPL, replay, notebook writers, Jupyter) only render these;
/// they never reach into session state.
public enum Output: Sendable, Equatable {
    /// Plain text, shown as is (tables are pre-formatted text).
    case text(String)
    /// A figure: the PNG bytes, and the path it was written to (relative, as the user gave it).
    case image(PNGImage)
    /// Something the user should know but that did not stop the command.
    case warning(String)
}

public struct PNGImage: Sendable, Equatable {
    public var bytes: [UInt8]
    /// Where the command wrote the file, as the user wrote it (never made absolute).
    public var path: String?
    public var width: Int
    public var height: Int

    public init(bytes: [UInt8], path: String?, width: Int, height: Int) {
        self.bytes = bytes
        self.path = path
        self.width = width
        self.height = height
    }

    /// `<Figure plots/index.png 800×600>`, as the plain-text stand-in for an image (notebooks, Jupyter).
    public var label: String {
        var label = "<Figure"
        if let path { label += " " + path }
        return label + " \(width)×\(height)>"
    }

    /// The PNG bytes in standard base64, as notebooks and Jupyter's `image/png` carry them.
    public var base64: String { Base64.encode(bytes) }
}
