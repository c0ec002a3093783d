/*
 * The one record-selection predicate (see include/padscan/select.h).
 */
#include <fnmatch.h>

#include "padscan/select.h"

ps_type_ref ps_type_ref_of(const ps_struct *s)
{
    return (ps_type_ref){s->name, s->ctype, s->lang, s->cls, s->reported};
}

bool ps_type_ref_matches(const char *pattern, const ps_type_ref *t)
{
    return fnmatch(pattern, t->name, 0) == 0 || (t->ctype && fnmatch(pattern, t->ctype, 0) == 0);
}

static bool any_match(const char **patterns, size_t n, const ps_type_ref *t)
{
    for (size_t i = 0; i < n; i++)
        if (ps_type_ref_matches(patterns[i], t))
            return true;
    return false;
}

bool ps_class_selected(const ps_selection *sel, ps_class cls)
{
    return cls == PS_CLASS_OWN || sel->all_classes ||
           (cls == PS_CLASS_DEPENDENCY && sel->include_deps);
}

bool ps_select(const ps_selection *sel, const ps_type_ref *t)
{
    if (!t->reported || (sel->lang >= 0 && (int)t->lang != sel->lang))
        return false;
    if (sel->ntypes ? !any_match(sel->types, sel->ntypes, t) : !ps_class_selected(sel, t->cls))
        return false;
    return !any_match(sel->excludes, sel->nexcludes, t);
}
