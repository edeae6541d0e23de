import AstrolabeData

/// What values an option takes. Help shows it, completion offers from it, and the typed accessors
/// (CommandOptions.swift) check values against it — one declaration per option, in the verb table.
public enum OptionType {
    /// A whole number in a range (`trees=100`).
    case int(ClosedRange<Int>)
    /// A number in a range (`test=0.25`).
    case double(ClosedRange<Double>)
    /// yes or no (also true/false, on/off, 1/0).
    case yesNo
    /// One name of a list; the list is read when asked (a catalogue may grow), so it is a function.
    case choice(() -> [String])
    /// Comma-separated names of a list (`members=forest,knn`).
    case choiceList(() -> [String])
    /// A column of the current table.
    case column
    /// Comma-separated columns (`features=A,B`).
    case columns
    /// A file or folder path.
    case path
    /// Pixels or a physical length (`88mm`, `7in`).
    case size
    /// A model's name.
    case model
    /// Anything else, parsed by the handler (ranges `LO:HI`, expressions, `agg=mean(COL)`).
    case text

    /// The values completion offers after `key=` (nil: nothing worth offering).
    var completionKind: ArgumentKind? {
        switch self {
        case .column, .columns: return .column
        case .path: return .path
        case .model: return .model
        default: return nil
        }
    }

    /// A short description for help: "whole number 1–100", "yes or no", ….
    var summary: String? {
        switch self {
        case .int(let r): return "whole number \(r.lowerBound)–\(r.upperBound)"
        case .double(let r): return "number \(NumberFormatting.short(r.lowerBound))–\(NumberFormatting.short(r.upperBound))"
        case .yesNo: return "yes or no"
        case .size: return "pixels or a length: 88mm, 7in, 8cm, 240pt"
        case .choice, .choiceList, .column, .columns, .path, .model, .text: return nil
        }
    }
}

/// One option of a verb: its name, the values it takes, its default and a help line.
/// In the spirit of swift-argument-parser's `ExpressibleByArgument` and scikit-learn's
/// `_parameter_constraints`: declared once, and everything else derives from it.
public struct OptionSpec {
    public var name: String
    public var type: OptionType
    /// The value used when the option is not given, as typed (nil: none, or it depends on the command).
    public var defaultValue: String?
    public var help: String

    init(_ name: String, _ type: OptionType, default value: String? = nil, _ help: String) {
        self.name = name
        self.type = type
        self.defaultValue = value
        self.help = help
    }

    static func int(_ name: String, _ range: ClosedRange<Int>, default value: Int? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name, .int(range), default: value.map(String.init), help)
    }
    static func double(_ name: String, _ range: ClosedRange<Double>, default value: Double? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name, .double(range), default: value.map { NumberFormatting.short($0) }, help)
    }
    static func yesNo(_ name: String, default value: Bool? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name, .yesNo, default: value.map { $0 ? "yes" : "no" }, help)
    }
    static func choice(_ name: String, _ names: [String], default value: String? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name, .choice { names }, default: value, help)
    }
    static func choice(_ name: String, names: @escaping () -> [String], default value: String? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name, .choice(names), default: value, help)
    }
    /// The raw values of an enumeration (`LegendPlacement`, `Shading`, …).
    static func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, default value: T? = nil,
                                                           _ help: String) -> OptionSpec where T.RawValue == String {
        OptionSpec(name, .choice { T.allCases.map(\.rawValue) }, default: value?.rawValue, help)
    }
    /// Comma-separated names, each one of `names()`.
    static func choiceList(_ name: String, names: @escaping () -> [String], _ help: String) -> OptionSpec {
        OptionSpec(name, .choiceList(names), help)
    }
    static func column(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name, .column, help) }
    static func columns(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name, .columns, help) }
    static func path(_ name: String, default value: String? = nil, _ help: String) -> OptionSpec { OptionSpec(name, .path, default: value, help) }
    static func size(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name, .size, help) }
    static func model(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name, .model, help) }
    static func text(_ name: String, default value: String? = nil, _ help: String) -> OptionSpec { OptionSpec(name, .text, default: value, help) }

    /// The help line: the description, then the type and default where the description does not
    /// say them (choices are listed unless the description already names the first one).
    var helpLine: String {
        var facts: [String] = []
        if let summary = type.summary { facts.append(summary) }
        if case .choice(let names) = type, let first = names().first, !help.contains(first) {
            facts.append("one of: " + names().joined(separator: ", "))
        }
        if let defaultValue, !help.contains("default") { facts.append("default \(defaultValue)") }
        return facts.isEmpty ? help : help + " [" + facts.joined(separator: "; ") + "]"
    }

    /// The names the option takes, as completion offers them after `name=` (for a list, each item); nil for other types.
    var choices: [String]? {
        switch type {
        case .choice(let names), .choiceList(let names): return names()
        case .yesNo: return ["yes", "no"]
        default: return nil
        }
    }
}
