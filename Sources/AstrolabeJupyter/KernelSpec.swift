import AstrolabeKernel
import Foundation

/// The kernelspec Jupyter reads to start this kernel (`kernel.json`).
public enum KernelSpec {
    public static let name = "astrolabe"

    /// The user's Jupyter data folder, found as jupyter_core's `jupyter_data_dir()` finds it on
    /// Linux: `$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`, else `$HOME/.local/share/jupyter`
    /// (empty variables count as unset; the password database's home only without `$HOME`).
    public static func userDataDirectory(environment: [String: String]) -> String {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let folder = value("JUPYTER_DATA_DIR") { return folder }
        let share = value("XDG_DATA_HOME") ?? ((value("HOME") ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (share as NSString).appendingPathComponent("jupyter")
    }

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
