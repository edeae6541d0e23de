#ifndef ALAB_MAPPING_GUARD_H
#define ALAB_MAPPING_GUARD_H
// A file mapped into memory faults with SIGBUS when the file is truncated while it is read
// (another program rewriting a CSV while it loads). A guarded mapping survives that: the pages
// past the file's new end become zero-filled memory, the reader goes on, and its caller asks
// `alab_guard_release` whether that happened, to report that the file changed.
#include <stdint.h>

/// Guards `[start, start + length)`; returns a slot for `alab_guard_release`, or -1 when every
/// slot is taken (then the mapping is unguarded).
int32_t alab_guard_mapping(const void *start, int64_t length);

/// 1 when a page of `slot` has been missing from the file so far, else 0.
int32_t alab_guard_peek(int32_t slot);

/// Ends the guard of `slot`; returns 1 when a page of it was missing from the file (it faulted).
int32_t alab_guard_release(int32_t slot);

#endif
