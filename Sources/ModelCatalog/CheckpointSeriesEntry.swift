import Foundation
import JSON
import ModelFormats

/// A named checkpoint series in the configuration (`"checkpoint_series"`): checkpoints of one architecture in
/// training order and, optionally, the prompt set to measure them on. The server measures only series and models its
/// configuration names: a client never gives it a path.
public struct CheckpointSeriesEntry: Sendable, Equatable {
    /// One checkpoint: a configured model (`"name"` as a string) or a directory or GGUF file (`{"name", "path"}`).
    public enum Checkpoint: Sendable, Equatable {
        case model(String)
        case path(name: String, path: String)

        /// How the checkpoint is named in the series' report.
        public var name: String {
            switch self {
            case .model(let name), .path(let name, _): return name
            }
        }
    }

    public let name: String
    public let description: String?
    public let checkpoints: [Checkpoint]
    /// The series' default prompts (may be empty: then a request must give its own).
    public let prompts: [String]

    public init(name: String, description: String?, checkpoints: [Checkpoint], prompts: [String]) {
        self.name = name
        self.description = description
        self.checkpoints = checkpoints
        self.prompts = prompts
    }

    /// Parses `"checkpoint_series"`: name → `{"description", "checkpoints": [...], "prompts": [...]}`; relative
    /// paths are resolved against `base` (the repository), a model name must be one of `models`.
    static func parse(_ series: JSONConfig, base: URL, models: [ModelCatalog.Entry]) throws -> [CheckpointSeriesEntry] {
        try series.members.map { member in
            guard let entry = try series.object(member.key) else {
                throw ModelFormatError(path: series.path, "key \"\(member.key)\" must be an object")
            }
            for key in entry.keys where !["description", "checkpoints", "prompts"].contains(key) {
                throw ModelFormatError(
                    path: entry.path, "unknown key \"\(key)\" (known: description, checkpoints, prompts)")
            }
            guard case .array(let items)? = entry.reader["checkpoints"] else {
                throw ModelFormatError(
                    path: entry.path,
                    "key \"checkpoints\" must be an array of model names or {\"name\", \"path\"} objects, in "
                        + "training order")
            }
            let checkpoints = try items.enumerated().map { index, item in
                try checkpoint(item, index: index, in: entry, base: base, models: models)
            }
            guard checkpoints.count >= 2 else {
                throw ModelFormatError(
                    path: entry.path, "key \"checkpoints\" needs at least two checkpoints, found \(checkpoints.count)")
            }
            let names = checkpoints.map(\.name)
            if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
                throw ModelFormatError(path: entry.path, "checkpoint name \"\(repeated)\" appears twice")
            }
            let prompts = try entry.strings("prompts") ?? []
            if let empty = prompts.firstIndex(where: \.isEmpty) {
                throw ModelFormatError(path: entry.path, "prompt \(empty + 1) of \"prompts\" is empty")
            }
            return CheckpointSeriesEntry(
                name: member.key, description: try entry.string("description", default: nil),
                checkpoints: checkpoints, prompts: prompts)
        }
    }

    private static func checkpoint(
        _ item: JSONValue, index: Int, in entry: JSONConfig, base: URL, models: [ModelCatalog.Entry]
    ) throws -> Checkpoint {
        let place = "checkpoint \(index + 1) of \"checkpoints\""
        switch item {
        case .string(let name):
            guard models.contains(where: { $0.name == name }) else {
                throw ModelFormatError(
                    path: entry.path,
                    "\(place): no model named \"\(name)\" in \"models\" (give {\"name\", \"path\"} for a checkpoint "
                        + "that is not a configured model)")
            }
            return .model(name)
        case .object(let members):
            let object = JSONConfig(members: members, path: entry.path + " (\(place))")
            for key in object.keys where !["name", "path"].contains(key) {
                throw ModelFormatError(path: object.path, "unknown key \"\(key)\" (known: name, path)")
            }
            let name = try object.string("name"), path = try object.string("path")
            guard !name.isEmpty, !path.isEmpty else {
                throw ModelFormatError(path: object.path, "\"name\" and \"path\" must not be empty")
            }
            return .path(name: name, path: path.hasPrefix("/") ? path : base.appendingPathComponent(path).path)
        default:
            throw ModelFormatError(
                path: entry.path, "\(place) must be a model name or {\"name\", \"path\"}, found \(item.summary)")
        }
    }
}
