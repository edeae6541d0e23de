/// Tree models as ai.onnx.ml tree-ensemble nodes, thresholds and leaf values as doubles.
///
/// Thresholds are exact: the ensembles' `*_as_tensor` attributes hold doubles, the input is
/// double, so a row goes down the same branches as in Astrolabe (no float32 rounding of
/// thresholds, which would send values between a threshold and its float32 neighbour the other way).
extension ONNXGraphBuilder {
    /// A forest (random, extra, or a single tree) as a `TreeEnsembleClassifier` (ai.onnx.ml 3):
    /// each leaf gives its class frequencies, summed over trees, then divided by the tree count.
    /// The sums are Astrolabe's (same values, same order); the node's scores are float32, so the
    /// probabilities agree to float32 precision. Returns the probabilities (double, N × classes).
    mutating func forest(_ x: String, trees: [DecisionTree], classes: [String]) -> String {
        var treeIDs = [Int](), nodeIDs = [Int](), features = [Int](), modes = [String](), thresholds = [Double]()
        var trueIDs = [Int](), falseIDs = [Int]()
        var leafTrees = [Int](), leafNodes = [Int](), leafClasses = [Int](), weights = [Double]()
        let k = classes.count
        for (t, tree) in trees.enumerated() {
            for (i, node) in tree.nodes.enumerated() {
                treeIDs.append(t)
                nodeIDs.append(i)
                if node.feature < 0 {
                    modes.append("LEAF"); features.append(0); thresholds.append(0); trueIDs.append(0); falseIDs.append(0)
                    let start = Int(node.next) * k
                    for c in 0..<k {
                        leafTrees.append(t); leafNodes.append(i); leafClasses.append(c)
                        weights.append(tree.leafValues[start + c])
                    }
                } else {
                    modes.append("BRANCH_LEQ"); features.append(Int(node.feature)); thresholds.append(node.threshold)
                    trueIDs.append(Int(node.next)); falseIDs.append(Int(node.next) + 1)
                }
            }
        }
        mlOpset = 3
        let outputs = node("TreeEnsembleClassifier", [x], name: "trees", domain: "ai.onnx.ml", attributes: [
            .init("nodes_treeids", .ints(treeIDs)), .init("nodes_nodeids", .ints(nodeIDs)),
            .init("nodes_featureids", .ints(features)), .init("nodes_modes", .strings(modes)),
            .init("nodes_values_as_tensor", .tensor(.doubles(thresholds))),
            .init("nodes_truenodeids", .ints(trueIDs)), .init("nodes_falsenodeids", .ints(falseIDs)),
            .init("class_treeids", .ints(leafTrees)), .init("class_nodeids", .ints(leafNodes)),
            .init("class_ids", .ints(leafClasses)), .init("class_weights_as_tensor", .tensor(.doubles(weights))),
            .init("classlabels_strings", .strings(classes)), .init("post_transform", .string("NONE")),
        ], outputs: 2)
        let sums = value("Cast", [outputs[1]], name: "tree_sums", attributes: [.init("to", .int(ONNX.ElementType.double.rawValue))])
        let scale = constant("inverse_tree_count", .doubles([1 / Double(max(trees.count, 1))], dims: []))
        return value("Mul", [sums, scale], name: "forest_probabilities")
    }

    /// Regression trees as a `TreeEnsemble` (ai.onnx.ml 5, doubles in and out): tree `i` adds its
    /// leaf value to output `i % outputs`; returns the sums (N × outputs). A tree that is one leaf
    /// gets a split whose both branches lead to it (the operator's roots are splits).
    mutating func regressionTrees(_ x: String, trees: [DecisionTree], outputs: Int) -> String {
        var roots = [Int](), features = [Int](), splits = [Double](), trueIDs = [Int](), trueLeaf = [Int]()
        var falseIDs = [Int](), falseLeaf = [Int](), targets = [Int](), weights = [Double]()
        for (t, tree) in trees.enumerated() {
            // Index of each node among this tree's splits or among its leaves.
            var index = [Int](repeating: 0, count: tree.nodes.count)
            var splitCount = 0, leafCount = 0
            for (i, node) in tree.nodes.enumerated() {
                if node.feature < 0 { index[i] = weights.count + leafCount; leafCount += 1 }
                else { index[i] = features.count + splitCount; splitCount += 1 }
            }
            roots.append(features.count)
            if splitCount == 0 {
                features.append(0); splits.append(0)
                trueIDs.append(weights.count); trueLeaf.append(1); falseIDs.append(weights.count); falseLeaf.append(1)
            }
            for node in tree.nodes where node.feature >= 0 {
                let left = Int(node.next), right = left + 1
                features.append(Int(node.feature)); splits.append(node.threshold)
                trueIDs.append(index[left]); trueLeaf.append(tree.nodes[left].feature < 0 ? 1 : 0)
                falseIDs.append(index[right]); falseLeaf.append(tree.nodes[right].feature < 0 ? 1 : 0)
            }
            for node in tree.nodes where node.feature < 0 {
                targets.append(t % outputs)
                weights.append(tree.leafValues[Int(node.next)])
            }
        }
        mlOpset = 5
        return node("TreeEnsemble", [x], name: "trees", domain: "ai.onnx.ml", attributes: [
            .init("tree_roots", .ints(roots)), .init("nodes_featureids", .ints(features)),
            .init("nodes_splits", .tensor(.doubles(splits))),
            .init("nodes_modes", .tensor(.uint8s([UInt8](repeating: 0, count: features.count)))),
            .init("nodes_truenodeids", .ints(trueIDs)), .init("nodes_trueleafs", .ints(trueLeaf)),
            .init("nodes_falsenodeids", .ints(falseIDs)), .init("nodes_falseleafs", .ints(falseLeaf)),
            .init("leaf_targetids", .ints(targets)), .init("leaf_weights", .tensor(.doubles(weights))),
            .init("n_targets", .int(outputs)), .init("aggregate_function", .int(1)), .init("post_transform", .int(0)),
        ])[0]
    }
}
