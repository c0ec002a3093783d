/*
 * padscan fleet: reads every binary of a fleet manifest once, in parallel,
 * and estimates what reordering the hot types gives back across all
 * replicas, in allocator bytes.
 */
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "padscan/cli.h"
#include "padscan/config.h"

static const char usage[] =
    "usage: padscan fleet [options] MANIFEST\n"
    "\n"
    "Estimates the memory a fleet gets back when its hot types are reordered:\n"
    "per service and type, bytes per instance as the allocator hands them out\n"
    "(Go size classes, glibc, jemalloc, tcmalloc), times live instances, times\n"
    "replicas.  Manifest format: docs/fleet.md.\n"
    "\n"
    "  -j, --jobs N         binaries read in parallel (default: all cores)\n"
    "  --format text|json|csv|markdown   output (default text)\n"
    "  -o, --output FILE    write to FILE atomically instead of stdout\n"
    "  --config FILE        padscan.json: fixed types (for the optimal sizes)\n"
    "  --cacheline N        cache-line size in bytes (default 64)\n"
    "\n"
    "exit status: 0 done, 2 usage or manifest error, 3 done but some binaries\n"
    "or reports could not be read (their services are listed with the reason)\n";

enum { EXIT_PARTIAL = 3 };

typedef struct job {
    const char *path;
    ps_binary bin;
    ps_reorder *reorder;
    char err[1024];
    bool ok;
} job;

typedef struct pool {
    job *jobs;
    size_t n, next, done;
    pthread_mutex_t lock;
    const ps_read_options *read;
    bool progress;
} pool;

static void *reader_thread(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        job *j = &p->jobs[i];
        j->ok = ps_read_binary(j->path, p->read, &j->bin, j->err, sizeof(j->err)) == 0;
        pthread_mutex_lock(&p->lock);
        p->done++;
        if (p->progress)
            fprintf(stderr, "\rpadscan fleet: read %zu of %zu binaries", p->done, p->n);
        pthread_mutex_unlock(&p->lock);
    }
}

static void read_all(pool *p, unsigned threads)
{
    pthread_t *t = ps_xmalloc((threads + 1) * sizeof(pthread_t));
    pthread_mutex_init(&p->lock, NULL);
    unsigned started = 0;
    for (; started < threads && started < p->n; started++)
        if (pthread_create(&t[started], NULL, reader_thread, p) != 0)
            break;
    if (!started)
        reader_thread(p);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    if (p->progress)
        fputs("\r\033[K", stderr);
    pthread_mutex_destroy(&p->lock);
    free(t);
}

/* One job per distinct binary, however many services share it. */
static size_t job_of(pool *p, const char *path)
{
    char real[PATH_MAX];
    const char *key = realpath(path, real) ? real : path;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->jobs[i].path, key))
            return i;
    p->jobs[p->n].path = strdup(key);
    return p->n++;
}

struct ps_fleet_run {
    ps_manifest manifest;
    ps_config config;
    ps_fleet fleet;
    ps_manifest *m;
    const char *m_dir; /* the manifest's folder */
    pool pool;
    ps_config *cfg;
    unsigned cacheline;
    ps_arena arena;
    char err[1200];
};
typedef struct ps_fleet_run fleet_ctx;

static void facts_of(fleet_ctx *c, job *j, uint32_t idx, ps_type_facts *f)
{
    const ps_struct *s = ps_struct_at(&j->bin, idx);
    const ps_suggestion *g = ps_suggest(j->reorder, idx);
    const ps_member *m = ps_members_of(&j->bin, s);
    f->name = s->name;
    f->size = s->size;
    f->optimal_size = g->optimal_size;
    f->ptr_bytes = s->ptr_bytes;
    f->optimal_ptr_bytes = g->optimal_ptr_bytes;
    f->cachelines = g->cachelines;
    f->optimal_cachelines = g->optimal_cachelines;
    const char **holds = ps_arena_zalloc(&c->arena, (s->nmembers + 1) * sizeof(char *));
    for (uint32_t i = 0; i < s->nmembers; i++)
        if (m[i].record != PS_NONE)
            holds[f->nholds++] = ps_struct_at(&j->bin, m[i].record)->name;
    f->holds = holds;
}

