import Foundation

/// Locations of the committed test fixtures (`Tests/Fixtures/`), found relative to this source file so that tests
/// run from any working directory.
public enum Fixtures {
    /// `Tests/Fixtures/`.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // TestSupport/
        .deletingLastPathComponent()   // Tests/
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// `Tests/Fixtures/models/<name>/`.
    public static func model(_ name: String) -> URL {
        root.appendingPathComponent("models", isDirectory: true).appendingPathComponent(name, isDirectory: true)
    }

    /// `Tests/Fixtures/golden/<name>`.
    public static func golden(_ name: String) -> URL {
        root.appendingPathComponent("golden", isDirectory: true).appendingPathComponent(name)
    }

    /// A fresh empty temporary directory for a test to write into.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("glassbox-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
