import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What Astrolabe needs to know of a Label Studio labelling config: its `Choices` controls (name,
/// the object they label, single or multiple choice, the values) and the `$variables` its tags read.
struct LabelStudioConfig: Equatable {
    struct Choices: Equatable {
        var name: String
        var toName: String
        var single: Bool
        var values: [String]
    }
    var choices: [Choices] = []
    var variables: [String] = []

    struct Invalid: Error { var reason: String }

    init(xml: String) throws {
        let reader = Reader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        guard parser.parse() else {
            throw Invalid(reason: "the labelling config is not well-formed XML"
                          + (parser.parserError.map { ": \($0.localizedDescription)" } ?? ""))
        }
        choices = reader.choices
        variables = reader.variables
    }

    /// Checks the config against a model: one single-choice `Choices` whose values are the model's
    /// classes, and a tag reading `$idKey`. Returns that control, or the mismatch as a sentence.
    func check(classes: [String], idKey: String) throws -> Choices {
        guard !choices.isEmpty else {
            throw Invalid(reason: "the labelling config has no <Choices> control (Astrolabe predicts one class per task)")
        }
        guard choices.count == 1, let control = choices.first else {
            throw Invalid(reason: "the labelling config has \(choices.count) <Choices> controls (\(choices.map(\.name).joined(separator: ", "))); Astrolabe serves one")
        }
        guard control.single else {
            throw Invalid(reason: "<Choices name=\"\(control.name)\"> is multiple-choice; Astrolabe's classes need choice=\"single\"")
        }
        let missing = classes.filter { !control.values.contains($0) }, extra = control.values.filter { !classes.contains($0) }
        guard missing.isEmpty && extra.isEmpty else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing the model's class\(missing.count == 1 ? "" : "es") \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { parts.append("with choice\(extra.count == 1 ? "" : "s") the model does not know: \(extra.joined(separator: ", "))") }
            throw Invalid(reason: "<Choices name=\"\(control.name)\"> does not match the model's classes (\(classes.joined(separator: ", "))): "
                          + parts.joined(separator: "; "))
        }
        guard variables.contains(idKey) else {
            throw Invalid(reason: "no tag of the labelling config reads $\(idKey), the table's id column"
                          + (variables.isEmpty ? "" : " (it reads \(variables.map { "$" + $0 }.joined(separator: ", ")))"))
        }
        return control
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var choices: [Choices] = []
        var variables: [String] = []
        private var open: Choices?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if let value = attributes["value"], value.hasPrefix("$"), value.count > 1, name != "Choice" {
                let variable = String(value.dropFirst())
                if !variables.contains(variable) { variables.append(variable) }
            }
            switch name {
            case "Choices":
                let mode = attributes["choice"]?.lowercased() ?? "single"
                open = Choices(name: attributes["name"] ?? "", toName: attributes["toName"] ?? "",
                               single: mode == "single" || mode == "single-radio", values: [])
            case "Choice":
                if let value = attributes["value"] ?? attributes["alias"] { open?.values.append(value) }
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "Choices", let done = open { choices.append(done); open = nil }
        }
    }
}
