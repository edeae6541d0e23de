import XCTest
@testable import AstrolabeLearn

/// The hand-written protobuf encoder against bytes the protobuf specification gives, and the ONNX
/// export's catalogue of kinds. (onnx.checker and onnxruntime check whole models in
/// AstrolabeKernelTests.ONNXExportTests.)
final class ONNXEncoderTests: XCTestCase {
    func testWireFormatMatchesTheSpecification() {
        var w = ProtobufWriter()
        w.int(1, 150)                       // the specification's example: 08 96 01
        XCTAssertEqual(w.bytes, [0x08, 0x96, 0x01])
        w = ProtobufWriter()
        w.int(3, -1)                        // negative int64: ten bytes
        XCTAssertEqual(w.bytes, [0x18] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        w = ProtobufWriter()
        w.string(2, "testing")              // 12 07 74 65 73 74 69 6e 67
        XCTAssertEqual(w.bytes, [0x12, 0x07] + Array("testing".utf8))
        w = ProtobufWriter()
        w.packedInts(4, [3, 270, 86942])    // 22 06 03 8E 02 9E A7 05
        XCTAssertEqual(w.bytes, [0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])
        w = ProtobufWriter()
        w.message(3) { $0.int(1, 150) }     // 1a 03 08 96 01
        XCTAssertEqual(w.bytes, [0x1A, 0x03, 0x08, 0x96, 0x01])
        w = ProtobufWriter()
        w.double(1, 1.0)
        XCTAssertEqual(w.bytes, [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        w = ProtobufWriter()
        w.float(2, 1.0)
        XCTAssertEqual(w.bytes, [0x15, 0, 0, 0x80, 0x3F])
    }

    func testSupportedKindsAreCatalogueNamesAndOthersAreRefused() throws {
        for name in ONNXExport.supportedKinds { XCTAssertNotNil(ClassifierKind.named(name), name) }
        let x = try FeatureMatrix(rows: 4, columns: 1, values: [0, 1, 2, 3])
        var knn = ScaledClassifier(KNearestNeighbors(k: 1), scaling: .standard)
        try knn.fit(x, labels: [0, 0, 1, 1], classCount: 2, seed: 1)
        XCTAssertThrowsError(try ONNXExport.model(knn, features: ["a"], classes: ["p", "q"], kind: "knn"))
        var forest = ScaledClassifier(RandomForest(trees: 3), scaling: .none)
        try forest.fit(x, labels: [0, 0, 1, 1], classCount: 2, seed: 1)
        let bytes = try ONNXExport.model(forest, features: ["a"], classes: ["p", "q"], kind: "forest")
        XCTAssertEqual(bytes, try ONNXExport.model(forest, features: ["a"], classes: ["p", "q"], kind: "forest"))
        XCTAssertThrowsError(try ONNXExport.model(forest, features: ["a", "b"], classes: ["p", "q"], kind: "forest"))
    }

    func testJSONListEscapes() {
        XCTAssertEqual(ONNXExport.jsonList(["a\"b", "c\\d", "e\nf"]), #"["a\"b","c\\d","e\u000af"]"#)
    }
}
