import Foundation
import Hummingbird
import MusterStore

/// Builds the router for the whole HTTP surface: health, API description and the JSON API.
public enum MusterRouter {
    public static func build(_ env: APIEnvironment) -> Router<MusterRequestContext> {
        // Health checks and monitors ask with HEAD; every GET answers it too.
        let router = Router(context: MusterRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: HTTPMetricsMiddleware(metrics: env.metrics))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: RequestIDMiddleware(accessLog: env.accessLog, trustedProxies: env.trustedProxies))
        router.add(middleware: NULQueryMiddleware())
        HealthController(env: env).addRoutes(to: router)
        OpenAPIController().addRoutes(to: router)
        MetricsController(env: env, export: env.metricsExport).addRoutes(to: router)
        IngestController(env: env).addRoutes(to: router)
        StatuspageController(env: env).addRoutes(to: router)
        let api = router.group("api/v1").add(middleware: AuthMiddleware(store: env.stores.access, now: env.now))
            .add(middleware: AuditMiddleware(env: env))
        IncidentController(env: env).addRoutes(to: api)
        ServiceController(env: env).addRoutes(to: api)
        SeverityController(env: env).addRoutes(to: api)
        TokenController(env: env).addRoutes(to: api)
        AuditController(env: env).addRoutes(to: api)
        IntegrationController(env: env).addRoutes(to: api)
        SilenceController(env: env).addRoutes(to: api)
        PeopleController(env: env).addRoutes(to: api)
        ScheduleController(env: env).addRoutes(to: api)
        ScheduleController(env: env).addFeed(to: router)
        EscalationController(env: env).addRoutes(to: api)
        StakeholderController(env: env).addRoutes(to: api)
        StatusComponentController(env: env).addRoutes(to: api)
        StatusGroupController(env: env).addRoutes(to: api)
        MaintenanceController(env: env).addRoutes(to: api)
        StatusSubscriberController(env: env).addRoutes(to: api)
        PostmortemController(env: env).addRoutes(to: api)
        ActionItemController(env: env).addRoutes(to: api)
        InsightsController(env: env).addRoutes(to: api)
        ChangeController(env: env).addRoutes(to: api)
        ChecklistController(env: env).addRoutes(to: api)
        AckController(env: env).addRoutes(to: router)
        let pages = WebPages()
        SignInController(env: env, pages: pages).addRoutes(to: router)
        IncidentPagesController(env: env, pages: pages).addRoutes(to: router)
        IncidentFormsController(env: env, pages: pages).addRoutes(to: router)
        LiveController(env: env).addRoutes(to: router)
        AdminController(env: env, pages: pages).addRoutes(to: router)
        OnCallController(env: env, pages: pages).addRoutes(to: router)
        AlertsController(env: env, pages: pages).addRoutes(to: router)
        DirectoryController(env: env, pages: pages).addRoutes(to: router)
        StakeholdersController(env: env, pages: pages).addRoutes(to: router)
        SubscriptionController(env: env, pages: pages).addRoutes(to: router)
        StatusPageAdminController(env: env, pages: pages).addRoutes(to: router)
        PostmortemPageController(env: env, pages: pages).addRoutes(to: router)
        LearningPagesController(env: env, pages: pages).addRoutes(to: router)
        return router
    }
}
