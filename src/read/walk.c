/*
 * The reader's walk over a DIE's children.  libdwarf's (dwarf_child,
 * dwarf_siblingof_b) allocates a Dwarf_Die per DIE met and decodes each
 * one's abbreviation again; on a kernel that walk was a fifth of a read.
 * Where the reader decodes the unit itself (rawattrs.c), children are met
 * by key, from the section's bytes, and a Dwarf_Die is made only for a
 * DIE that a libdwarf call needs (rd_node_die).  At the first DIE the
 * reader's decoding leaves to libdwarf (a form it does not read, a link
 * that does not point forward, nesting past its limit), the walk goes on
 * as libdwarf's, with its checks and messages (validate.c), so a file
 * fails as it did before.  The test decode_identical compares both walks.
 */
#include <string.h>

#include "reader.h"

Dwarf_Die rd_node_die(reader *r, rd_node *n)
{
    if (!n->die)
        n->die = rd_offdie(r, n->key);
    return n->die;
}

uint64_t rd_node_key(reader *r, rd_node *n)
{
    if (!n->key)
        n->key = rd_key_of(r, n->die);
    return n->key;
}

void rd_node_let_go(reader *r, rd_node *n)
{
    if (n->die)
        rd_let_go(r, n->die);
    n->die = NULL;
}

void rd_kids_open(reader *r, rd_node *parent, const char *what, rd_kids *k)
{
    memset(k, 0, sizeof(*k));
    k->parent = parent;
    k->what = what;
    /* A parent met through libdwarf: the own walk starts in its unit. */
    k->own = !parent->die || rd_raw_sync(r, parent->die);
}

/* The own walk's next step: 1 on a child, 0 at the end, -1 for libdwarf. */
static int own_step(reader *r, rd_kids *k)
{
    uint64_t key = 0;
    Dwarf_Half tag = 0;
    int rc = !k->started ? rd_raw_first_child(r, rd_node_key(r, k->parent), &key, &tag)
                         : rd_raw_next_sibling(r, k->cur.key, &key, &tag);
    if (rc <= 0)
        return rc;
    rd_node_let_go(r, &k->cur);
    k->cur.key = key;
    k->tag = tag;
    return 1;
}

/* libdwarf's step, from the DIE the walk is at (or the parent). */
static bool libdwarf_step(reader *r, rd_kids *k)
{
    Dwarf_Die next = NULL;
    int rc = !k->started ? rd_child(r, rd_node_die(r, k->parent), &next)
                         : rd_next_sibling(r, rd_node_die(r, &k->cur), &next);
    if (rc == DW_DLV_ERROR)
        rd_dwarf_fail(r, k->what);
    rd_node_let_go(r, &k->cur);
    if (rc != DW_DLV_OK)
        return false;
    k->cur = (rd_node){0, next};
    if (dwarf_tag(next, &k->tag, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "tag");
    return true;
}

bool rd_kids_next(reader *r, rd_kids *k)
{
    int rc = k->own ? own_step(r, k) : -1;
    if (rc < 0) {
        k->own = false;
        rc = libdwarf_step(r, k);
    }
    k->started = true;
    if (!rc)
        rd_node_let_go(r, &k->cur);
    return rc;
}

void rd_kids_attrs(reader *r, rd_kids *k, die_attrs *a)
{
    if (k->cur.die) {
        rd_attrs(r, k->cur.die, a);
        return;
    }
    Dwarf_Die die = rd_attrs_at(r, k->cur.key, a);
    if (die)
        k->cur.die = die; /* held: let go with the node */
}
