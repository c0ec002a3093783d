/*
 * SIGBUS from a file that shrinks while it is mapped.  libelf maps each
 * input whole (reading vmlinux's 600 MB through read() would double the
 * memory padscan needs), and a page past the new end of a truncated file
 * raises SIGBUS on access, which would kill the run.  Each mapping is
 * registered here; the handler puts a page of zeros where the file's page
 * was and marks the mapping, the interrupted code reads zeros (which may
 * make it fail, safely), and the reader then reports the file as changed
 * while it was read: an input error, exit 2.  No jump out of libelf or
 * libdwarf, so their state and locks stay consistent.  A SIGBUS anywhere
 * else keeps its default action.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf.h"

enum { GUARD_SLOTS = 256 };

typedef struct guard_slot {
    _Atomic uintptr_t base; /* 0: free */
    _Atomic size_t len;
    atomic_bool hit;
} guard_slot;

static guard_slot slots[GUARD_SLOTS];
static uintptr_t page_size; /* read once, outside the handler */

static void on_sigbus(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    uintptr_t addr = (uintptr_t)info->si_addr;
    for (size_t i = 0; i < GUARD_SLOTS; i++) {
        uintptr_t base = atomic_load(&slots[i].base);
        if (!base || addr < base || addr - base >= atomic_load(&slots[i].len))
            continue;
        uintptr_t page = addr & ~(page_size - 1);
        if (mmap((void *)page, (size_t)page_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            break;
        atomic_store(&slots[i].hit, true);
        return;
    }
    signal(sig, SIG_DFL); /* not ours: fault again, with the default action */
}

static void install_once(void)
{
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

static void install(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_once);
}

int ps_mapguard_add(const void *base, size_t len)
{
    if (!base || !len)
        return -1;
    install();
    for (int i = 0; i < GUARD_SLOTS; i++) {
        uintptr_t expected = 0;
        if (atomic_compare_exchange_strong(&slots[i].base, &expected, (uintptr_t)base)) {
            atomic_store(&slots[i].hit, false); /* len is 0 until set: no match */
            atomic_store(&slots[i].len, len);
            return i;
        }
    }
    return -1; /* more mappings at once than slots: unguarded */
}

bool ps_mapguard_hit(int slot)
{
    return slot >= 0 && atomic_load(&slots[slot].hit);
}

void ps_mapguard_remove(int slot)
{
    if (slot < 0)
        return;
    atomic_store(&slots[slot].len, 0);
    atomic_store(&slots[slot].base, 0);
}
