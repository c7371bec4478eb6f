extension JSONWriter {
    /// A parsed JSON value written back: object members in their order (duplicates kept), integral numbers
    /// below 10¹⁵ without a fraction.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { self.number(Int(number)) } else { self.number(number) }
        case .string(let text): string(text)
        case .array(let items): array(items) { writer, item in writer.value(item) }
        case .object(let members):
            object { fields in
                for member in members { fields.field(member.key) { $0.value(member.value) } }
            }
        }
    }
}
