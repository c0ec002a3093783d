/*
 * Synchronization types: the atomics and locks whose placement decides
 * false sharing.  The reader recognizes them once, by the type names DWARF
 * gives (and C's _Atomic qualifier), and marks the members that hold them
 * (PS_MF_SYNC); no later stage looks at spellings.  padscan.json's
 * "sync_types" adds globs to this list (docs/config.md).
 */
#include <fnmatch.h>
#include <string.h>

#include "reader.h"

/* Globs on a type's name: Go's qualified names, C typedef names, and C
 * records as "struct tag". */
static const char *const builtin[] = {
    /* Go */
    "sync/atomic.Bool", "sync/atomic.Int32", "sync/atomic.Int64", "sync/atomic.Uint32",
    "sync/atomic.Uint64", "sync/atomic.Uintptr", "sync/atomic.Value", "sync/atomic.Pointer\\[*",
    "sync.Mutex", "sync.RWMutex", "sync.WaitGroup", "sync.Once", "sync.Cond", "sync.Map",
    /* C and POSIX */
    "pthread_mutex_t", "pthread_spinlock_t", "pthread_rwlock_t", "pthread_cond_t",
    "pthread_barrier_t", "pthread_once_t", "sem_t", "mtx_t", "cnd_t", "once_flag", "atomic_*",
    /* Linux kernel */
    "spinlock_t", "raw_spinlock_t", "arch_spinlock_t", "rwlock_t", "seqlock_t", "seqcount_t",
    "seqcount_*_t", "atomic_t", "atomic64_t", "atomic_long_t", "refcount_t", "local_t",
    "local64_t", "struct mutex", "struct rw_semaphore", "struct semaphore", "struct qspinlock",
    "struct rt_mutex", "struct percpu_rw_semaphore", "struct completion",
};

/* Most patterns are plain names: those are compared, not matched. */
static bool any(const char *const *globs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strpbrk(globs[i], "*?[\\") ? !fnmatch(globs[i], name, 0) : !strcmp(globs[i], name))
            return true;
    return false;
}

/* Every named type of a binary passes here: a name whose first letter
 * (after "struct ") starts no pattern above skips the globs.  Keep these
 * letters in step with the list. */
static const char record_letters[] = "mrsqpc", name_letters[] = "spmcoarl";

static bool maybe_builtin(const char *name)
{
    if (!strncmp(name, "struct ", 7))
        return name[7] && strchr(record_letters, name[7]);
    return strchr(name_letters, name[0]) != NULL;
}

/* The builtin list's "struct TAG" entries, without building the name. */
static bool builtin_record(const char *tag)
{
    if (!strchr(record_letters, tag[0]))
        return false;
    for (size_t i = 0; i < PS_ARRAY_LEN(builtin); i++)
        if (!strncmp(builtin[i], "struct ", 7) && !strcmp(builtin[i] + 7, tag))
            return true;
    return false;
}

/* Every user glob that names the type is marked used (a glob that names
 * nothing is a typo the config check reports); atomically, as units may
 * be read on several threads. */
static bool user_glob(const reader *r, const char *name)
{
    bool hit = false;
    for (size_t i = 0; i < r->opts->nsync_types; i++)
        if (!fnmatch(r->opts->sync_types[i], name, 0)) {
            __atomic_store_n(&r->bin->sync_types_used[i], true, __ATOMIC_RELAXED);
            hit = true;
        }
    return hit;
}

bool rd_is_sync_type(const reader *r, const char *name)
{
    if (!name || !name[0])
        return false;
    bool user = r->opts->nsync_types && user_glob(r, name);
    return user || (maybe_builtin(name) && any(builtin, PS_ARRAY_LEN(builtin), name));
}

/* A C record, as "struct TAG" or "union TAG"; the name is built only for
 * the config's globs (every record of every unit passes here). */
bool rd_is_sync_record(reader *r, bool is_union, const char *tag)
{
    if (!tag || !tag[0])
        return false;
    if (r->opts->nsync_types)
        return rd_is_sync_type(r, ps_arena_printf(&r->cu_arena, "%s %s",
                                                  is_union ? "union" : "struct", tag));
    return !is_union && builtin_record(tag);
}
