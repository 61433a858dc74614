#ifndef C_MUSTER_SQLITE_H
#define C_MUSTER_SQLITE_H

/// Turns on SQLite's query planner stability guarantee for one connection (a `sqlite3 *` from
/// SQLiteNIO's vendored SQLite). Without it, SQLite 3.54 re-plans a prepared statement whenever a
/// new value is bound to a parameter it looked at while planning, which undoes statement reuse.
/// `sqlite3_db_config` takes variable arguments, so Swift cannot call it directly.
int muster_sqlite_enable_qpsg(void *db);

#endif
