import Foundation
public import Tensors

/// The weights of a Hugging Face checkpoint directory: `model.safetensors`, or shards listed by
/// `model.safetensors.index.json` (`{"weight_map": {tensor: file}}`).
public struct SafetensorsCheckpoint: Sendable {
    /// The checkpoint directory.
    public let directory: URL
    /// Open files by file name.
    public let files: [String: SafetensorsFile]
    /// Which file holds each tensor.
    public let fileOfTensor: [String: String]

    /// Opens every weight file of `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        let manager = FileManager.default
        let single = directory.appendingPathComponent("model.safetensors")
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        var files: [String: SafetensorsFile] = [:]
        var fileOfTensor: [String: String] = [:]
        if manager.fileExists(atPath: index.path) {
            let indexConfig = try JSONConfig(contentsOf: index)
            guard let mapObject = indexConfig["weight_map"]?.objectMembers,
                mapObject.allSatisfy({ $0.value.stringValue != nil })
            else {
                throw ModelFormatError(path: index.path, "missing \"weight_map\" object of tensor name → file name")
            }
            var map: [String: String] = [:]
            for member in mapObject { map[member.key] = member.value.stringValue }
            for fileName in Set(map.values).sorted() {
                guard !fileName.contains("/") else {
                    throw ModelFormatError(path: index.path, "shard name '\(fileName)' must be a plain file name")
                }
                files[fileName] = try SafetensorsFile(path: directory.appendingPathComponent(fileName).path)
            }
            for (tensor, fileName) in map {
                guard files[fileName]?.entries[tensor] != nil else {
                    throw ModelFormatError(
                        path: directory.appendingPathComponent(fileName).path,
                        "the index says it holds tensor '\(tensor)', but it does not")
                }
                fileOfTensor[tensor] = fileName
            }
        } else if manager.fileExists(atPath: single.path) {
            let file = try SafetensorsFile(path: single.path)
            files["model.safetensors"] = file
            for name in file.entries.keys { fileOfTensor[name] = "model.safetensors" }
        } else {
            throw ModelFormatError(
                path: directory.path,
                "no model.safetensors or model.safetensors.index.json in this directory")
        }
        self.files = files
        self.fileOfTensor = fileOfTensor
    }

    /// All tensor names.
    public var tensorNames: [String] { fileOfTensor.keys.sorted() }

    /// Whether the checkpoint holds `name`.
    public func contains(_ name: String) -> Bool { fileOfTensor[name] != nil }

    /// The stored shape of `name`, if present.
    public func shape(of name: String) -> [Int]? {
        fileOfTensor[name].flatMap { files[$0]?.entries[name]?.shape }
    }

    /// The tensor `name` as float32; throws naming the tensor and directory when it is missing.
    public func tensor(_ name: String) throws -> Tensor {
        guard let fileName = fileOfTensor[name], let file = files[fileName] else {
            throw ModelFormatError(path: directory.path, "missing tensor '\(name)'")
        }
        return try file.tensor(name)
    }

    /// The tensor `name`, checked to have `shape`.
    public func tensor(_ name: String, shape expected: [Int]) throws -> Tensor {
        let t = try tensor(name)
        guard t.shape == expected else {
            throw ModelFormatError(
                path: directory.path,
                "tensor '\(name)' has shape \(t.shape), expected \(expected) from config.json")
        }
        return t
    }

    /// The 2-D F16/BF16 tensor `name` kept half-size in its mapped file (`SafetensorsFile.packedMatrix`), checked to
    /// have `shape`; nil when it is stored in another dtype. Throws when it is missing or has another shape.
    public func packedMatrix(_ name: String, shape expected: [Int]) throws -> PackedMatrix? {
        guard let fileName = fileOfTensor[name], let file = files[fileName], let entry = file.entries[name] else {
            throw ModelFormatError(path: directory.path, "missing tensor '\(name)'")
        }
        guard entry.shape == expected else {
            throw ModelFormatError(
                path: directory.path,
                "tensor '\(name)' has shape \(entry.shape), expected \(expected) from config.json")
        }
        return file.packedMatrix(entry)
    }
}
