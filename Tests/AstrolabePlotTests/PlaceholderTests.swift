import XCTest
final class AstrolabePlotTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
