/// Beam search: keeps the `width` most likely prefixes at each step and returns the most likely
/// finished sequence, without `start` (with `end` if reached).
///
/// `logProbabilities(prefix)` gives the log-probability of every next token after `prefix`
/// (which begins with `start`). A prefix's score is the sum of its tokens' log-probabilities; a
/// prefix that reaches `end`, or `maxLength` tokens, is finished; the search stops when no
/// unfinished prefix can still beat the best finished one (log-probabilities only fall), or all
/// are finished. Ties keep the earlier prefix, then the smaller token id, so the result is
/// deterministic. With `width: 1` it is greedy decoding.
/// - Precondition: `width ≥ 1`.
/// - Complexity: O(maxLength · width) calls of `logProbabilities`.
public func beamSearch(
    start: Int, end: Int, maxLength: Int, width: Int, logProbabilities: ([Int]) -> [Double]
) -> (tokens: [Int], logProbability: Double) {
    precondition(width >= 1, "beamSearch: width \(width)")
    var beams: [(tokens: [Int], score: Double)] = [([start], 0)]
    var best: (tokens: [Int], score: Double)?
    while !beams.isEmpty {
        var candidates: [(tokens: [Int], score: Double)] = []
        for beam in beams {
            for (token, lp) in logProbabilities(beam.tokens).enumerated() {
                candidates.append((beam.tokens + [token], beam.score + lp))
            }
        }
        // A stable sort keeps the earlier beam and the smaller token among equal scores.
        let kept = candidates.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.prefix(width).map(\.element)
        beams = []
        for c in kept {
            if c.tokens.last == end || c.tokens.count > maxLength {
                if best == nil || c.score > best!.score { best = c }
            } else {
                beams.append(c)
            }
        }
        if let best, beams.allSatisfy({ $0.score <= best.score }) { break }
    }
    let result = best ?? ([start], 0)
    return (Array(result.tokens.dropFirst()), result.score)
}

extension Seq2Seq {
    /// Beam search decoding with `width` beams (see `beamSearch`), next to `greedyDecode`.
    ///
    /// ```swift
    /// let words = NumberWords(maximum: 99)
    /// let model = Seq2Seq(
    ///     sourceVocabulary: 11, targetVocabulary: words.targetVocabulary.count, dModel: 8, heads: 2, ffn: 16,
    ///     layers: 1, seed: 1)
    /// let decoded = model.beamDecode([4, 3], start: words.start, end: words.end, maxLength: 5, width: 3)
    /// ```
    /// It runs in evaluation mode, whatever this model's mode.
    public func beamDecode(_ source: [Int], start: Int, end: Int, maxLength: Int, width: Int) -> [Int] {
        let model = evaluating()
        let memory = model.encode([source]).detached
        return beamSearch(start: start, end: end, maxLength: maxLength, width: width) { prefix in
            let logits = model.decode([prefix], memory: memory)
            let last = logits.row(logits.rows - 1)
            let m = last.max() ?? 0
            let logSum = m + Elementary.log(last.reduce(0) { $0 + Elementary.exp($1 - m) })
            return last.map { $0 - logSum }
        }.tokens
    }
}
