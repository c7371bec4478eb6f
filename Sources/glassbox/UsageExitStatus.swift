import ArgumentParser
import Foundation

/// A subcommand whose usage errors (bad or missing arguments, caught by ArgumentParser before `run`) exit with its
/// own code instead of ArgumentParser's `EX_USAGE` (64): `glassbox check` promises 2, as CI tools do.
protocol UsageExitStatus {
    static var usageExitCode: Int32 { get }
}

extension Glassbox {
    /// Parses and runs the command line as `main(nil)` does, except that a usage error of a `UsageExitStatus`
    /// subcommand prints the same message and exits with that subcommand's code.
    static func runCommandLine(_ arguments: [String]) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            exit()
        } catch {
            let subcommand = configuration.subcommands.first {
                $0.configuration.commandName == arguments.first
            }
            if exitCode(for: error) == .validationFailure, let status = subcommand as? any UsageExitStatus.Type {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode(status.usageExitCode))
            }
            exit(withError: error)
        }
    }
}
