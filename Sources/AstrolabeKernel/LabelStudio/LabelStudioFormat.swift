import AstrolabeData
import AstrolabeLearn
import Foundation

/// Label Studio's formats as Astrolabe writes them: a labelling config (one object tag per shown
/// column, the id column as the object the choices belong to, one single-choice `Choices` control
/// with the classes), tasks (`{"data": {...}, "predictions": [...]}`) and the `choices` result of a
/// prediction. Data keys are column names made into Label Studio variables (`$name`: letters,
/// digits and `_`), the same in the config and the tasks.
enum LabelStudioFormat {
    /// The name of the `Choices` control (from_name of every result Astrolabe writes).
    static let controlName = "label"

    /// A column name as a Label Studio data key / variable: other characters become `_`, and a
    /// leading digit gets a `_` in front.
    static func key(_ column: String) -> String {
        var out = String(column.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        if out.isEmpty || out.first?.isNumber == true { out = "_" + out }
        return out
    }

    static func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The labelling config: the row id as a header-sized `Text` (the object the choices name),
    /// each shown column as a `Text` under its name, an `Image` per image column, and the classes.
    static func config(idKey: String, shown: [String], images: [String], classes: [String]) -> String {
        var lines = ["<View>", "  <Header value=\"Row\" size=\"5\"/>",
                     "  <Text name=\"\(xmlEscape(idKey))\" value=\"$\(idKey)\"/>"]
        for column in images {
            lines.append("  <Image name=\"image_\(xmlEscape(key(column)))\" value=\"$\(key(column))\"/>")
        }
        if !shown.isEmpty {
            lines.append("  <View style=\"display: grid; grid-template-columns: max-content auto; column-gap: 1em\">")
            for column in shown {
                lines.append("    <Header value=\"\(xmlEscape(column))\" size=\"6\"/>")
                lines.append("    <Text name=\"show_\(xmlEscape(key(column)))\" value=\"$\(key(column))\"/>")
            }
            lines.append("  </View>")
        }
        lines.append("  <Choices name=\"\(controlName)\" toName=\"\(xmlEscape(idKey))\" choice=\"single\" showInline=\"true\">")
        for name in classes { lines.append("    <Choice value=\"\(xmlEscape(name))\"/>") }
        lines += ["  </Choices>", "</View>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// One cell as task data: numbers as numbers (whole numbers as integers, missing as null), text as text.
    static func cell(_ column: Column, _ row: Int) -> JSONValue {
        if let numbers = column.numbers {
            let value = numbers[row]
            guard value.isFinite else { return .null }
            if value == value.rounded(), abs(value) < 9.0e15 { return .int(Int(value)) }
            return .double(value)
        }
        return column.strings?[row].map { .string($0) } ?? .null
    }

    /// A prediction: the class as a `choices` result, its score and the model version.
    static func prediction(label: String, score: Double, version: String, fromName: String, toName: String) -> JSONValue {
        .object([
            "model_version": .string(version),
            "score": score.isFinite ? .double(score) : .null,
            "result": .array([.object([
                "from_name": .string(fromName), "to_name": .string(toName), "type": .string("choices"),
                "value": .object(["choices": .array([.string(label)])]),
            ])]),
        ])
    }

    /// String columns whose first value looks like an image URL or path (png, jpg, jpeg, gif, webp).
    static func imageColumns(_ table: Table) -> [String] {
        table.columns.compactMap { column in
            guard let first = column.strings?.lazy.compactMap({ $0 }).first?.lowercased() else { return nil }
            return [".png", ".jpg", ".jpeg", ".gif", ".webp"].contains { first.hasSuffix($0) } ? column.name : nil
        }
    }
}

/// The model's answer for some rows: class, probability of that class and uncertainty.
struct RowPredictions {
    var labels: [String]
    var probability: [Double]
    var uncertainty: [Double]
    var version: String
}

extension Session {
    /// Predicts rows of the model's table (indices into it) in one batch.
    func predictRows(_ model: ActiveModel, rows: [Int]) throws -> RowPredictions {
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet: teach it some answers first")
        }
        let k = model.classes.count
        let p = try model.classifier.predictProbabilities(model.x.selecting(rows: rows))
        let uncertainty = model.uncertaintyMeasure.scores(probabilities: p, classCount: k, seed: 0)
        var labels: [String] = [], best: [Double] = []
        labels.reserveCapacity(rows.count)
        best.reserveCapacity(rows.count)
        for i in 0..<rows.count {
            var top = 0
            for c in 1..<max(k, 1) where p[i * k + c] > p[i * k + top] { top = c }
            labels.append(model.classes[top])
            best.append(p[i * k + top])
        }
        return RowPredictions(labels: labels, probability: best, uncertainty: uncertainty, version: model.version)
    }
}

extension ActiveModel {
    /// `NAME@FITS:LABELS`: changes with every fit (the version Label Studio shows with predictions).
    var version: String { "\(name)@\(fits):\(trainingRows.count)" }
}
