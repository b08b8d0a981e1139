/// Updates a model's parameters along a gradient of the same type, keeping per-parameter state
/// by name.
///
/// SGD, Adam and AdamW follow PyTorch's definitions (`torch.optim`) exactly.
public protocol Optimizer {
    /// One step: every parameter of `model` moves along its entry in `gradient`.
    mutating func update<Model: Layer>(_ model: inout Model, along gradient: Model)
}

extension Optimizer {
    /// Applies `step(name, parameter, gradient)` to every parameter in place.
    func forEachParameter<Model: Layer>(
        _ model: inout Model, _ gradient: Model,
        _ step: (String, inout [Double], [Double]) -> Void
    ) {
        for p in model.parameters {
            var value = model[keyPath: p.path].detached
            let g = gradient[keyPath: p.path]
            precondition(
                value.hasSameShape(as: g),
                "optimizer: \(p.name) is \(value.shapeDescription) but its gradient is \(g.shapeDescription)")
            step(p.name, &value.values, g.values)
            model[keyPath: p.path] = value
        }
    }
}

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
/// weight decay, as `torch.optim.SGD`: g ← g + λp; b ← g on the first step, else μb + (1−τ)g;
/// g ← g + μb (Nesterov) or b; p ← p − η g.
public struct SGD: Optimizer, Sendable, Equatable, Codable {
    /// η, μ, τ, λ.
    public var learningRate: Double, momentum: Double, dampening: Double, weightDecay: Double
    /// Whether to use Nesterov momentum.
    public var nesterov: Bool
    private var buffers = NamedState<[Double]>()

    /// An optimizer with the given settings (PyTorch's defaults otherwise).
    public init(
        learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
        nesterov: Bool = false
    ) {
        (self.learningRate, self.momentum, self.dampening, self.weightDecay, self.nesterov) =
            (learningRate, momentum, dampening, weightDecay, nesterov)
    }

    /// One step of SGD.
    public mutating func update<Model: Layer>(_ model: inout Model, along gradient: Model) {
        let (lr, mu, tau, wd, nesterov) = (learningRate, momentum, dampening, weightDecay, self.nesterov)
        var buffers = self.buffers
        forEachParameter(&model, gradient) { name, p, grad in
            var g = grad
            if wd != 0 { for i in g.indices { g[i] += wd * p[i] } }
            if mu != 0 {
                var b = buffers[name] ?? g
                if buffers[name] != nil { for i in b.indices { b[i] = mu * b[i] + (1 - tau) * g[i] } }
                buffers[name] = b
                if nesterov { for i in g.indices { g[i] += mu * b[i] } } else { g = b }
            }
            for i in p.indices { p[i] -= lr * g[i] }
        }
        self.buffers = buffers
    }
}

/// Adam, as `torch.optim.Adam` (with `weightDecay`, L2 added to the gradient) and, with
/// `decoupled`, AdamW (`torch.optim.AdamW`: p ← p(1 − ηλ) before the step).
///
/// Per step t: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − η/(1−β₁ᵗ) · m /
/// (√v/√(1−β₂ᵗ) + ε).
public struct Adam: Optimizer, Sendable, Equatable, Codable {
    /// η, β₁, β₂, ε, λ.
    public var learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double
    /// Decoupled weight decay (AdamW) instead of L2.
    public var decoupled: Bool
    /// The number of steps taken.
    public private(set) var step = 0
    private var moments = NamedState<Moments>()

    /// Adam with PyTorch's defaults unless given.
    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 0, decoupled: Bool = false
    ) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon, self.weightDecay, self.decoupled) =
            (learningRate, beta1, beta2, epsilon, weightDecay, decoupled)
    }

    /// One step of Adam (AdamW when `decoupled`).
    public mutating func update<Model: Layer>(_ model: inout Model, along gradient: Model) {
        step += 1
        let (lr, b1, b2, eps, wd, decoupled) = (learningRate, beta1, beta2, epsilon, weightDecay, self.decoupled)
        let correction1 = 1 - Elementary.pow(b1, Double(step)),
            correction2Root = (1 - Elementary.pow(b2, Double(step))).squareRoot()
        let stepSize = lr / correction1
        var moments = self.moments
        self.moments = NamedState()
        forEachParameter(&model, gradient) { name, p, grad in
            var (m, v) =
                moments[name].map { ($0.m, $0.v) }
                ?? ([Double](repeating: 0, count: p.count), [Double](repeating: 0, count: p.count))
            for i in p.indices {
                var g = grad[i]
                if decoupled { p[i] *= 1 - lr * wd } else if wd != 0 { g += wd * p[i] }
                m[i] += (g - m[i]) * (1 - b1)
                v[i] = b2 * v[i] + (1 - b2) * g * g
                p[i] += -stepSize * (m[i] / (v[i].squareRoot() / correction2Root + eps))
            }
            moments[name] = Moments(m: m, v: v)
        }
        self.moments = moments
    }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
// Named as the paper and PyTorch name it, beside the `Adam` type it returns.
/// AdamW, as `torch.optim.AdamW` (decoupled weight decay, default λ = 0.01).
public func AdamW(
    learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0.01
) -> Adam {
    Adam(
        learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
        decoupled: true)
}

/// Scales `gradient` so that its global norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_` (factor maxNorm/(norm + 10⁻⁶) when below 1).
///
/// Returns the norm before clipping.
@discardableResult
public func clipGlobalNorm<Model: Layer>(_ gradient: inout Model, maxNorm: Double) -> Double {
    let norm = gradient.globalNorm
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 { gradient = gradient.mapParameters { _, g in g.detached * factor } }
    return norm
}

/// The learning rate of "Attention Is All You Need" at `step` (from 1): linear warm-up for
/// `warmup` steps, then decay as step^−½, scaled by d_model^−½:
/// d_model^−½ · min(step^−½, step · warmup^−³ᐟ²).
public func warmupLearningRate(step: Int, dModel: Int, warmup: Int, factor: Double = 1) -> Double {
    let s = Double(max(step, 1))
    return factor * Elementary.pow(Double(dModel), -0.5)
        * min(Elementary.pow(s, -0.5), s * Elementary.pow(Double(warmup), -1.5))
}

/// The Annotated Transformer's `rate(step, model_size, factor, warmup)`, with its argument names:
/// factor · model_size^−½ · min(step^−½, step · warmup^−³ᐟ²), step 0 counted as 1 (the value
/// `LambdaLR` asks for before the first step).
///
/// The same schedule as `warmupLearningRate`, spelled as that code spells it.
public func rate(step: Int, modelSize: Int, factor: Double, warmup: Int) -> Double {
    warmupLearningRate(step: step, dModel: modelSize, warmup: warmup, factor: factor)
}
