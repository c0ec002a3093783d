/*
 * sites: the reader's view of a Go binary's code, for heap profiles.  A
 * profile sample's leaf address points into a call into the allocator;
 * the instructions before the call load the allocated type's runtime type
 * descriptor into the argument register the callee takes it in.  This
 * decodes that call site (amd64, arm64, 386) and reads the descriptor; the
 * estimate stage maps descriptors to the model's records (ps_struct.go_type).
 */
#ifndef PADSCAN_SITES_H
#define PADSCAN_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "padscan/model.h"

typedef struct ps_code ps_code;

/* What an allocation call allocates, by its callee. */
typedef enum ps_site_kind {
    PS_SITE_NONE,   /* not decoded: see why */
    PS_SITE_OBJECT, /* one object of the type (new, &T{}, escaping values) */
    PS_SITE_ARRAY,  /* a backing array of elements of the type (make, append) */
    PS_SITE_MAP,    /* storage of a map of the (map) type: header, buckets, groups */
    PS_SITE_CHAN,   /* a channel of the (chan) type and its buffer */
} ps_site_kind;

typedef struct ps_alloc_site {
    ps_site_kind kind;
    uint64_t type;      /* the descriptor's address, or 0 */
    const char *callee; /* "runtime.newobject", or NULL if the call is not one */
    const char *why;    /* PS_SITE_NONE: why the site could not be decoded */
    /* PS_SITE_NONE in a generic function that loads the type from its
     * dictionary (the first argument) at this offset: the caller knows it */
    bool from_dict;
    uint64_t dict_off;
    ps_site_kind dict_kind;
} ps_alloc_site;

typedef struct ps_go_type {
    uint64_t size;
    int kind;         /* enum ps_go_kind */
    const char *name; /* the runtime's spelling ("main.T", "map[int]main.T") */
    uint64_t elem;    /* pointer, slice, array, chan, map: the element's descriptor */
} ps_go_type;

/* Opens a binary's code; 0, or -1 with "path: problem" in err. */
int ps_code_open(const char *path, ps_code **out, char *err, size_t errlen);
void ps_code_close(ps_code *c);

ps_arch ps_code_arch(const ps_code *c);
/* GNU build id (hex) and Go build id of the binary, each NULL if absent. */
const char *ps_code_gnu_build_id(const ps_code *c);
const char *ps_code_go_build_id(const ps_code *c);
bool ps_code_is_pie(const ps_code *c);
/* The address a position-independent binary links at, for a file offset
 * (a profile mapping's); false if no loadable segment holds it. */
bool ps_code_offset_vaddr(const ps_code *c, uint64_t off, uint64_t *vaddr);
bool ps_code_has_symbols(const ps_code *c);
/* The function (symbol table) that holds pc, or NULL. */
const char *ps_code_function(ps_code *c, uint64_t pc);

/* Decodes the allocation call whose return address minus one is pc. */
void ps_code_site(ps_code *c, uint64_t pc, ps_alloc_site *out);
/* A generic function's type from the dictionary its caller passes: the
 * caller's call (return address minus one: caller_pc) follows the load of
 * the dictionary's address; the type is the word at dict_off.  0 if not. */
uint64_t ps_code_dict_type(ps_code *c, uint64_t caller_pc, uint64_t dict_off);
/* A runtime type descriptor; false if addr does not hold a believable one. */
bool ps_code_go_type(ps_code *c, uint64_t addr, ps_go_type *out);

#endif
