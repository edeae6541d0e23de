/// The kernelspec Jupyter reads to start this kernel (`kernel.json`).
public enum KernelSpec {
    public static let name = "astrolabe"

    /// - Parameter executable: absolute path of the `astrolabe` binary.
    public static func json(executable: String) -> String {
        JSONWriter.write(.object([
            "argv": .array([.string(executable), .string("kernel"), .string("-f"), .string("{connection_file}")]),
            "display_name": .string("Astrolabe"),
            "language": .string("astrolabe"),
            "interrupt_mode": .string("message"),
            "metadata": .object(["debugger": .bool(false)]),
        ]), indent: 2) + "\n"
    }
}
