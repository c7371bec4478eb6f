import Analysis
import Transformer

/// What a report measures and its limits.
public struct ReportOptions: Sendable, Equatable {
    /// Run the head and layer ablation passes (the costly part: `L·H + L` passes per prompt).
    public var ablation = true
    public var metricParameters = AttentionMetricParameters()
    public var anomalyParameters = AnomalyParameters()
    /// Clusters of the heads' mean metrics.
    public var clusters = 5
    /// Predictions listed per prompt.
    public var topK = 5
    /// Most tokens a prompt may have.
    public var maxTokens = 512
    /// Most prompts a report may have.
    public var maxPrompts = 50
    /// Workers per forward pass.
    public var workers = 1
    /// Redundancy thresholds (`docs/analyses.md` §4).
    public var redundantLayerCosine = 0.99
    public var redundantLayerUpdate = 0.05
    public var redundantHeadNats = 0.01

    public init() {}
}

/// A report request that cannot be answered, in words a user can act on.
public struct ReportError: Error, CustomStringConvertible, Equatable {
    public let message: String
    /// The request field at fault: `prompts` unless said otherwise (`targets`, `labels`).
    public let parameter: String
    /// A prompt longer than the limit (the API answers 413 for it, as for a single run).
    public let tooLong: Bool
    public init(_ message: String, parameter: String = "prompts", tooLong: Bool = false) {
        self.message = message
        self.parameter = parameter
        self.tooLong = tooLong
    }
    public var description: String { message }
}

extension ReportError {
    /// Runs `body`, turning a `PromptError` into a report error about `subject` ("prompt 3"), too long or not.
    static func prompt<T>(_ subject: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PromptError {
            switch error {
            case .tooLong(let tokens, let limit):
                throw ReportError(
                    "\(subject) has \(tokens) tokens, more than the limit of \(limit) (the server's limit "
                        + "and the model's context)", tooLong: true)
            case .empty: throw ReportError("\(subject) has no tokens")
            case .unencodable(let message): throw ReportError("\(subject) cannot be tokenized: \(message)")
            }
        }
    }
}
