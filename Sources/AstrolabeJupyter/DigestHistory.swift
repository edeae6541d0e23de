import Synchronization

/// The signatures of the messages already accepted, so that a captured signed message sent again
/// (a replay) is refused rather than run twice — as jupyter_client's `Session.digest_history` does.
/// A signature covers the header, whose `msg_id` is unique, so a legitimate client never repeats one.
///
/// Memory is bounded: past `capacity` signatures the oldest tenth is forgotten (jupyter_client
/// forgets a random tenth; oldest-first keeps the recent ones, which a replay most likely reuses).
/// Shared by the shell and control threads.
final class DigestHistory: Sendable {
    /// jupyter_client's default `digest_history_size`.
    static let defaultCapacity = 1 << 16

    private struct State {
        var seen: Set<[UInt8]> = []
        var order: [[UInt8]] = []
        /// Index in `order` of the oldest signature still remembered.
        var oldest = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = DigestHistory.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// Records `signature`; false when it was already recorded (the message is a replay).
    /// Empty signatures (signing off) are never recorded: there is nothing to tell them apart.
    func insert(_ signature: [UInt8]) -> Bool {
        guard !signature.isEmpty else { return true }
        return state.withLock { state in
            guard state.seen.insert(signature).inserted else { return false }
            state.order.append(signature)
            if state.seen.count > capacity { forgetOldestTenth(&state) }
            return true
        }
    }

    private func forgetOldestTenth(_ state: inout State) {
        let count = max(1, state.seen.count / 10)
        for signature in state.order[state.oldest..<(state.oldest + count)] { state.seen.remove(signature) }
        state.oldest += count
        // Compact now and then so `order` does not grow without bound.
        if state.oldest > capacity {
            state.order.removeFirst(state.oldest)
            state.oldest = 0
        }
    }
}
