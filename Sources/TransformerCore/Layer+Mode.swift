@_spi(Reflection) import Swift

/// Training and evaluation modes, as PyTorch's `model.train()` and `model.eval()`.
///
/// ```swift
/// var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, dropout: 0.1, seed: 1)
/// model.eval()                      // every Dropout inside passes its input through
/// let logits = model([[1, 2, 3]])
/// model.train()                     // dropout on again; a training pass names its masks' seed
/// let noisy = model([[1, 2, 3]], dropoutSeed: 7)
/// let frozen = model.evaluating()   // a copy in evaluation mode; `model` is unchanged
/// ```
/// Models are values, so the mode is part of the value: `eval()` mutates, `evaluating()` returns
/// a copy, and a copy taken before `eval()` keeps training.
extension Layer {
    /// Whether some stored property that is a layer is in training mode (read by reflection).
    public var isTraining: Bool {
        Mirror(reflecting: self).children.contains { ($0.value as? any Layer)?.isTraining ?? false }
    }

    /// Sets the mode of every stored `var` property that is a layer, recursively (by reflection).
    public mutating func setTraining(_ isTraining: Bool) {
        var copy = self
        _ = _forEachFieldWithKeyPath(of: Self.self) { _, path in
            if let part = copy[keyPath: path] as? any Layer { setPart(part, at: path, of: &copy, isTraining) }
            return true
        }
        self = copy
    }

    /// Training mode for this layer and every layer inside (PyTorch's `model.train()`).
    public mutating func train() { setTraining(true) }

    /// Evaluation mode for this layer and every layer inside (PyTorch's `model.eval()`): every
    /// `Dropout` becomes the identity.
    public mutating func eval() { setTraining(false) }

    /// A copy in training mode.
    public func training() -> Self {
        var copy = self
        copy.setTraining(true)
        return copy
    }

    /// A copy in evaluation mode.
    public func evaluating() -> Self {
        var copy = self
        copy.setTraining(false)
        return copy
    }
}

/// Sets the mode of `part`, found at `path` of `root`, when that path can be written (a `var`).
private func setPart<Root, Part: Layer>(_ part: Part, at path: PartialKeyPath<Root>, of root: inout Root, _ on: Bool) {
    guard let writable = path as? WritableKeyPath<Root, Part> else { return }
    var part = part
    part.setTraining(on)
    root[keyPath: writable] = part
}
