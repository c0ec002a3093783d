/*
 * Fuzz target: the binary reader on whole ELF files (ps_read_binary).
 * Seeds: the compiled test fixtures (scripts/fuzz.sh makes them).
 */
#include "fuzz_input.h"
#include "padscan/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    ps_binary bin;
    ps_read_options opts = {0};
    ps_read_binary(fuzz_file(data, size), &opts, &bin, err, sizeof(err));
    ps_binary_free(&bin);
    return 0;
}
