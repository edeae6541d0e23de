import Foundation
import AstrolabeLearn
@testable import AstrolabeKernel

/// Structure-aware mutations of JSON files (model checkpoints): a byte flip in JSON mostly makes
/// text that does not parse, which only tests the decoder's error path; these keep the file valid
/// JSON and change what it says — a count, a kind, an array's length, a tree's node — which is how
/// an edited or half-migrated model file reaches the code behind the decoder.
enum JSONMutator {
    static let numbers: [JSONValue] = [
        .int(0), .int(-1), .int(1), .int(2), .int(3), .int(-2_147_483_649), .int(2_147_483_648), .int(Int.max), .int(Int.min),
        .double(0.5), .double(-0.0), .double(1e308), .double(-1e308), .double(.leastNonzeroMagnitude), .string("nan"), .string("inf"), .string("-inf"),
    ]
    static let strings: [JSONValue] = [
        .string(""), .string("standard"), .string("robust"), .string("none"),
    ] + (ClassifierKind.allNames + StrategyKind.allNames).map { .string($0) } + [
        .string("astrolabe-model-1"), .string("count:0"), .string("count:-3"), .string("fraction:2"), .string("fraction:nan"),
        .string("setosa"), .string("sl"), .string("label"), .string("0"), .string(String(repeating: "x", count: 200)),
    ]

    /// One to three mutations of the JSON in `bytes`; text that does not parse gets byte mutations.
    static func mutate(_ random: inout FuzzRandom, _ bytes: [UInt8], _ corpus: [[UInt8]]) -> [UInt8] {
        guard random.chance(85), var value = try? JSONReader.parse(bytes) else {
            return FuzzMutator.mutate(bytes, others: corpus, random: &random, maxLength: 200_000)
        }
        for _ in 0 ..< 1 + random.below(3) {
            let paths = allPaths(value)
            let path = random.pick(paths)
            value = replacing(value, at: path[...]) { mutateNode($0, random: &random) }
        }
        return Array(JSONWriter.write(value, indent: 0).utf8)
    }

    /// Every place in the value, as the keys and indices leading to it (the root is the empty path).
    static func allPaths(_ value: JSONValue, prefix: [String] = []) -> [[String]] {
        var paths = [prefix]
        switch value {
        case .object(let members):
            for key in members.keys.sorted() { paths += allPaths(members[key]!, prefix: prefix + [key]) }
        case .array(let items):
            for (i, item) in items.enumerated() { paths += allPaths(item, prefix: prefix + ["\(i)"]) }
        default: break
        }
        return paths
    }

    static func replacing(_ value: JSONValue, at path: ArraySlice<String>, _ change: (JSONValue) -> JSONValue) -> JSONValue {
        guard let step = path.first else { return change(value) }
        switch value {
        case .object(var members):
            if let child = members[step] { members[step] = replacing(child, at: path.dropFirst(), change) }
            return .object(members)
        case .array(var items):
            if let i = Int(step), items.indices.contains(i) { items[i] = replacing(items[i], at: path.dropFirst(), change) }
            return .array(items)
        default:
            return value
        }
    }

    static func mutateNode(_ node: JSONValue, random: inout FuzzRandom) -> JSONValue {
        switch node {
        case .object(var members) where !members.isEmpty && random.chance(70):
            let key = random.pick(members.keys.sorted())
            if random.chance(50) { members[key] = nil } else { members[key] = .null }
            return .object(members)
        case .array(var items) where random.chance(85):
            switch random.below(4) {
            case 0 where !items.isEmpty: items.remove(at: random.below(items.count))
            case 1 where !items.isEmpty: items.insert(random.pick(items), at: random.below(items.count + 1))
            case 2: items = []
            default: items.append(random.pick(numbers))
            }
            return .array(items)
        case .string(let text) where random.chance(60):
            if let packed = mutatePacked(text, random: &random) { return .string(packed) }
            return random.pick(strings)
        case .int(let n) where random.chance(40):
            return .int(n &+ random.pick([-1, 1, 0 &- n, n]))
        case .int, .double:
            return random.pick(numbers)
        case .bool(let b):
            return random.chance(70) ? .bool(!b) : .int(1)
        default:
            // Anything else: a value of another kind.
            return random.pick([.null, .bool(true), .array([]), .object([:])] + numbers + strings)
        }
    }

    /// Trees are stored as base64 of little-endian Int32 (`feature`, `next`) and Double
    /// (`threshold`, `leafValues`) arrays: change one element, or the length, inside the packing.
    static func mutatePacked(_ text: String, random: inout FuzzRandom) -> String? {
        guard text.count >= 8, let data = Data(base64Encoded: text) else { return nil }
        var bytes = Array(data)
        let width = bytes.count % 8 == 0 && random.chance(50) ? 8 : 4
        guard bytes.count >= width else { return nil }
        switch random.below(5) {
        case 0: bytes.removeLast(width)
        case 1: bytes += bytes.suffix(width)
        default:
            let at = random.below(bytes.count / width) * width
            let word: [UInt8]
            if width == 4 {
                let value: Int32 = random.pick([-1, 0, 1, 2, 7, Int32.max, Int32.min, Int32(bytes.count / 4)])
                word = (0 ..< 4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * $0)) }
            } else {
                let value: Double = random.pick([.nan, .infinity, -.infinity, -0.0, 1e308, .leastNonzeroMagnitude, -1])
                word = (0 ..< 8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
            }
            bytes.replaceSubrange(at ..< at + width, with: word)
        }
        return Data(bytes).base64EncodedString()
    }
}
