import Foundation
import Testing
import TransformerCore

/// GRU and LSTM against `torch.nn.GRU`/`LSTM` over a packed batch (float64,
/// `scripts/make_torch_fixtures.py recurrent`): outputs, last states, the loss and the gradient
/// of every parameter, the inputs and the initial states, to 1e-10.
struct RecurrentTests {
    static let tolerance = 1e-10

    static func expectClose(_ a: Matrix, _ b: Matrix?, _ what: String) throws -> Double {
        let b = try #require(b, "\(what) missing from the fixture")
        #expect(a.hasSameShape(as: b), "\(what): \(a.shapeDescription) vs \(b.shapeDescription)")
        let error = a.maxAbsDifference(b)
        #expect(error <= tolerance, "\(what) differs from PyTorch by \(error)")
        return error
    }

    @Test func gruMatchesPyTorch() throws {
        let f = try TorchFixture("torch-gru")
        let gru = try TorchFixture.load(GRU(inputs: 3, hidden: 4, seed: 0), f["parameters"])
        let x = try #require(TorchFixture.matrix(f["inputs", "x"]))
        let h0 = try #require(TorchFixture.matrix(f["inputs", "h0"]))
        let (r, s) = (
            try #require(TorchFixture.matrix(f["inputs", "R"])), try #require(TorchFixture.matrix(f["inputs", "S"]))
        )
        let lengths = try #require((f["inputs", "validLengths"] as? [NSNumber])?.map(\.intValue))

        let (outputs, last) = gru(x, sequences: 3, validLengths: lengths, initial: h0)
        var worst = try Self.expectClose(outputs, TorchFixture.matrix(f["outputs"]), "outputs")
        worst = max(worst, try Self.expectClose(last, TorchFixture.matrix(f["last"]), "last"))
        let (loss, g) = valueWithGradient(at: Pair(gru, Pair(x, h0))) { p in
            let (o, l) = p.first(p.second.first, sequences: 3, validLengths: lengths, initial: p.second.second)
            return sum(o .* r) + sum(l .* s)
        }
        let torchLoss = try #require(f["loss"] as? NSNumber).doubleValue
        #expect(abs(loss - torchLoss) <= Self.tolerance)
        for (name, value) in g.first.namedParameters {
            worst = max(worst, try Self.expectClose(value, TorchFixture.matrix(f["gradients", name]), "∂/∂\(name)"))
        }
        worst = max(worst, try Self.expectClose(g.second.first, TorchFixture.matrix(f["gradients", "x"]), "∂/∂x"))
        worst = max(worst, try Self.expectClose(g.second.second, TorchFixture.matrix(f["gradients", "h0"]), "∂/∂h0"))
        print("GRU vs PyTorch: largest difference \(worst), loss difference \(abs(loss - torchLoss))")
    }

    @Test func lstmMatchesPyTorch() throws {
        let f = try TorchFixture("torch-lstm")
        let lstm = try TorchFixture.load(LSTM(inputs: 3, hidden: 4, seed: 0), f["parameters"])
        let x = try #require(TorchFixture.matrix(f["inputs", "x"]))
        let h0 = try #require(TorchFixture.matrix(f["inputs", "h0"]))
        let c0 = try #require(TorchFixture.matrix(f["inputs", "c0"]))
        let (r, s) = (
            try #require(TorchFixture.matrix(f["inputs", "R"])), try #require(TorchFixture.matrix(f["inputs", "S"]))
        )
        let u = try #require(TorchFixture.matrix(f["inputs", "U"]))
        let lengths = try #require((f["inputs", "validLengths"] as? [NSNumber])?.map(\.intValue))

        let run = lstm(x, sequences: 3, validLengths: lengths, initial: (h0, c0))
        var worst = try Self.expectClose(run.outputs, TorchFixture.matrix(f["outputs"]), "outputs")
        worst = max(worst, try Self.expectClose(run.last, TorchFixture.matrix(f["last"]), "last"))
        worst = max(worst, try Self.expectClose(run.cell, TorchFixture.matrix(f["cell"]), "cell"))
        let (loss, g) = valueWithGradient(at: Pair(lstm, Pair(x, Pair(h0, c0)))) { p in
            let states = p.second.second
            let o = p.first(p.second.first, sequences: 3, validLengths: lengths, initial: (states.first, states.second))
            return sum(o.outputs .* r) + sum(o.last .* s) + sum(o.cell .* u)
        }
        let torchLoss = try #require(f["loss"] as? NSNumber).doubleValue
        #expect(abs(loss - torchLoss) <= Self.tolerance)
        for (name, value) in g.first.namedParameters {
            worst = max(worst, try Self.expectClose(value, TorchFixture.matrix(f["gradients", name]), "∂/∂\(name)"))
        }
        worst = max(worst, try Self.expectClose(g.second.first, TorchFixture.matrix(f["gradients", "x"]), "∂/∂x"))
        let dh0 = g.second.second.first, dc0 = g.second.second.second
        worst = max(worst, try Self.expectClose(dh0, TorchFixture.matrix(f["gradients", "h0"]), "∂/∂h0"))
        worst = max(worst, try Self.expectClose(dc0, TorchFixture.matrix(f["gradients", "c0"]), "∂/∂c0"))
        print("LSTM vs PyTorch: largest difference \(worst), loss difference \(abs(loss - torchLoss))")
    }

    /// Hand computation: a GRU cell with all weights and biases zero has r = z = ½ and n = 0, so
    /// h′ = ½h; a padded step leaves the state and outputs zero.
    @Test func aZeroGRUHalvesItsStateAndPaddingFreezesIt() {
        var gru = GRU(inputs: 1, hidden: 2, seed: 0)
        gru = gru.mapParameters { _, m in Matrix(rows: m.rows, cols: m.cols) }
        let h0 = Matrix([[4, -8]])
        let (outputs, last) = gru(Matrix([[1], [1], [1]]), sequences: 1, validLengths: [2], initial: h0)
        #expect(outputs == Matrix([[2, -4], [1, -2], [0, 0]]))
        #expect(last == Matrix([[1, -2]]))
    }
}
