import Foundation
import JSON

/// One prompt of a check, with the continuation the model is expected to produce, if any.
public struct CheckPrompt: Sendable, Equatable {
    /// The line of the prompts file it came from (from 1).
    public let line: Int
    public let text: String
    /// Appended to `text` verbatim to find the expected next token (write the leading space when the continuation
    /// starts with one: `The capital of France is<TAB> Paris`).
    public let expected: String?

    public init(line: Int, text: String, expected: String? = nil) {
        self.line = line
        self.text = text
        self.expected = expected
    }

    /// How the prompts file is written, for `--help` and the README.
    public static let formatHelp = """
        One prompt per line; blank lines and lines starting with # are skipped. A tab ends the prompt and starts its \
        expected continuation (`prompt<TAB>expected`), which is appended to the prompt verbatim (so write the space \
        in "is<TAB> Paris"). A line starting with { is one JSON object, {"prompt": "...", "expected": "..."} \
        ("expected" optional): use it for prompts with newlines or tabs, or starting with # or {.
        """

    /// Parses a prompts file's text; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(CheckPromptsError) -> [CheckPrompt] {
        var prompts: [CheckPrompt] = []
        // "\r\n" is one Character in Swift: both line ends split.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, content) in lines.enumerated() {
            let line = index + 1
            let trimmed = content.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            func fail(_ problem: String) -> CheckPromptsError {
                CheckPromptsError(source: source, line: line, problem: problem)
            }
            if trimmed.hasPrefix("{") {
                prompts.append(try jsonLine(String(trimmed), line: line, fail))
                continue
            }
            guard let tab = content.firstIndex(of: "\t") else {
                prompts.append(CheckPrompt(line: line, text: String(content)))
                continue
            }
            let prompt = String(content[..<tab]), expected = String(content[content.index(after: tab)...])
            guard !prompt.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("the prompt before the tab is empty")
            }
            guard !expected.isEmpty else { throw fail("the expected continuation after the tab is empty") }
            prompts.append(CheckPrompt(line: line, text: prompt, expected: expected))
        }
        guard !prompts.isEmpty else {
            throw CheckPromptsError(source: source, line: nil, problem: "has no prompts (only blank and # lines)")
        }
        return prompts
    }

    /// A `{"prompt": …, "expected": …}` line.
    private static func jsonLine(
        _ text: String, line: Int, _ fail: (String) -> CheckPromptsError
    ) throws(CheckPromptsError) -> CheckPrompt {
        let reader: JSONObjectReader
        do { reader = try JSONObjectReader(parsing: Array(text.utf8), source: "line") } catch {
            throw fail("a line starting with { must be one JSON object: \(error.problem)")
        }
        for member in reader.members where member.key != "prompt" && member.key != "expected" {
            throw fail("unknown key \"\(member.key)\" (known: prompt, expected)")
        }
        guard let value = reader["prompt"] else { throw fail("key \"prompt\" is required") }
        guard let prompt = value.stringValue, !prompt.isEmpty else {
            throw fail("key \"prompt\" must be a non-empty string, found \(value.summary)")
        }
        var expected: String?
        if let value = reader["expected"], !value.isNull {
            guard let text = value.stringValue, !text.isEmpty else {
                throw fail("key \"expected\" must be a non-empty string, found \(value.summary)")
            }
            expected = text
        }
        return CheckPrompt(line: line, text: prompt, expected: expected)
    }
}

/// A prompts file that cannot be used: where (the line) and what is wrong.
public struct CheckPromptsError: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String
    /// The line from 1; nil for the file as a whole.
    public let line: Int?
    public let problem: String

    public var description: String {
        line.map { "\(source):\($0): \(problem)" } ?? "\(source): \(problem)"
    }
}
