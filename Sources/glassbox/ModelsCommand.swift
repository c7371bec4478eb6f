import ArgumentParser
import Foundation
import ModelCatalog
import ModelFormats

/// `glassbox models`: the models the configuration names.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List and install the configured models.",
        subcommands: [ListModels.self, InstallModel.self])
}

struct ListModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show each configured model, its architecture, size and whether it is installed."
    )

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    func run() throws {
        try withFailureReport {
            let catalog = try ModelResolution.catalog(config: config)
            printOut("name              installed  architecture  parameters  quantisation  size_MB  source")
            for entry in catalog.entries {
                let url = catalog.location(of: entry)
                let installed = catalog.isInstalled(entry)
                var architecture = "-", parameters = "-", quantisation = "-", size = "-"
                if installed, let file = try? GGUFFile(path: url.path) {
                    architecture = file.metadata["general.architecture"]?.stringValue ?? "-"
                    let count = file.tensors.reduce(0) { $0 + $1.elementCount }
                    parameters = String(format: "%.0fM", Double(count) / 1e6)
                    // The two tensor types holding the most bytes.
                    let types = Dictionary(grouping: file.tensors, by: { "\($0.type)" })
                        .mapValues { $0.reduce(0) { $0 + $1.byteCount } }
                        .sorted { $0.value > $1.value }.prefix(2).map(\.key)
                    quantisation = types.joined(separator: "+")
                    size = String(format: "%.1f", Double(file.file.count) / 1e6)
                }
                let source: String
                switch entry.source {
                case .path(let path): source = path
                case .package(let wheels, _, _, _): source = "pip: " + wheels.joined(separator: " ")
                }
                let marker = entry.name == catalog.defaultModel ? " (default)" : ""
                let columns = [
                    (entry.name, 17), (installed ? "yes" : "no", 10), (architecture, 13), (parameters, 11),
                    (quantisation, 13), (size, 8)
                ]
                printOut(
                    columns.map { $0.0.padding(toLength: max($0.1, $0.0.count), withPad: " ", startingAt: 0) }
                        .joined(separator: " ") + " " + source + marker)
            }
        }
    }
}

struct InstallModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Fetch a configured model from the package registry, once.")

    @Argument(help: "Model name from the configuration.")
    var name: String

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    func run() throws {
        try withFailureReport {
            let catalog = try ModelResolution.catalog(config: config)
            guard let entry = catalog.entry(name) else {
                throw ValidationError(
                    "no model named \"\(name)\" (known: "
                        + catalog.entries.map(\.name).joined(separator: ", ") + ")")
            }
            let url = try ModelInstaller(catalog: catalog).install(entry) { message in
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            printOut(url.path)
        }
    }
}
