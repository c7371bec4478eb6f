import ArgumentParser
import Tensors

/// The `glassbox` command line: argument parsing and wiring only; the work lives in the libraries.
@main
struct Glassbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glassbox",
        abstract: "Run transformer language models on the CPU and record everything inside them.",
        subcommands: [
            ServeCommand.self, RunCommand.self, GenerateCommand.self, GraphCommand.self, LensCommand.self,
            AttributeCommand.self,
            BenchCommand.self,
            ModelsCommand.self, ReportCommand.self, TokenCommand.self, ExplainCommand.self, CompareCommand.self,
            CheckCommand.self, CheckpointsCommand.self
        ])

    /// Chooses OpenBLAS's kernels by the CPU's features first (`BLASKernels`), then runs the command (with the
    /// usage exit codes of `UsageExitStatus` subcommands).
    static func main() {
        BLASKernels.reexecuteIfMisdetected()
        runCommandLine(Array(CommandLine.arguments.dropFirst()))
    }
}
