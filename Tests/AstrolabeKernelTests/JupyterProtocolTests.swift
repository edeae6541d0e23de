import XCTest
@testable import AstrolabeKernel

/// The pieces of the Jupyter protocol that do not need a socket: signing, framing, connection
/// files, and the kernel's answers to complete / is_complete / inspect. The whole kernel is tested
/// against the real clients in Tests/jupyter/test_kernel.py.
final class JupyterProtocolTests: XCTestCase {
    func testHMACMatchesRFC4231() {
        // RFC 4231, test case 2.
        let signer = MessageSigner(key: "Jefe")
        XCTAssertEqual(signer.signature([Array("what do ya want ".utf8), Array("for nothing?".utf8)]),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testFramesRoundTripAndTamperingIsRejected() throws {
        let signer = MessageSigner(key: "secret")
        let message = WireMessage(identities: [[1, 2, 3]], header: WireMessage.header(type: "execute_request", session: "s"),
                                  content: .object(["code": .string("help")]))
        var frames = message.frames(signer: signer)
        XCTAssertEqual(frames[1], WireMessage.delimiter)
        let parsed = try WireMessage(frames: frames, signer: signer)
        XCTAssertEqual(parsed.type, "execute_request")
        XCTAssertEqual(parsed.identities, [[1, 2, 3]])
        XCTAssertEqual(parsed.content["code"]?.stringValue, "help")

        frames[6] = Array(#"{"code":"save session /etc/x"}"#.utf8)   // content changed after signing
        XCTAssertThrowsError(try WireMessage(frames: frames, signer: signer)) { XCTAssertEqual($0 as? WireMessage.Problem, .badSignature) }
        var unsigned = message.frames(signer: MessageSigner(key: ""))
        XCTAssertEqual(unsigned[2], [])
        XCTAssertThrowsError(try WireMessage(frames: unsigned, signer: signer)) { XCTAssertEqual($0 as? WireMessage.Problem, .badSignature) }
        unsigned.removeLast(2)
        XCTAssertThrowsError(try WireMessage(frames: unsigned, signer: signer)) { XCTAssertEqual($0 as? WireMessage.Problem, .tooFewFrames) }
    }

    func testConnectionFile() throws {
        let info = try ConnectionInfo(json: """
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
             "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "astrolabe"}
            """)
        XCTAssertEqual(info.endpoint(port: info.shellPort), "tcp://127.0.0.1:5001")
        XCTAssertThrowsError(try ConnectionInfo(json: #"{"ip": "127.0.0.1", "shell_port": 1}"#))
        XCTAssertThrowsError(try ConnectionInfo(json: """
            {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "x", "signature_scheme": "hmac-md5"}
            """)) { XCTAssertTrue("\($0)".contains("hmac-md5")) }
    }

    func kernel() throws -> JupyterKernel {
        let connection = try ConnectionInfo(json: """
            {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "127.0.0.1", "key": ""}
            """)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let session = try Session(options: SessionOptions(workingDirectory: root.path, storePath: ":memory:"))
        return JupyterKernel(connection: connection, session: session, log: { _ in })
    }

    func testIsComplete() throws {
        let k = try kernel()
        XCTAssertEqual(k.isComplete(.object(["code": .string("help")]))["status"], .string("complete"))
        XCTAssertEqual(k.isComplete(.object(["code": .string("load a.csv \\")]))["status"], .string("incomplete"))
        XCTAssertEqual(k.isComplete(.object(["code": .string("teach \"open")]))["status"], .string("invalid"))
    }

    func testCompleteColumnsAfterLoadAndInspect() throws {
        let k = try kernel()
        XCTAssertNil(k.session.execute("load Samples/iris.csv id=id label=label").error)
        let code = "plot density x\ndescribe `petal"
        let reply = k.complete(.object(["code": .string(code), "cursor_pos": .int(code.unicodeScalars.count)]))
        XCTAssertEqual(reply["matches"], .array([.string("`petal length (cm)`"), .string("`petal width (cm)`")]))
        XCTAssertEqual(reply["cursor_start"], .int(24))
        let help = k.inspect(.object(["code": .string("score m"), "cursor_pos": .int(2)]))
        XCTAssertEqual(help["found"], .bool(true))
        XCTAssertTrue(help["data"]?["text/plain"]?.stringValue?.hasPrefix("usage: score MODEL") == true)
        let column = k.inspect(.object(["code": .string("describe label"), "cursor_pos": .int(12)]))
        XCTAssertEqual(column["data"]?["text/plain"]?.stringValue, "column label of iris: text, 150 rows, 0 missing")
    }

    func testCommandsOfACellKeepTheirLines() {
        let commands = JupyterKernel.commands(in: "help\n\n# note\nload a.csv \\\n  id=id\nhelp load")
        XCTAssertEqual(commands.map(\.text), ["help", "load a.csv id=id", "help load"])
        XCTAssertEqual(commands.map(\.location.line), [1, 4, 6])
    }
}

/// The JSON reader behind `check`, configurations and Jupyter messages.
final class JSONReaderConfigTests: XCTestCase {
    func testReadsWhatTheWriterWrites() throws {
        let value: JSONValue = .object(["a": .array([.int(1), .double(0.25), .string("é\n\"\\ \u{1}"), .null, .bool(true)]),
                                        "b": .object([:])])
        XCTAssertEqual(try JSONReader.parse(JSONWriter.write(value)), value)
        XCTAssertEqual(try JSONReader.parse(JSONWriter.compact(value)), value)
    }

    func testEscapesAndNumbers() throws {
        XCTAssertEqual(try JSONReader.parse(#""\u00e9\ud83d\ude00\/""#), .string("é😀/"))
        XCTAssertEqual(try JSONReader.parse("-12"), .int(-12))
        XCTAssertEqual(try JSONReader.parse("1e3"), .double(1000))
        XCTAssertEqual(try JSONReader.parse("123456789012345678901234567890"), .double(1.2345678901234568e29))
    }

    func testErrorsSayWhere() {
        for (text, line, column) in [("{\"a\": 1,\n \"a\": 2}", 2, 7), ("[1, 2", 1, 6), ("{\"a\" 1}", 1, 6), ("01", 1, 2),
                                     ("\"\\ud800\"", 1, 8), ("tru", 1, 4), (String(repeating: "[", count: 600), 1, 513)] {
            XCTAssertThrowsError(try JSONReader.parse(text), text) { error in
                let e = error as? JSONReader.SyntaxError
                XCTAssertEqual(e?.line, line, "\(text): \(String(describing: e))")
                XCTAssertEqual(e?.column, column, "\(text): \(String(describing: e))")
            }
        }
    }
}
