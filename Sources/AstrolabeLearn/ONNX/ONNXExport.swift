/// A fitted classifier as an ONNX model (`export model M to=m.onnx`), for classifying a catalogue
/// with onnxruntime wherever it runs (a Dask cluster, a pipeline without Astrolabe).
///
/// The graph takes `features` (double, N × features, in the model's feature order, which the input's
/// doc string and the `astrolabe.features` metadata name) and gives `probabilities` (double,
/// N × classes) and `label` (the class name of the first largest probability, as `predict`). Steps
/// run in doubles, in Astrolabe's order: the scaling (`Sub`, `Div`), median imputation (`IsNaN`,
/// `Where`; ai.onnx.ml's `Scaler` and `Imputer` compute in float32), then
/// - forest, extra-trees, tree: `TreeEnsembleClassifier` (thresholds and leaf frequencies as
///   doubles; its scores are float32, so probabilities agree to float32 precision);
/// - boosting: `TreeEnsemble` (ai.onnx.ml 5, doubles throughout) for the raw scores, then the
///   learning rate, the initial scores and the sigmoid or softmax;
/// - logistic: `MatMul` and `Add` with the coefficients as doubles (ai.onnx.ml's `LinearClassifier`
///   holds them as float32), then the sigmoid or softmax.
/// Classes a boosting or logistic model was never taught get probability 0, as in Astrolabe.
public enum ONNXExport {
    /// Catalogue names of the classifiers that have a faithful ONNX form.
    public static let supportedKinds = ["forest", "extra-trees", "tree", "boosting", "logistic"]

    /// The serialised `ModelProto` of `classifier`, fitted on `features` (named in order) for
    /// `classes` (named in class-index order).
    public static func model(_ classifier: ScaledClassifier, features: [String], classes: [String],
                             kind: String) throws -> [UInt8] {
        guard let scaler = classifier.scaler else { throw LearnError("the model has not been trained yet") }
        // The calibration map (isotonic steps, Platt's sigmoid) is not written into the graph, so a
        // calibrated model's ONNX probabilities would differ from its own: refuse rather than mislead.
        guard classifier.calibrator == nil else {
            throw LearnError("its probabilities are calibrated (calibrate=), and the calibration map is not written to ONNX; "
                             + "export a model made without calibrate=")
        }
        guard scaler.centres.count == features.count, classifier.classCount == classes.count, !classes.isEmpty else {
            throw LearnError("the model's features or classes do not match its table")
        }
        var b = ONNXGraphBuilder()
        var x = "features"
        if scaler.scaling != .none {
            let centres = b.constant("scaler_centres", .doubles(scaler.centres))
            let scales = b.constant("scaler_scales", .doubles(scaler.scales))
            let centred = b.value("Sub", [x, centres], name: "centred")
            x = b.value("Div", [centred, scales], name: "scaled")
        }
        let probabilities = try classify(classifier.model, x, builder: &b, classes: classes)
        let index = b.value("ArgMax", [probabilities], name: "class_index",
                            attributes: [.init("axis", .int(1)), .init("keepdims", .int(0))])
        let names = b.constant("class_labels", .strings(classes))
        b.node("Gather", [names, index], name: "label", attributes: [.init("axis", .int(0))])
        b.node("Identity", [probabilities], name: "probabilities")
        let graph = ONNX.Graph(
            name: "astrolabe_\(kind)", nodes: b.nodes, initializers: b.initializers,
            inputs: [ONNX.ValueInfo(name: "features", type: .double, dims: [nil, features.count],
                                    doc: "features in this order: " + features.joined(separator: ", "))],
            outputs: [ONNX.ValueInfo(name: "label", type: .string, dims: [nil], doc: "the most probable class"),
                      ONNX.ValueInfo(name: "probabilities", type: .double, dims: [nil, classes.count],
                                     doc: "class probabilities, columns in this order: " + classes.joined(separator: ", "))])
        var opsets: [(domain: String, version: Int)] = [("", 21)]
        if let ml = b.mlOpset { opsets.append(("ai.onnx.ml", ml)) }
        let model = ONNX.Model(opsets: opsets, graph: graph, doc: "Astrolabe \(kind) classifier",
                               metadata: [("astrolabe.classifier", kind), ("astrolabe.scaling", scaler.scaling.rawValue),
                                          ("astrolabe.features", jsonList(features)), ("astrolabe.classes", jsonList(classes))])
        return model.serialized()
    }

    /// The inner model's nodes from the scaled features `x`; returns the probabilities' name.
    private static func classify(_ model: any Classifier & Sendable, _ x: String, builder b: inout ONNXGraphBuilder,
                                 classes: [String]) throws -> String {
        if let forest = model as? RandomForest {
            let imputed = b.impute(x, medians: forest.imputer.medians)
            return b.forest(imputed, trees: forest.forest, classes: classes)
        }
        if let extra = model as? ExtraTrees { return try classify(extra.forest, x, builder: &b, classes: classes) }
        if let tree = model as? DecisionTreeClassifier { return try classify(tree.tree, x, builder: &b, classes: classes) }
        if let boosting = model as? GradientBoosting {
            let present = boosting.subset.present
            guard present.count >= 2 else { throw LearnError("the model has been taught only one class") }
            let outputs = present.count == 2 ? 1 : present.count
            let imputed = b.impute(x, medians: boosting.imputer.medians)
            let sums = b.regressionTrees(imputed, trees: boosting.trees, outputs: outputs)
            let rate = b.constant("learning_rate", .doubles([boosting.learningRate], dims: []))
            let initial = b.constant("initial_scores", .doubles(boosting.initial))
            let steps = b.value("Mul", [sums, rate], name: "tree_steps")
            let z = b.value("Add", [steps, initial], name: "raw_scores")
            let p = b.probabilities(fromScores: z, outputs: outputs)
            return b.expand(p, present: present, classCount: classes.count)
        }
        if let logistic = model as? LogisticRegression {
            let present = logistic.subset.present
            guard present.count >= 2 else { throw LearnError("the model has been taught only one class") }
            let outputs = present.count == 2 ? 1 : present.count, d = logistic.columns, width = d + 1
            // Coefficients as features × outputs; intercepts separately.
            var weights = [Double](repeating: 0, count: d * outputs), intercepts = [Double]()
            for o in 0..<outputs {
                for j in 0..<d { weights[j * outputs + o] = logistic.coefficients[o * width + j] }
                intercepts.append(logistic.coefficients[o * width + d])
            }
            let w = b.constant("coefficients", .doubles(weights, dims: [d, outputs]))
            let c = b.constant("intercepts", .doubles(intercepts))
            let imputed = b.impute(x, medians: logistic.imputer.medians)
            let sums = b.value("MatMul", [imputed, w], name: "weighted_sums")
            let z = b.value("Add", [sums, c], name: "raw_scores")
            let p = b.probabilities(fromScores: z, outputs: outputs)
            return b.expand(p, present: present, classCount: classes.count)
        }
        throw LearnError("this kind of model has no faithful ONNX form")
    }

    /// `["a","b"]` with JSON string escapes.
    static func jsonList(_ names: [String]) -> String {
        "[" + names.map { name in
            var s = "\""
            for scalar in name.unicodeScalars {
                switch scalar {
                case "\"": s += "\\\""
                case "\\": s += "\\\\"
                case _ where scalar.value < 0x20: s += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                default: s.unicodeScalars.append(scalar)
                }
            }
            return s + "\""
        }.joined(separator: ",") + "]"
    }
}
