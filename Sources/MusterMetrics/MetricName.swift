/// Every metric Muster exports: its Prometheus name, what it counts (the `# HELP` line) and, for
/// histograms, its buckets. README's table of metrics lists the same names.
public enum MetricName: String, CaseIterable, Sendable {
    case httpRequests = "muster_http_requests_total"
    case httpRequestDuration = "muster_http_request_duration_seconds"
    case alertsAccepted = "muster_alerts_accepted_total"
    case alertRequestsRefused = "muster_alert_requests_refused_total"
    case ingestBatchAlerts = "muster_ingest_batch_alerts"
    case incidentsOpened = "muster_incidents_opened_total"
    case pagesQueued = "muster_pages_queued_total"
    case pagesSent = "muster_pages_sent_total"
    case pagesFailed = "muster_pages_failed_total"
    case pagesDeadLettered = "muster_pages_dead_lettered_total"
    case pageLag = "muster_page_lag_seconds"
    case outboxPending = "muster_outbox_pending"
    case outboxOldestDueAge = "muster_outbox_oldest_due_age_seconds"
    case engineRounds = "muster_engine_rounds_total"
    case engineRoundFailures = "muster_engine_round_failures_total"
    case databaseErrors = "muster_database_errors_total"
    case databaseWait = "muster_database_wait_seconds"
    case openIncidents = "muster_open_incidents"
    case responseTargetsBreached = "muster_response_targets_breached"
    case buildInfo = "muster_build_info"

    /// The `# HELP` text.
    public var help: String {
        switch self {
        case .httpRequests: "HTTP requests answered, by method, route and status code."
        case .httpRequestDuration: "Time to answer an HTTP request, by method and route."
        case .alertsAccepted: "Alert events accepted and stored, by integration kind."
        case .alertRequestsRefused: "Alert requests refused, by integration kind and reason."
        case .ingestBatchAlerts: "Alert events written together in one group commit."
        case .incidentsOpened: "Incidents opened, by severity and by how (declared or from alerts)."
        case .pagesQueued: "Pages put in the outbox, by channel."
        case .pagesSent: "Pages delivered, by channel."
        case .pagesFailed: "Page delivery attempts that failed, by channel."
        case .pagesDeadLettered: "Pages given up after their last attempt, by channel."
        case .pageLag: "Time from a page falling due to its delivery."
        case .outboxPending: "Pages and summaries in the outbox not yet delivered or given up."
        case .outboxOldestDueAge: "How long the oldest due, undelivered page has been waiting; 0 when none waits."
        case .engineRounds: "Rounds run by each engine service."
        case .engineRoundFailures: "Rounds of each engine service that failed."
        case .databaseErrors: "Database operations that failed through no fault of the request, by kind (unavailable, contention, corrupt)."
        case .databaseWait: "Time spent waiting for a database connection, by kind of work."
        case .openIncidents: "Incidents not yet resolved, by severity."
        case .responseTargetsBreached: "Unresolved incidents past their acknowledge or resolve target, by target."
        case .buildInfo: "Always 1; the version label names the build."
        }
    }

    /// Upper bounds of a duration histogram's buckets, in seconds.
    var durationBuckets: [Double] {
        switch self {
        case .pageLag: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900]
        case .databaseWait: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
        default: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        }
    }

    /// Upper bounds of a value histogram's buckets.
    var valueBuckets: [Double] { [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000] }
}
