import ArgumentParser
import Foundation

/// Prints `error` as one line on standard error and returns the exit code for it.
///
/// Library errors carry messages a user can act on; the CLI only adds the `error:` prefix.
func reportFailure(_ error: any Error) -> ExitCode {
    let message = String(describing: error)
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode.failure
}

/// Runs `body`, turning any thrown error into a one-line message and a non-zero exit.
func withFailureReport<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        throw reportFailure(error)
    }
}

/// Writes `text` to standard output.
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
