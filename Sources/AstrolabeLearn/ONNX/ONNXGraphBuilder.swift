/// Collects the nodes and constants of a graph in order, naming each value after the node that
/// makes it, so the same model always gives the same graph.
struct ONNXGraphBuilder {
    private(set) var nodes: [ONNX.Node] = []
    private(set) var initializers: [ONNX.Tensor] = []
    /// Operator sets beyond the default domain's (ai.onnx.ml, with the version the nodes need).
    var mlOpset: Int?

    /// Adds a constant called `name` and returns the name.
    mutating func constant(_ name: String, _ tensor: ONNX.Tensor) -> String {
        var t = tensor
        t.name = name
        initializers.append(t)
        return name
    }

    /// Adds node `name` applying `op` to `inputs`; returns its outputs (`name`, or `name:1`, ...).
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], name: String, domain: String = "",
                       attributes: [ONNX.Attribute] = [], outputs: Int = 1) -> [String] {
        let names = (0..<outputs).map { $0 == 0 ? name : "\(name):\($0)" }
        nodes.append(ONNX.Node(op: op, domain: domain, name: name, inputs: inputs, outputs: names, attributes: attributes))
        return names
    }

    /// Single-output `node`.
    mutating func value(_ op: String, _ inputs: [String], name: String, attributes: [ONNX.Attribute] = []) -> String {
        node(op, inputs, name: name, attributes: attributes)[0]
    }

    /// Missing values (NaN) of `x` replaced by the training medians, as `MedianImputer.fill` does:
    /// `Where(IsNaN(x), medians, x)` in doubles (ai.onnx.ml's `Imputer` works in float32 only).
    mutating func impute(_ x: String, medians: [Double]) -> String {
        let missing = value("IsNaN", [x], name: "imputer_missing")
        let fill = constant("imputer_medians", .doubles(medians))
        return value("Where", [missing, fill, x], name: "imputed")
    }

    /// Row probabilities over the `present` classes widened to all `classCount` (absent ones 0):
    /// a product with a 0/1 matrix, which moves each value unchanged.
    mutating func expand(_ p: String, present: [Int], classCount: Int) -> String {
        guard present.count != classCount else { return p }
        var matrix = [Double](repeating: 0, count: present.count * classCount)
        for (i, c) in present.enumerated() { matrix[i * classCount + c] = 1 }
        let e = constant("present_to_all_classes", .doubles(matrix, dims: [present.count, classCount]))
        return value("MatMul", [p, e], name: "all_class_probabilities")
    }

    /// Probabilities from raw scores `z` (`N × outputs`): the sigmoid with [1 − p, p] for one output,
    /// the softmax otherwise (what `softmaxRows` and the classifiers compute).
    mutating func probabilities(fromScores z: String, outputs: Int) -> String {
        guard outputs == 1 else {
            return value("Softmax", [z], name: "class_probabilities", attributes: [.init("axis", .int(1))])
        }
        let p = value("Sigmoid", [z], name: "positive_probability")
        let one = constant("one", .doubles([1], dims: []))
        let q = value("Sub", [one, p], name: "negative_probability")
        return value("Concat", [q, p], name: "class_probabilities", attributes: [.init("axis", .int(1))])
    }
}
