/// The parts of ONNX's `onnx.proto3` an exported classifier needs, each with its encoding (field
/// numbers as in onnx.proto3): a model holds one graph of nodes, constant tensors (initialisers),
/// one input and its outputs.
enum ONNX {
    /// `TensorProto.DataType` values.
    enum ElementType: Int { case float = 1, uint8 = 2, int64 = 7, string = 8, double = 11 }

    /// A constant tensor (`TensorProto`): numbers as little-endian `raw_data`, strings as `string_data`.
    struct Tensor {
        var name = ""
        var dims: [Int]
        var type: ElementType
        var raw: [UInt8] = []
        var strings: [String] = []

        static func doubles(_ values: [Double], dims: [Int]? = nil, name: String = "") -> Tensor {
            var raw = [UInt8]()
            raw.reserveCapacity(values.count * 8)
            for v in values {
                let bits = v.bitPattern
                for shift in stride(from: 0, to: 64, by: 8) { raw.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
            }
            return Tensor(name: name, dims: dims ?? [values.count], type: .double, raw: raw)
        }

        static func int64s(_ values: [Int], dims: [Int]? = nil, name: String = "") -> Tensor {
            var raw = [UInt8]()
            raw.reserveCapacity(values.count * 8)
            for v in values {
                let bits = UInt64(bitPattern: Int64(v))
                for shift in stride(from: 0, to: 64, by: 8) { raw.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
            }
            return Tensor(name: name, dims: dims ?? [values.count], type: .int64, raw: raw)
        }

        static func uint8s(_ values: [UInt8], name: String = "") -> Tensor {
            Tensor(name: name, dims: [values.count], type: .uint8, raw: values)
        }

        static func strings(_ values: [String], name: String = "") -> Tensor {
            Tensor(name: name, dims: [values.count], type: .string, strings: values)
        }

        func encode(_ w: inout ProtobufWriter) {
            w.packedInts(1, dims)
            w.int(2, type.rawValue)
            for s in strings { w.string(6, s) }
            if !name.isEmpty { w.string(8, name) }
            if type != .string { w.bytes(9, raw) }
        }
    }

    /// A node attribute (`AttributeProto`), with its type tag.
    enum AttributeValue {
        case int(Int), float(Float), string(String), tensor(Tensor), ints([Int]), floats([Float]), strings([String])
    }

    struct Attribute {
        var name: String
        var value: AttributeValue

        init(_ name: String, _ value: AttributeValue) {
            self.name = name
            self.value = value
        }

        func encode(_ w: inout ProtobufWriter) {
            w.string(1, name)
            switch value {
            case .float(let f): w.float(2, f); w.int(20, 1)
            case .int(let i): w.int(3, i); w.int(20, 2)
            case .string(let s): w.string(4, s); w.int(20, 3)
            case .tensor(let t): w.message(5) { t.encode(&$0) }; w.int(20, 4)
            case .floats(let fs): w.packedFloats(7, fs); w.int(20, 6)
            case .ints(let ints): w.packedInts(8, ints); w.int(20, 7)
            case .strings(let ss): for s in ss { w.string(9, s) }; w.int(20, 8)
            }
        }
    }

    /// One operator application (`NodeProto`).
    struct Node {
        var op: String
        var domain = ""
        var name: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [Attribute] = []
        var doc = ""

        func encode(_ w: inout ProtobufWriter) {
            for i in inputs { w.string(1, i) }
            for o in outputs { w.string(2, o) }
            w.string(3, name)
            w.string(4, op)
            for a in attributes { w.message(5) { a.encode(&$0) } }
            if !doc.isEmpty { w.string(6, doc) }
            if !domain.isEmpty { w.string(7, domain) }
        }
    }

    /// A graph input or output (`ValueInfoProto`): a tensor of `type` whose dimensions are sizes,
    /// or nil for a named symbolic dimension (`N`, the rows).
    struct ValueInfo {
        var name: String
        var type: ElementType
        var dims: [Int?]
        var doc = ""

        func encode(_ w: inout ProtobufWriter) {
            w.string(1, name)
            w.message(2) { typeProto in
                typeProto.message(1) { tensorType in
                    tensorType.int(1, type.rawValue)
                    tensorType.message(2) { shape in
                        for d in dims {
                            shape.message(1) { dim in
                                if let d { dim.int(1, d) } else { dim.string(2, "N") }
                            }
                        }
                    }
                }
            }
            if !doc.isEmpty { w.string(3, doc) }
        }
    }

    struct Graph {
        var name: String
        var nodes: [Node] = []
        var initializers: [Tensor] = []
        var inputs: [ValueInfo] = []
        var outputs: [ValueInfo] = []
        var doc = ""

        func encode(_ w: inout ProtobufWriter) {
            for n in nodes { w.message(1) { n.encode(&$0) } }
            w.string(2, name)
            for t in initializers { w.message(5) { t.encode(&$0) } }
            if !doc.isEmpty { w.string(10, doc) }
            for i in inputs { w.message(11) { i.encode(&$0) } }
            for o in outputs { w.message(12) { o.encode(&$0) } }
        }
    }

    /// The model (`ModelProto`): IR version, operator sets, producer, graph and metadata.
    struct Model {
        static let irVersion = 10
        var opsets: [(domain: String, version: Int)]
        var graph: Graph
        var doc = ""
        var metadata: [(key: String, value: String)] = []

        func serialized() -> [UInt8] {
            var w = ProtobufWriter()
            w.int(1, Model.irVersion)
            w.string(2, "astrolabe")
            w.string(3, "1")
            if !doc.isEmpty { w.string(6, doc) }
            w.message(7) { graph.encode(&$0) }
            for (domain, version) in opsets {
                w.message(8) { set in
                    set.string(1, domain)
                    set.int(2, version)
                }
            }
            for (key, value) in metadata {
                w.message(14) { entry in
                    entry.string(1, key)
                    entry.string(2, value)
                }
            }
            return w.bytes
        }
    }
}
