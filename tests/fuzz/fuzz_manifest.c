/* Fuzz target: the fleet manifest loader (ps_manifest_load). */
#include "fuzz_input.h"
#include "padscan/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    ps_manifest m;
    ps_manifest_load(fuzz_file(data, size), &m, err, sizeof(err));
    ps_manifest_free(&m);
    return 0;
}
