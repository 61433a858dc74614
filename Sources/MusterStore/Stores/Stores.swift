/// The store of every domain, as the app passes them around. Over one database they are all
/// the same `SQLStore`; each component takes only the domains it uses.
public struct Stores: Sendable {
    public let database: any StoreAdministration
    public let incidents: any IncidentStore
    public let services: any ServiceStore
    public let access: any AccessStore
    public let alerts: any AlertStore
    public let onCall: any OnCallStore
    public let paging: any PagingStore
    public let audit: any AuditStore
    public let communication: any CommunicationStore
    public let statusPage: any StatusPageStore
    public let learning: any LearningStore
    public let changes: any ChangeStore
    public let checklists: any ChecklistStore
    public let runbooks: any RunbookStore

    /// Every domain served by one store.
    public init(_ store: any Store) {
        database = store
        incidents = store
        services = store
        access = store
        alerts = store
        onCall = store
        paging = store
        audit = store
        communication = store
        statusPage = store
        learning = store
        changes = store
        checklists = store
        runbooks = store
    }
}
