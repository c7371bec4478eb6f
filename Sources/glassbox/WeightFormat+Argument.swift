import ArgumentParser
import ModelFormats

extension WeightFormat: ExpressibleByArgument {
    /// The help of `--weights`.
    static let optionHelp = ArgumentHelp(
        "How to keep the weights: f32 (converted at load) or quantized (as stored in the file, decoded when used; "
            + "the same numbers). Default: the configuration's \"weights\" for a named model, else quantized.",
        valueName: "f32|quantized")
}
