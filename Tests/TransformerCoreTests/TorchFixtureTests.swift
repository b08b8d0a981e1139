import Foundation
import Testing
import TransformerCore

/// Loss, logits, every gradient and the parameters after optimizer steps, against PyTorch
/// (float64) on the same parameters and inputs: `scripts/make_torch_fixtures.py` wrote the JSON
/// under `Fixtures/`; these tests read the JSON only.
struct TorchFixture {
    let json: [String: Any]

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/\(name).json")
        json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    subscript(_ path: String...) -> Any? {
        var node: Any? = json
        for key in path { node = (node as? [String: Any])?[key] }
        return node
    }

    /// A parameter or gradient: a list of rows, or a vector (a bias or gain, read as one row).
    static func matrix(_ any: Any?) -> Matrix? {
        if let rows = any as? [[NSNumber]] { return Matrix(rows.map { $0.map(\.doubleValue) }) }
        if let row = any as? [NSNumber] { return Matrix(row: row.map(\.doubleValue)) }
        return nil
    }

    static func ints(_ any: Any?) -> [[Int]] { (any as? [[NSNumber]])?.map { $0.map(\.intValue) } ?? [] }

    /// `model` with every parameter set from `values` (by name); every name must be present.
    static func load<Model: Layer>(_ model: Model, _ values: Any?) throws -> Model {
        let values = try #require(values as? [String: Any])
        #expect(Set(values.keys) == Set(model.parameters.map(\.name)), "parameter names differ from PyTorch's")
        return try model.mapParameters { name, current in
            let m = try #require(matrix(values[name]), "\(name) missing")
            #expect(m.hasSameShape(as: current), "\(name): \(m.shapeDescription) vs \(current.shapeDescription)")
            return m
        }
    }

    /// The largest |ours − PyTorch's| over every parameter of `model` against `values`.
    static func maxError<Model: Layer>(_ model: Model, _ values: Any?) -> Double {
        let values = values as? [String: Any] ?? [:]
        return model.namedParameters.map { name, m in
            guard let expected = matrix(values[name]), expected.hasSameShape(as: m) else { return .infinity }
            return m.maxAbsDifference(expected)
        }.max() ?? .infinity
    }
}

extension Layer {
    func mapParameters(_ transform: (String, Matrix) throws -> Matrix) throws -> Self {
        var out = self
        for p in parameters { out[keyPath: p.path] = try transform(p.name, self[keyPath: p.path]) }
        return out
    }
}

@Test func tinyEncoderLossGradientsAndOptimizersMatchPyTorch() throws {
    let f = try TorchFixture("torch-encoder")
    let ids = TorchFixture.ints(f["inputs", "ids"]), targets = TorchFixture.ints(f["inputs", "targets"])
    let lengths = (f["inputs", "validLengths"] as? [Int]) ?? []
    let model = try TorchFixture.load(
        TinyEncoder(vocabulary: 7, dModel: 8, heads: 2, ffn: 16, blocks: 2, seed: 0),
        f["parameters"])
    let loss = { (m: TinyEncoder) in crossEntropy(m(ids, validLengths: lengths), targets) }
    let (value, gradient) = valueWithGradient(at: model, of: loss)
    #expect(abs(value - (f["loss"] as! Double)) < 1e-12)
    #expect(model(ids, validLengths: lengths).maxAbsDifference(try #require(TorchFixture.matrix(f["logits"]))) < 1e-12)
    #expect(TorchFixture.maxError(gradient, f["gradients"]) < 1e-12)

    func train(_ name: String, _ optimizer: inout some Optimizer, clip: Double? = nil) {
        var m = model
        var losses: [Double] = [], norms: [Double] = []
        for _ in 0..<5 {
            var (l, g) = valueWithGradient(at: m, of: loss)
            if let clip { norms.append(clipGlobalNorm(&g, maxNorm: clip)) }
            optimizer.update(&m, along: g)
            losses.append(l)
        }
        let expected = f["optimizers", name, "losses"] as? [Double] ?? []
        #expect(zip(losses, expected).allSatisfy { abs($0 - $1) < 1e-10 } && expected.count == 5, "\(name) losses")
        #expect(TorchFixture.maxError(m, f["optimizers", name, "parameters"]) < 1e-9, "\(name) parameters")
        if let expectedNorms = f["optimizers", name, "norms"] as? [Double] {
            #expect(zip(norms, expectedNorms).allSatisfy { abs($0 - $1) < 1e-10 } && norms.count == 5, "\(name) norms")
        }
    }
    var adam = Adam(learningRate: 1e-2)
    train("adam", &adam)
    var adamW = AdamW(learningRate: 1e-2, weightDecay: 0.1)
    train("adamw", &adamW)
    var sgd = SGD(learningRate: 0.1, momentum: 0.9)
    train("sgdMomentum", &sgd)
    var clipped = Adam(learningRate: 1e-2)
    train("adamClipped", &clipped, clip: 0.5)
}

