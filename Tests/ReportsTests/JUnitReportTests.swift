import Foundation
import Reports
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The JUnit XML of `glassbox check`: well-formed (read back with XMLParser), one test case per rule × prompt,
/// counts in the suite, and prompts with XML's special characters escaped.
@Suite("Check JUnit report")
struct JUnitReportTests {
    /// What XMLParser reads back: every element with its attributes, and the text inside `<failure>`.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var failureText = ""
        private var inFailure = false

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            elements.append((elementName, attributes))
            inFailure = elementName == "failure"
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            if elementName == "failure" { inFailure = false }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inFailure { failureText += string }
        }
    }

    static func result() throws -> CheckResult {
        let rules = try CheckRules(
            parsing: Array(
                #"""
                {"rules": [{"metric": "dead_heads", "max": 0, "name": "no \"dead\" <heads> & co"},
                           {"metric": "expected_probability", "min": 0.5}]}
                """#.utf8), source: "r.json")
        let tricky = "if a < b && c > \"d\" then 'e'\n\tnext line\u{1}"
        return CheckResult(
            model: "tiny & <model>", rules: rules,
            measurements: [
                CheckMeasurement(
                    prompt: CheckPrompt(line: 3, text: tricky, expected: " <x>"), tokens: [1, 2],
                    values: [.deadHeads: 1, .expectedProbability: 0.75], expectedToken: (7, "␣<x>"),
                    top1: (7, "␣<x>"), seconds: 0.5),
                CheckMeasurement(
                    prompt: CheckPrompt(line: 4, text: String(repeating: "long ", count: 40)), tokens: [1],
                    values: [.deadHeads: 0], top1: (2, "y"), seconds: 0.25)
            ])
    }

    @Test("one test case per rule × prompt, failures and skips, counts in the suite attributes")
    func structure() throws {
        let xml = JUnitReport.xml(try Self.result())
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "))
        #if canImport(FoundationXML) || canImport(Darwin)
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))\n\(xml)")
        let names = collector.elements.map(\.name)
        #expect(names.filter { $0 == "testsuite" }.count == 1 && names.first == "testsuites")
        let suite = collector.elements.first { $0.name == "testsuite" }!.attributes
        #expect(suite["tests"] == "4" && suite["failures"] == "1" && suite["skipped"] == "1" && suite["errors"] == "0")
        #expect(suite["name"] == "glassbox check: tiny & <model>" && suite["time"] == "0.750")
        let cases = collector.elements.filter { $0.name == "testcase" }.map(\.attributes)
        #expect(cases.count == 4)
        #expect(
            cases.map { $0["classname"]! } == [
                "no \"dead\" <heads> & co", "expected_probability >= 0.5", "no \"dead\" <heads> & co",
                "expected_probability >= 0.5"
            ])
        // Attribute values survive escaping whole: quotes, <, &, the newline and the tab; the control character
        // XML cannot hold becomes U+FFFD.
        #expect(cases[0]["name"] == "prompt 1: if a < b && c > \"d\" then 'e'\n\tnext line\u{FFFD}")
        #expect(cases[2]["name"]!.hasPrefix("prompt 2: long long") && cases[2]["name"]!.hasSuffix("…"))
        #expect(cases[2]["name"]!.count == "prompt 2: ".count + 80)
        let failure = collector.elements.first { $0.name == "failure" }!.attributes
        #expect(failure["message"] == "dead_heads = 1, above the max 0" && failure["type"] == "dead_heads")
        #expect(collector.failureText.contains("prompt (line 3): if a < b && c > \"d\" then 'e'\n\tnext line"))
        #expect(collector.failureText.contains("expected:  <x> (first token ␣<x>)"))
        let skipped = collector.elements.first { $0.name == "skipped" }!.attributes
        #expect(skipped["message"] == "skipped: the prompt has no expected continuation")
        #else
        #expect(xml.components(separatedBy: "<testcase ").count == 5)
        #endif
    }

    @Test("escaping: & < > \" as entities, tab and line ends as character references in attributes")
    func escaping() {
        #expect(JUnitReport.attribute("a<b>&\"c\"\t\n\r") == "a&lt;b&gt;&amp;&quot;c&quot;&#9;&#10;&#13;")
        #expect(JUnitReport.text("a<b>&\"c\"\t\n\r") == "a&lt;b&gt;&amp;\"c\"\t\n&#13;")
        #expect(JUnitReport.text("x\u{0}y\u{1F}z\u{FFFE}é😀") == "x\u{FFFD}y\u{FFFD}z\u{FFFD}é😀")
    }

    @Test("a check with no failures has failures=\"0\" and no failure elements")
    func allPassing() throws {
        let rules = try CheckRules(
            parsing: Array(#"{"rules": [{"metric": "dead_heads", "max": 5}]}"#.utf8), source: "r")
        let result = CheckResult(
            model: "m", rules: rules,
            measurements: [
                CheckMeasurement(
                    prompt: CheckPrompt(line: 1, text: "a"), tokens: [1], values: [.deadHeads: 0], top1: (0, "a"))
            ])
        let xml = JUnitReport.xml(result)
        #expect(xml.contains("failures=\"0\"") && !xml.contains("<failure") && !result.fired)
        #expect(xml.contains("<testcase classname=\"dead_heads &lt;= 5\" name=\"prompt 1: a\"/>"))
    }
}
