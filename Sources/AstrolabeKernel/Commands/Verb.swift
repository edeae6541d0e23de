/// What a command's arguments are, so completion and help know what to offer.
public enum ArgumentKind: Sendable {
    case path, column, expression, model, table, id, className, text, number
}

/// The description of one verb: how it is written, what it does, which options it takes.
/// Help, completion and option checking all read this one table.
public struct Verb: Sendable {
    public var name: String
    public var usage: String
    public var summary: String
    public var details: String
    /// Options the verb accepts, with a one-line description each.
    public var options: [(name: String, help: String)]
    /// Kinds of the positional arguments in order; the last one repeats.
    public var arguments: [ArgumentKind]
    /// Values worth completing per option.
    public var optionValues: [String: ArgumentKind]
    /// Verbs that take free text after them (expressions with spaces) and so skip option checks there.
    public var freeText: Bool

    public init(_ name: String, usage: String, summary: String, details: String = "",
                options: [(name: String, help: String)] = [], arguments: [ArgumentKind] = [],
                optionValues: [String: ArgumentKind] = [:], freeText: Bool = false) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.details = details
        self.options = options
        self.arguments = arguments
        self.optionValues = optionValues
        self.freeText = freeText
    }

    public var optionNames: [String] { options.map(\.name) }

    /// `help VERB`: usage, summary, details, options.
    public var helpText: String {
        var lines = ["usage: " + usage, "", summary]
        if !details.isEmpty { lines += ["", details] }
        if !options.isEmpty {
            lines.append("")
            lines.append("options:")
            let width = (options.map { $0.name.count }.max() ?? 0) + 1
            for option in options {
                lines.append("  " + (option.name + "=").padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + option.help)
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Every verb of the command language, in the order `help` lists them.
public enum VerbCatalog {
    public static let all: [Verb] = [
        Verb("load", usage: "load PATH [as NAME] [id=COLUMN] [label=COLUMN]",
             summary: "Load a CSV file with a header row as a table and make it the current table.",
             details: """
                 Empty cells are missing. Columns whose every present cell is a number are numeric; others are text.
                 id= names the column that identifies rows (quote ids with spaces: teach "4FGL J0001.2+4741" bll).
                 label= names the column holding known classes. Answers already in the label store for a table of
                 the same name are restored.
                 example: load Samples/fermi_4lac.csv as blazars id=id label=label
                 """,
             options: [("id", "column that identifies rows"), ("label", "column with known class labels")],
             arguments: [.path], optionValues: ["id": .column, "label": .column]),
        Verb("columns", usage: "columns",
             summary: "List the current table's columns with their type, missing count and role."),
        Verb("head", usage: "head [N] [columns=A,B,...]",
             summary: "Show the first N rows (default 5).",
             options: [("columns", "comma-separated columns to show")],
             arguments: [.number], optionValues: ["columns": .column]),
        Verb("describe", usage: "describe [COLUMN ...]",
             summary: "Count, missing, mean, std, min, quartiles and max of numeric columns (all, or those named).",
             arguments: [.column]),
        Verb("feature", usage: "feature NAME = EXPRESSION",
             summary: "Add a numeric column computed from an expression over columns.",
             details: """
                 Operators: + - * / ^, comparisons (< <= > >= == !=), and, or, not.
                 Functions: log10 ln exp sqrt abs min max clip isnan. Missing values (NaN) propagate;
                 division by zero gives inf or nan. Backquote names with odd characters: `g-r`.
                 example: feature hardness = log10(Energy_Flux100 / Flux1000)
                 """,
             arguments: [.text, .expression], freeText: true),
        Verb("classes", usage: "classes NAME ... [unknown=VALUE,...]",
             summary: "Declare the classes models learn, in order; label values listed as unknown go to the pool.",
             details: """
                 Without this command the classes are the distinct values of the label column.
                 Rows whose label is not a declared class count as unlabelled.
                 example: classes bll fsrq unknown=bcu
                 """,
             options: [("unknown", "label values that mean 'not known'")],
             arguments: [.className]),
        Verb("plot", usage: "plot scatter|density X Y [by=COLUMN|label] [to=PATH] [title=TEXT] [width=PX] [height=PX] [dpi=N]",
             summary: "Draw a figure to a PNG file. X and Y are columns or expressions.",
             details: """
                 scatter: one marker per row, coloured by a text column or the labels (by=label), with a legend,
                          or by a numeric column with a colour bar. highlight=MODEL rings every row the model has asked about.
                 density: every point counted into pixels (datashader-style) and shaded by histogram equalisation;
                          pixel=N counts into N×N-pixel bins, so sparse catalogues stay visible.
                 Without to= the figure goes to plots/figure-N.png.
                 example: plot density PL_Index log10(nu_syn) to=plots/index.png
                 """,
             options: [("by", "colour by a column, or `label`"), ("to", "output PNG path"),
                       ("title", "figure title"), ("width", "width in pixels"), ("height", "height in pixels"),
                       ("dpi", "resolution stored in the PNG"), ("highlight", "model whose queried rows to ring"),
                       ("pixel", "density: side of one bin in screen pixels (default 1)")],
             arguments: [.text, .expression], optionValues: ["by": .column, "to": .path, "highlight": .model]),
        Verb("model", usage: "model NAME features=A,B,... [classifier=forest] [strategy=margin] [initial=N] [test=FRACTION] [trees=N]",
             summary: "Create a classifier over features and fit it on the labels known so far.",
             details: """
                 The rows whose label column holds a declared class are split, stratified, into a held-out test set
                 (test=, default 0.25) and the rest. initial= rows of the rest (default 2 per class, stratified)
                 start the training set, as if already labelled; every `teach` answer joins it. All other rows form
                 the pool that `query` ranks.
                 example: model m classifier=forest features=PL_Index,hardness strategy=margin
                 """,
             options: [("features", "comma-separated feature columns"), ("classifier", "forest"),
                       ("strategy", "margin, entropy, least-confident or random"),
                       ("initial", "number of starting labels"), ("test", "held-out fraction"),
                       ("trees", "number of trees (forest)")],
             arguments: [.text], optionValues: ["features": .column]),
        Verb("query", usage: "query MODEL [N]",
             summary: "Show the N pool rows (default 5) the model most wants labelled, best first.",
             arguments: [.model, .number]),
        Verb("teach", usage: "teach ID CLASS",
             summary: "Give the class of one row. Stored durably before the prompt returns; models retrain.",
             details: "Quote ids that contain spaces: teach \"4FGL J0001.2+4741\" bll",
             arguments: [.id, .className]),
        Verb("unsure", usage: "unsure ID",
             summary: "Record that you cannot tell a row's class: kept out of training, and may be asked again.",
             arguments: [.id]),
        Verb("labels", usage: "labels",
             summary: "List the answers given for the current table, latest per row."),
        Verb("score", usage: "score MODEL",
             summary: "Accuracy, per-class precision, recall and F1, and the confusion matrix on the model's test set.",
             arguments: [.model]),
        Verb("record", usage: "record PATH",
             summary: "Write this session so far, and every later command, to a replayable script.",
             arguments: [.path]),
        Verb("help", usage: "help [VERB]", summary: "List the verbs, or describe one.", arguments: [.text]),
    ]

    public static func named(_ name: String) -> Verb? { all.first { $0.name == name } }
    public static var names: [String] { all.map(\.name) }

    public static var overview: String {
        let width = (all.map { $0.name.count }.max() ?? 0) + 2
        var lines = all.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.summary }
        lines.insert("verbs (help VERB for details):", at: 0)
        return lines.joined(separator: "\n")
    }
}
