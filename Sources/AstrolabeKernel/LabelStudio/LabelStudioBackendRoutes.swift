import AstrolabeData
import AstrolabeLearn
import Foundation

/// `/predict` and `/webhook` of the ML backend (called with the backend's lock held).
extension LabelStudioBackend {
    func predict(_ json: JSONValue) -> Response {
        guard let tasks = json["tasks"]?.arrayValue else { return failure(422, "predict needs `tasks`, a list of tasks") }
        guard let model else { return failure(500, "model `\(modelName)` is gone") }
        var from = control.from, to = control.to
        if let xml = json["label_config"]?.stringValue, !xml.isEmpty {
            switch checkedControl(xml) {
            case .failure(let error): return failure(422, error.reason)
            case .success(let choices): (from, to) = (choices.name, choices.toName)
            }
        }
        var rows: [Int] = []
        rows.reserveCapacity(tasks.count)
        for (n, task) in tasks.enumerated() {
            switch row(of: task, index: n) {
            case .failure(let error): return failure(422, error.reason)
            case .success(let found): rows.append(found.row)
            }
        }
        let predictions: RowPredictions
        do { predictions = try session.predictRows(model, rows: rows) } catch let error as CommandError {
            return failure(409, error.message)
        } catch {
            return failure(500, "prediction failed: \(error)")
        }
        var results: [JSONValue] = []
        results.reserveCapacity(rows.count)
        for i in 0..<rows.count {
            let score = scoreByUncertainty ? predictions.uncertainty[i] : predictions.probability[i]
            results.append(LabelStudioFormat.prediction(label: predictions.labels[i], score: score, version: predictions.version,
                                                        fromName: from, toName: to))
        }
        return ok(["results": .array(results), "model_version": .string(predictions.version)],
                  "predict \(plural(rows.count, "task")) with \(predictions.version)")
    }

    func webhook(_ json: JSONValue) -> Response {
        guard let action = json["action"]?.stringValue else { return failure(422, "a webhook needs `action`") }
        switch action {
        case "ANNOTATION_CREATED", "ANNOTATION_UPDATED":
            return annotated(json, action: action)
        case "ANNOTATIONS_DELETED", "ANNOTATION_DELETED":
            return deleted(json)
        case "START_TRAINING":
            return retrain(reason: "training requested")
        default:
            // Label Studio sends every event a webhook subscribes to; the others need no answer.
            return ok(["status": .string("ignored")], "webhook \(action): ignored")
        }
    }

    private func annotated(_ json: JSONValue, action: String) -> Response {
        guard let task = json["task"], let item = json["annotation"] else { return failure(422, "\(action) needs `task` and `annotation`") }
        let found: (id: String, row: Int)
        switch row(of: task, index: 0) {
        case .failure(let error): return failure(422, error.reason)
        case .success(let value): found = value
        }
        let annotation: LabelStudioAnnotation
        do { annotation = try LabelStudioAnnotation(item, controlName: control.from, users: userName(item["completed_by"]?.intValue)) } catch let error as LabelStudioAnnotation.Invalid {
            return failure(422, error.reason)
        } catch { return failure(422, "\(error)") }
        if let label = annotation.label, model?.classes.contains(label) != true {
            return failure(422, "`\(label)` is not a class of \(modelName) (classes: \((model?.classes ?? []).joined(separator: ", ")))")
        }
        if annotation.label == nil && !annotation.cancelled {
            return failure(422, "the annotation has no choice from <Choices name=\"\(control.from)\">")
        }
        let stored: LabelRecord?
        do { stored = try session.storeLabelStudioAnswer(table: table, rowID: found.id, annotation: annotation) } catch {
            return failure(500, "the answer was NOT stored: \(error)")
        }
        guard stored != nil else {
            return ok(["status": .string("unchanged"), "model_version": .string(model?.version ?? modelName)],
                      "\(action) \(found.id) by \(annotation.annotator): already stored")
        }
        answersStored += 1
        let what = "\(action) \(found.id) = \(annotation.label ?? "skipped") by \(annotation.annotator) (stored)"
        return afterAnswer(what, row: found.row)
    }

