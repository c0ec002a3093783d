/*
 * Fuzz target: saved reports and baselines, through both readers: the
 * snapshot (check, diff; baselines too) and the fleet source.
 */
#include "fuzz_input.h"
#include "padscan/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    const char *path = fuzz_file(data, size);
    ps_arena arena = {0};
    ps_snapshot snap;
    ps_snapshot_load(path, &snap, &arena, err, sizeof(err));
    ps_fleet_source src;
    ps_report_source_load(path, &src, &arena);
    ps_arena_free(&arena);
    return 0;
}
