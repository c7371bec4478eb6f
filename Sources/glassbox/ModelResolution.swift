import Foundation
import ModelCatalog
import ModelFormats

/// Turns `--model` into a location: an existing path as it is, otherwise a model name from the configuration,
/// installed on first use.
enum ModelResolution {
    /// `--config`, else `GLASSBOX_CONFIG`, else `config/glassbox.json` in the working directory.
    static func catalog(config: String?) throws -> ModelCatalog {
        let path = config ?? ProcessInfo.processInfo.environment["GLASSBOX_CONFIG"] ?? "config/glassbox.json"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelInstaller.InstallError(
                message: "no configuration at \(path) (give --config FILE or set "
                    + "GLASSBOX_CONFIG)")
        }
        let catalog = try ModelCatalog(contentsOf: URL(fileURLWithPath: path))
        // GLASSBOX_CACHE_DIR moves the model cache, as for `glassbox serve` (Docker keeps it on a volume).
        if let directory = ProcessInfo.processInfo.environment["GLASSBOX_CACHE_DIR"], !directory.isEmpty {
            return catalog.withCacheDirectory(URL(fileURLWithPath: directory))
        }
        return catalog
    }

    /// The location of `model` and how to keep its weights: `weights` when given, else the configuration's
    /// `"weights"` for a named model, else the default.
    static func resolve(
        _ model: String, config: String?, weights: WeightFormat?
    ) throws -> (url: URL, weights: WeightFormat) {
        if FileManager.default.fileExists(atPath: model) {
            return (URL(fileURLWithPath: model), weights ?? .standard)
        }
        let catalog = try catalog(config: config)
        guard let entry = catalog.entry(model) else {
            throw ModelInstaller.InstallError(
                message: "no such model directory or GGUF file, and no model named "
                    + "\"\(model)\" in the configuration (known: \(catalog.entries.map(\.name).joined(separator: ", ")))"
            )
        }
        let url = try ModelInstaller(catalog: catalog).install(entry) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        return (url, weights ?? entry.weights)
    }
}
