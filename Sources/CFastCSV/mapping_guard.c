// See include/mapping_guard.h. The handler only loads atomics and calls mmap (a system call), so
// it is safe to run in a signal handler; faults outside guarded mappings go to the handler that
// was installed before (the Swift runtime's crash reporter, or the default: the process dies).
#define _GNU_SOURCE
#include "mapping_guard.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOTS 64

static _Atomic uintptr_t guard_start[SLOTS];
static _Atomic uintptr_t guard_end[SLOTS];
static atomic_int guard_hit[SLOTS];
static struct sigaction previous;
static uintptr_t page_size;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int k = 0; k < SLOTS; k++) {
        uintptr_t start = atomic_load(&guard_start[k]), end = atomic_load(&guard_end[k]);
        if (start == 0 || address < start || address >= end) continue;
        // Everything from the faulting page on lies past the file's end: zeros instead, in one go.
        uintptr_t page = address & ~(page_size - 1);
        if (mmap((void *)page, end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
            atomic_store(&guard_hit[k], 1);
            return;
        }
    }
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction) { previous.sa_sigaction(sig, info, context); return; }
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    // The default action: returning re-runs the access, which faults again and ends the process.
    signal(sig, SIG_DFL);
}

static void install(void) {
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous);
}

int32_t alab_guard_mapping(const void *start, int64_t length) {
    pthread_once(&installed, install);
    for (int k = 0; k < SLOTS; k++) {
        uintptr_t expected = 0;
        // Claim the slot by its end first, so the handler never sees a start without its end.
        if (atomic_compare_exchange_strong(&guard_end[k], &expected, (uintptr_t)start + (uintptr_t)length)) {
            atomic_store(&guard_hit[k], 0);
            atomic_store(&guard_start[k], (uintptr_t)start);
            return k;
        }
    }
    return -1;
}

int32_t alab_guard_peek(int32_t slot) {
    if (slot < 0 || slot >= SLOTS) return 0;
    return atomic_load(&guard_hit[slot]);
}

int32_t alab_guard_release(int32_t slot) {
    if (slot < 0 || slot >= SLOTS) return 0;
    atomic_store(&guard_start[slot], 0);
    int32_t hit = atomic_load(&guard_hit[slot]);
    atomic_store(&guard_end[slot], 0);
    return hit;
}
