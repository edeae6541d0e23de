/// A small, fast, seedable random number generator: xoshiro256** seeded through SplitMix64.
///
/// Every random choice in Astrolabe is derived from the session seed so that a replayed script
/// gives the same numbers. `Swift.SystemRandomNumberGenerator` cannot be seeded, and the standard
/// library's `random(in:using:)` algorithms are not promised to stay the same across Swift
/// releases, so this type also provides its own `nextInt(below:)` and `nextDouble()`.
///
/// Work that is split across threads (one tree of a forest per task, say) must not share one
/// generator, or the numbers each task sees would depend on scheduling. `init(seed:stream:)`
/// derives an independent generator for each task index instead.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        // SplitMix64 never yields four zeros in a row, but keep xoshiro's one forbidden state out
        // explicitly rather than rely on that.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// The generator for sub-task `stream` of work seeded with `seed`.
    ///
    /// Streams with different indices (or different seeds) give unrelated sequences; the same pair
    /// always gives the same sequence, whichever thread runs the task and in whatever order.
    public init(seed: UInt64, stream: UInt64) {
        // Hash the pair through two SplitMix64 finalisations so nearby (seed, stream) pairs land
        // far apart, then seed normally from the result.
        let mixedStream = SplitMix64.mix(stream &+ 0xD1B5_4A32_D192_ED03)
        self.init(seed: SplitMix64.mix(seed ^ mixedStream))
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (Lemire's unbiased multiply-and-reject). `bound` ≤ 0 gives 0.
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64: used only to expand a 64-bit seed into xoshiro's 256-bit state, as its authors
/// recommend.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array {
    /// Fisher–Yates shuffle driven by `SeededGenerator.nextInt(below:)`, so the permutation for a
    /// seed does not depend on the standard library's shuffle algorithm.
    mutating func seededShuffle(using generator: inout SeededGenerator) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = generator.nextInt(below: i + 1)
            if i != j { swapAt(i, j) }
        }
    }
}
