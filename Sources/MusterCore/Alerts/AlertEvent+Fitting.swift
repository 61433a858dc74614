/// Sizes an alert event may have, and cutting an event down to them.
extension AlertEvent {
    public static let maxLabelKeyLength = 256
    public static let maxLabelValueLength = 16_384
    public static let maxLinks = 20

    /// The event cut to the sizes `validate` allows: text over its limit is shortened to end in
    /// "…", and labels, annotations (in key order) and links past their counts are left out.
    ///
    /// Monitoring tools send whatever their templates render: a stack trace in a description,
    /// every firing alert in one PagerDuty detail. Alertmanager drops a notification refused with
    /// a 4xx, and with it every alert it carried, so a sender's event is cut to fit rather than
    /// refused for its size.
    public func fitted() -> AlertEvent {
        var event = self
        event.summary = Self.cut(summary, to: Self.maxSummaryLength)
        event.labels = Self.fit(labels)
        event.annotations = Self.fit(annotations)
        if links.count > Self.maxLinks { event.links = Array(links.prefix(Self.maxLinks)) }
        return event
    }

    private static func fit(_ map: [String: String]) -> [String: String] {
        guard map.count > maxLabels || map.contains(where: isTooLong) else { return map }
        var kept: [String: String] = [:]
        for key in map.keys.sorted().prefix(maxLabels) {
            kept[cut(key, to: maxLabelKeyLength)] = cut(map[key]!, to: maxLabelValueLength)
        }
        return kept
    }

    /// Whether a label or annotation is longer, in name or value, than an event may carry.
    static func isTooLong(key: String, value: String) -> Bool {
        TextRules.isLonger(key, than: maxLabelKeyLength) || TextRules.isLonger(value, than: maxLabelValueLength)
    }

    private static func cut(_ text: String, to max: Int) -> String {
        guard TextRules.isLonger(text, than: max) else { return text }
        return String(text.prefix(max - 1)) + "…"
    }
}
