#include "sqlite_limits.h"
#include <stddef.h>
#include <time.h>

double pp_monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int pp_past_deadline(void *context) {
    const double *deadline = (const double *)context;
    return pp_monotonic_seconds() > *deadline;
}

void pp_set_query_deadline(sqlite3 *db, const double *deadline) {
    /* Checked every 10,000 virtual machine instructions: microseconds apart. */
    sqlite3_progress_handler(db, 10000, deadline ? pp_past_deadline : NULL, (void *)deadline);
}
