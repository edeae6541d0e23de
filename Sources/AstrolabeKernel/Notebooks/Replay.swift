import AstrolabeData

/// What one cell produced, in order.
public enum CellOutput: Sendable, Equatable {
    case output(Output)
    case error(Diagnostic)
}

/// One cell of a replayed script with what it produced.
public struct CellResult: Sendable, Equatable {
    public var cell: Script.Cell
    /// 1, 2, … over the code cells that ran; nil for prose and for cells the run never reached.
    public var executionCount: Int?
    public var outputs: [CellOutput]

    public init(cell: Script.Cell, executionCount: Int? = nil, outputs: [CellOutput] = []) {
        self.cell = cell
        self.executionCount = executionCount
        self.outputs = outputs
    }
}

/// A replayed script: every cell (reached or not), and how the run ended.
public struct ReplayResult: Sendable, Equatable {
    public var file: String
    public var cells: [CellResult]
    /// Every error, in order (with keepGoing there may be several).
    public var errors: [Diagnostic]
    /// True when the run ended early: at an error without keepGoing, or interrupted.
    public var stopped: Bool
    /// True when Ctrl-C (Cancellation) ended the run.
    public var interrupted: Bool

    public init(file: String, cells: [CellResult], errors: [Diagnostic] = [], stopped: Bool = false,
                interrupted: Bool = false) {
        self.file = file
        self.cells = cells
        self.errors = errors
        self.stopped = stopped
        self.interrupted = interrupted
    }

    public var succeeded: Bool { errors.isEmpty && !interrupted }
}

/// Something that happened during a replay, reported as it happens (for printing progress).
public enum ReplayEvent: Sendable {
    case willExecute(Script.Command)
    case output(Output, Script.Command)
    case error(Diagnostic, Script.Command)
}

/// What a replay needs from a session: run one command. `Session` is the real one; tests and other
/// front ends can pass their own.
public protocol CommandExecuting: AnyObject {
    func execute(_ line: String, location: SourceLocation) -> Execution
}

extension Session: CommandExecuting {}

public enum Replay {
    /// Runs every command of `script` through `session`, collecting outputs per cell.
    ///
    /// Without `keepGoing` the first error stops the run; later cells are kept, unexecuted.
    /// `Cancellation` is checked between commands; the caller resets it before the run.
    public static func run(script: Script, session: some CommandExecuting, keepGoing: Bool = false,
                           onEvent: ((ReplayEvent) -> Void)? = nil) -> ReplayResult {
        var result = ReplayResult(file: script.file, cells: script.cells.map { CellResult(cell: $0) })
        var executionCount = 0
        cells: for index in result.cells.indices {
            guard case .code(_, let commands) = result.cells[index].cell else { continue }
            if Cancellation.isRequested {
                result.interrupted = true
                result.stopped = true
                break
            }
            executionCount += 1
            result.cells[index].executionCount = executionCount
            for command in commands {
                if Cancellation.isRequested {
                    result.interrupted = true
                    result.stopped = true
                    break cells
                }
                onEvent?(.willExecute(command))
                let execution = session.execute(command.text, location: command.location)
                for output in execution.outputs {
                    result.cells[index].outputs.append(.output(output))
                    onEvent?(.output(output, command))
                }
                if let error = execution.error {
                    result.cells[index].outputs.append(.error(error))
                    result.errors.append(error)
                    onEvent?(.error(error, command))
                    if Cancellation.isRequested {
                        result.interrupted = true
                        result.stopped = true
                        break cells
                    }
                    if !keepGoing {
                        result.stopped = true
                        break cells
                    }
                }
            }
        }
        return result
    }
}
