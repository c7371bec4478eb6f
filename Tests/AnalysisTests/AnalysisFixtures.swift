import Foundation
import Transformer
import TestSupport

/// Tiny fixture models and their traces, loaded once per process.
enum AnalysisFixtures {
    /// The three architectures the contribution goldens cover.
    static let models = ["tiny-gpt2", "tiny-llama", "tiny-gemma3"]
    /// The models with attention-analytics goldens (metrics, anomalies, clustering, ablation): also Qwen2.
    static let analyticsModels = ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"]

    /// The fixture model `name`.
    static func model(_ name: String) throws -> DecoderModel {
        try ModelLoader.load(Fixtures.model(name))
    }

    /// Token ids of the fixture prompts (the forward goldens' prompts).
    static func prompts(_ name: String) throws -> [[Int]] {
        try GoldenForward.load(name).prompts.map(\.ids)
    }
}
