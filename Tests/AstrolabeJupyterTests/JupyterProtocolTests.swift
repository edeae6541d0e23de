import AstrolabeKernel
import XCTest
@testable import AstrolabeJupyter

/// The pieces of the Jupyter protocol that do not need a socket: signing, framing, connection
/// files, and the kernel's replies to complete / is_complete / inspect (the session's answers behind
/// them are tested in AstrolabeKernelTests/CellAssistTests). The whole kernel is tested against the
/// real clients in Tests/jupyter/test_kernel.py.
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
        XCTAssertEqual(k.isComplete(.object(["code": .string("load a.csv \\")])),
                       ["status": .string("incomplete"), "indent": .string("  ")])   // the front end indents the next line
        XCTAssertEqual(k.isComplete(.object(["code": .string("teach \"open")]))["status"], .string("invalid"))
    }

    func testCompleteColumnsAfterLoadAndInspect() throws {
        let k = try kernel()
        XCTAssertNil(k.session.execute("load Samples/iris.csv id=id label=label").error)
        let code = "plot density x\ndescribe `petal"
        let reply = k.complete(.object(["code": .string(code), "cursor_pos": .int(code.unicodeScalars.count)]))
        XCTAssertEqual(reply["matches"], .array([.string("`petal length (cm)`"), .string("`petal width (cm)`")]))
        XCTAssertEqual(reply["cursor_start"], .int(24))
        XCTAssertEqual(reply["cursor_end"], .int(30))
        let help = k.inspect(.object(["code": .string("score m"), "cursor_pos": .int(2)]))
        XCTAssertEqual(help["found"], .bool(true))
        XCTAssertTrue(help["data"]?["text/plain"]?.stringValue?.hasPrefix("usage: score MODEL") == true)
        let column = k.inspect(.object(["code": .string("describe label"), "cursor_pos": .int(12)]))
        XCTAssertEqual(column["data"]?["text/plain"]?.stringValue, "column label of iris: text, 150 rows, 0 missing")
    }

    /// Signed frames whose parts are valid JSON but not the protocol's shapes.
    func frames(header: String, parent: String = "{}", metadata: String = "{}", content: String = "{}", signer: MessageSigner) -> [[UInt8]] {
        let parts = [header, parent, metadata, content].map { Array($0.utf8) }
        return [WireMessage.delimiter, Array(signer.signature(parts).utf8)] + parts
    }

    func testMessagesOfTheWrongShapeAreRejected() {
        let signer = MessageSigner(key: "secret")
        let good = #"{"msg_id":"1","msg_type":"kernel_info_request"}"#
        XCTAssertNoThrow(try WireMessage(frames: frames(header: good, signer: signer), signer: signer))
        let cases: [(frames: [[UInt8]], field: String)] = [
            (frames(header: "[1,2]", signer: signer), "`header`"),
            (frames(header: #""kernel_info_request""#, signer: signer), "`header`"),
            (frames(header: good, parent: "[]", signer: signer), "`parent_header`"),
            (frames(header: good, metadata: "null", signer: signer), "`metadata`"),
            (frames(header: good, content: "3", signer: signer), "`content`"),
            (frames(header: #"{"msg_type":"kernel_info_request"}"#, signer: signer), "`msg_id`"),
            (frames(header: #"{"msg_id":"1","msg_type":["execute_request"]}"#, signer: signer), "`msg_type`"),
        ]
        for (frames, field) in cases {
            XCTAssertThrowsError(try WireMessage(frames: frames, signer: signer), field) { error in
                guard case .badShape(let message)? = error as? WireMessage.Problem else { return XCTFail("\(field): \(error)") }
                XCTAssertTrue(message.contains(field), message)
            }
        }
    }

    func testDigestHistoryRefusesARepeatAndForgetsTheOldestPastItsCapacity() {
        let history = DigestHistory(capacity: 20)
        let signatures = (0..<21).map { Array("sig\($0)".utf8) }
        XCTAssertTrue(history.insert(signatures[0]))
        XCTAssertFalse(history.insert(signatures[0]))
        XCTAssertTrue(history.insert([]))   // unsigned (signing off): nothing to compare
        XCTAssertTrue(history.insert([]))
        for signature in signatures.dropFirst() { XCTAssertTrue(history.insert(signature)) }
        // 21 > 20: the oldest two (a tenth of 21, rounded down) are forgotten, the others still refused.
        XCTAssertFalse(history.insert(signatures[2]))
        XCTAssertFalse(history.insert(signatures[20]))
        XCTAssertTrue(history.insert(signatures[0]))
        XCTAssertTrue(history.insert(signatures[1]))
    }

    func testMessageSizeLimitComesFromTheEnvironment() throws {
        XCTAssertEqual(try JupyterKernel.maxMessageBytes(environment: [:]), 64 << 20)
        XCTAssertEqual(try JupyterKernel.maxMessageBytes(environment: [JupyterKernel.maxMessageVariable: "1000"]), 1000)
        for bad in ["0", "-5", "64MB", "1e6"] {
            XCTAssertThrowsError(try JupyterKernel.maxMessageBytes(environment: [JupyterKernel.maxMessageVariable: bad])) {
                XCTAssertTrue("\($0)".contains(JupyterKernel.maxMessageVariable), "\($0)")
            }
        }
    }

    func testUserDataDirectoryAsJupyterCoreFindsIt() {
        XCTAssertEqual(KernelSpec.userDataDirectory(environment: ["JUPYTER_DATA_DIR": "/d", "XDG_DATA_HOME": "/x", "HOME": "/h"]), "/d")
        XCTAssertEqual(KernelSpec.userDataDirectory(environment: ["JUPYTER_DATA_DIR": "", "XDG_DATA_HOME": "/x", "HOME": "/h"]), "/x/jupyter")
        XCTAssertEqual(KernelSpec.userDataDirectory(environment: ["XDG_DATA_HOME": "", "HOME": "/h"]), "/h/.local/share/jupyter")
    }

    func testParentWatchFollowsJPYParentPID() throws {
        var warnings: [String] = []
        XCTAssertNil(ParentWatch(environment: [:], log: { warnings.append($0) }))
        XCTAssertNil(ParentWatch(environment: ["JPY_PARENT_PID": "1"], log: { warnings.append($0) }))
        XCTAssertNil(ParentWatch(environment: ["JPY_PARENT_PID": "jupyter"], log: { warnings.append($0) }))
        XCTAssertEqual(warnings.count, 1)
        // The test runner's parent is alive, and so is this process (watched as a non-parent).
        let parent = try XCTUnwrap(ParentWatch(environment: ["JPY_PARENT_PID": "\(getppid())"], log: { _ in }))
        XCTAssertFalse(parent.parentIsGone())
        let other = try XCTUnwrap(ParentWatch(environment: ["JPY_PARENT_PID": "\(getpid())"], log: { _ in }))
        XCTAssertFalse(other.parentIsGone())
        // A parent that is not ours any more: getppid() differs from it.
        let gone = try XCTUnwrap(ParentWatch(environment: ["JPY_PARENT_PID": "\(getpid())"], currentParent: getpid(), log: { _ in }))
        XCTAssertTrue(gone.parentIsGone())
    }
}
