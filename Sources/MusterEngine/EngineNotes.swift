// MusterEngine will hold the background services (escalations, update reminders, rotation
// handoffs, the outbound notification pipeline). It is empty until the on-call issue lands; the
// composition root already runs the server as a ServiceGroup, so engine services join it there.
