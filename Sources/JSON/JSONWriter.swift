import Foundation

/// Builds JSON text by appending, fast enough for large float arrays (`JSONEncoder` takes about a second per
/// million floats and throws on NaN): floats are written in their shortest round-trip form, non-finite ones as
/// `null`. The caller writes a well-formed structure; `comma()` separators are explicit.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public var data: Data { Data(bytes) }

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A quoted JSON string (RFC 8259 §7): `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`;
    /// DEL, U+2028 and U+2029 escaped too, so the text is also valid JavaScript.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": raw("\\\"")
            case "\\": raw("\\\\")
            case "\n": raw("\\n")
            case "\r": raw("\\r")
            case "\t": raw("\\t")
            case "\u{08}": raw("\\b")
            case "\u{0C}": raw("\\f")
            case "\u{2028}": raw("\\u2028")
            case "\u{2029}": raw("\\u2029")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func number(_ value: Float) {
        value.isFinite ? raw(value.description) : raw("null")
    }

    public mutating func number(_ value: Double) {
        value.isFinite ? raw(value.description) : raw("null")
    }

    public mutating func number(_ value: Int) { raw(String(value)) }

    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    /// `"key":`
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON array of floats.
    public mutating func array(_ values: some Collection<Float>) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for v in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            number(v)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A JSON array of integers.
    public mutating func array(_ values: some Collection<Int>) {
        raw("[" + values.map(String.init).joined(separator: ",") + "]")
    }

    /// A JSON array of strings.
    public mutating func array(_ values: some Collection<String>) {
        bytes.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(v)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `[…]` with one element per item, written by `element` (separators added).
    public mutating func array<Items: Sequence>(_ items: Items, _ element: (inout JSONWriter, Items.Element) -> Void) {
        raw("[")
        var first = true
        for item in items {
            if !first { raw(",") }
            first = false
            element(&self, item)
        }
        raw("]")
    }

    /// `[{…}, …]` with one object per item, whose members `fields` writes.
    public mutating func objects<Items: Sequence>(
        _ items: Items,
        _ fields: (inout ObjectFields, Items.Element) -> Void
    ) {
        array(items) { w, item in w.object { fields(&$0, item) } }
    }

    /// `[[…], […]]`: `rows` rows of `columns` floats from a row-major buffer.
    public mutating func matrix(_ values: some Collection<Float>, rows: Int, columns: Int) {
        precondition(values.count == rows * columns, "matrix size mismatch")
        let flat = Array(values)
        bytes.append(UInt8(ascii: "["))
        for r in 0..<rows {
            if r > 0 { bytes.append(UInt8(ascii: ",")) }
            array(flat[(r * columns)..<((r + 1) * columns)])
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object built by `body`, which writes `key(...)`/value pairs through `field`.
    public mutating func object(_ body: (inout ObjectFields) -> Void) {
        var fields = ObjectFields(writer: self)
        bytes = []
        fields.writer.bytes.append(UInt8(ascii: "{"))
        body(&fields)
        fields.writer.bytes.append(UInt8(ascii: "}"))
        self = fields.writer
    }

    /// Writes the members of an object, adding separators.
    public struct ObjectFields {
        var writer: JSONWriter
        var count = 0

        init(writer: JSONWriter) { self.writer = writer }

        /// One member whose value `value` writes.
        public mutating func field(_ name: String, _ value: (inout JSONWriter) -> Void) {
            if count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            count += 1
            writer.key(name)
            value(&writer)
        }

        public mutating func field(_ name: String, _ text: String) { field(name) { $0.string(text) } }
        public mutating func field(_ name: String, _ number: Int) { field(name) { $0.number(number) } }
        public mutating func field(_ name: String, _ number: Float) { field(name) { $0.number(number) } }
        public mutating func field(_ name: String, _ number: Double) { field(name) { $0.number(number) } }
        public mutating func field(_ name: String, _ flag: Bool) { field(name) { $0.bool(flag) } }
    }
}
