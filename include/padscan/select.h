/*
 * select: which records a command looks at.  One predicate for every
 * command (analyze, suggest, check, diff, fleet) and for records read from
 * a binary or from a saved report alike, so that a type is the same record
 * everywhere.  By default only the user's own types; third-party
 * dependencies with include_deps; everything with all_classes; a --type
 * pattern that matches a type always includes it.
 */
#ifndef PADSCAN_SELECT_H
#define PADSCAN_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "padscan/model.h"

typedef struct ps_selection {
    const char **types, **excludes; /* glob patterns on qualified names */
    size_t ntypes, nexcludes;
    int lang; /* -1 any, else ps_lang */
    unsigned long long min_waste;
    bool include_deps; /* --include-deps: third-party dependencies' records too */
    bool all_classes;  /* --all-types: the standard library's and system's too */
} ps_selection;

/* What selection looks at, whichever way the record was read. */
typedef struct ps_type_ref {
    const char *name, *ctype; /* ctype: C spelling, or NULL */
    ps_lang lang;
    ps_class cls;
    bool reported; /* a top-level type (not a Go compiler helper) */
} ps_type_ref;

ps_type_ref ps_type_ref_of(const ps_struct *s);
bool ps_type_ref_matches(const char *pattern, const ps_type_ref *t);
/* The class rule alone: own always, dependencies and the standard library
 * when the selection asks for them. */
bool ps_class_selected(const ps_selection *sel, ps_class cls);
/* The predicate: reported, the language, --type (which overrides the
 * class rule), --exclude, the class rule. */
bool ps_select(const ps_selection *sel, const ps_type_ref *t);

#endif
