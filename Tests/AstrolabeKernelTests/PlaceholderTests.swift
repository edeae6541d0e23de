import XCTest
final class AstrolabeKernelTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
