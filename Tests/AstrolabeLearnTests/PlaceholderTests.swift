import XCTest
final class AstrolabeLearnTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
