import Foundation
import Testing
import TestSupport
import Transformer

/// `Sampling` against the float64 reference of the sampling filters (tools/references/make_sampling_fixtures.py →
/// Tests/Fixtures/golden/sampling.json), which the browser's `core/sampling.js` is checked against too: the same
/// kept tokens in the same order, and the same probabilities.
@Suite("Sampling against the float64 reference")
struct SamplingReferenceTests {
    @Test("every case: the penalised logits, the kept tokens and their final probabilities")
    func reference() throws {
        let data = try Data(contentsOf: Fixtures.golden("sampling.json"))
        let golden = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let logits = try #require(golden["logits"] as? [Double]).map { Float($0) }
        let cases = try #require(golden["cases"] as? [[String: Any]])
        #expect(cases.count >= 9)
        for c in cases {
            let penalty = try #require(c["repetition_penalty"] as? Double)
            let previous = try #require(c["previous"] as? [Int])
            let penalized = Sampling.penalized(logits, seen: previous, penalty: penalty)
            let expectedLogits = try #require(c["penalized_logits"] as? [Double])
            // The penalty divides in float32 here, in float64 in the reference.
            #expect(zip(penalized, expectedLogits).allSatisfy { abs(Double($0) - $1) <= 1e-6 * max(1, abs($1)) })
            let temperature = try #require(c["temperature"] as? Double)
            let topK = try #require(c["top_k"] as? Int), topP = try #require(c["top_p"] as? Double)
            let kept = Sampling.filtered(penalized, temperature: temperature, topK: topK, topP: topP)
            let final = try #require(c["after_top_p"] as? [Double])
            let expectedIDs = final.indices.filter { final[$0] > 0 }.sorted {
                final[$0] > final[$1] || (final[$0] == final[$1] && $0 < $1)
            }
            let what = "T \(temperature) k \(topK) p \(topP) r \(penalty)"
            #expect(kept.map(\.id) == expectedIDs, "\(what)")
            // float32 logits in both; a penalised logit rounded to float32 moves a probability by ~1e-7 relative.
            let tolerance = penalty == 1 ? 1e-12 : 1e-6
            for candidate in kept {
                let expected = final[candidate.id]
                #expect(
                    abs(candidate.probability - expected) <= tolerance * max(expected, 1e-3), "\(what) #\(candidate.id)"
                )
            }
        }
    }
}
