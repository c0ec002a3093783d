/* src/patch: what the C patch needs besides c_patch.c. */
#ifndef PADSCAN_PATCH_C_PATCH_H
#define PADSCAN_PATCH_C_PATCH_H

#include "padscan/report.h"

/* Whether a C source under root builds ctype with a positional
 * initializer; where: "FILE:LINE" of the first (c_initializers.c). */
bool ps_positional_init(const char *root, const char *ctype, ps_strbuf *where);

#endif
