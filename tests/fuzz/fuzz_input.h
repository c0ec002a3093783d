/*
 * Shared by the fuzz targets: the loaders take paths, so each input is
 * written to a memfd (a regular file in memory) and handed over as
 * /proc/self/fd/N; nothing touches the disk.
 */
#ifndef PADSCAN_FUZZ_INPUT_H
#define PADSCAN_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* The path of a file that now holds exactly data[0..size). */
const char *fuzz_file(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
