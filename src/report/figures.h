/*
 * Private to report: how a number is shown to people.  Every figure is an
 * integer or a fixed-decimal number (never scientific notation), and a
 * percentage is printed only where it means something.
 */
#ifndef PADSCAN_REPORT_FIGURES_H
#define PADSCAN_REPORT_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

enum {
    FIGURE_CHARS = 48,
    /* Records this large (runtime arenas, static tables) make a percentage
     * of their size, or of a total they dominate, meaningless. */
    HUGE_RECORD = 1 << 20,
};

/* v in fixed notation with the fewest decimals (at most 4) that read back
 * as v (an integer when it is one); "n/a" beyond +-1e18. */
const char *figure(char buf[FIGURE_CHARS], double v);
/* "12.5%", or "<0.1%" for a nonzero part that would round to 0.0%. */
const char *percent_of(char buf[FIGURE_CHARS], uint64_t part, uint64_t whole);
/* The same for one record: "n/a" when it is huge (HUGE_RECORD or more). */
const char *record_percent(char buf[FIGURE_CHARS], uint64_t part, uint64_t size);

#endif
