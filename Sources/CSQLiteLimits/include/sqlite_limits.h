#ifndef SQLITE_LIMITS_H
#define SQLITE_LIMITS_H
#include <sqlite3.h>

/// Installs a progress handler on `db` that stops the running statement (SQLITE_INTERRUPT) once the
/// monotonic clock passes `*deadline` seconds; a NULL deadline removes it. `deadline` must stay valid
/// until it is removed.
void pp_set_query_deadline(sqlite3 *db, const double *deadline);

/// Seconds on the monotonic clock.
double pp_monotonic_seconds(void);
#endif
