/// Token ids a post-processor places around the encoded text (e.g. BOS from `TemplateProcessing`).
struct SpecialTokenTemplate: Sendable, Equatable {
    /// Ids placed before the text.
    var prefix: [Int] = []
    /// Ids placed after the text.
    var suffix: [Int] = []

    /// Wraps `inner` in this template (this template's tokens go outside `inner`'s).
    func wrapping(_ inner: SpecialTokenTemplate) -> SpecialTokenTemplate {
        SpecialTokenTemplate(prefix: prefix + inner.prefix, suffix: inner.suffix + suffix)
    }
}
