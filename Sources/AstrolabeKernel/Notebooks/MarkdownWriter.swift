/// Writes a replayed script as a Markdown document: prose as written, each code cell's source in a
/// ```` ```text ```` fence, its text output in a plain fence, warnings and errors as quotes and
/// fences, and figures as image files beside the document, linked by relative path.
public enum MarkdownWriter {
    /// - Parameter imageFolder: where figures go, relative to the Markdown file
    ///   (e.g. `quickstart_files`); returned file paths and links start with it.
    public static func markdown(_ result: ReplayResult, imageFolder: String)
        -> (text: String, files: [(path: String, bytes: [UInt8])]) {
        var blocks: [String] = []
        var files: [(path: String, bytes: [UInt8])] = []
        let folder = imageFolder.hasSuffix("/") ? String(imageFolder.dropLast()) : imageFolder
        for cellResult in result.cells {
            switch cellResult.cell {
            case .markdown(let text):
                blocks.append(text)
            case .code(let source, _):
                blocks.append(fenced(source.joined(separator: "\n"), info: "text"))
                var text = ""
                func flushText() {
                    if !text.isEmpty { blocks.append(fenced(text, info: "")) }
                    text = ""
                }
                for output in cellResult.outputs {
                    switch output {
                    case .output(.text(let t)):
                        text += t.hasSuffix("\n") || t.isEmpty ? t : t + "\n"
                    case .output(.warning(let w)):
                        flushText()
                        blocks.append(quoted("**warning:** " + w))
                    case .output(.image(let image)):
                        flushText()
                        let path = (folder.isEmpty ? "" : folder + "/") + "figure-\(files.count + 1).png"
                        files.append((path, image.bytes))
                        let alt = image.path ?? "figure \(files.count)"
                        blocks.append("![\(escapeAlt(alt))](\(path))")
                    case .error(let diagnostic):
                        flushText()
                        blocks.append(fenced(diagnostic.rendered, info: "text"))
                    }
                }
                flushText()
            }
        }
        return (blocks.joined(separator: "\n\n") + "\n", files)
    }

    /// A fenced block whose fence is longer than any backtick run inside the text.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0, run = 0
        for c in text {
            if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        var body = text
        if body.hasSuffix("\n") { body.removeLast() }
        return fence + info + "\n" + body + "\n" + fence
    }

    static func quoted(_ text: String) -> String {
        Script.physicalLines(text).map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
    }

    static func escapeAlt(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "[" || c == "]" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