/* Turns one service's binaries into a source of type facts matching the
 * service's hot types (only those are solved). */
static void binary_source(fleet_ctx *c, const ps_service *svc, ps_fleet_source *src)
{
    ps_vec types;
    ps_vec_init(&types, sizeof(ps_type_facts));
    memset(src, 0, sizeof(*src));
    src->path = svc->binaries[0];
    for (size_t b = 0; b < svc->nbinaries; b++) {
        job *j = &c->pool.jobs[job_of(&c->pool, svc->binaries[b])];
        if (!j->ok) {
            src->error = ps_arena_strdup(&c->arena, j->err);
            continue;
        }
        src->ptr_size = j->bin.ptr_size;
        src->is_go |= j->bin.has_go;
        src->go_version = src->go_version ? src->go_version : j->bin.go_version;
        src->build_id = j->bin.build_id;
        for (uint32_t i = 0; i < j->bin.structs.len; i++) {
            const ps_struct *s = ps_struct_at(&j->bin, i);
            bool wanted = false;
            for (size_t h = 0; h < svc->nhot && !wanted; h++)
                wanted = s->reported && ps_type_matches(svc->hot[h].type, s);
            if (wanted)
                facts_of(c, j, i, ps_vec_push(&types));
        }
    }
    src->ntypes = types.len;
    src->types = ps_vec_to_arena(&types, &c->arena);
    ps_vec_free(&types);
}

/* Is the report about the binary the manifest names?  By build id when
 * the binary is at hand (or the manifest gives one), else by file name. */
static const char *report_warning(fleet_ctx *c, const ps_service *svc, const ps_fleet_source *src)
{
    char id[256];
    const char *want = svc->expect_build_id;
    const char *bin = svc->expect_path ? ps_arena_printf(&c->arena, "%s%s%s", c->m_dir,
                                                         c->m_dir[0] ? "/" : "", svc->expect_path)
                                       : NULL;
    if (svc->expect_path && svc->expect_path[0] == '/')
        bin = svc->expect_path;
    if (!want && bin && ps_read_build_id(bin, id, sizeof(id)))
        want = id;
    if (want && (!src->build_id || strcmp(want, src->build_id)))
        return ps_arena_printf(&c->arena, "report %s describes build id %s, but %s has %s "
                               "(the report is stale)", svc->report,
                               src->build_id ? src->build_id : "(none)",
                               bin ? bin : "the manifest", want);
    const char *a = bin ? strrchr(bin, '/') : NULL, *b = src->path ? strrchr(src->path, '/') : NULL;
    a = a ? a + 1 : bin;
    b = b ? b + 1 : src->path;
    if (!want && a && (!b || strcmp(a, b)))
        return ps_arena_printf(&c->arena, "report %s was made from %s, the manifest expects %s",
                               svc->report, src->path ? src->path : "(unknown)", bin);
    return NULL;
}

static bool name_matches(const char *pattern, const ps_type_facts *f)
{
    return !fnmatch(pattern, f->name, 0);
}

static bool holds(const ps_type_facts *container, const char *name)
{
    for (size_t i = 0; i < container->nholds; i++) {
        const char *h = container->holds[i];
        if (!strncmp(h, "struct ", 7) || !strncmp(h, "union ", 6))
            h = strchr(h, ' ') + 1;
        if (!strcmp(h, name))
            return true;
    }
    return false;
}

