import Dispatch
import Foundation
import Synchronization

/// Runs `count` independent tasks over up to `workers` threads, handing out task indices from a
/// shared counter so fast workers take more.
///
/// Results must be written per task index (never accumulated across tasks) so the outcome does not
/// depend on which thread ran which task or in what order; callers keep that invariant.
/// With `workers` ≤ 1 the tasks run in order on the calling thread, which tests use to check that
/// parallel and serial runs agree.
func performConcurrently(count: Int, workers: Int, _ task: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let threads = min(max(workers, 1), count)
    if threads == 1 {
        for index in 0..<count { task(index) }
        return
    }
    let next = TaskCounter()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while true {
            let index = next.take()
            if index >= count { break }
            task(index)
        }
    }
}

private final class TaskCounter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

/// Fixed-size storage that concurrent tasks fill, each task writing only its own slots.
///
/// `@unchecked Sendable` because the compiler cannot see that disjointness; every use writes slot
/// `i` only from task `i` (or a block of slots only from the task that owns the block) and reads
/// only after `performConcurrently` has returned.
final class ConcurrentSlots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>

    init(count: Int, initialValue: Element) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: initialValue)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    var array: [Element] { Array(buffer) }
}

/// A view of caller-owned memory that concurrent tasks fill, each task writing only its own
/// range; `@unchecked Sendable` for the same reason, and under the same rule, as `ConcurrentSlots`.
struct SharedOutput<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}

/// Number of worker threads to use by default: one per core the process may use.
var defaultWorkerCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
