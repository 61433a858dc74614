import Foundation

/// The schema, one numbered step at a time, for both databases: they differ only in the name of
/// the 64-bit integer type. Never edit a released step; add a new one.
public enum Schema {
    /// The newest schema version this build knows.
    public static var latest: Int { migrations(integer: "INTEGER").map(\.version).max() ?? 0 }

    public static func migrations(integer: String) -> [Migration] {
        [
            Migration(
                version: 1, name: "incidents, services, tokens",
                statements: [
                    "CREATE TABLE counters (name TEXT PRIMARY KEY, value \(integer) NOT NULL)",
                    """
                    CREATE TABLE services (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                        runbook_url TEXT, created_at \(integer) NOT NULL)
                    """,
                    """
                    CREATE TABLE incidents (
                        id TEXT PRIMARY KEY, year \(integer) NOT NULL, number \(integer) NOT NULL, reference TEXT NOT NULL UNIQUE,
                        status TEXT NOT NULL, severity TEXT NOT NULL, detected_at \(integer) NOT NULL, updated_at \(integer) NOT NULL,
                        document TEXT NOT NULL, UNIQUE (year, number))
                    """,
                    "CREATE INDEX incidents_detected ON incidents (detected_at)",
                    "CREATE INDEX incidents_status ON incidents (status, detected_at)",
                    """
                    CREATE TABLE incident_services (
                        incident_id TEXT NOT NULL REFERENCES incidents (id), service TEXT NOT NULL,
                        PRIMARY KEY (incident_id, service))
                    """,
                    "CREATE INDEX incident_services_service ON incident_services (service)",
                    """
                    CREATE TABLE timeline_entries (
                        id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents (id), position \(integer) NOT NULL,
                        kind TEXT NOT NULL, at \(integer) NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL, details TEXT NOT NULL,
                        UNIQUE (incident_id, position))
                    """,
                    """
                    CREATE TABLE api_tokens (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, prefix TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE, created_at \(integer) NOT NULL, last_used_at \(integer), revoked_at \(integer))
                    """,
                ]),
            Migration(
                version: 2, name: "alert ingestion: integrations, alerts, silences, grouping",
                statements: [
                    "ALTER TABLE services ADD COLUMN alert_policy TEXT",
                    "ALTER TABLE incidents ADD COLUMN group_key TEXT",
                    "CREATE INDEX incidents_group ON incidents (group_key, status)",
                    """
                    CREATE TABLE integrations (
                        id TEXT PRIMARY KEY, service TEXT NOT NULL REFERENCES services (id), kind TEXT NOT NULL, name TEXT NOT NULL,
                        key_hash TEXT NOT NULL UNIQUE, key_prefix TEXT NOT NULL, created_at \(integer) NOT NULL,
                        rotated_at \(integer), revoked_at \(integer))
                    """,
                    "CREATE INDEX integrations_service ON integrations (service)",
                    """
                    CREATE TABLE alerts (
                        id TEXT PRIMARY KEY, service TEXT NOT NULL, dedup_key TEXT NOT NULL, integration_id TEXT NOT NULL,
                        status TEXT NOT NULL, incident_id TEXT, silence_id TEXT, last_seen \(integer) NOT NULL, document TEXT NOT NULL,
                        UNIQUE (service, dedup_key))
                    """,
                    "CREATE INDEX alerts_incident ON alerts (incident_id, status)",
                    "CREATE INDEX alerts_activity ON alerts (last_seen)",
                    "CREATE TABLE silences (id TEXT PRIMARY KEY, starts_at \(integer) NOT NULL, ends_at \(integer) NOT NULL, document TEXT NOT NULL)",
                    "CREATE INDEX silences_ends ON silences (ends_at)",
                ]),
            Migration(
                version: 3, name: "people, teams and schedules",
                statements: [
                    "CREATE TABLE users (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)",
                    "CREATE TABLE teams (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)",
                    "CREATE TABLE schedules (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)",
                ]),
            Migration(
                version: 4, name: "escalation policies, running escalations, notification outbox",
                statements: [
                    "ALTER TABLE services ADD COLUMN escalation_policy TEXT",
                    "CREATE TABLE escalation_policies (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)",
                    "CREATE TABLE escalations (incident_id TEXT PRIMARY KEY, due_at \(integer), document TEXT NOT NULL)",
                    "CREATE INDEX escalations_due ON escalations (due_at)",
                    """
                    CREATE TABLE notifications (
                        id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,
                        due_at \(integer) NOT NULL, attempts \(integer) NOT NULL, document TEXT NOT NULL)
                    """,
                    "CREATE INDEX notifications_due ON notifications (status, due_at)",
                ]),
            // SQLite cannot drop NOT NULL from a column, so the outbox is copied into a new table.
            Migration(
                version: 5, name: "handoff summaries: outbox rows without an incident, handoffs sent",
                statements: [
                    """
                    CREATE TABLE outbox (
                        id TEXT PRIMARY KEY, incident_id TEXT, user_id TEXT NOT NULL, status TEXT NOT NULL,
                        due_at \(integer) NOT NULL, attempts \(integer) NOT NULL, document TEXT NOT NULL,
                        last_error TEXT, created_at \(integer) NOT NULL)
                    """,
                    """
                    INSERT INTO outbox (id, incident_id, user_id, status, due_at, attempts, document, created_at)
                    SELECT id, incident_id, user_id, status, due_at, attempts, document, due_at FROM notifications
                    """,
                    "DROP TABLE notifications",
                    "ALTER TABLE outbox RENAME TO notifications",
                    "CREATE INDEX notifications_due ON notifications (due_at) WHERE status IN ('pending', 'sending')",
                    "CREATE INDEX notifications_incident ON notifications (incident_id)",
                    """
                    CREATE TABLE handoffs (
                        schedule_id TEXT NOT NULL, at \(integer) NOT NULL, outgoing TEXT, incoming TEXT NOT NULL,
                        queued_at \(integer) NOT NULL, PRIMARY KEY (schedule_id, at))
                    """,
                ]),
            Migration(
                version: 6, name: "lifecycle times as columns, timeline entries recorded after the fact",
                statements: [
                    "ALTER TABLE incidents ADD COLUMN impact_started_at \(integer)",
                    "ALTER TABLE incidents ADD COLUMN acknowledged_at \(integer)",
                    "ALTER TABLE incidents ADD COLUMN mitigated_at \(integer)",
                    "ALTER TABLE incidents ADD COLUMN resolved_at \(integer)",
                    "ALTER TABLE incidents ADD COLUMN closed_at \(integer)",
                    "CREATE INDEX incidents_resolved ON incidents (resolved_at)",
                    "ALTER TABLE timeline_entries ADD COLUMN recorded_at \(integer)",
                    "UPDATE timeline_entries SET recorded_at = at",
                ],
                backfill: LifecycleBackfill.run),
            Migration(
                version: 7, name: "schedule overrides with ids", statements: [],
                backfill: OverrideIDsBackfill.run),
            Migration(
                version: 8, name: "token expiry, calendar feed secrets, audit log",
                statements: [
                    "ALTER TABLE api_tokens ADD COLUMN expires_at \(integer)",
                    """
                    CREATE TABLE calendar_feeds (
                        schedule_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
                        created_at \(integer) NOT NULL, created_by TEXT NOT NULL)
                    """,
                    """
                    CREATE TABLE audit_events (
                        id TEXT PRIMARY KEY, at \(integer) NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        kind TEXT NOT NULL, subject TEXT NOT NULL, before_state TEXT, after_state TEXT)
                    """,
                    "CREATE INDEX audit_events_at ON audit_events (at)",
                    "CREATE INDEX audit_events_subject ON audit_events (kind, subject, at)",
                ]),
            Migration(
                version: 9, name: "people's passwords and web sessions",
                statements: [
                    "CREATE TABLE user_passwords (user_id TEXT PRIMARY KEY, hash TEXT NOT NULL, set_at \(integer) NOT NULL)",
                    """
                    CREATE TABLE web_sessions (
                        id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf_token TEXT NOT NULL,
                        created_at \(integer) NOT NULL, last_seen_at \(integer) NOT NULL)
                    """,
                    "CREATE INDEX web_sessions_user ON web_sessions (user_id)",
                ]),
            Migration(
                version: 10, name: "live pages: the latest change to any incident",
                statements: ["CREATE INDEX incidents_updated ON incidents (updated_at)"]),
            Migration(
                version: 11, name: "stakeholder groups, and how far each incident's timeline has been told to them",
                statements: [
                    "CREATE TABLE stakeholder_groups (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)",
                    """
                    CREATE TABLE broadcast_cursors (
                        incident_id TEXT PRIMARY KEY, through \(integer) NOT NULL, announced \(integer) NOT NULL)
                    """,
                    // What happened before stakeholder groups existed is not told now.
                    """
                    INSERT INTO broadcast_cursors (incident_id, through, announced)
                    SELECT incident_id, MAX(position), 1 FROM timeline_entries GROUP BY incident_id
                    """,
                ]),
            Migration(
                version: 12, name: "status page components",
                statements: [
                    "CREATE TABLE status_components (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)"
                ]),
            Migration(
                version: 13, name: "status page: groups, maintenance, status history, settings, published incidents, subscribers",
                statements: [
                    "CREATE TABLE status_groups (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)",
                    "CREATE TABLE status_page_settings (id TEXT PRIMARY KEY, created_at \(integer) NOT NULL, document TEXT NOT NULL)",
                    """
                    CREATE TABLE maintenances (
                        id TEXT PRIMARY KEY, state TEXT NOT NULL, starts_at \(integer) NOT NULL, ends_at \(integer) NOT NULL,
                        next_move_at \(integer), created_at \(integer) NOT NULL, updated_at \(integer) NOT NULL, document TEXT NOT NULL,
                        notified \(integer) NOT NULL DEFAULT 0)
                    """,
                    "CREATE INDEX maintenances_next_move ON maintenances (next_move_at)",
                    "CREATE INDEX maintenances_ends ON maintenances (ends_at)",
                    """
                    CREATE TABLE status_intervals (
                        component_id TEXT NOT NULL, status TEXT NOT NULL, started_at \(integer) NOT NULL, ended_at \(integer),
                        reason TEXT, PRIMARY KEY (component_id, started_at))
                    """,
                    "CREATE INDEX status_intervals_ended ON status_intervals (ended_at)",
                    // The newest change of an incident customers can see; NULL while nothing is published.
                    "ALTER TABLE incidents ADD COLUMN page_updated_at \(integer)",
                    """
                    UPDATE incidents SET page_updated_at = updated_at WHERE id IN (
                        SELECT incident_id FROM timeline_entries
                        WHERE kind = 'update_published' AND details NOT LIKE '%"audience":"internal"%')
                    """,
                    "CREATE INDEX incidents_page_updated ON incidents (page_updated_at)",
                    """
                    CREATE TABLE status_subscribers (
                        id TEXT PRIMARY KEY, kind TEXT NOT NULL, address TEXT NOT NULL, created_at \(integer) NOT NULL,
                        confirmed_at \(integer), document TEXT NOT NULL, UNIQUE (kind, address))
                    """,
                    "CREATE TABLE subscriber_cursors (incident_id TEXT PRIMARY KEY, through \(integer) NOT NULL)",
                    // A subscriber's older messages still to send, which hold its newer ones back.
                    "CREATE INDEX notifications_user ON notifications (user_id, created_at) WHERE status IN ('pending', 'sending')",
                    // What was published before subscribers existed is not told now.
                    """
                    INSERT INTO subscriber_cursors (incident_id, through)
                    SELECT incident_id, MAX(position) FROM timeline_entries GROUP BY incident_id
                    """,
                ]),
            Migration(
                version: 14, name: "post-mortems and action items",
                statements: [
                    """
                    CREATE TABLE postmortems (
                        id TEXT PRIMARY KEY, incident_id TEXT NOT NULL UNIQUE REFERENCES incidents (id), state TEXT NOT NULL,
                        owner TEXT NOT NULL, due_at \(integer) NOT NULL, published_at \(integer), created_at \(integer) NOT NULL,
                        updated_at \(integer) NOT NULL, remind_at \(integer), document TEXT NOT NULL)
                    """,
                    "CREATE INDEX postmortems_due ON postmortems (state, due_at)",
                    "CREATE INDEX postmortems_remind ON postmortems (remind_at)",
                    """
                    CREATE TABLE action_items (
                        id TEXT PRIMARY KEY, incident_id TEXT, postmortem_id TEXT, owner TEXT NOT NULL, status TEXT NOT NULL,
                        priority TEXT NOT NULL, due_at \(integer), created_at \(integer) NOT NULL, updated_at \(integer) NOT NULL,
                        done_at \(integer), remind_at \(integer), document TEXT NOT NULL)
                    """,
                    "CREATE INDEX action_items_remind ON action_items (remind_at)",
                    "CREATE INDEX action_items_owner ON action_items (owner, status)",
                    "CREATE INDEX action_items_due ON action_items (status, due_at)",
                    "CREATE INDEX action_items_incident ON action_items (incident_id)",
                ]),
            Migration(
                version: 15, name: "incident times from an index; change events; service dependencies; checklists; runbooks",
                statements: [
                    // Reports read these columns of every incident of a period; the index holds
                    // them all, so the rows and their documents are never read. It begins with
                    // detected_at and so stands in for incidents_detected.
                    """
                    CREATE INDEX incidents_times ON incidents (
                        detected_at, id, severity, impact_started_at, acknowledged_at, mitigated_at, resolved_at)
                    """,
                    "DROP INDEX incidents_detected",
                    """
                    CREATE TABLE change_events (
                        id TEXT PRIMARY KEY, service TEXT NOT NULL REFERENCES services (id), at \(integer) NOT NULL,
                        received_at \(integer) NOT NULL, document TEXT NOT NULL)
                    """,
                    "CREATE INDEX change_events_service ON change_events (service, at)",
                    "CREATE INDEX change_events_at ON change_events (at)",
                    // The services a service depends on, as a JSON list; NULL for none.
                    "ALTER TABLE services ADD COLUMN depends_on TEXT",
                    // solo, small or large; NULL for the default, small.
                    "ALTER TABLE services ADD COLUMN response_size TEXT",
                    // How responders left each checklist item of an incident.
                    """
                    CREATE TABLE checklist_marks (
                        incident_id TEXT NOT NULL REFERENCES incidents (id), item TEXT NOT NULL, document TEXT NOT NULL,
                        PRIMARY KEY (incident_id, item))
                    """,
                    "CREATE TABLE runbooks (id TEXT PRIMARY KEY, updated_at \(integer) NOT NULL, document TEXT NOT NULL)",
                ]),
        ]
    }
}
