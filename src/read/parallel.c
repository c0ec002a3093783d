/*
 * One binary's compile units on several threads (-j N).  This thread lists
 * the units (dwarf.c); they are split into N contiguous ranges of about
 * equal bytes (and when this thread is done with its range, it takes half
 * of what is left of the biggest other one, as a range of its own: steal),
 * and each range is read by a worker with its own reader: its
 * own Dwarf_Debug over the same sections (dwarf_object.c shares what is
 * inflated or relocated), its own model, strings and maps.  libdwarf keeps
 * its state per Dwarf_Debug; what it shares between handles (dwarf_srcfiles
 * in 20210528) is locked in attrs.c.  libelf is only read by the workers:
 * every section they touch was loaded by this thread first.
 *
 * The merge then meets the workers' records in unit order, as a single
 * thread would have: a worker's top-level records in order, each either
 * identical to one already merged (deduplicated, records.c) or committed
 * after the records it holds by value.  So `-j 1` and `-j N` give the same
 * model, in the same order (the parallel_identical test compares them).
 * Type units, dwz alternate files and split DWARF files are read after
 * the merge, or the whole binary on one thread (rd_parallel_possible).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

enum { MAX_STEALS = 16 }; /* tails taken from the other threads' ranges */

/* Shared by the workers of one read: units read so far. */
typedef struct rd_progress {
    atomic_ulong done;
    unsigned long total;
    pthread_mutex_t lock;
    unsigned long shown;
} rd_progress;

typedef struct worker {
    reader r;
    ps_binary bin;
    unit_scan scan;
    const rd_unit_job *jobs;
    pthread_mutex_t lock; /* next and limit: the main thread may cut the range */
    size_t next, limit;   /* jobs[next..limit) are still to read */
    reader *main;
    atomic_bool *stop; /* stop[i]: a worker before i failed, i's work is moot */
    size_t index;
    bool failed;
    uint64_t walk; /* unit_die's */
    pthread_t thread;
    bool started;
    char err[1536];
} worker;

bool rd_parallel_possible(const reader *r)
{
    /* A dwz alternate file or a split file is read on one thread. */
    return r->opts->jobs > 1 && !r->alt_dbg && !r->main_dbg && r->object;
}

static void worker_init(worker *w, reader *m, size_t index, atomic_bool *stop)
{
    reader *r = &w->r;
    memset(w, 0, sizeof(*w));
    ps_binary_init(&w->bin, m->bin->path);
    w->bin.arch = m->bin->arch;
    w->bin.ptr_size = m->bin->ptr_size;
    w->bin.big_endian = m->bin->big_endian;
    w->bin.go_version = m->bin->go_version;
    r->bin = &w->bin;
    r->elf = m->elf; /* read only: Go descriptors (go_types already found) */
    r->elf.guard = -1;
    r->dwarf_elf = m->dwarf_elf;
    r->debug_elf.fd = r->split_elf.fd = r->alt_elf.fd = -1;
    r->debug_elf.guard = r->split_elf.guard = r->alt_elf.guard = -1;
    r->opts = m->opts;
    r->errbuf = w->err;
    r->errlen = sizeof(w->err);
    r->main_comp_dir = m->main_comp_dir;
    r->no_sibling_attrs = m->no_sibling_attrs;
    r->worker = true;
    r->progress = m->progress;
    ps_vec_init(&r->scratch, sizeof(ps_member));
    ps_vec_init(&r->type_units, sizeof(uint64_t));
    ps_vec_init(&r->deferred, sizeof(uint64_t));
    ps_vec_init(&r->go_dir_list, sizeof(const char *));
    ps_vec_init(&r->events, sizeof(rd_event));
    ps_vec_init(&r->unit_events, sizeof(size_t));
    ps_vec_init(&w->scan.named, sizeof(uint64_t));
    ps_vec_init(&w->scan.anonymous, sizeof(uint64_t));
    w->main = m;
    w->index = index;
    w->stop = stop;
    pthread_mutex_init(&w->lock, NULL);
}

static void worker_free(worker *w)
{
    reader *r = &w->r;
    rd_let_go_all(r);
    rd_close_dwarf(r); /* also frees its errors */
    rd_free_unit(r);
    rd_free_tables(r);
    ps_vec_free(&r->unit_events);
    ps_vec_free(&w->scan.named);
    ps_vec_free(&w->scan.anonymous);
    ps_binary_free(&w->bin);
    pthread_mutex_destroy(&w->lock);
}

/* The unit DIE at offset off, reached by libdwarf's own walk over the
 * unit headers (*walk: the offset its next step returns): libdwarf finds
 * a DIE quickly only in the unit its walk is at, and searches its list of
 * units for any other. */
