import Analysis
import Foundation
import GlassboxServer
import HTTP
import Testing
import TestSupport
import Transformer

/// `GET /api/runs/{id}/attributions` against the Analysis library on the same run, and its bad inputs.
@Suite("HTTP API: attributions")
struct AttributionAPITests {
    static let prompt = "When Mary and John went to the store, John gave a drink to"

    @Test("each method's scores, target and extras equal Attribution.compute on the same run")
    func methods() throws {
        let server = try ServerFixture()
        let id = try server.run(Self.prompt, model: "tiny-llama")
        let (model, trace) = try AnalyticsAPITests.trace(server, id, model: "tiny-llama")
        let n = trace.shape.tokens
        let logits = trace.logits(at: n - 1)!
        let top = logits.indices.max { logits[$0] < logits[$1] }! - logits.startIndex
        for (query, parameters, target) in [
            ("method=saliency", AttributionParameters(method: .saliency), GradientTarget(position: n - 1, token: top)),
            (
                "method=ig&steps=8&baseline=3&objective=logprob",
                AttributionParameters(method: .ig, steps: 8, baseline: .token(3)),
                GradientTarget(position: n - 1, token: top, objective: .logprob)
            ),
            (
                "method=occlusion&target=7&contrast=9&position=4",
                AttributionParameters(method: .occlusion), GradientTarget(position: 4, token: 7, contrast: 9)
            ),
            (
                "method=gradient-flow&target=top&position=-3", AttributionParameters(method: .gradientFlow),
                GradientTarget(position: n - 3, token: Self.topToken(model, trace, n - 3))
            ),
            (
                "method=attention-gradient", AttributionParameters(method: .attentionGradient),
                GradientTarget(position: n - 1, token: top)
            )
        ] {
            let body = try json(try server.call("GET", "/api/runs/\(id)/attributions?\(query)"))
            let expected = try Attribution.compute(model: model, trace: trace, target: target, parameters: parameters)
            let scores = (body["scores"] as! [NSNumber]).map(\.doubleValue)
            let scale = expected.scores.map(abs).max()!
            #expect(zip(scores, expected.scores).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "\(query): \(scores)")
            let t = body["target"] as! [String: Any]
            #expect((t["token"] as! [String: Any])["id"] as? Int == target.token, "\(query)")
            #expect(t["position"] as? Int == target.position)
            #expect(abs((t["f"] as! Double) - expected.value) <= 1e-5 * max(1, abs(expected.value)))
            #expect((t["objective"] as? String) == (target.contrast == nil ? target.objective.rawValue : "contrast"))
            switch parameters.method {
            case .ig:
                #expect(abs((body["completeness_gap"] as! Double) - expected.completenessGap!) <= 1e-5 * max(1, scale))
                #expect(body["steps"] as? Int == 8 && body["baseline"] as? String == "token:3")
            case .gradientFlow:
                let flow = body["flow"] as! [String: [[NSNumber]]]
                #expect(flow["mid"]!.count == model.info.layers)
                #expect(abs(flow["post"]![0][n - 3].doubleValue - expected.flow!.post[0][n - 3]) <= 1e-5 * scale)
            case .attentionGradient:
                #expect((body["attention_maps"] as! [[NSNumber]]).count == model.info.layers)
            default:
                #expect(body["completeness_gap"] == nil && body["flow"] == nil)
            }
        }
    }

    static func topToken(_ model: DecoderModel, _ trace: Trace, _ position: Int) -> Int {
        let run = try! model.forward(tokens: trace.tokens, options: ForwardOptions(logitPositions: [position]))
        let row = run.logits(at: position)!
        return row.indices.max { row[$0] < row[$1] }! - row.startIndex
    }

    @Test("equal requests spelt differently (order, defaults) get the same body")
    func cached() throws {
        let server = try ServerFixture()
        let id = try server.run(Self.prompt, model: "tiny-gpt2")
        let first = try server.call("GET", "/api/runs/\(id)/attributions?method=ig&steps=4")
        let second = try server.call("GET", "/api/runs/\(id)/attributions?steps=4&method=ig&baseline=zero")
        #expect(first.status == 200 && first.body == second.body)
    }

    @Test("bad parameters are 400s naming the parameter")
    func badParameters() throws {
        let server = try ServerFixture()
        let id = try server.run(Self.prompt, model: "tiny-gpt2")
        for (query, parameter) in [
            ("method=lime", "method"), ("", "method"), ("method=ig&steps=0", "steps"),
            ("method=ig&steps=1025", "steps"), ("method=saliency&target=100000", "target"),
            ("method=saliency&target=-2", "target"), ("method=saliency&contrast=100000", "contrast"),
            ("method=saliency&target=5&contrast=5", "contrast"), ("method=saliency&position=99", "position"),
            ("method=ig&baseline=pad%20row", "baseline"), ("method=ig&baseline=999999", "baseline"),
            ("method=saliency&objective=prob", "objective"), ("method=saliency&norm=l3", "norm"),
            ("method=saliency&target=two%20words%20here", "target"), ("method=saliency&contrast=top", "contrast"),
            ("method=saliency&layer=1", "layer")
        ] {
            let response = try server.call("GET", "/api/runs/\(id)/attributions?\(query)")
            _ = try APITests.expectError(response, status: 400, code: "bad_parameter", parameter: parameter)
        }
    }
}
