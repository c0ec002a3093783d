/*
 * Input files must be regular files: a FIFO blocks open(2) and read(2)
 * forever and a device such as /dev/zero never ends, so both are refused
 * by stat(2) before anything opens them.
 */
#include "padscan/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

int ps_input_check(const char *path, uint64_t *size, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: is %s, not a regular file", path, kind_of(st.st_mode));
        return -1;
    }
    if (size)
        *size = (uint64_t)st.st_size;
    return 0;
}
