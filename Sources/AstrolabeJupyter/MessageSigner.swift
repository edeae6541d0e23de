import Crypto

/// Signs and verifies Jupyter messages: HMAC-SHA256 of header, parent header, metadata and
/// content, as lowercase hex. An empty key disables signing, as the protocol specifies.
public struct MessageSigner: Sendable {
    /// The key's bytes (SymmetricKey itself is not Sendable; it is made per message).
    private let key: [UInt8]?

    public init(key: String) {
        self.key = key.isEmpty ? nil : Array(key.utf8)
    }

    public var isSigning: Bool { key != nil }

    public func signature(_ parts: [[UInt8]]) -> String {
        guard let key else { return "" }
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key))
        for part in parts { hmac.update(data: part) }
        return hex(Array(hmac.finalize()))
    }

    /// Constant-time comparison, so timing does not leak how much of a forged signature was right.
    public func verify(_ signature: [UInt8], parts: [[UInt8]]) -> Bool {
        guard key != nil else { return true }
        let expected = Array(self.signature(parts).utf8)
        guard signature.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(signature, expected) { difference |= a ^ b }
        return difference == 0
    }

    private func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
