import Foundation
import Testing
import TransformerCore

/// `save(to:)` / `loaded(from:)`: a state dictionary in JSON, keyed by the parameter names the
/// PyTorch fixtures use, loaded strictly into a model of the same architecture.
struct StateDictionaryTests {
    @Test func theJSONIsAStateDictionaryOfRows() throws {
        let json = try Linear(weight: [[1, 2]], bias: [0.5, -0.5]).stateDictionaryJSON()
        #expect(json == "{\n  \"weight\": [[1.0, 2.0]],\n  \"bias\": [[0.5, -0.5]]\n}\n")
    }

    @Test func aSavedModelLoadsBitForBit() throws {
        var model = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
        var adam = Adam(learningRate: 1e-2)
        let task = SequenceTask(.copy, vocabulary: 20, length: 16)
        for step in 1...3 {
            let batch = task.batch(8, seed: UInt64(step))
            adam.update(&model, along: gradient(at: model) { m in crossEntropy(m(batch.inputs), batch.targets) })
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let untrained = TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 1)
        let trained = try untrained.loaded(from: path)

        #expect(trained == model)
        #expect(trained != untrained)
        let other = try TinyEncoder(vocabulary: 20, dModel: 32, heads: 2, ffn: 64, blocks: 1, seed: 9).loaded(
            from: path)
        #expect(other == model, "every parameter comes from the file, none from the seed")
    }

    /// As PyTorch writes one: `json.dumps({k: v.T.tolist() for k, v in linear.state_dict().items()})`.
    @Test func aPyTorchStyleFileLoads() throws {
        let json = #"{"weight": [[1, -2.5], [3e-1, 4E2]], "bias": [[0.1, 1e-300]]}"#
        let layer = try Linear(inputs: 2, outputs: 2, seed: 0).loadingStateDictionaryJSON(json)
        #expect(layer.weight == Matrix([[1, -2.5], [0.3, 400]]))
        #expect(layer.bias == Matrix([[0.1, 1e-300]]))
    }

    @Test(arguments: [
        (#"{"weight": [[1, 2]]}"#, "missing parameter \"bias\""),
        (
            #"{"weight": [[1, 2]], "bias": [[1, 2]], "scale": [[1]]}"#,
            "unexpected parameter \"scale\" (this model has 2)"
        ),
        (#"{"weight": [[1], [2]], "bias": [[1, 2]]}"#, "weight is 2×1 in the file but 1×2 in the model"),
        (#"{"weight": [[1, 2]], "bias": [[1, 2]"#, "malformed state dictionary at line 1: expected ']'"),
    ])
    func aFileThatDoesNotFitIsALocatedError(_ json: String, _ message: String) {
        let layer = Linear(weight: [[1, 2]], bias: [0, 0])
        #expect(throws: StateDictionaryError(message)) { try layer.loadingStateDictionaryJSON(json) }
    }

    @Test func nonFiniteEntriesAreNotWritten() {
        #expect(throws: StateDictionaryError("weight[0, 1] is inf, which JSON cannot hold")) {
            try Linear(weight: [[1, .infinity]]).stateDictionaryJSON()
        }
    }

    @Test func aMissingFileNamesItsPath() {
        #expect(throws: StateDictionaryError("cannot read /nonexistent/model.json")) {
            try Linear(weight: [[1]]).loaded(from: "/nonexistent/model.json")
        }
    }
}
