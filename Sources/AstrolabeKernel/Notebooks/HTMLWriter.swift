import Foundation
import Ink

/// Writes a replayed script as one self-contained HTML page: prose rendered from Markdown (Ink),
/// each code cell's source and outputs in order, figures embedded as `data:` URIs. It needs no
/// server, no script and no file beside it, and its bytes depend only on the replay result.
public enum HTMLWriter {
    public static func html(_ result: ReplayResult, title: String? = nil) -> [UInt8] {
        var body: [String] = []
        let parser = MarkdownParser()
        var firstHeading: String?
        for (index, cellResult) in result.cells.enumerated() {
            let id = "cell-\(index + 1)"
            switch cellResult.cell {
            case .markdown(let text):
                let markdown = parser.parse(text)
                if firstHeading == nil { firstHeading = heading(in: text) }
                body.append("<section class=\"prose\" id=\"\(id)\">\n" + markdown.html + "\n</section>")
            case .code(let source, _):
                var parts: [String] = []
                let prompt = cellResult.executionCount.map { "[\($0)]" } ?? "[ ]"
                parts.append("<div class=\"source\"><span class=\"prompt\">\(prompt)</span><pre><code>"
                             + escape(source.joined(separator: "\n")) + "</code></pre></div>")
                var stream: (kind: String, text: String)?
                func flush() {
                    if let s = stream { parts.append("<pre class=\"\(s.kind)\">" + escape(s.text) + "</pre>") }
                    stream = nil
                }
                func append(_ kind: String, _ text: String) {
                    let line = text.hasSuffix("\n") ? text : text + "\n"
                    if let s = stream, s.kind == kind { stream = (kind, s.text + line) } else { flush(); stream = (kind, line) }
                }
                for output in cellResult.outputs {
                    switch output {
                    case .output(.text(let text)): append("stdout", text)
                    case .output(.warning(let text)): append("stderr", "warning: " + text)
                    case .output(.image(let image)):
                        flush()
                        let alt = image.path ?? "figure"
                        parts.append("<figure><img src=\"data:image/png;base64,\(Base64.encode(image.bytes))\" "
                                     + "width=\"\(image.width)\" height=\"\(image.height)\" alt=\"\(escape(alt))\">"
                                     + "<figcaption>\(escape(alt))</figcaption></figure>")
                    case .error(let diagnostic):
                        flush()
                        parts.append("<pre class=\"error\">" + escape(diagnostic.rendered) + "</pre>")
                    }
                }
                flush()
                body.append("<section class=\"code\" id=\"\(id)\">\n" + parts.joined(separator: "\n") + "\n</section>")
            }
        }
        let pageTitle = title ?? firstHeading ?? result.file
        let page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="Astrolabe">
            <title>\(escape(pageTitle))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
        return Array(page.utf8)
    }

    /// The text of the first Markdown heading (any level), for the page title.
    static func heading(in markdown: String) -> String? {
        for line in Script.physicalLines(markdown) where line.hasPrefix("#") {
            let text = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { return text }
        }
        return nil
    }

    /// Text for HTML element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static let style = """
        body { margin: 0; background: #fff; color: #222; font: 16px/1.5 system-ui, -apple-system, "DejaVu Sans", sans-serif; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
        pre { margin: 0.25rem 0; padding: 0.5rem 0.75rem; overflow-x: auto; font: 13px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        .source { display: flex; gap: 0.5rem; margin-top: 1rem; }
        .source pre { flex: 1; background: #f5f5f5; border-left: 3px solid #4a7ab5; }
        .prompt { color: #4a7ab5; font: 13px/1.4 monospace; padding-top: 0.5rem; min-width: 3rem; text-align: right; }
        .code > pre, .code > figure { margin-left: 3.5rem; }
        pre.stderr { background: #fff8e5; }
        pre.error { background: #fdecea; color: #8a1f11; }
        figure { margin: 0.5rem 0 0.5rem 3.5rem; }
        figure img { max-width: 100%; height: auto; }
        figcaption { color: #666; font-size: 13px; }
        code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        """
}