static Dwarf_Die unit_die(reader *r, uint64_t off, uint64_t *walk)
{
    bool restarted = false;
    for (;;) {
        Dwarf_Unsigned header_len, abbrev_off, next_off, type_off;
        Dwarf_Half version, addr_size, off_size, ext_size, header_type;
        Dwarf_Sig8 sig;
        int rc = dwarf_next_cu_header_d(r->dbg, true, &header_len, &version, &abbrev_off,
                                        &addr_size, &off_size, &ext_size, &sig, &type_off,
                                        &next_off, &header_type, &r->err);
        if (rc == DW_DLV_NO_ENTRY && !restarted) { /* past the end: it starts over */
            restarted = true;
            *walk = 0;
            continue;
        }
        if (rc != DW_DLV_OK)
            rd_dwarf_fail(r, "unit header");
        uint64_t here = *walk;
        *walk = next_off;
        if (here == off) {
            Dwarf_Die cu = NULL;
            if (dwarf_siblingof_b(r->dbg, NULL, true, &cu, &r->err) != DW_DLV_OK)
                rd_dwarf_fail(r, "unit DIE");
            rd_hold(r, cu);
            return cu;
        }
        if (here > off && restarted)
            rd_fail(r, "malformed DWARF: no unit at 0x%llx", (unsigned long long)off);
    }
}

/* The worker's next unit, or SIZE_MAX when its range is done. */
static size_t claim(worker *w)
{
    pthread_mutex_lock(&w->lock);
    size_t i = w->next < w->limit ? w->next++ : SIZE_MAX;
    pthread_mutex_unlock(&w->lock);
    return i;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    reader *r = &w->r;
    if (setjmp(r->fail) != 0) {
        w->failed = true;
        atomic_store(&w->stop[w->index], true);
        return NULL;
    }
    if (rd_open_dwarf_shared(r, w->main) != DW_DLV_OK)
        rd_dwarf_fail(r, "cannot open debug sections");
    w->walk = 0;
    for (size_t i; (i = claim(w)) != SIZE_MAX;) {
        for (size_t k = 0; k < w->index; k++)
            if (atomic_load(&w->stop[k]))
                return NULL; /* an earlier unit failed: its error is the read's */
        Dwarf_Die cu = unit_die(r, w->jobs[i].off, &w->walk);
        *(size_t *)ps_vec_push(&r->unit_events) = r->events.len;
        rd_read_unit(r, cu, &w->scan);
        rd_let_go(r, cu);
    }
    rd_free_unit(r); /* the tables kept between units, no longer needed */
    return NULL;
}

/* N contiguous ranges of about total/N bytes each, none empty. */
static void split_ranges(worker *w, size_t nw, const rd_unit_job *jobs, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += jobs[i].size;
    size_t at = 0;
    uint64_t sum = 0;
    for (size_t k = 0; k < nw; k++) {
        size_t first = at;
        uint64_t goal = total / nw * (k + 1);
        /* leave at least one unit for each worker after this one */
        while (at < n - (nw - 1 - k) && (at == first || sum + jobs[at].size / 2 <= goal ||
                                         k == nw - 1))
            sum += jobs[at++].size;
        w[k].jobs = jobs + first;
        w[k].limit = at - first;
    }
}

/* The range with the most bytes not yet claimed (*left), among those with
 * two units or more to go; NULL if none. */
static worker *richest_range(worker *w, size_t nw, uint64_t *left)
{
    worker *richest = NULL;
    *left = 0;
    for (size_t k = 0; k < nw; k++) {
        pthread_mutex_lock(&w[k].lock);
        uint64_t bytes = 0;
        for (size_t i = w[k].next; i < w[k].limit; i++)
            bytes += w[k].jobs[i].size;
        if (w[k].limit - w[k].next >= 2 && bytes > *left) {
            *left = bytes;
            richest = &w[k];
        }
        pthread_mutex_unlock(&w[k].lock);
    }
    return richest;
}

/* Ends the victim's range where about half of its `left` bytes are
 * claimed; returns where the rest starts (0: nothing to take). */
static size_t cut_range(worker *victim, uint64_t left)
{
    pthread_mutex_lock(&victim->lock);
    size_t mid = victim->next, end = victim->limit;
    for (uint64_t half = 0; mid < end - 1 && half < left / 2; mid++)
        half += victim->jobs[mid].size;
    bool ok = mid < end && victim->next < mid;
    if (ok)
        victim->limit = mid;
    pthread_mutex_unlock(&victim->lock);
    return ok ? mid : 0;
}

/* Work stealing: the tail of the range with the most bytes left, in a
 * worker of its own that the merge meets right after it (order[], the
 * merge's order of the workers).  The thread that finished first reads
 * it, so both finish together; NULL when no range has 2 units left. */
