import XCTest
@testable import AstrolabeKernel

/// Small argument rules of the command language: view names, stray positionals, single
/// did-you-means, and text comparisons that cannot match.
final class CommandArgumentTests: IrisSessionTestCase {
    func testSampleAndWhereNameTheirViewEitherWay() throws {
        let s = try session()
        XCTAssertTrue(ok(s, "sample 20 as small").hasPrefix("small: 20 rows"))
        ok(s, "use iris")
        XCTAssertTrue(ok(s, "sample 20 as=tiny").hasPrefix("tiny: 20 rows"))
        ok(s, "use iris")
        XCTAssertTrue(ok(s, "where `petal length (cm)` > 5 as=big").hasPrefix("big: "))
        ok(s, "use iris")
        XCTAssertTrue(ok(s, "where `petal length (cm)` > 5 as large").hasPrefix("large: "))
        ok(s, "use iris")
        XCTAssertNotNil(s.execute("sample 20 junk").error)
        XCTAssertNotNil(s.execute("sample 20 as").error)
        XCTAssertNotNil(s.execute("sample 20 as a b").error)
    }

    func testStrayPositionalsAreErrors() throws {
        let s = try session()
        ok(s, "model m classifier=logistic features=`petal length (cm)`,`petal width (cm)`")
        for line in ["head 1 junk", "tables junk", "labels junk", "score m junk", "columns x", "use iris iris", "predict m x to=p.csv"] {
            let error = try XCTUnwrap(s.execute(line).error, line)
            XCTAssertTrue(error.message.hasPrefix("unexpected `"), "\(line): \(error.message)")
        }
        let error = try XCTUnwrap(s.execute("head 1 junk").error)
        XCTAssertEqual(error.message, "unexpected `junk`: `head` takes at most 1 argument (usage: head [N] [columns=A,B,...])")
        XCTAssertTrue(try XCTUnwrap(s.execute("tables junk").error).message.contains("`tables` takes no arguments"))
        // Verbs whose last argument repeats still take many.
        ok(s, "describe `petal length (cm)` `petal width (cm)` `sepal length (cm)`")
        ok(s, "head 2")
    }

    func testUnknownTypesColumnIsSuggestedOnce() throws {
        let path = directory.appendingPathComponent("bands.csv").path
        try "gr,ri\n0.1,0.2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        let error = try XCTUnwrap(s.execute("load \(path) types=gx:float").error)
        XCTAssertEqual(error.suggestion, "gr")
        XCTAssertEqual(error.rendered.components(separatedBy: "did you mean").count, 2, error.rendered)
    }

    func testTextComparisonsSayWhichValuesExist() throws {
        let s = try session()
        let bare = try XCTUnwrap(s.execute("where label == setosa").error)
        XCTAssertTrue(bare.message.contains("`setosa` is not a column; to compare the text column `label` with a value, quote the value"), bare.message)
        XCTAssertEqual(bare.suggestion, "\"setosa\"")
        let near = try XCTUnwrap(s.execute("where label == setos").error)
        XCTAssertEqual(near.suggestion, "\"setosa\"")
        let absent = try XCTUnwrap(s.execute("where label == \"setos\"").error)
        XCTAssertTrue(absent.message.contains("no row has label == \"setos\""), absent.message)
        XCTAssertTrue(absent.message.contains("\"setosa\", \"versicolor\", \"virginica\""), absent.message)
        XCTAssertTrue(absent.message.contains("did you mean \"setosa\"?"), absent.message)
        XCTAssertTrue(ok(s, "where label == \"setosa\" as flowers").hasPrefix("flowers: 50 of 150 rows"))
        // A value that exists in no row but is not why the view is empty stays a plain empty view.
        ok(s, "use iris")
        XCTAssertTrue(ok(s, "where `petal length (cm)` > 100 as none").hasPrefix("none: 0 of 150"))
    }
}
