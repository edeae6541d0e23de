import AstrolabeData
import AstrolabeLearn
import Foundation

/// Label Studio's ML backend protocol over a session's model, independent of any HTTP server:
/// `GET /health`, `POST /setup`, `POST /predict`, `POST /webhook`. Each request is a method, a path
/// and a body; each response a status, a JSON body and a one-line summary for the log. Requests are
/// handled one at a time (the session is not shared between threads), and an answer is in the
/// label store before its response is made.
public final class LabelStudioBackend: @unchecked Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        /// What happened, for the server's one log line per request.
        public var summary: String

        public init(status: Int, body: String, summary: String) {
            self.status = status
            self.body = body
            self.summary = summary
        }
    }

    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var retrainEvery: Int
        public var user: String?
        public var password: String?
        /// Largest request body accepted, in bytes.
        public var maxBody: Int
    }

    public let settings: Settings
    let session: Session
    let modelName: String
    let table: Table
    let idKey: String
    let scoreByUncertainty: Bool
    private let lock = NSLock()
    /// Row of the model's table for each id (built once: the table does not change while serving).
    private let rowOf: [String: Int]
    var control: (from: String, to: String)
    private var configs: [String: Result<LabelStudioConfig.Choices, LabelStudioConfig.Invalid>] = [:]
    /// Names a Label Studio user id (webhooks carry only `completed_by: ID`): the server asks Label
    /// Studio's API at the `hostname` with the `access_token` that `/setup` gave. Nil: `labelstudio-user-ID`.
    public var resolveUser: (@Sendable (_ id: Int, _ hostname: String, _ token: String) -> String?)?
    var labelStudioAPI: (hostname: String, token: String)?
    var userNames: [Int: String] = [:]
    public internal(set) var answersStored = 0
    public internal(set) var retrains = 0

    init(session: Session, model: ActiveModel, table: Table, settings: Settings, scoreByUncertainty: Bool) {
        self.session = session
        self.modelName = model.name
        self.table = table
        self.settings = settings
        self.scoreByUncertainty = scoreByUncertainty
        idKey = session.labelStudioIDKey(table)
        var rows: [String: Int] = [:]
        rows.reserveCapacity(table.rowCount)
        for (row, id) in table.rowIdentifiers().enumerated() where rows[id] == nil { rows[id] = row }
        rowOf = rows
        control = (LabelStudioFormat.controlName, idKey)
    }

    var model: ActiveModel? { session.models[modelName] }
    public var modelVersion: String { lock.withLock { model?.version ?? modelName } }

    /// Answers one request. Never throws: every failure is a 4xx or 5xx with the reason.
    public func handle(method: String, path: String, body: [UInt8]) -> Response {
        lock.lock()
        // Answers retrain models every `retrain=N` while serving (and are logged with that cadence).
        let cadence = session.learning.retrainEvery
        session.learning.retrainEvery = settings.retrainEvery
        defer {
            session.learning.retrainEvery = cadence
            lock.unlock()
        }
        let route = path.split(separator: "?").first.map(String.init) ?? path
        switch (method, route) {
        case ("GET", "/health"), ("GET", "/"):
            return ok(["status": .string("UP"), "model_class": .string("Astrolabe"), "model_version": .string(model?.version ?? modelName)],
                      "health")
        case ("POST", "/train"):
            return retrain(reason: "training requested")
        case ("POST", "/setup"), ("POST", "/predict"), ("POST", "/webhook"):
            let json: JSONValue
            do { json = try JSONReader.parse(body) } catch {
                return failure(400, "the body is not JSON: \(error)")
            }
            guard case .object = json else { return failure(400, "the body must be a JSON object") }
            switch route {
            case "/setup": return setup(json)
            case "/predict": return predict(json)
            default: return webhook(json)
            }
        case (_, "/health"), (_, "/setup"), (_, "/predict"), (_, "/webhook"), (_, "/train"):
            return failure(405, "\(method) is not allowed on \(route)")
        default:
            return failure(404, "no endpoint \(route) (the ML backend serves /health, /setup, /predict and /webhook)")
        }
    }

    func ok(_ object: [String: JSONValue], _ summary: String) -> Response {
        Response(status: 200, body: JSONWriter.compact(.object(object)), summary: summary)
    }

    func failure(_ status: Int, _ reason: String) -> Response {
        Response(status: status, body: JSONWriter.compact(.object(["status": .string("ERROR"), "error": .string(reason)])), summary: reason)
    }

    /// The `Choices` control of a config checked against the model (cached per config text).
    func checkedControl(_ xml: String) -> Result<LabelStudioConfig.Choices, LabelStudioConfig.Invalid> {
        if let known = configs[xml] { return known }
        let result: Result<LabelStudioConfig.Choices, LabelStudioConfig.Invalid>
        do {
            result = .success(try LabelStudioConfig(xml: xml).check(classes: model?.classes ?? [], idKey: idKey))
        } catch let error as LabelStudioConfig.Invalid { result = .failure(error) } catch {
            result = .failure(.init(reason: "\(error)"))
        }
        configs[xml] = result
        return result
    }

    func setup(_ json: JSONValue) -> Response {
        guard let xml = json["schema"]?.stringValue ?? json["label_config"]?.stringValue else {
            return failure(422, "setup needs the project's labelling config in `schema`")
        }
        switch checkedControl(xml) {
        case .failure(let error): return failure(422, error.reason)
        case .success(let choices):
            control = (choices.name, choices.toName)
            if let host = json["hostname"]?.stringValue, let token = json["access_token"]?.stringValue, !host.isEmpty, !token.isEmpty {
                labelStudioAPI = (host, token)
            }
            let version = model?.version ?? modelName
            return ok(["model_version": .string(version)], "setup project \(json["project"].map(Self.text) ?? "?"): config matches \(modelName) (\(version))")
        }
    }

    static func text(_ value: JSONValue) -> String {
        value.stringValue ?? value.intValue.map(String.init) ?? JSONWriter.compact(value)
    }

    /// The row of a task (its `data.ID`), or the reason there is none.
    func row(of task: JSONValue, index: Int) -> Result<(id: String, row: Int), LabelStudioConfig.Invalid> {
        let name = task["id"]?.intValue.map { "task \($0)" } ?? "task #\(index + 1)"
        guard let data = task["data"]?.objectValue else { return .failure(.init(reason: "\(name) has no `data` object")) }
        guard let id = LabelStudioImport.rowID(data[idKey]) else {
            return .failure(.init(reason: "\(name) has no data.\(idKey) (the id column of \(table.name))"))
        }
        guard let row = rowOf[id] else { return .failure(.init(reason: "\(name): no row `\(id)` in \(table.name)")) }
        return .success((id, row))
    }
}
