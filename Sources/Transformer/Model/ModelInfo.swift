/// What a loaded model is: its architecture and dimensions, for display and for sizing traces.
public struct ModelInfo: Sendable, Equatable, Codable {
    /// Checkpoint class, e.g. `GPT2LMHeadModel`, `LlamaForCausalLM`.
    public let architecture: String
    /// `model_type` from config.json, e.g. `gpt2`, `llama`, `qwen2`.
    public let modelType: String
    public let layers: Int
    public let dModel: Int
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int
    public let ffnDim: Int
    public let vocabSize: Int
    /// Longest sequence the model accepts.
    public let contextLength: Int
    /// Total parameters (tied weights counted once).
    public let parameters: Int
    /// Parameters outside the token (and position) embeddings.
    public let nonEmbeddingParameters: Int
    /// Whether the LM head shares the token embedding matrix.
    public let tiedEmbeddings: Bool

    public init(
        architecture: String, modelType: String, layers: Int, dModel: Int, heads: Int, kvHeads: Int,
        headDim: Int, ffnDim: Int, vocabSize: Int, contextLength: Int, parameters: Int,
        nonEmbeddingParameters: Int, tiedEmbeddings: Bool
    ) {
        self.architecture = architecture
        self.modelType = modelType
        self.layers = layers
        self.dModel = dModel
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.ffnDim = ffnDim
        self.vocabSize = vocabSize
        self.contextLength = contextLength
        self.parameters = parameters
        self.nonEmbeddingParameters = nonEmbeddingParameters
        self.tiedEmbeddings = tiedEmbeddings
    }
}