/* The hot type entries of one service against its source. */
static int estimate_service(fleet_ctx *c, size_t si, const ps_fleet_source *src, ps_fleet_service *out)
{
    const ps_service *svc = &c->m->services[si];
    ps_alloc_target target = {src->ptr_size ? src->ptr_size : 8, ps_go_minor(src->go_version)};
    out->allocator = svc->has_allocator ? svc->allocator : src->is_go ? PS_ALLOC_GO : PS_ALLOC_GLIBC;
    ps_vec rows;
    ps_vec_init(&rows, sizeof(ps_type_saving));
    int rc = 0;
    for (size_t h = 0; h < svc->nhot && !rc; h++) {
        const ps_hot_type *ht = &svc->hot[h];
        size_t matched = 0;
        for (size_t t = 0; t < src->ntypes; t++) {
            if (!name_matches(ht->type, &src->types[t]))
                continue;
            const ps_type_facts *in = NULL;
            for (size_t k = 0; ht->in && k < src->ntypes && !in; k++)
                in = name_matches(ht->in, &src->types[k]) ? &src->types[k] : NULL;
            if (ht->in && (!in || !holds(in, src->types[t].name))) {
                rc = ps_cli_error("%s: $.services[%zu].hot_types[%zu].in: %s %s", c->m->path, si, h,
                                  in ? in->name : ht->in,
                                  in ? "does not hold it by value" : "is not a type of this service");
                break;
            }
            ps_type_saving *x = ps_vec_push(&rows);
            x->facts = src->types[t];
            x->held = ht->held;
            x->container = in ? in->name : NULL;
            ps_estimate_type(x, out->allocator, &target, ht->instances, svc->replicas);
            matched++;
        }
        if (!matched && !rc)
            rc = ps_cli_error("%s: $.services[%zu].hot_types[%zu].type: no struct matches '%s' in %s",
                              c->m->path, si, h, ht->type, src->path);
    }
    out->ntypes = rows.len;
    out->types = ps_vec_to_arena(&rows, &c->arena);
    ps_vec_free(&rows);
    return rc;
}

static int build_fleet(fleet_ctx *c, ps_fleet *f)
{
    f->n = c->m->n;
    f->services = ps_arena_zalloc(&c->arena, f->n * sizeof(ps_fleet_service));
    for (size_t i = 0; i < f->n; i++) {
        const ps_service *svc = &c->m->services[i];
        ps_fleet_service *out = &f->services[i];
        ps_fleet_source src;
        out->name = svc->name;
        out->replicas = svc->replicas;
        if (svc->report)
            ps_report_source_load(svc->report, &src, &c->arena);
        else
            binary_source(c, svc, &src);
        out->source = svc->report ? svc->report : src.path;
        if (src.error) {
            out->error = src.error;
            continue;
        }
        if (svc->report)
            out->warning = report_warning(c, svc, &src);
        if (estimate_service(c, i, &src, out))
            return PS_EXIT_ERROR;
    }
    ps_fleet_totals(f);
    return PS_EXIT_OK;
}

static int emit(const ps_fleet *f, int format, const char *output)
{
    static void (*const writers[])(const ps_fleet *, ps_strbuf *) = {
        ps_fleet_text, ps_fleet_json, ps_fleet_csv, ps_fleet_markdown,
    };
    ps_strbuf doc = {0};
    writers[format](f, &doc);
    for (size_t i = 0; i < f->n; i++)
        if (f->services[i].warning)
            fprintf(stderr, "padscan: warning: %s: %s\n", f->services[i].name, f->services[i].warning);
    int rc = ps_emit(output, &doc);
    ps_sb_free(&doc);
    return rc ? rc : f->failed ? EXIT_PARTIAL : PS_EXIT_OK;
}

