import Foundation

/// Locations of the committed test fixtures (`Tests/Fixtures/`), found relative to this source file so that tests
/// run from any working directory.
public enum Fixtures {
    /// `Tests/Fixtures/`.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // TestSupport/
        .deletingLastPathComponent() // Tests/
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// `Tests/Fixtures/models/<name>/`.
    public static func model(_ name: String) -> URL {
        root.appendingPathComponent("models", isDirectory: true).appendingPathComponent(name, isDirectory: true)
    }

    /// `Tests/Fixtures/golden/<name>`.
    public static func golden(_ name: String) -> URL {
        root.appendingPathComponent("golden", isDirectory: true).appendingPathComponent(name)
    }

    /// A real model file installed by `glassbox models install` (which `scripts/test` runs): `.cache/models/<file>` in the
    /// repository, or under `GLASSBOX_MODELS_DIR`.
    public static func realModel(_ file: String) -> URL {
        let directory =
            ProcessInfo.processInfo.environment["GLASSBOX_MODELS_DIR"].map { URL(fileURLWithPath: $0) }
            ?? root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".cache/models")
        return directory.appendingPathComponent(file)
    }

    /// A fresh empty temporary directory for a test to write into.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("glassbox-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
