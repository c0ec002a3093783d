/*
 * A baseline written over the one a check compared with ratchets: a struct
 * that got worse keeps its earlier entry (all of it, so the entry stays
 * one consistent measurement), so the next check still reports it instead
 * of taking the regression as the new normal.  Structs that held or
 * improved, and new ones, are written as measured now; structs that are
 * gone are dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "padscan/check.h"
#include "padscan/util.h"

/* Worse in any number a rule or the growth check compares. */
static bool worse(const ps_snap_struct *now, const ps_snap_struct *was)
{
    return now->size > was->size || now->waste > was->waste ||
           now->cachelines > was->cachelines || now->ptr_bytes > was->ptr_bytes ||
           now->shared_sync_lines > was->shared_sync_lines ||
           ps_snap_waste_percent(now) > ps_snap_waste_percent(was);
}

size_t ps_baseline_ratchet(ps_snapshot *const *snaps, size_t n, const ps_snapshot *was,
                           ps_snapshot *out)
{
    size_t kept = 0;
    for (size_t k = 0; k < n; k++) {
        out[k] = *snaps[k];
        out[k].structs = ps_xcalloc(snaps[k]->n + 1, sizeof(ps_snap_struct));
        const ps_snap_struct **known = ps_xcalloc(snaps[k]->n + 1, sizeof(*known));
        ps_snap_pairing pairing;
        ps_snap_pairing_init(&pairing, was);
        ps_snap_pair_all(&pairing, snaps[k], known);
        for (size_t i = 0; i < snaps[k]->n; i++) {
            const ps_snap_struct *s = &snaps[k]->structs[i];
            bool keep = known[i] && worse(s, known[i]);
            out[k].structs[i] = keep ? *known[i] : *s;
            kept += keep;
        }
        ps_snap_pairing_free(&pairing);
        free(known);
    }
    return kept;
}
