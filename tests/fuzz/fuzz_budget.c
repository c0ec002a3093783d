/* Fuzz target: the budget loader of padscan check (ps_budget_load). */
#include "fuzz_input.h"
#include "padscan/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    ps_budget b;
    struct cJSON *doc = NULL;
    ps_budget_load(fuzz_file(data, size), &b, &doc, err, sizeof(err));
    ps_budget_free(&b, doc);
    return 0;
}
