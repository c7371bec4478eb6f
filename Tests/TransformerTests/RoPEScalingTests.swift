import Foundation
import ModelFormats
import Testing
import Transformer

@Suite("RoPE frequencies and scaling")
struct RoPEScalingTests {
    @Test("plain frequencies are base^(-2i/d)")
    func plain() {
        let f = RoPEScaling.none.inverseFrequencies(base: 10_000, rotaryDim: 8)
        #expect(f.count == 4)
        for (i, v) in f.enumerated() { #expect(abs(v - pow(10_000, -Double(2 * i) / 8)) < 1e-15) }
    }

    @Test("llama3 scaling keeps high frequencies, divides low ones, and blends between")
    func llama3() {
        // head dim 16, base 10000: wavelengths 2π·10000^(i/8) = 6.28, 19.9, 62.8, 199, 628, ...
        // original context 256 with factors (1, 4): keep below 64, divide above 256, blend in between.
        let scaling = RoPEScaling.llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 256)
        let plain = RoPEScaling.none.inverseFrequencies(base: 10_000, rotaryDim: 16)
        let scaled = scaling.inverseFrequencies(base: 10_000, rotaryDim: 16)
        #expect(Array(scaled[0..<3]) == Array(plain[0..<3]))
        for i in 4..<8 { #expect(abs(scaled[i] - plain[i] / 8) < 1e-18) }
        let wavelength = 2 * Double.pi / plain[3]
        let s = (256 / wavelength - 1) / 3
        #expect(abs(scaled[3] - ((1 - s) * plain[3] / 8 + s * plain[3])) < 1e-15)
        #expect(scaled[3] < plain[3] && scaled[3] > plain[3] / 8)
    }

    @Test("both config layouts are read; unknown types are errors naming the type")
    func configLayouts() throws {
        let v4 = try JSONConfig(
            data: Data(#"{"rope_theta": 500000, "rope_scaling": {"type": "linear", "factor": 2}}"#.utf8),
            path: "config.json")
        let (base4, scaling4) = try RoPEScaling.read(from: v4, defaultBase: 10_000)
        #expect(base4 == 500_000 && scaling4 == .linear(factor: 2))
        let v5 = try JSONConfig(
            data: Data(#"{"rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0}}"#.utf8),
            path: "config.json")
        let (base5, scaling5) = try RoPEScaling.read(from: v5, defaultBase: 10_000)
        #expect(base5 == 1_000_000 && scaling5 == .none)
        let yarn = try JSONConfig(
            data: Data(#"{"rope_scaling": {"rope_type": "yarn", "factor": 4}}"#.utf8),
            path: "config.json")
        #expect(
            throws: ModelFormatError(
                path: "config.json (rope_scaling)",
                "RoPE scaling type \"yarn\" is not supported (supported: default, linear, llama3)")
        ) {
            try RoPEScaling.read(from: yarn, defaultBase: 10_000)
        }
    }
}
