import XCTest
@testable import AstrolabeKernel

/// `export model M to=m.onnx`: the refusals, and every exported kind run by onnxruntime against
/// Astrolabe's own predictions (`export ... with=predict:M`) on real catalogues.
final class ONNXExportTests: IrisSessionTestCase {
    func sample(_ name: String) -> String { Self.root.appendingPathComponent("Samples/\(name)").path }

    func error(_ s: Session, _ line: String) -> String { s.execute(line).error?.message ?? "" }

    func penguins() throws -> Session {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(sample("penguins.csv")) as pen id=id label=label")
        return s
    }

    func testRefusesKindsWithoutAFaithfulForm() throws {
        let s = try penguins()
        for kind in ["knn", "naive-bayes", "adaboost", "committee"] {
            ok(s, "model \(kind.replacingOccurrences(of: "-", with: "_")) classifier=\(kind) features=bill_length_mm,bill_depth_mm")
            let message = error(s, "export model \(kind.replacingOccurrences(of: "-", with: "_")) to=m.onnx")
            XCTAssertTrue(message.contains("no faithful ONNX form"), message)
        }
        ok(s, "model m features=bill_length_mm,bill_depth_mm")
        XCTAssertTrue(error(s, "export model m to=m.json").contains(".onnx"))
        XCTAssertTrue(error(s, "export model m").contains("to=PATH.onnx"))
        XCTAssertTrue(error(s, "export model nope to=m.onnx").contains("no model `nope`"))
        XCTAssertTrue(error(s, "export model m to=m.onnx rows=\"bill_length_mm > 5\"").contains("not for `export model`"))
        XCTAssertTrue(ok(s, "export model m to=m.onnx").contains("wrote m.onnx"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("m.onnx").path))
    }

    /// A calibrated model's ONNX graph would give uncalibrated probabilities: refused by name.
    func testRefusesCalibratedModels() throws {
        let s = try penguins()
        ok(s, "model cal features=bill_length_mm,bill_depth_mm initial=60 calibrate=isotonic")
        let message = error(s, "export model cal to=cal.onnx")
        XCTAssertTrue(message.contains("calibrated"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("cal.onnx").path))
    }

    /// A regression model is refused as such, not as "not trained".
    func testRefusesRegressionModels() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(sample("sdss_mgs_photoz.csv")) as g id=id")
        ok(s, "model pz regressor=tree target=z_spec features=u_minus_g,g_minus_r initial=50")
        let message = error(s, "export model pz to=pz.onnx")
        XCTAssertTrue(message.contains("regression model"), message)
    }

    /// Same model, same bytes.
    func testExportIsReproducible() throws {
        let s = try penguins()
        ok(s, "model m classifier=boosting features=bill_length_mm,bill_depth_mm,body_mass_g scaling=standard estimators=5")
        ok(s, "export model m to=a.onnx")
        ok(s, "export model m to=b.onnx")
        let a = try Data(contentsOf: directory.appendingPathComponent("a.onnx"))
        XCTAssertEqual(a, try Data(contentsOf: directory.appendingPathComponent("b.onnx")))
    }

    /// onnx.checker accepts every exported kind, and onnxruntime's probabilities equal Astrolabe's
    /// (≤ 1e-6) with the same label on every row: multiclass and binary, with scaling, with missing
    /// values (penguins), with a class no label taught (boosting and logistic model only the taught
    /// ones). Needs ASTROLABE_PYTHON with onnx, onnxruntime and pandas (Makefile PYDEPS).
    func testOnnxruntimeAgreesWithPredict() throws {
        let python = try referencePython(needing: "onnx and onnxruntime")
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        let sat = "x.17,x.18,x.19,x.20,x.1,x.5"
        ok(s, "load \(sample("statlog_landsat_satellite.csv")) as sat id=id label=label")
        ok(s, "model f classifier=forest features=\(sat) initial=1500 trees=40")
        ok(s, "model d classifier=forest features=\(sat) initial=1500 trees=30 depth=5 scaling=standard")
        ok(s, "model e classifier=extra-trees features=\(sat) initial=1500 trees=20 depth=6 scaling=robust")
        ok(s, "model g classifier=boosting features=\(sat) initial=1500 estimators=20")
        ok(s, "model l classifier=logistic features=\(sat) initial=1500")
        ok(s, "export sat.csv columns=id,\(sat) with=predict:f,predict:d,predict:e,predict:g,predict:l")
        let pen = "bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g"
        ok(s, "load \(sample("penguins.csv")) as pen id=id label=label")
        ok(s, "classes Adelie Chinstrap Gentoo Emperor")
        ok(s, "model t classifier=tree features=\(pen) initial=100")
        ok(s, "model b classifier=boosting features=\(pen) initial=30 estimators=15")
        ok(s, "model r classifier=logistic features=\(pen) initial=30 scaling=robust")
        ok(s, "export pen.csv columns=id,\(pen) with=predict:t,predict:b,predict:r")
        ok(s, "load \(sample("sdss_mgs_photoz.csv")) as sdss id=id label=label")
        let colours = "u_minus_g,g_minus_r,r_minus_i,i_minus_z,r"
        ok(s, "model bf classifier=forest features=\(colours) initial=2000 trees=25")
        ok(s, "model bb classifier=boosting features=\(colours) initial=2000 estimators=25")
        ok(s, "model bl classifier=logistic features=\(colours) initial=2000 scaling=standard")
        ok(s, "export sdss.csv columns=id,\(colours) with=predict:bf,predict:bb,predict:bl")
        var specs = [String]()
        for (table, models) in [("sat", ["f", "d", "e", "g", "l"]), ("pen", ["t", "b", "r"]), ("sdss", ["bf", "bb", "bl"])] {
            for m in models {
                ok(s, "export model \(m) to=\(m).onnx")
                specs.append("\(directory.appendingPathComponent("\(m).onnx").path):\(directory.appendingPathComponent("\(table).csv").path):\(m)")
            }
        }
        let script = Self.root.appendingPathComponent("Tests/AstrolabeKernelTests/Fixtures/onnx/check_onnx.py").path
        let (status, data, problem) = try runPython(python, [script] + specs)
        XCTAssertEqual(status, 0, "check_onnx.py failed (onnx and onnxruntime come with `make venv`):\n\(problem)")
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, specs.count)
        for line in lines {
            let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            let difference = try XCTUnwrap(result["max_abs_difference"] as? Double)
            XCTAssertLessThanOrEqual(difference, 1e-6, String(line))
            XCTAssertEqual(result["label_mismatches"] as? Int, 0, String(line))
            XCTAssertEqual(result["argmax_mismatches"] as? Int, 0, String(line))
        }
        let pens = try XCTUnwrap(lines.first { $0.contains("/b.onnx") })
        XCTAssertTrue(pens.contains("Emperor"), "the untaught class is an output column: \(pens)")
    }
}
