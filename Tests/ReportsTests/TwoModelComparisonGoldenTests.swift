import Analysis
import Foundation
import Reports
import Testing
import TestSupport
import Tokenizers
import Transformer

/// `TwoModelComparison` against `tools/references/make_comparison_fixtures.py` (float64, written from the definitions;
/// it keys vocabulary strings by bytes where Glassbox keys them by display string). Tolerance: |Δ| ≤ 1e-5·max(1, |ref|)
/// for every float (the models run in float32); ids, layers, counts and classes exactly.
@Suite("Model comparison against the reference")
struct TwoModelComparisonGoldenTests {
    typealias Object = [String: Any]

    static var golden: Object {
        let data = try! Data(contentsOf: Fixtures.golden("comparison-models.json"))
        return try! JSONSerialization.jsonObject(with: data) as! Object
    }

    static func input(_ name: String) throws -> TwoModelComparison.Input {
        let url = Fixtures.model(name)
        return TwoModelComparison.Input(
            name: name, model: try ModelLoader.load(url), tokenizer: try TokenizerLoader.load(url))
    }

    static func close(_ actual: Double, _ expected: Double, _ label: String) {
        #expect(abs(actual - expected) <= 1e-5 * max(1, abs(expected)), "\(label): \(actual) vs \(expected)")
    }

    static func closeAll(_ actual: [Double], _ expected: [Double], _ label: String) {
        #expect(actual.count == expected.count, "\(label): \(actual.count) values vs \(expected.count)")
        for (i, (a, e)) in zip(actual, expected).enumerated() { close(a, e, "\(label)[\(i)]") }
    }

    static var cases: [Int] { Array(((golden["cases"] as! [Object]).indices)) }

