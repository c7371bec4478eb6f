import ArgumentParser
import Foundation
import GlassboxServer

/// `glassbox token new` and `glassbox token hash`: access tokens for a server that is reachable from other machines.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make access tokens for `glassbox serve`.",
        subcommands: [New.self, Hash.self])

    /// `glassbox token new`: a new random token and the line that makes the server accept it.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new access token and the line to add to the configuration or a tokens file.",
            discussion: """
                The token is printed once: the server keeps only its SHA-256. Give the token to the client (the \
                login page, or Authorization: Bearer in scripts), and the sha256 line to the server: in auth.tokens \
                of the configuration, as a line of the file auth.tokens_file or GLASSBOX_TOKENS_FILE names, or run \
                the server with the token itself in GLASSBOX_TOKEN.
                """)

        @Option(name: .long, help: "A name for the token in a tokens file (who holds it).")
        var name: String?

        func validate() throws {
            if let name, name.isEmpty || name.contains("\n") || name.contains("#") {
                throw ValidationError("--name must be one line without #")
            }
        }

        func run() throws {
            let token = AccessToken.generate()
            let line = AccessToken.storedLine(of: token)
            printOut("token: \(token)")
            printOut("config (auth.tokens): \"\(line)\"")
            printOut("tokens file line: \(line) \(name ?? "token")")
        }
    }

    /// `glassbox token hash`: the stored line of an existing token read from standard input.
    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the sha256 line of a token read from standard input (one line).")

        func run() throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let token = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.count >= 16 else {
                throw ValidationError("expected a token of at least 16 characters on standard input")
            }
            printOut(AccessToken.storedLine(of: token))
        }
    }
}
