import Analysis
import Transformer

/// A request the service refuses or cannot finish, mapped to an HTTP status and the JSON error body.
public enum ServiceError: Error, CustomStringConvertible, Equatable {
    /// 400: a parameter is missing or wrong (`parameter`, what is wrong).
    case badParameter(String, String)
    /// 404: no such thing (`kind`, message).
    case notFound(String, String)
    /// 409: the resource is not in a state to answer (a report still running).
    case conflict(String)
    /// 413: the prompt is too long.
    case tooLarge(String)
    /// 503: the run queue is full; retry after the given seconds.
    case busy(String, retryAfter: Int)
    /// 500.
    case `internal`(String)

    public var status: Int {
        switch self {
        case .badParameter: return 400
        case .notFound: return 404
        case .conflict: return 409
        case .tooLarge: return 413
        case .busy: return 503
        case .internal: return 500
        }
    }

    public var code: String {
        switch self {
        case .badParameter: return "bad_parameter"
        case .notFound(let kind, _): return "\(kind)_not_found"
        case .conflict: return "conflict"
        case .tooLarge: return "too_large"
        case .busy: return "busy"
        case .internal: return "internal"
        }
    }

    public var description: String {
        switch self {
        case .badParameter(let parameter, let message): return "\(parameter): \(message)"
        case .notFound(_, let message), .conflict(let message), .tooLarge(let message), .busy(let message, _),
            .internal(let message):
            return message
        }
    }
}

extension ServiceError {
    /// The one mapping of any error to the HTTP answer: a prompt the runner refuses is the user's (413 too long,
    /// 400 on `prompt` otherwise), a `ServiceError` stays itself, anything else is our failure (500 `internal`).
    public init(_ error: any Error) {
        switch error {
        case let error as ServiceError: self = error
        case let error as PromptError:
            if case .tooLong = error {
                self = .tooLarge(error.description)
            } else {
                self = .badParameter("prompt", error.description)
            }
        case let error as GenerationError: self = .badParameter(error.parameter, error.description)
        case let error as EvaluationError: self = .badParameter(error.field, error.message)
        default: self = .internal("\(error)")
        }
    }
}
