/*
 * "did you mean": the known name closest to a mistyped one, by edit
 * distance, so that a rule, an ignore entry or a hot type that matches
 * nothing points at what the user probably meant.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/util.h"

/* Levenshtein distance, case-insensitive, on at most 256 characters. */
size_t ps_edit_distance(const char *a, const char *b)
{
    size_t n = strnlen(a, 256), m = strnlen(b, 256);
    size_t row[257];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t best = diag + !same;
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const char *ps_nearest_name(const char *word, const char *const *names, size_t n)
{
    size_t len = strlen(word), limit = len / 3 > 2 ? len / 3 : 2, best = limit + 1;
    const char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        size_t d = ps_edit_distance(word, names[i]);
        if (d < best || (d == best && found && strcmp(names[i], found) < 0)) {
            best = d;
            found = names[i];
        }
    }
    return found;
}
