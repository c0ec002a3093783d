/*
 * Numbers for people: integers or fixed decimals, percentages only where
 * the base is a meaningful size (see figures.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "figures.h"

const char *figure(char buf[FIGURE_CHARS], double v)
{
    bool finite = v == v && v - v == 0;
    if (!finite || v >= 1e18 || v <= -1e18)
        snprintf(buf, FIGURE_CHARS, "n/a");
    else /* the fewest decimals (at most 4) that read back as v: 7.9445, not
          * 7.94 or 7.9445e+00; 29.1667 for 29.1666... */
        for (int d = 0; d <= 4; d++) {
            snprintf(buf, FIGURE_CHARS, "%.*f", d, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    return buf;
}

const char *percent_of(char buf[FIGURE_CHARS], uint64_t part, uint64_t whole)
{
    double p = whole ? 100.0 * (double)part / (double)whole : 0.0;
    if (part && p < 0.05)
        snprintf(buf, FIGURE_CHARS, "<0.1%%");
    else
        snprintf(buf, FIGURE_CHARS, "%.1f%%", p);
    return buf;
}

const char *record_percent(char buf[FIGURE_CHARS], uint64_t part, uint64_t size)
{
    if (size >= HUGE_RECORD) {
        snprintf(buf, FIGURE_CHARS, "n/a");
        return buf;
    }
    return percent_of(buf, part, size);
}
