import JSON
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test("values of every type, member order and duplicates kept, last duplicate wins on lookup")
    func values() throws {
        let value = try JSONParser.parse(Array(#"{"b": true, "a": [1, -2.5e3, null, "x\u00e9\n"], "b": false}"#.utf8))
        #expect(value.objectMembers?.map(\.key) == ["b", "a", "b"])
        #expect(value["b"] == .bool(false))
        #expect(value["a"] == .array([.number(1), .number(-2500), .null, .string("xé\n")]))
        #expect(value["a"]?.arrayValue?.first?.intValue == 1)
        #expect(value["a"]?.arrayValue?[1].intValue == -2500)
        #expect(JSONValue.number(0.5).intValue == nil)
        #expect(value["missing"] == nil)
        #expect(try JSONParser.parse(Array("\"\\ud83e\\udd99\"".utf8)) == .string("🦙"))
    }

    @Test(
        "syntax errors give line, column and reason",
        arguments: [
            ("{\"a\": }", 1, 7), ("[1,\n 2,,]", 2, 4), ("{\"a\": 1} x", 1, 10), ("", 1, 1), ("[1, 2", 1, 6),
            ("[01]", 1, 2), ("[-00]", 1, 3)
        ])
    func errors(text: String, line: Int, column: Int) {
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("expected a syntax error for \(text)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.description.hasPrefix("invalid JSON at line \(line), column \(column): "))
        }
    }

    @Test("summaries abbreviate long values for error messages")
    func summary() throws {
        #expect(JSONValue.number(12).summary == "12")
        #expect(JSONValue.number(1.5).summary == "1.5")
        #expect(JSONValue.array((0..<10).map { .number(Double($0)) }).summary == "[0, 1, 2, 3, 4, 5, 6, 7, …]")
        #expect(try JSONParser.parse(Array(#"{"x": 1, "y": 2}"#.utf8)).summary == "{x, y}")
    }
}
