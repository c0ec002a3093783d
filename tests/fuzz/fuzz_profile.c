/* Fuzz target: the pprof heap profile decoder (gzip + protobuf-c, index
 * checks), on the bytes themselves. */
#include "fuzz_input.h"
#include "padscan/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    ps_profile p;
    ps_profile_decode(data, size, "fuzz", &p, err, sizeof(err));
    ps_profile_free(&p);
    return 0;
}
