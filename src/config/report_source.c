/*
 * A saved `padscan analyze --format json` report as input to the fleet
 * estimate: each service's own CI job reads its binary, the fleet job only
 * aggregates these small files.  Read by the one report reader
 * (snapshot_json.c); here only turned into the estimate's type facts.
 */
#include <stdio.h>
#include <string.h>

#include "padscan/config.h"

static void facts_of(const ps_snap_struct *s, ps_type_facts *f, ps_arena *a)
{
    const char **holds = ps_arena_zalloc(a, (s->nmembers + 1) * sizeof(char *));
    f->name = s->name;
    f->ctype = s->ctype;
    f->size = s->size;
    f->optimal_size = s->optimal_size;
    f->ptr_bytes = s->ptr_bytes;
    f->optimal_ptr_bytes = s->optimal_ptr_bytes;
    f->cachelines = s->cachelines;
    f->optimal_cachelines = s->optimal_cachelines;
    for (size_t i = 0; i < s->nmembers; i++)
        if (s->members[i].record)
            holds[f->nholds++] = s->members[i].record;
    f->holds = holds;
}

void ps_report_source_load(const char *path, ps_fleet_source *src, ps_arena *arena)
{
    char err[1024];
    ps_snapshot snap;
    memset(src, 0, sizeof(*src));
    src->path = path;
    if (ps_snapshot_load(path, &snap, arena, err, sizeof(err)) != 0) {
        src->error = ps_arena_strdup(arena, err);
        return;
    }
    if (snap.nbinaries != 1) {
        src->error = ps_arena_printf(arena, "%s: not a padscan analyze report of one binary", path);
        return;
    }
    src->path = snap.binary;
    src->build_id = snap.build_id;
    src->go_version = snap.go_version;
    src->ptr_size = snap.ptr_size ? snap.ptr_size : 8;
    src->is_go = snap.is_go;
    src->subset = snap.subset;
    if (!src->subset && snap.classes && snap.classes != (1u << (PS_CLASS_STD + 1)) - 1)
        src->subset = snap.classes & (1u << PS_CLASS_DEPENDENCY)
                          ? "--include-deps (no standard-library types; --all-types writes them)"
                          : "analyze's default (your own types only; --all-types writes every "
                            "record)";
    src->ntypes = snap.n;
    src->types = ps_arena_zalloc(arena, (snap.n + 1) * sizeof(ps_type_facts));
    const char **names = ps_arena_zalloc(arena, (snap.n + 1) * sizeof(char *));
    for (size_t i = 0; i < snap.n; i++) {
        facts_of(&snap.structs[i], &src->types[i], arena);
        names[i] = snap.structs[i].name;
    }
    src->names = names;
    src->nnames = snap.n;
    if (!snap.n)
        src->empty = ps_arena_printf(arena, "%s: the report holds no records", path);
}