@Test func tinyEncoderDecoderLossAndGradientsMatchPyTorch() throws {
    let f = try TorchFixture("torch-seq2seq")
    let source = TorchFixture.ints(f["inputs", "source"]), target = TorchFixture.ints(f["inputs", "target"])
    let targets = TorchFixture.ints(f["inputs", "targets"])
    let lengths = (f["inputs", "validLengths"] as? [Int]) ?? []
    let model = try TorchFixture.load(
        Seq2Seq(sourceVocabulary: 7, targetVocabulary: 7, dModel: 8, heads: 2, ffn: 16, layers: 1, seed: 0),
        f["parameters"])
    let (value, gradient) = valueWithGradient(at: model) { m in
        crossEntropy(m(source: source, target: target, sourceLengths: lengths), targets)
    }
    #expect(abs(value - (f["loss"] as! Double)) < 1e-12)
    #expect(TorchFixture.maxError(gradient, f["gradients"]) < 1e-12)
}

/// A model in training mode with dropout everywhere (rate 0.2, pass seed 42): PyTorch applied the
/// masks that the script draws from the core's generator, written out in Python, at the sites the
/// core numbers; the loss, logits and every gradient match, and `eval()` gives the loss without
/// dropout.
@Test func dropoutInsideTinyEncoderMatchesPyTorch() throws {
    let f = try TorchFixture("torch-dropout-encoder")
    let ids = TorchFixture.ints(f["inputs", "ids"]), targets = TorchFixture.ints(f["inputs", "targets"])
    let lengths = (f["inputs", "validLengths"] as? [Int]) ?? []
    var model = try TorchFixture.load(
        TinyEncoder(vocabulary: 7, dModel: 8, heads: 2, ffn: 16, blocks: 2, dropout: 0.2, seed: 0),
        f["parameters"])
    let (value, gradient) = valueWithGradient(at: model) { m in
        crossEntropy(m(ids, validLengths: lengths, dropoutSeed: 42), targets)
    }
    #expect(abs(value - (f["loss"] as! Double)) < 1e-12)
    let logits = model(ids, validLengths: lengths, dropoutSeed: 42)
    #expect(logits.maxAbsDifference(try #require(TorchFixture.matrix(f["logits"]))) < 1e-12)
    #expect(TorchFixture.maxError(gradient, f["gradients"]) < 1e-12)
    model.eval()
    let evaluation = crossEntropy(model(ids, validLengths: lengths, dropoutSeed: 42), targets).values[0]
    #expect(abs(evaluation - (f["evaluationLoss"] as! Double)) < 1e-12)
    #expect(abs(evaluation - value) > 1e-3)
}

/// The encoder–decoder in training mode (rate 0.3, pass seed 7), as the encoder above: the
/// decoder's six sites, its causal self-attention and padded cross-attention weights dropped.
@Test func dropoutInsideSeq2SeqMatchesPyTorch() throws {
    let f = try TorchFixture("torch-dropout-seq2seq")
    let source = TorchFixture.ints(f["inputs", "source"]), target = TorchFixture.ints(f["inputs", "target"])
    let targets = TorchFixture.ints(f["inputs", "targets"])
    let lengths = (f["inputs", "validLengths"] as? [Int]) ?? []
    var model = try TorchFixture.load(
        Seq2Seq(
            sourceVocabulary: 7, targetVocabulary: 7, dModel: 8, heads: 2, ffn: 16, layers: 1, dropout: 0.3, seed: 0),
        f["parameters"])
    let loss = { (m: Seq2Seq) in
        crossEntropy(m(source: source, target: target, sourceLengths: lengths, dropoutSeed: 7), targets)
    }
    let (value, gradient) = valueWithGradient(at: model, of: loss)
    #expect(abs(value - (f["loss"] as! Double)) < 1e-12)
    let logits = model(source: source, target: target, sourceLengths: lengths, dropoutSeed: 7)
    #expect(logits.maxAbsDifference(try #require(TorchFixture.matrix(f["logits"]))) < 1e-12)
    #expect(TorchFixture.maxError(gradient, f["gradients"]) < 1e-12)
    model.eval()
    #expect(abs(loss(model).values[0] - (f["evaluationLoss"] as! Double)) < 1e-12)
}
