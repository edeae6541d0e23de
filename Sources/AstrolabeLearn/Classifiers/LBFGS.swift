import AstrolabeData

/// Limited-memory BFGS for smooth convex objectives (logistic regression).
///
/// The classic two-loop recursion with the last `memory` steps, and a backtracking line search
/// that accepts the first step meeting the Armijo condition; curvature pairs with s·y ≤ 0 are
/// skipped, which keeps the inverse-Hessian estimate positive definite. Stops when the largest
/// gradient component is at most `gradientTolerance`, when the objective stops decreasing, or
/// after `maxIterations`. Deterministic: no randomness, a fixed order of floating-point operations.
struct LBFGS {
    var memory = 10
    var gradientTolerance = 1e-8
    var maxIterations = 1000

    struct Result {
        var x: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// Minimises `objective`, which returns f(x) and writes ∇f(x) into its second argument.
    func minimize(from start: [Double], _ objective: ([Double], inout [Double]) -> Double) throws -> Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var sHistory: [[Double]] = [], yHistory: [[Double]] = [], rhoHistory: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var alpha = [Double](repeating: 0, count: memory)
        var trial = [Double](repeating: 0, count: n)
        var trialGradient = [Double](repeating: 0, count: n)
        var iteration = 0
        while iteration < maxIterations {
            if g.reduce(0, { max($0, abs($1)) }) <= gradientTolerance {
                return Result(x: x, value: f, iterations: iteration, converged: true)
            }
            try Cancellation.check()
            // Two-loop recursion: direction = −H g.
            direction = g
            for i in stride(from: sHistory.count - 1, through: 0, by: -1) {
                alpha[i] = rhoHistory[i] * dot(sHistory[i], direction)
                for j in 0..<n { direction[j] -= alpha[i] * yHistory[i][j] }
            }
            if let s = sHistory.last, let y = yHistory.last {
                let gamma = dot(s, y) / dot(y, y)
                for j in 0..<n { direction[j] *= gamma }
            } else {
                // First step: a unit-length step along −g.
                let norm = dot(g, g).squareRoot()
                if norm > 0 { for j in 0..<n { direction[j] /= norm } }
            }
            for i in 0..<sHistory.count {
                let beta = rhoHistory[i] * dot(yHistory[i], direction)
                for j in 0..<n { direction[j] += sHistory[i][j] * (alpha[i] - beta) }
            }
            for j in 0..<n { direction[j] = -direction[j] }
            var slope = dot(g, direction)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                for j in 0..<n { direction[j] = -g[j] }
                slope = dot(g, direction)
                if !(slope < 0) { break }
            }
            var step = 1.0
            var accepted = false
            var trialValue = f
            for _ in 0..<60 {
                for j in 0..<n { trial[j] = x[j] + step * direction[j] }
                trialValue = objective(trial, &trialGradient)
                if trialValue.isFinite && trialValue <= f + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            iteration += 1
            guard accepted else { break }
            var s = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
            for j in 0..<n { s[j] = trial[j] - x[j]; y[j] = trialGradient[j] - g[j] }
            let sy = dot(s, y)
            let decrease = f - trialValue
            swap(&x, &trial)
            swap(&g, &trialGradient)
            f = trialValue
            if sy > 1e-12 * dot(y, y) {
                if sHistory.count == memory {
                    sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst()
                }
                sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
            }
            if decrease <= 1e-15 * max(abs(f), 1) && g.reduce(0, { max($0, abs($1)) }) <= gradientTolerance * 1e3 {
                return Result(x: x, value: f, iterations: iteration, converged: true)
            }
        }
        let converged = g.reduce(0, { max($0, abs($1)) }) <= gradientTolerance
        return Result(x: x, value: f, iterations: iteration, converged: converged)
    }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}
