import AstrolabeKernel
import Foundation

/// One Jupyter message and its framing on the wire:
/// `[identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]`.
public struct WireMessage: Sendable {
    public var identities: [[UInt8]]
    public var header: JSONValue
    public var parentHeader: JSONValue
    public var metadata: JSONValue
    public var content: JSONValue
    public var buffers: [[UInt8]]
    /// The signature it arrived with (empty for a message made here): the key of the replay check.
    public var signature: [UInt8] = []

    public static let delimiter = Array("<IDS|MSG>".utf8)

    public var type: String { header["msg_type"]?.stringValue ?? "" }

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case noDelimiter, tooFewFrames, badSignature, badJSON(String), badShape(String), replayed
        public var description: String {
            switch self {
            case .noDelimiter: return "no <IDS|MSG> delimiter"
            case .tooFewFrames: return "fewer than the five frames after the delimiter"
            case .badSignature: return "wrong or missing signature"
            case .badJSON(let message): return "malformed JSON: \(message)"
            case .badShape(let message): return "malformed message: \(message)"
            case .replayed: return "a replay: a message with this signature was already received"
            }
        }
    }

    /// Parses frames as received, checking the signature over the raw bytes (never re-serialised JSON).
    public init(frames: [[UInt8]], signer: MessageSigner) throws {
        guard let split = frames.firstIndex(of: WireMessage.delimiter) else { throw Problem.noDelimiter }
        guard frames.count >= split + 6 else { throw Problem.tooFewFrames }
        let parts = Array(frames[(split + 2)..<(split + 6)])
        guard signer.verify(frames[split + 1], parts: parts) else { throw Problem.badSignature }
        identities = Array(frames[..<split])
        signature = frames[split + 1]
        do {
            header = try JSONReader.parse(parts[0])
            parentHeader = try JSONReader.parse(parts[1])
            metadata = try JSONReader.parse(parts[2])
            content = try JSONReader.parse(parts[3])
        } catch {
            throw Problem.badJSON(String(describing: error))
        }
        try WireMessage.checkShape(header: header, parentHeader: parentHeader, metadata: metadata, content: content)
        buffers = Array(frames[(split + 6)...])
    }

    /// The protocol's shapes, checked before anything is done with a message: a header that is not
    /// an object would otherwise be echoed as the parent header of IOPub messages and break every
    /// client listening there.
    static func checkShape(header: JSONValue, parentHeader: JSONValue, metadata: JSONValue, content: JSONValue) throws {
        for (name, part) in [("header", header), ("parent_header", parentHeader), ("metadata", metadata), ("content", content)]
        where part.objectValue == nil {
            throw Problem.badShape("`\(name)` must be a JSON object")
        }
        for field in ["msg_id", "msg_type"] where header[field]?.stringValue == nil {
            throw Problem.badShape("the header's `\(field)` must be a string")
        }
    }

    public init(identities: [[UInt8]] = [], header: JSONValue, parentHeader: JSONValue = .object([:]),
                metadata: JSONValue = .object([:]), content: JSONValue, buffers: [[UInt8]] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    public func frames(signer: MessageSigner) -> [[UInt8]] {
        let parts = [header, parentHeader, metadata, content].map { Array(JSONWriter.compact($0).utf8) }
        return identities + [WireMessage.delimiter, Array(signer.signature(parts).utf8)] + parts + buffers
    }

    /// A header for a new message from this kernel.
    public static func header(type: String, session: String) -> JSONValue {
        .object([
            "msg_id": .string(UUID().uuidString.lowercased()),
            "session": .string(session),
            "username": .string("astrolabe"),
            "date": .string(timestamp()),
            "msg_type": .string(type),
            "version": .string(JupyterKernel.protocolVersion),
        ])
    }

    /// ISO 8601 in UTC with microseconds, as Jupyter writes it. Message headers only: never in outputs.
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
