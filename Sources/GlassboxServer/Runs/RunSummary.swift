import JSON
import Analysis
import Foundation
import Tokenizers
import Transformer

/// The JSON of a run as `POST /api/runs` and `GET /api/runs/{id}` return it.
enum RunSummary {
    /// `generatedFrom`: the first generated position of a continuation made by `POST /api/generate`.
    static func json(
        id: String, loaded: LoadedModel, ids: [Int], prompt: String,
        predictions: [NextTokenTable.Prediction], generatedFrom: Int? = nil
    ) -> Data {
        var w = JSONWriter(capacity: 4096 + ids.count * 256)
        let tokenizer = loaded.tokenizer
        w.object { o in
            o.field("id", id)
            o.field("prompt", prompt)
            if let generatedFrom { o.field("generated_from", generatedFrom) }
            o.field("model") { ModelDescription.write(loaded, into: &$0) }
            o.field("tokens") { w in
                w.array(ids) { w, token in
                    w.object { t in
                        t.field("id", token)
                        t.field("text", tokenizer.decode([token]))
                        t.field("display", tokenizer.displayString(for: token))
                    }
                }
            }
            o.field("top") { w in
                w.array(predictions) { w, p in
                    w.object { t in
                        t.field("id", p.id)
                        t.field("display", tokenizer.displayString(for: p.id))
                        t.field("logit", p.logit)
                        t.field("probability", p.probability)
                    }
                }
            }
        }
        return w.data
    }
}

/// A model's description in API responses.
enum ModelDescription {
    static func write(_ loaded: LoadedModel, into w: inout JSONWriter) {
        let info = loaded.model.info
        w.object { m in
            m.field("name", loaded.name)
            m.field("weights", loaded.weights.rawValue)
            m.field("weight_bytes", loaded.model.weightBytes)
            m.field("architecture", info.architecture)
            m.field("model_type", info.modelType)
            m.field("layers", info.layers)
            m.field("heads", info.heads)
            m.field("kv_heads", info.kvHeads)
            m.field("head_dim", info.headDim)
            m.field("d_model", info.dModel)
            m.field("ffn_dim", info.ffnDim)
            m.field("vocab_size", info.vocabSize)
            m.field("context_length", info.contextLength)
            m.field("parameters", info.parameters)
            m.field("non_embedding_parameters", info.nonEmbeddingParameters)
            if let description = loaded.description { m.field("description", description) }
            if let license = loaded.license { m.field("license", license) }
        }
    }
}
