#ifndef PROMISE_ATOMIC_SWAP_H
#define PROMISE_ATOMIC_SWAP_H

/// Atomically exchanges two paths on the same file system (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, or -1 with errno set (ENOSYS where the platform has no such call).
int promise_atomic_exchange(const char *first, const char *second);

#endif
