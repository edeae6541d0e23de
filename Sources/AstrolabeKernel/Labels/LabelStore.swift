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
    /// How sure the annotator was (0–1) and what they noted (`teach ID CLASS confidence=0.7 note="..."`).
    public var confidence: Double?
    public var note: String?
    /// The store's sequence number (its order of arrival); nil until stored.
    public var seq: Int64?

    public init(dataset: String, rowID: String, kind: Kind, label: String?, annotator: String,
                time: Double, model: String? = nil, strategy: String? = nil, score: Double? = nil,
                confidence: Double? = nil, note: String? = nil, seq: Int64? = nil) {
        self.confidence = confidence
        self.note = note
        self.seq = seq
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

/// One row of the store's history: an answer, or an `undo` that took back the row's latest answer.
public enum LabelHistoryEntry: Sendable, Equatable {
    case answer(LabelRecord)
    case undo(dataset: String, rowID: String, annotator: String, time: Double)
}

public struct LabelStoreError: Error, CustomStringConvertible {
    public var description: String
}

/// Durable store of human answers: SQLite in WAL mode with `synchronous=FULL`, so an answer is on
/// disk when `append` returns and survives a crash or `kill -9`. Rows are appended, never updated
/// or deleted: each annotator's latest answer for a row stands, and `undo` appends a tombstone
/// (kind `undo`, with the sequence number of the answer it takes back in `undoes`), so the store
/// holds every answer ever given.
///
/// Schema versions (`PRAGMA user_version`): 0/1 had no confidence, note or undoes columns (an undo
/// then took back the row's latest answer, whoever gave it); opening such a store adds them in
/// place, keeping every row.
///
/// Strings (ids above all) are stored with their byte length, so an id holding a NUL byte comes
/// back whole. Once SQLite reports the file damaged the store is *unusable*: every later write is
/// an error naming the file, so no answer is acknowledged that could not be read back.
public final class LabelStore {
    private var db: OpaquePointer?
    public let path: String
    /// Why the store cannot be trusted (SQLite found the file damaged), or nil.
    public private(set) var damage: String?
    /// Serialises use of the connection with `close()`, which a signal handler's thread may call.
    private let lock = NSLock()

    /// Kind text of a tombstone row.
    static let undoKind = "undo"

    /// Opens (creating if needed) the store at `path`; `":memory:"` gives a throwaway store.
    /// A file SQLite finds damaged opens as an unusable store (see `damage`) rather than failing,
    /// so the session can go on and say so at each answer.
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
        do {
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
            try checkIntegrity()
            try migrate()
        } catch {
            // Opened, but damaged: kept open as unusable, so every answer says so.
            guard damage != nil else { sqlite3_close(handle); db = nil; throw error }
        }
    }

    deinit { close() }

    /// Moves every answer from the write-ahead log into the main file and closes the database, so
    /// the store is one self-contained file (a copy of it holds every answer). Later calls throw.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard let handle = db else { return }
        sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        // The last connection to close also removes the (now empty) -wal and -shm files.
        sqlite3_close_v2(handle)
        db = nil
    }

    /// The schema this code writes: confidence, note and undoes columns.
    static let schemaVersion = 2

    /// Adds the columns older stores lack (ALTER TABLE keeps every row), then records the version.
    private func migrate() throws {
        var columns: Set<String> = []
        try withStatement("PRAGMA table_info(answers)") { stmt in
            while sqlite3_step(stmt) == SQLITE_ROW { columns.insert(text(stmt, 1) ?? "") }
        }
        for (name, type) in [("confidence", "REAL"), ("note", "TEXT"), ("undoes", "INTEGER")] where !columns.contains(name) {
            try exec("ALTER TABLE answers ADD COLUMN \(name) \(type)")
        }
        try exec("CREATE INDEX IF NOT EXISTS answers_row ON answers(dataset, row_id, seq)")
        try exec("PRAGMA user_version=\(LabelStore.schemaVersion)")
    }

    /// Stores one answer durably; returns only after SQLite has committed it to disk.
    public func append(_ record: LabelRecord) throws {
        try insert(dataset: record.dataset, rowID: record.rowID, kind: record.kind.rawValue, label: record.label,
                   annotator: record.annotator, time: record.time, model: record.model, strategy: record.strategy,
                   score: record.score, confidence: record.confidence, note: record.note, undoes: nil)
    }

    /// Takes back `annotator`'s latest standing answer for `rowID` (undo) by appending a tombstone
    /// naming it; returns the answer taken back, or nil when the annotator has none for the row
    /// (then nothing is written). Other annotators' answers about the row stand.
    public func undoLatest(dataset: String, rowID: String, annotator: String, time: Double) throws -> LabelRecord? {
        guard let latest = try answers(dataset: dataset, rowID: rowID).last(where: { $0.annotator == annotator }) else { return nil }
        try insert(dataset: dataset, rowID: rowID, kind: LabelStore.undoKind, label: nil, annotator: annotator,
                   time: time, model: nil, strategy: nil, score: nil, confidence: nil, note: nil, undoes: latest.seq)
        return latest
    }

    /// Every row ever written for a dataset, answers and undos, oldest first.
    public func history(dataset: String) throws -> [LabelHistoryEntry] {
        try historyWithTargets(dataset: dataset, rowID: nil).map(\.entry)
    }

    /// History entries with, for each undo, the sequence number of the answer it took back (nil in
    /// stores written before schema 2). `rowID` limits it to one row.
    func historyWithTargets(dataset: String, rowID: String?) throws -> [(entry: LabelHistoryEntry, undoes: Int64?)] {
        var result: [(entry: LabelHistoryEntry, undoes: Int64?)] = []
        let sql = "SELECT seq, row_id, kind, label, annotator, time, model, strategy, score, confidence, note, undoes FROM answers "
            + "WHERE dataset = ?" + (rowID == nil ? "" : " AND row_id = ?") + " ORDER BY seq"
        try withStatement(sql) { stmt in
            bind(stmt, 1, dataset)
            if let rowID { bind(stmt, 2, rowID) }
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw failure("cannot read answers") }
                let kindText = text(stmt, 2) ?? ""
                let rowID = text(stmt, 1) ?? "", annotator = text(stmt, 4) ?? "", time = sqlite3_column_double(stmt, 5)
                if kindText == LabelStore.undoKind {
                    let target = sqlite3_column_type(stmt, 11) == SQLITE_NULL ? nil : sqlite3_column_int64(stmt, 11)
                    result.append((.undo(dataset: dataset, rowID: rowID, annotator: annotator, time: time), target))
                    continue
                }
                guard let kind = LabelRecord.Kind(rawValue: kindText) else {
                    throw LabelStoreError(description: "label store \(path): answer \(sqlite3_column_int64(stmt, 0)) has an unknown kind `\(kindText)`")
                }
                result.append((.answer(LabelRecord(
                    dataset: dataset, rowID: rowID, kind: kind, label: text(stmt, 3), annotator: annotator, time: time,
                    model: text(stmt, 6), strategy: text(stmt, 7), score: double(stmt, 8),
                    confidence: double(stmt, 9), note: text(stmt, 10), seq: sqlite3_column_int64(stmt, 0))), nil))
            }
        }
        return result
    }

    /// The answers for a dataset (or one row of it) that still stand, oldest first: each undo takes
    /// back the answer it names (in older stores: the latest standing answer of its row).
    public func answers(dataset: String, rowID: String? = nil) throws -> [LabelRecord] {
        var standing: [LabelRecord?] = []
        var byRow: [String: [Int]] = [:]
        var bySeq: [Int64: Int] = [:]
        for (entry, target) in try historyWithTargets(dataset: dataset, rowID: rowID) {
            switch entry {
            case .answer(let record):
                byRow[record.rowID, default: []].append(standing.count)
                if let seq = record.seq { bySeq[seq] = standing.count }
                standing.append(record)
            case .undo(_, let rowID, _, _):
                if let target, let index = bySeq[target] {
                    standing[index] = nil
                    byRow[rowID]?.removeAll { $0 == index }
                } else if target == nil, let index = byRow[rowID]?.popLast() {
                    standing[index] = nil
                }
            }
        }
        return standing.compactMap { $0 }
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

    /// Runs `body` as one transaction: everything it stored is committed together, or, when it
    /// throws, nothing is (`load config` is all or nothing).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try exec("BEGIN IMMEDIATE")
        let result: T
        do { result = try body() } catch {
            try? exec("ROLLBACK")
            throw error
        }
        try exec("COMMIT")
        return result
    }

    // MARK: SQLite plumbing

    private func insert(dataset: String, rowID: String, kind: String, label: String?, annotator: String, time: Double,
                        model: String?, strategy: String?, score: Double?, confidence: Double?, note: String?,
                        undoes: Int64?) throws {
        if let damage { throw unusable(damage) }
        let sql = """
            INSERT INTO answers (dataset, row_id, kind, label, annotator, time, model, strategy, score, confidence, note, undoes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        try withStatement(sql) { stmt in
            bind(stmt, 1, dataset)
            bind(stmt, 2, rowID)
            bind(stmt, 3, kind)
            bind(stmt, 4, label)
            bind(stmt, 5, annotator)
            sqlite3_bind_double(stmt, 6, time)
            bind(stmt, 7, model)
            bind(stmt, 8, strategy)
            bindDouble(stmt, 9, score)
            bindDouble(stmt, 10, confidence)
            bind(stmt, 11, note)
            if let undoes { sqlite3_bind_int64(stmt, 12, undoes) } else { sqlite3_bind_null(stmt, 12) }
            guard sqlite3_step(stmt) == SQLITE_DONE else { throw failure("cannot store the answer") }
        }
    }

    /// `PRAGMA quick_check`: a damaged page makes the store unusable at once, not at the first
    /// answer that happens to touch it.
    private func checkIntegrity() throws {
        var verdict: [String] = []
        try withStatement("PRAGMA quick_check") { stmt in
            while sqlite3_step(stmt) == SQLITE_ROW { verdict.append(text(stmt, 0) ?? "") }
        }
        if verdict != ["ok"] {
            damage = "failed SQLite's integrity check: " + verdict.prefix(3).joined(separator: "; ")
            throw unusable(damage ?? "")
        }
    }

    private func unusable(_ reason: String) -> LabelStoreError {
        LabelStoreError(description: "the label store \(path) is unusable (\(reason)); nothing more can be stored in it: "
                        + "start again with --store NEW_PATH (answers already there may be rescued with sqlite3's .recover)")
    }

    private func exec(_ sql: String) throws {
        lock.lock()
        defer { lock.unlock() }
        guard let db else { throw LabelStoreError(description: "label store \(path) is closed") }
        var message: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            noteDamage(text)
            throw LabelStoreError(description: "label store \(path): \(text)")
        }
    }

    private func withStatement(_ sql: String, _ body: (OpaquePointer) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        guard db != nil else { throw LabelStoreError(description: "label store \(path) is closed") }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw failure("cannot prepare statement")
        }
        defer { sqlite3_finalize(stmt) }
        try body(stmt)
    }

    /// An error from the last SQLite call; a damaged file also makes the store unusable.
    private func failure(_ what: String) -> LabelStoreError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? ""
        noteDamage(message)
        if let damage { return unusable(damage) }
        return LabelStoreError(description: "label store \(path): \(what): \(message)")
    }

    private func noteDamage(_ message: String) {
        guard damage == nil, let db else { return }
        let code = sqlite3_errcode(db) & 0xff
        if code == SQLITE_CORRUPT || code == SQLITE_NOTADB { damage = message }
    }

    /// Binds the string's UTF-8 bytes with their count: a NUL byte inside is data, not the end.
    private func bind(_ stmt: OpaquePointer, _ index: Int32, _ value: String?) {
        guard let value else { sqlite3_bind_null(stmt, index); return }
        // SQLITE_TRANSIENT: SQLite copies the bytes before the buffer goes away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let bytes = Array(value.utf8) + [0]  // never empty, so the buffer has an address
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                _ = sqlite3_bind_text(stmt, index, $0, Int32(buffer.count - 1), transient)
            }
        }
    }

    private func bindDouble(_ stmt: OpaquePointer, _ index: Int32, _ value: Double?) {
        if let value, value.isFinite { sqlite3_bind_double(stmt, index, value) } else { sqlite3_bind_null(stmt, index) }
    }

    private func double(_ stmt: OpaquePointer, _ column: Int32) -> Double? {
        sqlite3_column_type(stmt, column) == SQLITE_NULL ? nil : sqlite3_column_double(stmt, column)
    }

    /// The column's text with its byte count (a NUL byte inside is kept).
    private func text(_ stmt: OpaquePointer, _ column: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, column) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }
}