static worker *steal(reader *m, worker *w, size_t *nw, size_t cap, size_t *order, atomic_bool *stop)
{
    uint64_t left = 0;
    worker *victim = *nw < cap ? richest_range(w, *nw, &left) : NULL;
    size_t end = victim ? victim->limit : 0; /* only this thread changes a limit */
    size_t mid = victim ? cut_range(victim, left) : 0;
    if (!mid)
        return NULL;
    worker *s = &w[*nw];
    worker_init(s, m, victim->index, stop);
    s->jobs = victim->jobs + mid;
    s->limit = end - mid;
    size_t at = 0;
    while (order[at] != (size_t)(victim - w))
        at++;
    memmove(order + at + 2, order + at + 1, (*nw - at - 1) * sizeof(*order));
    order[at + 1] = (*nw)++;
    return s;
}

/* Units from..n of the worker's range on this thread, as one thread
 * reads them. */
static void read_here(reader *m, const rd_unit_job *jobs, size_t from, size_t n, unit_scan *scan)
{
    for (size_t i = from; i < n; i++) {
        Dwarf_Die cu = unit_die(m, jobs[i].off, &m->walk);
        rd_read_unit(m, cu, scan);
        rd_let_go(m, cu);
    }
}

/* The worker's records, unit by unit.  A unit whose names one thread
 * would not have given is taken back and read again here; returns how
 * many were. */
static size_t merge_records(reader *m, worker *w, unit_scan *scan)
{
    reader *r = &w->r;
    rd_merge mc = {.from = &w->bin, .events = r->events.data};
    size_t n = w->bin.structs.len + 1, again = 0;
    mc.map = ps_xmalloc(n * sizeof(uint32_t));
    mc.skipped = ps_xcalloc(n, 1);
    ps_vec_init(&mc.mapped, sizeof(uint32_t));
    m->merge = &mc; /* freed by reader_free if the merge fails */
    for (size_t i = 0; i < n; i++)
        mc.map[i] = PS_NONE;
    for (size_t unit = 0; unit < w->limit; unit++) {
        size_t structs = m->bin->structs.len, members = m->bin->members.len;
        size_t from = PS_VEC_AT(&r->unit_events, size_t, unit);
        size_t to = unit + 1 < w->limit ? PS_VEC_AT(&r->unit_events, size_t, unit + 1)
                                        : r->events.len;
        mc.mapped.len = 0;
        rd_merge_events(m, &mc, from, to);
        if (!mc.diverged) {
            m->bin->units++;
            continue;
        }
        m->bin->structs.len = structs; /* take the unit's records back */
        m->bin->members.len = members;
        m->scratch.len = 0;
        m->depth = 0;
        for (size_t i = 0; i < mc.mapped.len; i++)
            mc.map[PS_VEC_AT(&mc.mapped, uint32_t, i)] = PS_NONE;
        mc.diverged = false;
        read_here(m, w->jobs, unit, unit + 1, scan);
        again++;
    }
    rd_merge_free(m);
    return again;
}

void rd_merge_free(reader *m)
{
    rd_merge *mc = m->merge;
    if (!mc)
        return;
    free(mc->map);
    free(mc->skipped);
    ps_vec_free(&mc->mapped);
    m->merge = NULL;
}

/* The worker's findings, as one thread would have met them after the
 * units before its range. */
static void merge_worker(reader *m, worker *w, unit_scan *scan)
{
    reader *r = &w->r;
    m->bin->has_go |= w->bin.has_go;
    m->bin->has_c |= w->bin.has_c;
    if (!m->bin->go_version && w->bin.go_version)
        m->bin->go_version = ps_arena_strdup(&m->bin->arena, w->bin.go_version);
    m->type_dies += r->type_dies;
    m->raw_dies += r->raw_dies;
    m->libdwarf_dies += r->libdwarf_dies;
    rd_merge_methods(m, r);
    rd_merge_go_sources(m, r);
    rd_merge_go_dirs(m, r);
    for (size_t i = 0; i < r->extern_names.cap; i++) {
        uint64_t key = r->extern_names.slots[i].key;
        if (key && !rd_typedef_name(m, key))
            ps_map_put(&m->extern_names, key, (void *)rd_intern(m, r->extern_names.slots[i].val));
    }
    for (size_t i = 0; i < r->go_desc_seen.cap; i++) {
        uint64_t key = r->go_desc_seen.slots[i].key;
        if (key && !ps_map_get(&m->go_desc_seen, key)) {
            ps_map_put(&m->go_desc_seen, key, (void *)1);
            m->bin->go_descriptors++;
        }
    }
    m->reread_units += merge_records(m, w, scan);
}

