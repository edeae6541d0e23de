import AstrolabeKernel

/// A Jupyter connection file: where the five channels listen and the key that signs messages.
/// https://jupyter-client.readthedocs.io/en/stable/kernels.html#connection-files
public struct ConnectionInfo: Sendable, Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(json text: String) throws {
        let value: JSONValue
        do { value = try JSONReader.parse(text) } catch let error as JSONReader.SyntaxError {
            throw Invalid(description: "connection file: \(error)")
        }
        guard value.objectValue != nil else { throw Invalid(description: "connection file: expected a JSON object") }
        func port(_ key: String) throws -> Int {
            guard let n = value[key]?.intValue, (0...65535).contains(n) else {
                throw Invalid(description: "connection file: `\(key)` must be a port number")
            }
            return n
        }
        transport = value["transport"]?.stringValue ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else {
            throw Invalid(description: "connection file: unsupported transport `\(transport)` (tcp or ipc)")
        }
        guard let ip = value["ip"]?.stringValue, !ip.isEmpty else { throw Invalid(description: "connection file: missing `ip`") }
        self.ip = ip
        shellPort = try port("shell_port")
        iopubPort = try port("iopub_port")
        stdinPort = try port("stdin_port")
        controlPort = try port("control_port")
        hbPort = try port("hb_port")
        key = value["key"]?.stringValue ?? ""
        signatureScheme = value["signature_scheme"]?.stringValue ?? "hmac-sha256"
        guard signatureScheme == "hmac-sha256" else {
            throw Invalid(description: "connection file: unsupported signature scheme `\(signatureScheme)` (hmac-sha256)")
        }
    }

    /// The ZeroMQ endpoint of one channel, exactly as the connection file says: `tcp://IP:PORT`,
    /// or for ipc `ipc://IP-PORT` (Jupyter's convention). The kernel binds nowhere else.
    public func endpoint(port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}
