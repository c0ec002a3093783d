/* src/patch: what the C patch needs besides c_patch.c. */
#ifndef PADSCAN_PATCH_C_PATCH_H
#define PADSCAN_PATCH_C_PATCH_H

#include "padscan/report.h"

/* Whether a C source under root builds ctype with a positional
 * initializer; where: "FILE:LINE" of the first (c_initializers.c).  The
 * sources are read into *tree on the first call (NULL before it). */
typedef struct ps_c_tree ps_c_tree;
bool ps_positional_init(ps_c_tree **tree, const char *root, const char *ctype, ps_strbuf *where);
void ps_c_tree_free(ps_c_tree *tree);

#endif
