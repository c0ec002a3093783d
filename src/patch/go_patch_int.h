/*
 * src/patch: what go_patch.c and go_locate.c share (not for other stages).
 */
#ifndef PADSCAN_PATCH_GO_PATCH_INT_H
#define PADSCAN_PATCH_GO_PATCH_INT_H

#include "go_source.h"

/* A definition found: the file (relative to the root), its folder, the
 * struct's lines. */
typedef struct go_site {
    const char *rel, *dir;
    size_t source; /* in ps_patch.sources */
    go_struct def;
} go_site;

/* Finds `type tname struct {` of package pkg; NULL, or why not (then
 * out->rel, if set, names the file that has a definition padscan cannot
 * patch). */
const char *go_locate(ps_patch *p, const ps_struct *s, const char *pkg, const char *tname,
                      go_site *out);

#endif
