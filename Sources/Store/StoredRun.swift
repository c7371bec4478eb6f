import Foundation

/// A run as the cache keeps it: what was asked, and the summary the API returned for it.
public struct StoredRun: Sendable, Equatable {
    /// Content-addressed id (a hash of engine version, model, token ids and options).
    public let id: String
    /// Model name.
    public let model: String
    public let prompt: String
    public let tokenIDs: [Int]
    /// Run options as JSON text.
    public let options: String
    /// The run summary as the API serves it (JSON).
    public let summary: Data
    /// Seconds since 1970 when the run was first stored.
    public let created: Double

    public init(
        id: String, model: String, prompt: String, tokenIDs: [Int], options: String, summary: Data,
        created: Double
    ) {
        self.id = id
        self.model = model
        self.prompt = prompt
        self.tokenIDs = tokenIDs
        self.options = options
        self.summary = summary
        self.created = created
    }

    /// Token ids as little-endian Int32, the blob the database holds.
    var tokenBlob: Data {
        var data = Data(capacity: tokenIDs.count * 4)
        for id in tokenIDs {
            withUnsafeBytes(of: Int32(truncatingIfNeeded: id).littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func tokens(from blob: Data) -> [Int] {
        blob.withUnsafeBytes { bytes in
            (0..<(bytes.count / 4)).map {
                Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)))
            }
        }
    }
}
