import JSON
import Analysis
import Foundation
import Transformer

/// The analysis endpoints as pure functions of a run and its query: JSON (or binary float32) bodies, or a
/// `ServiceError` naming the bad parameter.
enum AnalysisEndpoints {
    /// A response body and its content type.
    struct Body: Sendable {
        let data: Data
        let contentType: String

        static func json(_ data: Data) -> Body { Body(data: data, contentType: "application/json") }
    }

    /// A request whose query is parsed and validated (so the query's `canonical` names it): what is left is the
    /// computation, run on a cache miss only.
    struct Prepared: Sendable {
        /// The body is binary (not JSON): it is neither cached nor shared between requests.
        let binary: Bool
        let compute: @Sendable () throws -> Body

        init(binary: Bool = false, _ compute: @escaping @Sendable () throws -> Body) {
            self.binary = binary
            self.compute = compute
        }
    }

    static func layer(_ q: QueryParameters, _ run: RunState) throws -> Int {
        try q.int("layer", in: 0...(run.model.model.info.layers - 1))
    }

    static func display(_ run: RunState, _ id: Int) -> String { run.model.tokenizer.displayString(for: id) }

    static func tokens(_ run: RunState, into w: inout JSONWriter) {
        w.array(run.trace.tokens.map { display(run, $0) })
    }
}