void rd_read_units_parallel(reader *m, const rd_unit_job *jobs, size_t n, unit_scan *scan)
{
    size_t nw = m->opts->jobs < n ? m->opts->jobs : n;
    if (nw < 2) { /* nothing to share: this thread reads them */
        read_here(m, jobs, 0, n, scan);
        return;
    }
    /* Everything the workers may touch in libelf is loaded here first. */
    GElf_Shdr sh;
    static const char *const preload[] = {".debug_info", ".debug_line", ".debug_line_str",
                                          ".debug_str", ".debug_abbrev"};
    for (size_t i = 0; i < PS_ARRAY_LEN(preload); i++)
        ps_elf_section(m->dwarf_elf, preload[i], &sh);
    ps_elf_go_types_base(&m->elf);
    size_t cap = nw + MAX_STEALS, threads = nw;
    worker *w = ps_xcalloc(cap, sizeof(worker));
    size_t *order = ps_xcalloc(cap, sizeof(size_t));
    atomic_bool *stop = ps_xcalloc(nw, sizeof(atomic_bool));
    for (size_t k = 0; k < nw; k++) {
        worker_init(&w[k], m, k, stop);
        order[k] = k;
    }
    split_ranges(w, nw, jobs, n);
    for (size_t k = 1; k < threads; k++)
        w[k].started = pthread_create(&w[k].thread, NULL, worker_main, &w[k]) == 0;
    worker_main(&w[0]);
    for (worker *s; (s = steal(m, w, &nw, cap, order, stop));)
        worker_main(s);
    for (size_t k = 1; k < threads; k++) {
        if (w[k].started)
            pthread_join(w[k].thread, NULL);
        else
            worker_main(&w[k]); /* no thread to be had: read its range here */
    }
    free(stop);
    size_t failed = nw;
    for (size_t k = 0; k < nw && failed == nw; k++) /* the first in unit order */
        if (w[order[k]].failed)
            failed = order[k];
    if (failed < nw)
        snprintf(m->errbuf, m->errlen, "%s", w[failed].err);
    m->parallel = w; /* reader_free frees them if the merge fails */
    m->nparallel = nw;
    for (size_t k = 0; k < nw && failed == nw; k++)
        merge_worker(m, &w[order[k]], scan);
    free(order);
    rd_parallel_free(m);
    if (failed < nw)
        longjmp(m->fail, 1);
    if (m->opts->verbose)
        fprintf(stderr, "padscan: %s: %zu compile units read on %zu threads, in %zu ranges "
                        "(%llu read again on one, where a worker named an anonymous record "
                        "otherwise)\n",
                m->bin->path, n, threads, nw, (unsigned long long)m->reread_units);
}

void rd_parallel_free(reader *m)
{
    worker *w = m->parallel;
    for (size_t k = 0; w && k < m->nparallel; k++)
        worker_free(&w[k]);
    free(w);
    m->parallel = NULL;
    m->nparallel = 0;
}

/* --- progress ------------------------------------------------------------ */

/* Units in .debug_info, from the unit lengths alone. */
static unsigned long count_units(reader *r)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(r->dwarf_elf, ".debug_info", &sh);
    if (!d || !d->d_buf)
        return 0;
    const unsigned char *p = d->d_buf;
    uint64_t off = 0, size = d->d_size;
    unsigned long n = 0;
    while (size - off >= 4) {
        uint64_t len = ps_elf_word(r->dwarf_elf, p + off, 4), hdr = 4;
        if (len == 0xffffffffu) {
            if (size - off < 12)
                break;
            len = ps_elf_word(r->dwarf_elf, p + off + 4, 8);
            hdr = 12;
        }
        if (len > size - off - hdr)
            break;
        off += hdr + len;
        n++;
    }
    return n;
}

void rd_progress_start(reader *r)
{
    rd_progress *p = ps_xcalloc(1, sizeof(*p));
    p->total = count_units(r);
    pthread_mutex_init(&p->lock, NULL);
    r->progress = p;
    r->opts->progress(r->opts->progress_ctx, 0, p->total);
}

void rd_progress_unit(reader *r)
{
    rd_progress *p = r->progress;
    if (!p)
        return;
    unsigned long done = atomic_fetch_add(&p->done, 1) + 1;
    if (done > p->total)
        done = p->total;
    pthread_mutex_lock(&p->lock);
    if (done > p->shown) {
        p->shown = done;
        r->opts->progress(r->opts->progress_ctx, done, p->total);
    }
    pthread_mutex_unlock(&p->lock);
}

void rd_progress_end(reader *r)
{
    rd_progress *p = r->progress;
    if (!p)
        return;
    pthread_mutex_destroy(&p->lock);
    free(p);
    r->progress = NULL;
}
