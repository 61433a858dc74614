import MusterStore

/// The URL and configuration a user pastes into the sending tool for an integration.
struct IntegrationSetup {
    let publicURL: String
    /// Alerts per notification the senders are told to send at most: a storm larger than this
    /// arrives cut to it (and still pages), where a body over the size limit would be refused.
    static let maxAlerts = 5_000

    func url(for kind: IntegrationKind, key: String) -> String {
        switch kind {
        case .pagerduty: "\(publicURL)/v2/enqueue"
        default: "\(publicURL)/ingest/\(kind.rawValue)/\(key)"
        }
    }

    func snippet(for kind: IntegrationKind, key: String) -> String {
        switch kind {
        case .alertmanager:
            """
            # alertmanager.yml
            receivers:
              - name: muster
                webhook_configs:
                  - url: \(url(for: kind, key: key))
                    send_resolved: true
                    max_alerts: \(Self.maxAlerts)
            """
        case .grafana:
            """
            Grafana → Alerting → Contact points → New contact point → Webhook
              URL: \(url(for: kind, key: key))
              HTTP method: POST
              Max alerts: \(Self.maxAlerts)
            """
        case .pagerduty:
            """
            Any PagerDuty Events API v2 sender: post to \(publicURL)/v2/enqueue with routing_key \(key)
            # alertmanager.yml
            receivers:
              - name: muster-pagerduty
                pagerduty_configs:
                  - routing_key: \(key)
                    url: \(publicURL)/v2/enqueue
                    send_resolved: true
            """
        case .generic:
            """
            curl -X POST \(url(for: kind, key: key)) -H 'Content-Type: application/json' \\
              -d '{"summary":"Disk almost full on db-1","severity":"warning","dedupKey":"disk-db-1","labels":{"host":"db-1"}}'
            """
        }
    }
}
