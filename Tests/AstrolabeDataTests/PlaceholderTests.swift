import XCTest
final class AstrolabeDataTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
