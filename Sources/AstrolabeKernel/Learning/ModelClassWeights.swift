import AstrolabeData
import AstrolabeLearn
import Foundation

/// `model … class_weight=balanced|balanced_subsample|CLASS:W,…`: scikit-learn's `class_weight`,
/// for the kinds that can weigh rows (forest, extra-trees, tree, logistic, and committees of them).
extension Session {
    /// The class weighting `class_weight=` asks for over `classes`, checked at its value.
    func classWeighting(_ command: ParsedCommand, classes: [String], request: ModelRequest) throws -> ClassWeighting {
        guard let word = command.word("class_weight") else { return .none }
        let kinds = (request.members.isEmpty ? [request.classifier] : request.members).compactMap(ClassifierKind.named)
        guard kinds.contains(where: { $0.options.contains(.classWeight) }) else {
            let able = ClassifierKind.all.filter { $0.options.contains(.classWeight) }.map(\.name)
            throw CommandError("class_weight= is for \(able.joined(separator: ", ")); `\(request.classifier)` cannot weigh classes", at: word)
        }
        return try parseClassWeighting(word.text, classes: classes, at: word)
    }

    /// `balanced`, `balanced_subsample` or `CLASS:W,…` (W > 0, each class once) over `classes`.
    func parseClassWeighting(_ text: String, classes: [String], at word: Word) throws -> ClassWeighting {
        switch text {
        case "balanced": return .balanced
        case "balanced_subsample": return .balancedSubsample
        default: break
        }
        var table: [Int: Double] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard pieces.count == 2, let weight = Double(pieces[1]), weight > 0, weight.isFinite else {
                throw CommandError("class_weight= takes balanced, balanced_subsample or CLASS:WEIGHT,... with positive weights; `\(part)` is none of these",
                                   at: word, suggestion: nearestName(to: text, in: ["balanced", "balanced_subsample"]))
            }
            guard let index = classes.firstIndex(of: pieces[0]) else {
                throw CommandError("class_weight= names `\(pieces[0])`, not a class of this model (\(classes.joined(separator: ", ")))",
                                   at: word, suggestion: nearestName(to: pieces[0], in: classes))
            }
            guard table[index] == nil else { throw CommandError("class_weight= gives `\(pieces[0])` twice", at: word) }
            table[index] = weight
        }
        return .explicit(table)
    }
}

extension ClassWeighting {
    /// How `class_weight=` spells this weighting over `classes` (nil for none): what model files keep.
    func text(classes: [String]) -> String? {
        switch self {
        case .none: return nil
        case .balanced: return "balanced"
        case .balancedSubsample: return "balanced_subsample"
        case .explicit(let table):
            return table.keys.sorted().filter { $0 < classes.count }
                .map { "\(classes[$0]):\(table[$0] ?? 1)" }.joined(separator: ",")
        }
    }
}