    @Test("each case's sides and distribution", arguments: cases)
    func goldenCase(_ index: Int) throws {
        let expected = (Self.golden["cases"] as! [Object])[index]
        let (a, b, text) = (expected["a"] as! String, expected["b"] as! String, expected["text"] as! String)
        let comparison = try TwoModelComparison.compare(
            text: text, a: try Self.input(a), b: try Self.input(b), topK: 10)
        let actual = try JSONSerialization.jsonObject(with: TwoModelComparisonJSON.data(comparison, top: 10)) as! Object
        let label = "\(a) vs \(b)"
        for (s, (got, want)) in zip(actual["models"] as! [Object], expected["sides"] as! [Object]).enumerated() {
            let side = "\(label) side \(s)"
            #expect(got["token_ids"] as! [Int] == want["token_ids"] as! [Int], "\(side) token ids")
            let (gotTop, wantTop) = (got["top"] as! [Object], want["top"] as! [Object])
            #expect(gotTop.map { $0["id"] as! Int } == wantTop.map { $0["id"] as! Int }, "\(side) top ids")
            Self.closeAll(
                gotTop.map { $0["probability"] as! Double }, wantTop.map { $0["probability"] as! Double },
                "\(side) top probabilities")
            let (gotLayers, wantLayers) = (got["layer_metrics"] as! [Object], want["layer_metrics"] as! [Object])
            #expect(gotLayers.count == wantLayers.count)
            for (l, (g, w)) in zip(gotLayers, wantLayers).enumerated() {
                Self.close(g["depth"] as! Double, w["depth"] as! Double, "\(side) layer \(l) depth")
                for name in HeadMetrics.metricNames {
                    Self.close(g[name] as! Double, w[name] as! Double, "\(side) layer \(l) \(name)")
                }
            }
            let (gotLens, wantLens) = (got["lens"] as! Object, want["lens"] as! Object)
            #expect(
                (gotLens["top_by_layer"] as! [Object]).map { $0["id"] as! Int } == wantLens["top_by_layer"] as! [Int],
                "\(side) lens")
            #expect(gotLens["first_layer"] as! Int == wantLens["first_layer"] as! Int, "\(side) first layer")
            #expect(gotLens["settled_layer"] as! Int == wantLens["settled_layer"] as! Int, "\(side) settled layer")
            #expect(got["classes"] as! [String: Int] == want["classes"] as! [String: Int], "\(side) classes")
            let gotAnomalies = got["anomalies"] as! [String: Int]
            for (key, value) in want["anomalies"] as! [String: Int] {
                #expect(gotAnomalies[key] == value, "\(side) anomalies \(key)")
            }
        }
        let (got, want) = (actual["distribution"] as! Object, expected["distribution"] as! Object)
        #expect(got["shared_strings"] as! Int == want["shared_strings"] as! Int, "\(label) shared strings")
        for key in ["shared_mass", "mass_outside_shared"] {
            Self.closeAll(got[key] as! [Double], want[key] as! [Double], "\(label) \(key)")
        }
        for key in ["kl_ab", "kl_ba", "js", "total_variation"] {
            Self.close(got[key] as! Double, want[key] as! Double, "\(label) \(key)")
        }
        let (gotTop, wantTop) = (got["top"] as! [Object], want["top"] as! [Object])
        #expect(gotTop.count == wantTop.count)
        for (i, (g, w)) in zip(gotTop, wantTop).enumerated() {
            Self.closeAll(
                g["probability"] as! [Double], w["probability"] as! [Double], "\(label) shared top \(i)")
            // The reference keys by bytes: its string, rendered as Glassbox renders token bytes, is ours.
            let bytes = Self.bytes(hex: w["bytes_hex"] as! String)
            #expect(g["string"] as! String == Self.render(bytes), "\(label) shared top \(i) string")
        }
    }

    @Test("a model against itself: every string shared, no mass outside, zero divergences")
    func itself() throws {
        let input = try Self.input("tiny-llama")
        let c = try TwoModelComparison.compare(text: "the cat sat", a: input, b: input)
        #expect(c.distribution.outsideA == 0 && c.distribution.outsideB == 0)
        #expect(abs(c.distribution.klAB) < 1e-15 && abs(c.distribution.jensenShannon) < 1e-15)
        #expect(c.sides[0].tokens == c.sides[1].tokens)
    }

    @Test("an empty text and a text over the token limit are refused naming the problem")
    func refusals() throws {
        let input = try Self.input("tiny-gpt2")
        #expect(throws: ReportError.self) { try TwoModelComparison.compare(text: "", a: input, b: input) }
        do {
            _ = try TwoModelComparison.compare(
                text: String(repeating: "the cat sat ", count: 40), a: input, b: input, maxTokens: 16)
            Issue.record("a text over the limit was accepted")
        } catch let error as ReportError {
            #expect(error.message.contains("tokens") && error.tooLong, "\(error.message)")
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
        }
    }

    /// A token's bytes as display strings show them: whitespace visible (␣ ↵ ⇥ ␍), invisible scalars as `<U+XXXX>`,
    /// stray bytes as `<0xXX>`.
    /// Written here from the rule, not by calling the tokenizer, so the reference's byte keys are checked.
    static func render(_ bytes: [UInt8]) -> String {
        var out = "", i = 0
        while i < bytes.count {
            var length = 0
            for n in [1, 2, 3, 4] where i + n <= bytes.count {
                if let s = String(validating: bytes[i..<(i + n)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    length = n
                    break
                }
            }
            guard length > 0 else {
                out += "<0x" + String(format: "%02X", bytes[i]) + ">"
                i += 1
                continue
            }
            let scalar = String(decoding: bytes[i..<(i + length)], as: UTF8.self).unicodeScalars.first!
            switch scalar {
            case " ": out += "␣"
            case "\n": out += "↵"
            case "\t": out += "⇥"
            case "\r": out += "␍"
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse,
                    .surrogate, .unassigned:
                    out += "<U+" + String(format: "%04X", scalar.value) + ">"
                default: out.unicodeScalars.append(scalar)
                }
            }
            i += length
        }
        return out
    }
}
