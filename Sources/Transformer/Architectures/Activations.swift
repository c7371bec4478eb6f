import ModelFormats
import Tensors

/// Maps Hugging Face activation names (`activation_function`, `hidden_act`) to kernels.
enum Activations {
    static func named(_ name: String, key: String, path: String) throws -> Activation {
        switch name {
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_python_tanh": return .geluTanh
        case "gelu", "gelu_python": return .geluErf
        case "silu", "swish": return .silu
        case "relu": return .relu
        default:
            throw ModelFormatError(
                path: path,
                "key \"\(key)\": activation \"\(name)\" is not supported "
                    + "(supported: gelu_new, gelu_pytorch_tanh, gelu, silu, relu)")
        }
    }
}
