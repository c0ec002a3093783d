/* Fuzz target: baselines (`check --write-baseline` files) through the
 * snapshot reader that check --baseline uses (ps_snapshot_load). */
#include "fuzz_input.h"
#include "padscan/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    ps_arena arena = {0};
    ps_snapshot snap;
    ps_snapshot_load(fuzz_file(data, size), &snap, &arena, err, sizeof(err));
    ps_arena_free(&arena);
    return 0;
}
