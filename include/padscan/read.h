/*
 * read: ELF + DWARF in, model out.  The only module that includes libdwarf
 * or libelf; everything downstream sees a ps_binary.
 */
#ifndef PADSCAN_READ_H
#define PADSCAN_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "padscan/model.h"

typedef struct ps_read_options {
    /* Ignore Go runtime type descriptors and derive alignment and pointer
     * bytes from Go's rules alone (tests compare the two). */
    bool go_rules_only;
    /* Print source files relative to this folder (--source-root) instead
     * of the root found from the binary's compile units. */
    const char *source_root;
    /* Globs naming synchronization types beyond padscan's own list
     * (padscan.json "sync_types"). */
    const char *const *sync_types;
    size_t nsync_types;
    /* Where separate debug files are looked for (--debug-dir), before the
     * conventional /usr/lib/debug. */
    const char *const *debug_dirs;
    size_t ndebug_dirs;
    bool verbose; /* one line on stderr: where the DWARF was read from */
    /* Threads reading one binary's compile units (0 or 1: this thread
     * alone); the result is the same for every count. */
    unsigned jobs;
    /* Called (from any reading thread, one call at a time) as units are
     * read: done of total compile units; NULL for none. */
    void (*progress)(void *ctx, unsigned long done, unsigned long total);
    void *progress_ctx;
} ps_read_options;

/* Reads every struct and union of the binary at path into *out (which the
 * caller frees with ps_binary_free, also on failure).  Returns 0, or -1 with
 * one line "path: problem" in err. */
int ps_read_binary(const char *path, const ps_read_options *opts,
                   ps_binary *out, char *err, size_t errlen);

/* The build id of an ELF file (GNU or Go), without reading its DWARF;
 * false if it has none or cannot be read. */
bool ps_read_build_id(const char *path, char *out, size_t outlen);

#endif
