import ArgumentParser
import AstrolabeJupyter
import AstrolabeKernel
import Foundation

/// `astrolabe kernel -f CONNECTION.json`: the Jupyter kernel; `astrolabe kernel install`: its kernelspec.
struct Kernel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the command language to Jupyter (messaging protocol 5.3 over ZeroMQ).",
        discussion: """
            Jupyter starts this with the connection file it wrote; the kernel binds exactly the \
            addresses in it and checks every message's HMAC-SHA256 signature against its key. \
            Answers go to .astrolabe/labels.sqlite in the notebook's folder unless --store says otherwise.
            """,
        subcommands: [Install.self])

    @Option(name: .customShort("f"), help: ArgumentHelp("The connection file Jupyter wrote.", valueName: "connection.json"))
    var connectionFile: String?

    @Option(help: ArgumentHelp("Label store (SQLite); :memory: for none.", valueName: "path"))
    var store: String = ".astrolabe/labels.sqlite"

    @Option(help: ArgumentHelp("Who gives the answers (default: $USER).", valueName: "name"))
    var annotator: String?

    @Option(help: ArgumentHelp("Seed for every random choice.", valueName: "n"))
    var seed: UInt64 = 42

    func run() throws {
        guard let connectionFile else {
            throw ValidationError("expected -f CONNECTION.json (Jupyter passes it), or `astrolabe kernel install`")
        }
        guard let data = FileManager.default.contents(atPath: connectionFile), let text = String(data: data, encoding: .utf8) else {
            Terminal.error("cannot read the connection file \(connectionFile)")
            throw ExitCode.failure
        }
        let log: @Sendable (String) -> Void = { Terminal.err("astrolabe kernel: \($0)\n") }
        do {
            let connection = try ConnectionInfo(json: text)
            let session = try Session(options: SessionOptions(workingDirectory: FileManager.default.currentDirectoryPath,
                                                              storePath: store, annotator: annotator ?? defaultAnnotator(),
                                                              seed: seed, interactive: false))
            // A shutdown request, an error or SIGTERM from Jupyter: the store is left as one file.
            defer { session.close() }
            Shutdown.install(closing: session)
            warnIfDamaged(session)
            // Ctrl-C in the terminal that started Jupyter must not kill the kernel; interrupts come as messages.
            signal(SIGINT, SIG_IGN)
            try JupyterKernel(connection: connection, session: session, log: log).run()
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the Astrolabe kernelspec so Jupyter can start this binary.",
            discussion: "Default: the system-wide /usr/local/share/jupyter/kernels/astrolabe.")

        @Flag(help: "Install for this user ($JUPYTER_DATA_DIR or ~/.local/share/jupyter).")
        var user = false

        @Option(help: ArgumentHelp("Install under DIR/share/jupyter (e.g. a virtual environment).", valueName: "dir"))
        var prefix: String?

        func validate() throws {
            if user && prefix != nil { throw ValidationError("--user and --prefix exclude each other") }
        }

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let base: String
            if let prefix {
                base = (prefix as NSString).appendingPathComponent("share/jupyter")
            } else if user {
                base = KernelSpec.userDataDirectory(environment: environment)
            } else {
                base = "/usr/local/share/jupyter"
            }
            let folder = ((base as NSString).appendingPathComponent("kernels") as NSString).appendingPathComponent(KernelSpec.name)
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
            do {
                try writeAtomically(Array(KernelSpec.json(executable: executable).utf8),
                                    to: (folder as NSString).appendingPathComponent("kernel.json"))
            } catch {
                Terminal.error("\(error)")
                throw ExitCode.failure
            }
            print("installed the Astrolabe kernelspec in \(folder)")
        }
    }
}
