import Foundation
import Testing
import TransformerCore

/// The reference cases of ../shared/fixtures, computed by an independent numpy implementation.
struct Fixture {
    let name: String
    let input: [String: Any]
    let expected: [String: Any]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/fixtures").standardizedFileURL
    static let names = ["causal-self-2head", "cross-pad-2head", "nomask-self-1head"]

    init(_ name: String) throws {
        self.name = name
        func load(_ suffix: String) throws -> [String: Any] {
            let data = try Data(contentsOf: Fixture.directory.appendingPathComponent("\(name).\(suffix).json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        input = try load("input")
        expected = try load("expected")
    }

    static func matrix(_ any: Any?) throws -> Matrix {
        let rows = try #require(any as? [[Any]])
        return Matrix(rows.map { $0.map { ($0 as! NSNumber).doubleValue } })
    }

    static func vector(_ any: Any?) throws -> [Double]? {
        (any as? [Any])?.map { ($0 as! NSNumber).doubleValue }
    }

    var mask: Mask? {
        get throws {
            let nq = try Fixture.matrix(input["X"]).rows
            let nk = try Fixture.matrix(input["X_kv"] ?? input["X"]).rows
            switch input["mask"] {
            case let s as String where s == "causal": return .causal(nq)
            case let rows as [[Any]]: return Mask(Matrix(rows.map { $0.map { ($0 as! NSNumber).doubleValue } }))
            default:
                _ = nk
                return nil
            }
        }
    }

    func attentionModule() throws -> MultiHeadAttention {
        MultiHeadAttention(
            wQ: try Fixture.matrix(input["W_q"]), wK: try Fixture.matrix(input["W_k"]),
            wV: try Fixture.matrix(input["W_v"]), wO: try Fixture.matrix(input["W_o"]),
            bQ: try Fixture.vector(input["b_q"]).map { Matrix(row: $0) },
            bK: try Fixture.vector(input["b_k"]).map { Matrix(row: $0) },
            bV: try Fixture.vector(input["b_v"]).map { Matrix(row: $0) },
            bO: try Fixture.vector(input["b_o"]).map { Matrix(row: $0) },
            heads: input["n_head"] as! Int)
    }
}

/// numpy float64 and this core agree to this many units (the fixtures' README asks ≤ 1e-9).
let fixtureTolerance = 1e-9

@Test(arguments: Fixture.names)
func multiHeadAttentionMatchesReference(_ name: String) throws {
    let f = try Fixture(name)
    let x = try Fixture.matrix(f.input["X"])
    let context = try f.input["X_kv"].map { try Fixture.matrix($0) }
    let result = try f.attentionModule()(x, context: context, mask: try f.mask)
    #expect(result.queries.maxAbsDifference(try Fixture.matrix(f.expected["Q"])) <= fixtureTolerance)
    #expect(result.keys.maxAbsDifference(try Fixture.matrix(f.expected["K"])) <= fixtureTolerance)
    #expect(result.values.maxAbsDifference(try Fixture.matrix(f.expected["V"])) <= fixtureTolerance)
    let heads = try #require(f.expected["heads"] as? [[String: Any]])
    #expect(heads.count == result.heads.count)
    for (h, expectedHead) in heads.enumerated() {
        let head = result.heads[h]
        #expect(head.queries.maxAbsDifference(try Fixture.matrix(expectedHead["Q"])) <= fixtureTolerance)
        #expect(head.keys.maxAbsDifference(try Fixture.matrix(expectedHead["K"])) <= fixtureTolerance)
        #expect(head.values.maxAbsDifference(try Fixture.matrix(expectedHead["V"])) <= fixtureTolerance)
        #expect(head.scoresRaw.maxAbsDifference(try Fixture.matrix(expectedHead["scores_raw"])) <= fixtureTolerance)
        // Masked scores are about −1e10: compare them relative to their size.
        let scores = try Fixture.matrix(expectedHead["scores"])
        for i in 0..<scores.rows {
            for j in 0..<scores.cols {
                #expect(abs(head.scores[i, j] - scores[i, j]) <= fixtureTolerance * max(1, abs(scores[i, j])))
            }
        }
        #expect(head.weights.maxAbsDifference(try Fixture.matrix(expectedHead["weights"])) <= fixtureTolerance)
        #expect(head.output.maxAbsDifference(try Fixture.matrix(expectedHead["output"])) <= fixtureTolerance)
    }
    #expect(result.concat.maxAbsDifference(try Fixture.matrix(f.expected["concat"])) <= fixtureTolerance)
    #expect(result.output.maxAbsDifference(try Fixture.matrix(f.expected["output"])) <= fixtureTolerance)
}

@Test(arguments: Fixture.names)
func softmaxAndLayerNormMatchReference(_ name: String) throws {
    let f = try Fixture(name)
    let softmaxIn = try Fixture.matrix(f.input["softmax_input"])
    #expect(softmaxRows(softmaxIn).maxAbsDifference(try Fixture.matrix(f.expected["softmax"])) <= fixtureTolerance)
    let ln = try #require(f.input["layer_norm"] as? [String: Any])
    let x = try ln["x"].map { try Fixture.matrix($0) } ?? Fixture.matrix(f.input["X"])
    let eps = (ln["eps"] as? NSNumber)?.doubleValue ?? 1e-5
    let normed = layerNorm(x, gain: try Fixture.vector(ln["g"]), bias: try Fixture.vector(ln["b"]), epsilon: eps)
    #expect(normed.maxAbsDifference(try Fixture.matrix(f.expected["layer_norm"])) <= fixtureTolerance)
    if let geluIn = f.input["gelu_input"] {
        #expect(
            gelu(try Fixture.matrix(geluIn)).maxAbsDifference(try Fixture.matrix(f.expected["gelu"]))
                <= fixtureTolerance)
    }
}
