#include "CMusterSQLite.h"

/* SQLiteNIO's vendored SQLite prefixes its symbols; declared here so this target needs no header of it. */
int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

/* SQLITE_DBCONFIG_ENABLE_QPSG in sqlite3.h */
#define MUSTER_SQLITE_DBCONFIG_ENABLE_QPSG 1007

int muster_sqlite_enable_qpsg(void *db) {
    int enabled = 0;
    int status = sqlite_nio_sqlite3_db_config(db, MUSTER_SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
    return status == 0 && enabled == 1 ? 0 : (status == 0 ? 1 : status);
}
