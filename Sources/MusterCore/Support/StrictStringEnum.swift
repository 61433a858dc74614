/// A string enum whose decoding error lists the values it accepts, so API clients see what to send.
public protocol StrictStringEnum: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension StrictStringEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "is '\(raw.prefix(60))', which is not one of: \(Self.allowedValues).")
        }
        self = value
    }

    /// The accepted raw values, comma-separated.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
