import XCTest
@testable import AstrolabeKernel

/// A recording that cannot be written (a full disk: /dev/full) stops with one warning; the
/// session goes on.
final class RecordingFailureTests: IrisSessionTestCase {
    func warnings(_ outputs: [Output]) -> [String] {
        outputs.compactMap { if case .warning(let w) = $0 { return w } else { return nil } }
    }

    func testRecordingToAFullDiskWarnsOnceAndTheSessionGoesOn() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        let s = try session()
        let started = s.execute("record /dev/full")
        XCTAssertNil(started.error)
        let warning = try XCTUnwrap(warnings(started.outputs).first)
        XCTAssertTrue(warning.contains("recording to /dev/full stopped"), warning)
        XCTAssertTrue(warning.contains("No space left on device"), warning)
        let next = s.execute("describe `sepal length (cm)`")
        XCTAssertNil(next.error)
        XCTAssertEqual(warnings(next.outputs), [], "warned once; the recording is off")
        XCTAssertNil(s.recording)
        XCTAssertTrue(s.transcript.contains("describe `sepal length (cm)`"), "the transcript is still kept")
    }

    func testRecordingThatFailsLaterWarnsAtThatCommand() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        let s = try session()
        // A recording that worked, whose file then fails: swap in a handle on /dev/full.
        XCTAssertNil(try s.startRecording(to: "ok.alab"))
        s.recording = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let result = s.execute("describe `sepal length (cm)`")
        XCTAssertNil(result.error)
        XCTAssertTrue(warnings(result.outputs).first?.contains("recording to ok.alab stopped") == true, "\(result.outputs)")
    }
}
