/* Fuzz target: the padscan.json loader (ps_config_load). */
#include "fuzz_input.h"
#include "padscan/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    ps_config cfg;
    if (ps_config_load(fuzz_file(data, size), &cfg, err, sizeof(err)) == 0)
        ps_config_free(&cfg);
    return 0;
}
