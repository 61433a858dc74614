import Foundation
import MusterCore

/// The incident's stored JSON document, written by hand: every ingestion transaction saves the
/// incidents its alerts joined, and `JSONEncoder` was the largest single cost of a transaction of
/// single alerts after SQLite's own. Decodes with `DocumentCoding` like the encoder's text.
enum IncidentDocument {
    static func encode(_ incident: Incident) throws -> String {
        var writer = DocumentWriter(capacity: 512 + incident.summary.utf8.count + incident.roles.count * 160)
        writer.field("acknowledgedAt", date: incident.acknowledgedAt)
        writer.field("alertsLeftOut", counts: incident.alertsLeftOut)
        writer.field("bridge", quoting: incident.bridge)
        writer.field("channel", quoting: incident.channel)
        writer.field("closedAt", date: incident.closedAt)
        if let record = incident.communication {
            writer.object("communication") { fields in
                fields.field("escalatedExternalFor", date: record.escalatedExternalFor)
                fields.field("escalatedInternalFor", date: record.escalatedInternalFor)
                fields.field("lastExternalAt", date: record.lastExternalAt)
                fields.field("lastExternalPhase", quoting: record.lastExternalPhase?.rawValue)
                fields.field("lastInternalAt", date: record.lastInternalAt)
                fields.field("promisedExternalAt", date: record.promisedExternalAt)
                fields.field("promisedInternalAt", date: record.promisedInternalAt)
                fields.field("remindedExternalFor", date: record.remindedExternalFor)
                fields.field("remindedInternalFor", date: record.remindedInternalFor)
                fields.field("startedAt", date: record.startedAt)
            }
        }
        writer.field("declaredBy", quoting: incident.declaredBy)
        writer.field("detectedAt", date: incident.detectedAt)
        writer.field("groupKey", quoting: incident.groupKey)
        writer.field("id", id: incident.id)
        try writer.object("impact") { impact in
            impact.field("businessImpact", quoting: incident.impact.businessImpact?.rawValue)
            impact.field("customerFacing", bool: incident.impact.customerFacing)
            impact.field("dataLoss", bool: incident.impact.dataLoss)
            impact.field("security", bool: incident.impact.security)
            impact.field("userImpact", quoting: incident.impact.userImpact?.rawValue)
            impact.field("usersAffectedCount", int: incident.impact.usersAffectedCount)
            try impact.field("usersAffectedPercent", double: incident.impact.usersAffectedPercent)
        }
        writer.field("impactStartedAt", date: incident.impactStartedAt)
        writer.field("mitigatedAt", date: incident.mitigatedAt)
        writer.field("number", int: incident.number)
        writer.field("publicName", quoting: incident.publicName)
        writer.field("reference", quoting: incident.reference)
        writer.field("reopenCount", int: incident.reopenCount)
        writer.field("resolution", quoting: incident.resolution)
        writer.field("resolvedAt", date: incident.resolvedAt)
        writer.objects("roles", incident.roles) { role, assignment in
            role.field("assignedAt", date: assignment.assignedAt)
            role.field("assignedBy", quoting: assignment.assignedBy)
            role.field("assignee", quoting: assignment.assignee)
            role.field("role", quoting: assignment.role.rawValue)
        }
        writer.field("rootCause", quoting: incident.rootCause)
        writer.field("services", strings: incident.services)
        writer.field("severity", quoting: incident.severity)
        writer.field("status", quoting: incident.status.rawValue)
        writer.field("summary", quoting: incident.summary)
        writer.field("title", quoting: incident.title)
        writer.field("updatedAt", date: incident.updatedAt)
        let text = writer.finish()
        DocumentMemo.remember(incident, as: text)
        return text
    }
}
