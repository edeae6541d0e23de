import CSQLite
import Foundation

/// One human answer about one row.
public struct LabelRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case label, unsure }
    public var dataset: String
    public var rowID: String
    public var kind: Kind
    /// The class name for `.label`; nil for `.unsure`.
    public var label: String?
    public var annotator: String
    /// Seconds since 1970 (UTC). Kept in the store only, never in replayed outputs.
    public var time: Double
    /// The model that asked, its strategy and the row's score at query time, if the row was queried.
    public var model: String?
    public var strategy: String?
    public var score: Double?

    public init(dataset: String, rowID: String, kind: Kind, label: String?, annotator: String,
                time: Double, model: String? = nil, strategy: String? = nil, score: Double? = nil) {
        self.dataset = dataset
        self.rowID = rowID
        self.kind = kind
        self.label = label
        self.annotator = annotator
        self.time = time
        self.model = model
        self.strategy = strategy
        self.score = score
    }
}

public struct LabelStoreError: Error, CustomStringConvertible {
    public var description: String
}

/// Durable store of human answers: SQLite in WAL mode with `synchronous=FULL`, so an answer is on
/// disk when `append` returns and survives a crash or `kill -9`. Answers are appended, never
/// updated: the latest answer for a row wins, and `undo` is a tombstone, so history is kept.
public final class LabelStore {
    private var db: OpaquePointer?
    public let path: String

    /// Opens (creating if needed) the store at `path`; `":memory:"` gives a throwaway store.
    public init(path: String) throws {
        self.path = path
        if path != ":memory:" {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
        }
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw LabelStoreError(description: "cannot open label store \(path): \(message)")
        }
        db = handle
        sqlite3_busy_timeout(handle, 5000)
        try exec("PRAGMA journal_mode=WAL")
        try exec("PRAGMA synchronous=FULL")
        try exec("""
            CREATE TABLE IF NOT EXISTS answers (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                dataset TEXT NOT NULL, row_id TEXT NOT NULL, kind TEXT NOT NULL, label TEXT,
                annotator TEXT NOT NULL, time REAL NOT NULL,
                model TEXT, strategy TEXT, score REAL)
            """)
        try exec("CREATE INDEX IF NOT EXISTS answers_dataset ON answers(dataset, seq)")
    }

    deinit { sqlite3_close(db) }

    /// Stores one answer durably; returns only after SQLite has committed it to disk.
    public func append(_ record: LabelRecord) throws {
        let sql = """
            INSERT INTO answers (dataset, row_id, kind, label, annotator, time, model, strategy, score)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        try withStatement(sql) { stmt in
            bind(stmt, 1, record.dataset)
            bind(stmt, 2, record.rowID)
            bind(stmt, 3, record.kind.rawValue)
            bind(stmt, 4, record.label)
            bind(stmt, 5, record.annotator)
            sqlite3_bind_double(stmt, 6, record.time)
            bind(stmt, 7, record.model)
            bind(stmt, 8, record.strategy)
            if let score = record.score, score.isFinite { sqlite3_bind_double(stmt, 9, score) } else { sqlite3_bind_null(stmt, 9) }
            guard sqlite3_step(stmt) == SQLITE_DONE else { throw error("cannot store the answer") }
        }
    }

    /// Removes the latest answer for `rowID` (undo), returning it.
    public func removeLatest(dataset: String, rowID: String) throws -> LabelRecord? {
        guard let latest = try answers(dataset: dataset).last(where: { $0.rowID == rowID }) else { return nil }
        try withStatement("DELETE FROM answers WHERE seq = (SELECT MAX(seq) FROM answers WHERE dataset = ? AND row_id = ?)") { stmt in
            bind(stmt, 1, dataset)
            bind(stmt, 2, rowID)
            guard sqlite3_step(stmt) == SQLITE_DONE else { throw error("cannot remove the answer") }
        }
        return latest
    }

    /// Every answer for a dataset, oldest first.
    public func answers(dataset: String) throws -> [LabelRecord] {
        var result: [LabelRecord] = []
        let sql = "SELECT row_id, kind, label, annotator, time, model, strategy, score FROM answers WHERE dataset = ? ORDER BY seq"
        try withStatement(sql) { stmt in
            bind(stmt, 1, dataset)
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw error("cannot read answers") }
                let kind = LabelRecord.Kind(rawValue: text(stmt, 1) ?? "") ?? .label
                result.append(LabelRecord(
                    dataset: dataset, rowID: text(stmt, 0) ?? "", kind: kind, label: text(stmt, 2),
                    annotator: text(stmt, 3) ?? "", time: sqlite3_column_double(stmt, 4),
                    model: text(stmt, 5), strategy: text(stmt, 6),
                    score: sqlite3_column_type(stmt, 7) == SQLITE_NULL ? nil : sqlite3_column_double(stmt, 7)))
            }
        }
        return result
    }

    /// The current answer per row (latest wins), in the order rows were first answered.
    public func currentAnswers(dataset: String) throws -> [LabelRecord] {
        let all = try answers(dataset: dataset)
        var latest: [String: LabelRecord] = [:]
        var order: [String] = []
        for record in all {
            if latest[record.rowID] == nil { order.append(record.rowID) }
            latest[record.rowID] = record
        }
        return order.compactMap { latest[$0] }
    }

    // MARK: SQLite plumbing

    private func exec(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw LabelStoreError(description: "label store \(path): \(text)")
        }
    }

    private func withStatement(_ sql: String, _ body: (OpaquePointer) throws -> Void) throws {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw error("cannot prepare statement")
        }
        defer { sqlite3_finalize(stmt) }
        try body(stmt)
    }

    private func error(_ what: String) -> LabelStoreError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? ""
        return LabelStoreError(description: "label store \(path): \(what): \(message)")
    }

    private func bind(_ stmt: OpaquePointer, _ index: Int32, _ value: String?) {
        guard let value else { sqlite3_bind_null(stmt, index); return }
        // SQLITE_TRANSIENT: SQLite copies the bytes before the Swift string goes away.
        sqlite3_bind_text(stmt, index, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    private func text(_ stmt: OpaquePointer, _ column: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, column) else { return nil }
        return String(cString: p)
    }
}