static int run(fleet_ctx *c, const ps_common_opts *o, unsigned threads)
{
    size_t total = 0;
    for (size_t i = 0; i < c->m->n; i++)
        total += c->m->services[i].nbinaries;
    c->pool.jobs = calloc(total + 1, sizeof(job));
    for (size_t i = 0; i < c->m->n; i++)
        for (size_t b = 0; b < c->m->services[i].nbinaries; b++)
            job_of(&c->pool, c->m->services[i].binaries[b]);
    c->pool.read = &o->read;
    c->pool.progress = isatty(STDERR_FILENO);
    read_all(&c->pool, threads);
    for (size_t i = 0; i < c->pool.n; i++)
        if (c->pool.jobs[i].ok)
            c->pool.jobs[i].reorder = ps_reorder_new(&c->pool.jobs[i].bin, c->cacheline,
                                                     ps_config_rules, c->cfg);
    c->fleet.cacheline = c->cacheline;
    return build_fleet(c, &c->fleet);
}

void ps_fleet_run_close(ps_fleet_run *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->pool.n; i++) {
        ps_reorder_free(c->pool.jobs[i].reorder);
        ps_binary_free(&c->pool.jobs[i].bin);
        free((void *)c->pool.jobs[i].path);
    }
    free(c->pool.jobs);
    ps_arena_free(&c->arena);
    ps_manifest_free(&c->manifest);
    ps_config_free(&c->config);
    free(c);
}

int ps_fleet_run_open(const char *manifest, const ps_common_opts *o, unsigned threads,
                      ps_fleet_run **out)
{
    fleet_ctx *c = calloc(1, sizeof(*c));
    *out = c;
    if (ps_manifest_load(manifest, &c->manifest, c->err, sizeof(c->err)) != 0)
        return ps_cli_error("%s", c->err);
    if (o->config_path && ps_config_load(o->config_path, &c->config, c->err, sizeof(c->err)) != 0)
        return ps_cli_error("%s", c->err);
    c->m = &c->manifest;
    c->cfg = &c->config;
    c->cacheline = c->config.cacheline ? c->config.cacheline : (unsigned)o->cacheline;
    const char *slash = strrchr(manifest, '/');
    c->m_dir = slash ? ps_arena_strndup(&c->arena, manifest, (size_t)(slash - manifest)) : "";
    return run(c, o, threads);
}

const ps_fleet *ps_fleet_run_result(const ps_fleet_run *c) { return &c->fleet; }

size_t ps_fleet_run_binaries(ps_fleet_run *c, size_t i, const ps_binary **bin, ps_reorder **reorder)
{
    if (i < c->pool.n && c->pool.jobs[i].ok) {
        *bin = &c->pool.jobs[i].bin;
        *reorder = c->pool.jobs[i].reorder;
    } else {
        *bin = NULL;
    }
    return c->pool.n;
}

unsigned ps_default_jobs(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (unsigned)cores : 1;
}

int ps_cmd_fleet(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "csv", "markdown", NULL};
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS, {"jobs", required_argument, 0, 'j'}, {0, 0, 0, 0},
    };
    ps_common_opts o;
    ps_common_init(&o, "fleet", formats);
    unsigned long long threads = ps_default_jobs();
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, "ho:j:", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            exit(PS_EXIT_OK);
        }
        if (c == 'j' && (!ps_parse_uint(optarg, 1024, &threads) || !threads))
            rc = ps_cli_error("fleet: -j takes a thread count from 1 to 1024, not '%s'", optarg);
        else if (c != 'j' && (c == '?' || (rc = ps_common_option(&o, c, optarg)) < 0))
            rc = ps_unknown_option("fleet", argv);
    }
    if (!rc && optind != argc - 1)
        rc = ps_cli_error("fleet: give exactly one manifest (see 'padscan fleet --help')");
    ps_fleet_run *run = NULL;
    if (!rc)
        rc = ps_fleet_run_open(argv[optind], &o, (unsigned)threads, &run);
    if (!rc)
        rc = emit(ps_fleet_run_result(run), o.format, o.output);
    ps_fleet_run_close(run);
    ps_common_free(&o);
    return rc;
}
