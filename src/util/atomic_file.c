/*
 * Atomic output: CI consumers read our files while builds run, so a report
 * is written to a temporary sibling and renamed into place only when whole.
 * The temporary file has a short name of its own (".padscan-XXXXXX" in the
 * same folder, so a 255-byte output name still fits NAME_MAX), and it is
 * removed on every way out: an error, exit(), SIGINT, SIGTERM, SIGHUP.
 * A file replaced keeps its permission bits; a new one gets 0666 & ~umask.
 */
#include "padscan/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary files being written, for the signal handler: slots
 * allocated before any is armed (with signals blocked), since a handler
 * may not malloc; a handler only reads them. */
static char (*pending)[PATH_MAX];
static volatile sig_atomic_t *armed;
static size_t npending;

static void remove_one(size_t i)
{
    if (armed[i]) {
        armed[i] = 0;
        unlink(pending[i]);
    }
}

static void remove_pending(void)
{
    for (size_t i = 0; i < npending; i++)
        remove_one(i);
}

/* Room for n temporary files (none armed now). */
static void reserve_pending(size_t n)
{
    if (n <= npending)
        return;
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    char(*p)[PATH_MAX] = ps_xmalloc(n * sizeof(*p));
    volatile sig_atomic_t *a = ps_xmalloc(n * sizeof(*a));
    for (size_t i = 0; i < n; i++)
        a[i] = 0;
    free(pending);
    free((void *)armed);
    pending = p;
    armed = a;
    npending = n;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void on_signal(int sig)
{
    remove_pending();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_cleanup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    atexit(remove_pending);
    signal(SIGXFSZ, SIG_IGN); /* past a file-size limit: EFBIG, an error like any other */
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < PS_ARRAY_LEN(sigs); i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

static int temp_beside(size_t slot, const char *path, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    static const char name[] = ".padscan-XXXXXX";
    if (dir + sizeof(name) > sizeof(pending[slot])) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(ENAMETOOLONG));
        return -1;
    }
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old); /* a signal now must not unlink a stale name */
    memcpy(pending[slot], path, dir);
    memcpy(pending[slot] + dir, name, sizeof(name));
    int fd = mkstemp(pending[slot]);
    int saved = errno;
    armed[slot] = fd >= 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0)
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(saved));
    return fd;
}

static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

static int prepare(size_t slot, const char *path, const char *data, size_t len, char *err,
                   size_t errlen)
{
    int fd = temp_beside(slot, path, err, errlen);
    if (fd < 0)
        return -1;
    mode_t mask = umask(0);
    umask(mask);
    struct stat st; /* a file replaced keeps its permissions (a source edited in place) */
    fchmod(fd, stat(path, &st) == 0 && S_ISREG(st.st_mode) ? st.st_mode & 07777 : 0666 & ~mask);
    int ok = write_all(fd, data, len) == 0 && fsync(fd) == 0;
    int saved = errno;
    ok = (close(fd) == 0) && ok;
    if (ok)
        return 0;
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(saved ? saved : errno));
    return -1;
}

/* An output that exists and is no regular file (/dev/null, /dev/stdout, a
 * FIFO) is written to as it is: renaming over it would replace a device
 * node with a file.  A symbolic link is followed, so the file it names is
 * replaced and the link stays. */
typedef enum { OUT_FILE, OUT_DIRECT, OUT_BAD } out_kind;

static out_kind output_kind(const char *path, char *resolved, size_t len, char *err,
                            size_t errlen)
{
    struct stat st;
    snprintf(resolved, len, "%s", path);
    if (stat(path, &st) != 0)
        return OUT_FILE; /* a new file (or a dangling link: rename replaces the link) */
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: cannot write: is a directory", path);
        return OUT_BAD;
    }
    if (!S_ISREG(st.st_mode))
        return OUT_DIRECT;
    char real[PATH_MAX];
    if (realpath(path, real) && strlen(real) < len)
        snprintf(resolved, len, "%s", real);
    return OUT_FILE;
}

static int write_direct(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    int ok = fd >= 0 && write_all(fd, data, len) == 0;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    if (ok)
        return 0;
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(saved ? saved : errno));
    return -1;
}

int ps_write_files_atomic(const char *const *paths, const char *const *data, const size_t *lens,
                          size_t n, char *err, size_t errlen)
{
    install_cleanup();
    reserve_pending(n);
    char(*targets)[PATH_MAX] = ps_xmalloc((n + 1) * sizeof(*targets));
    out_kind *kind = ps_xmalloc((n + 1) * sizeof(*kind));
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        kind[i] = output_kind(paths[i], targets[i], sizeof(targets[i]), err, errlen);
        rc = kind[i] == OUT_BAD ? -1
             : kind[i] == OUT_FILE ? prepare(i, targets[i], data[i], lens[i], err, errlen) : 0;
    }
    for (size_t i = 0; i < n && !rc; i++) { /* all written: only now replace any */
        if (kind[i] == OUT_DIRECT) {
            rc = write_direct(paths[i], data[i], lens[i], err, errlen);
        } else if (rename(pending[i], targets[i]) == 0) {
            armed[i] = 0;
        } else {
            snprintf(err, errlen, "%s: cannot write: %s", paths[i], strerror(errno));
            rc = -1;
        }
    }
    remove_pending();
    free(targets);
    free(kind);
    return rc;
}

int ps_write_file_atomic(const char *path, const char *data, size_t len,
                         char *err, size_t errlen)
{
    return ps_write_files_atomic(&path, &data, &len, 1, err, errlen);
}
