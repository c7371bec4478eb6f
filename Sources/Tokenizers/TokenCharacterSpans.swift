extension Tokenizer {
    /// The Unicode-scalar range of `text` each of `ids` (its encoding) covers, for comparing tokenisations
    /// (`docs/analyses.md` §7, model disagreement). Token `i` ends where the decoding of the tokens up to `i` ends;
    /// BOS and EOS cover nothing. When the whole decoding is shorter or longer than the text (a decoder that strips
    /// the leading space), the difference is put at the start. A byte-fallback token that decodes to half a
    /// character covers nothing until the token completing it.
    public func characterSpans(of ids: [Int], in text: String) -> [Range<Int>] {
        let length = text.unicodeScalars.count
        let special = Set([bosTokenID, eosTokenID].compactMap { $0 })
        let kept = ids.filter { !special.contains($0) }
        let shift = length - decode(kept).unicodeScalars.count
        var spans: [Range<Int>] = [], prefix: [Int] = [], end = 0
        for id in ids {
            guard !special.contains(id) else {
                spans.append(end..<end)
                continue
            }
            prefix.append(id)
            let decoded = decode(prefix).unicodeScalars
            // A trailing replacement character is half a character still waiting for its other bytes.
            let complete = decoded.last == "\u{FFFD}" && prefix.count < kept.count ? decoded.count - 1 : decoded.count
            let next = min(length, max(end, complete + shift))
            spans.append(end..<next)
            end = next
        }
        return spans
    }
}