    private func deleted(_ json: JSONValue) -> Response {
        // Label Studio names only the annotations deleted: each answer carries its annotation id in its note.
        let items = json["annotations"]?.arrayValue ?? json["annotation"].map { [$0] } ?? []
        let ids = items.compactMap { $0["id"]?.intValue }
        guard !ids.isEmpty else { return failure(422, "a deletion needs `annotations` with their ids") }
        var undone: [String] = []
        var rows: [Int] = []
        do {
            for id in ids {
                guard let record = try session.labelStudioAnswer(annotationID: id, table: table) else { continue }
                if try session.undoLabelStudioAnswer(table: table, rowID: record.rowID, annotator: record.annotator) {
                    undone.append("\(record.rowID) by \(record.annotator)")
                    rows.append(table.rowIdentifiers().firstIndex(of: record.rowID) ?? 0)
                }
            }
        } catch { return failure(500, "the deletion was NOT stored: \(error)") }
        guard !undone.isEmpty else {
            return failure(404, "no stored answer comes from annotation\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", "))")
        }
        answersStored += undone.count
        var response = ok([:], "")
        for row in rows { response = afterAnswer("deleted: undid " + undone.joined(separator: ", "), row: row) }
        return response
    }

    /// Retrains the table's models as `teach` does, after every `retrain=N` answers (so a saved session's
    /// `teach` lines replay the same fits); the response carries the model version in force.
    private func afterAnswer(_ what: String, row: Int) -> Response {
        let before = model?.fits ?? 0
        let notes: [String]
        do { notes = try session.retrainAfterAnswer(table: table.name, row: row) } catch {
            return failure(500, "\(what); retraining failed: \(error)")
        }
        let version = model?.version ?? modelName
        let retrained = (model?.fits ?? 0) > before
        if retrained { retrains += 1 }
        let note = notes.first { $0.hasPrefix(modelName + " ") || $0.hasPrefix(modelName + ":") } ?? ""
        return ok(["status": .string(retrained ? "retrained" : "stored"), "model_version": .string(version)],
                  what + (note.isEmpty ? "" : "; " + note) + (retrained ? " (\(version))" : ""))
    }

    /// The name of a Label Studio user id, asked of Label Studio once (see `resolveUser`).
    private func userName(_ id: Int?) -> [Int: String] {
        guard let id else { return [:] }
        if userNames[id] == nil, let api = labelStudioAPI, let name = resolveUser?(id, api.hostname, api.token) { userNames[id] = name }
        // Before Label Studio's first /setup after a restart: the name an earlier answer of that user was stored under.
        if userNames[id] == nil, let known = session.labelStudioAnnotator(userID: id, table: table) { userNames[id] = known }
        return userNames[id].map { [id: $0] } ?? [:]
    }

    func retrain(reason: String) -> Response {
        guard var model else { return failure(500, "model `\(modelName)` is gone") }
        do {
            try session.fit(&model)
            try session.workspace.setModel(model)
        } catch {
            return failure(500, "\(reason); retraining failed: \(error)")
        }
        retrains += 1
        return ok(["status": .string("retrained"), "model_version": .string(model.version)],
                  "\(reason); \(modelName) retrained on \(plural(model.trainingRows.count, "label")) (\(model.version))")
    }
}

extension Session {
    /// The standing answer a Label Studio annotation gave (its note names the annotation), if any.
    func labelStudioAnswer(annotationID: Int, table: Table) throws -> LabelRecord? {
        let tag = LabelStudioAnnotation.tag(annotationID)
        return team.answers[baseName(of: table)]?.values.lazy.flatMap { $0 }
            .first { $0.note?.hasPrefix(tag + ";") == true || $0.note?.hasPrefix(tag + " by ") == true || $0.note == tag }
    }

    /// The annotator a Label Studio user's earlier answers were stored under (their notes name the user id).
    func labelStudioAnnotator(userID: Int, table: Table) -> String? {
        let mark = " by user \(userID)"
        return team.answers[baseName(of: table)]?.values.lazy.flatMap { $0 }
            .first { record in record.note.map { $0.hasSuffix(mark) || $0.contains(mark + ";") } ?? false && !record.annotator.hasPrefix("labelstudio-user-") }?
            .annotator
    }
}
