/*
 * profile: pprof heap profiles (gzip'd protobuf, src/profile/profile.proto)
 * decoded into what `padscan heap` needs: per sample the leaf frame's
 * address and the profile's own (already scaled) heap values, and the main
 * binary's mapping to check the profile against the binary.  Knows protobuf
 * and gzip, not ELF or DWARF; the reader decodes the code at each address.
 */
#ifndef PADSCAN_PROFILE_H
#define PADSCAN_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "padscan/util.h"

/* Bounds on what a profile may make padscan hold: the gzip'd file, the
 * protobuf inside it, and what protobuf-c allocates while decoding. */
#define PS_PROFILE_MAX_FILE (256ULL << 20)
#define PS_PROFILE_MAX_PROTO (256ULL << 20)
#define PS_PROFILE_MAX_DECODED (2ULL << 30)

typedef struct ps_profile_sample {
    uint64_t pc;          /* the leaf location's address: Go records the
                           * allocation site's return address minus one */
    const char *func;     /* the function the profile names there (the
                           * outermost of inlined lines), or NULL */
    bool in_main;         /* the location is in the main binary's mapping */
    uint64_t caller_pc;   /* the next frame's address (in the main mapping), or 0:
                           * a generic function's caller passes its dictionary */
    /* the profile's values, scaled by its writer to the whole heap */
    uint64_t alloc_objects, alloc_bytes, inuse_objects, inuse_bytes;
    uint64_t block;       /* the "bytes" label: bytes per allocation, or 0 */
} ps_profile_sample;

typedef struct ps_profile {
    const char *path;
    const char *build_id;   /* the main mapping's, or NULL */
    const char *file;       /* the main mapping's file name, or NULL */
    uint64_t map_start, map_limit, map_offset;
    int64_t period;         /* bytes between samples (MemProfileRate) */
    bool has_alloc;         /* alloc_objects/alloc_space are present */
    ps_profile_sample *samples;
    size_t n;
    ps_arena arena;
} ps_profile;

/* Reads and decodes path.  Returns 0, or -1 with one line "path: problem"
 * in err (not gzip, truncated, not a heap profile, an index out of range,
 * too large); *out is freed with ps_profile_free in both cases. */
int ps_profile_load(const char *path, ps_profile *out, char *err, size_t errlen);
/* The same on bytes in memory (the fuzz target). */
int ps_profile_decode(const unsigned char *data, size_t len, const char *name, ps_profile *out,
                      char *err, size_t errlen);
void ps_profile_free(ps_profile *p);

#endif
