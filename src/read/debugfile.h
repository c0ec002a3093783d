/*
 * Finding the separate debug file of a stripped binary (debugfile.c).
 */
#ifndef PADSCAN_READ_DEBUGFILE_H
#define PADSCAN_READ_DEBUGFILE_H

#include "elf.h"
#include "padscan/read.h"

/* Looks for the debug file of the binary e (opened from path binary, with
 * the given build id or NULL).  Returns 0 with its path in out, or -1 with
 * one sentence in err saying what was looked for and where. */
int ps_find_debug_file(ps_elf *e, const char *binary, const char *build_id,
                       const ps_read_options *opts, char *out, size_t outlen, char *err,
                       size_t errlen);

#endif
