import Foundation
import JSON

/// A check as one JSON document: the rules, then per prompt per rule the value, the threshold and the verdict.
public enum CheckJSON {
    public static func data(_ result: CheckResult) -> Data {
        var w = JSONWriter(capacity: 4096)
        w.object { o in
            o.field("model", result.model)
            o.field("fired", result.fired)
            o.field("tests", result.tests)
            o.field("passed", result.passes)
            o.field("failed", result.failures)
            o.field("skipped", result.skips)
            o.field("seconds", result.seconds)
            o.field("rules") { w in
                w.array(result.rules.rules) { w, rule in
                    w.object { o in
                        o.field("number", rule.number)
                        o.field("name", rule.name)
                        o.field("metric", rule.metric.rawValue)
                        o.field(rule.bound.key, rule.bound.threshold)
                        if let baseline = rule.baseline { o.field("baseline", baseline) }
                        if let description = rule.description { o.field("description", description) }
                    }
                }
            }
            o.field("prompts") { w in
                w.array(result.prompts) { w, prompt in
                    let m = prompt.measurement
                    w.object { o in
                        o.field("line", prompt.prompt.line)
                        o.field("prompt", prompt.prompt.text)
                        if let expected = prompt.prompt.expected { o.field("expected", expected) }
                        if let token = m.expectedToken {
                            o.field("expected_token") { writeToken(&$0, token) }
                        }
                        o.field("top1_token") { writeToken(&$0, m.top1) }
                        o.field("tokens", m.tokens.count)
                        o.field("seconds", m.seconds)
                        o.field("results") { w in
                            w.array(prompt.outcomes) { w, outcome in
                                w.object { o in
                                    o.field("rule", outcome.rule.name)
                                    o.field("metric", outcome.rule.metric.rawValue)
                                    o.field("value") { w in
                                        if let value = outcome.value { w.number(value) } else { w.raw("null") }
                                    }
                                    o.field(outcome.rule.bound.key, outcome.rule.bound.threshold)
                                    o.field("status", outcome.status.rawValue)
                                    o.field("passed") { w in
                                        if outcome.status == .skipped {
                                            w.raw("null")
                                        } else {
                                            w.bool(outcome.status == .passed)
                                        }
                                    }
                                    o.field("message", outcome.message)
                                }
                            }
                        }
                    }
                }
            }
        }
        return w.data
    }

    private static func writeToken(_ w: inout JSONWriter, _ token: (id: Int, display: String)) {
        w.object { o in
            o.field("id", token.id)
            o.field("text", token.display)
        }
    }
}
