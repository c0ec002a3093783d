/*
 * Separate debug information: where a stripped binary's DWARF lives.
 * Looked for the way gdb looks: by build id under each debug directory
 * (DIR/.build-id/xx/rest.debug), then by .gnu_debuglink (its name, with the
 * CRC-32 the link records checked) next to the binary, in its .debug/
 * subdirectory and under each debug directory; last, when DEBUGINFOD_URLS
 * is set, from a debuginfod server through libdebuginfod, loaded at run
 * time so that padscan runs where it is not installed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "debugfile.h"

static const char *const default_dirs[] = {"/usr/lib/debug"};

/* .gnu_debuglink: a NUL-terminated file name, padding to 4, the CRC-32. */
static bool read_debuglink(ps_elf *e, char *name, size_t namelen, uint32_t *crc)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(e, ".gnu_debuglink", &sh);
    if (!d)
        return false;
    const char *p = d->d_buf;
    size_t len = strnlen(p, d->d_size);
    size_t crc_off = (len + 4) & ~(size_t)3;
    if (!len || len >= namelen || crc_off + 4 > d->d_size || memchr(p, '/', len))
        return false;
    memcpy(name, p, len);
    name[len] = '\0';
    *crc = (uint32_t)ps_elf_word(e, (const unsigned char *)p + crc_off, 4);
    return true;
}

static bool file_crc(const char *path, uint32_t *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    static __thread unsigned char buf[1 << 16];
    uLong crc = crc32(0L, Z_NULL, 0);
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        crc = crc32(crc, buf, (uInt)n);
    close(fd);
    *out = (uint32_t)crc;
    return n == 0;
}

static bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

typedef struct search {
    const ps_read_options *opts;
    ps_strbuf tried;  /* what was looked for, for the error message */
    char found[PATH_MAX];
    bool crc_mismatch;
} search;

static size_t dir_count(const search *s) { return s->opts->ndebug_dirs + PS_ARRAY_LEN(default_dirs); }

static const char *dir_at(const search *s, size_t i)
{
    return i < s->opts->ndebug_dirs ? s->opts->debug_dirs[i]
                                    : default_dirs[i - s->opts->ndebug_dirs];
}

static bool by_build_id(search *s, const char *id)
{
    size_t len = strlen(id);
    if (len < 4 || strspn(id, "0123456789abcdef") != len)
        return false; /* a Go build id is no path */
    ps_sb_printf(&s->tried, "build id %s", id);
    for (size_t i = 0; i < dir_count(s); i++) {
        snprintf(s->found, sizeof(s->found), "%s/.build-id/%.2s/%s.debug", dir_at(s, i), id, id + 2);
        if (is_regular(s->found))
            return true;
    }
    return false;
}

static bool try_link(search *s, const char *candidate, uint32_t crc)
{
    uint32_t actual;
    if (!is_regular(candidate) || !file_crc(candidate, &actual))
        return false;
    if (actual != crc) {
        s->crc_mismatch = true;
        return false;
    }
    snprintf(s->found, sizeof(s->found), "%s", candidate);
    return true;
}

static bool by_debuglink(search *s, ps_elf *e, const char *binary)
{
    char name[256], dir[PATH_MAX], abs[PATH_MAX], cand[PATH_MAX * 2];
    uint32_t crc;
    if (!read_debuglink(e, name, sizeof(name), &crc))
        return false;
    ps_sb_printf(&s->tried, "%sdebuglink %s", s->tried.len ? ", " : "", name);
    const char *slash = strrchr(binary, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - binary) : 1, slash ? binary : ".");
    if (!realpath(dir, abs))
        snprintf(abs, sizeof(abs), "%s", dir);
    snprintf(cand, sizeof(cand), "%s/%s", dir, name);
    if (try_link(s, cand, crc))
        return true;
    snprintf(cand, sizeof(cand), "%s/.debug/%s", dir, name);
    if (try_link(s, cand, crc))
        return true;
    for (size_t i = 0; i < dir_count(s); i++) {
        snprintf(cand, sizeof(cand), "%s%s/%s", dir_at(s, i), abs, name);
        if (try_link(s, cand, crc))
            return true;
        snprintf(cand, sizeof(cand), "%s/%s", dir_at(s, i), name);
        if (try_link(s, cand, crc))
            return true;
    }
    return false;
}

/* libdebuginfod's client API, looked up at run time. */
typedef void *(*dfd_begin_fn)(void);
typedef int (*dfd_find_fn)(void *, const unsigned char *, int, char **);
typedef void (*dfd_end_fn)(void *);

static int by_debuginfod(search *s, const char *id, char *err, size_t errlen)
{
    const char *urls = getenv("DEBUGINFOD_URLS");
    if (!urls || !*urls || !id || strspn(id, "0123456789abcdef") != strlen(id))
        return 0;
    void *lib = dlopen("libdebuginfod.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(err, errlen, "DEBUGINFOD_URLS is set but libdebuginfod.so.1 cannot be loaded "
                              "(install libdebuginfod1)");
        return -1;
    }
    dfd_begin_fn begin = (dfd_begin_fn)dlsym(lib, "debuginfod_begin");
    dfd_find_fn find = (dfd_find_fn)dlsym(lib, "debuginfod_find_debuginfo");
    dfd_end_fn end = (dfd_end_fn)dlsym(lib, "debuginfod_end");
    void *client = begin && find && end ? begin() : NULL;
    char *path = NULL;
    int fd = client ? find(client, (const unsigned char *)id, 0, &path) : -ENOSYS;
    if (client)
        end(client);
    int rc = 0;
    if (fd >= 0 && path) {
        close(fd);
        snprintf(s->found, sizeof(s->found), "%s", path);
        rc = 1;
    } else {
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "debuginfod (%s) has no debug information for build id %s: %s",
                 urls, id, strerror(fd < 0 ? -fd : ENOENT));
        rc = -1;
    }
    free(path);
    /* Not dlclose'd: libdebuginfod's libcurl keeps global state that its
     * destructor releases at exit. */
    return rc;
}

static void no_file_message(search *s, char *err, size_t errlen)
{
    if (!s->tried.len) {
        snprintf(err, errlen, "no DWARF debug information (stripped binary? build with -g; Go: "
                              "without -ldflags=-w), and no build id or .gnu_debuglink to find "
                              "a separate debug file by");
        return;
    }
    ps_strbuf dirs = {0};
    for (size_t i = 0; i < dir_count(s); i++)
        ps_sb_printf(&dirs, "%s%s", i ? ", " : "", dir_at(s, i));
    snprintf(err, errlen, "no DWARF debug information, and no separate debug file found (%s; "
                          "looked next to the binary and under %s%s; --debug-dir DIR adds a "
                          "place, DEBUGINFOD_URLS a server)",
             s->tried.buf, dirs.buf, s->crc_mismatch ? "; a file of the linked name has the wrong CRC" : "");
    ps_sb_free(&dirs);
}

int ps_find_debug_file(ps_elf *e, const char *binary, const char *build_id,
                       const ps_read_options *opts, char *out, size_t outlen, char *err,
                       size_t errlen)
{
    search s = {.opts = opts};
    int rc = 1;
    if (!(build_id && by_build_id(&s, build_id)) && !by_debuglink(&s, e, binary)) {
        char why[1024] = "";
        rc = by_debuginfod(&s, build_id, why, sizeof(why));
        if (rc < 0)
            snprintf(err, errlen, "no DWARF debug information; %s", why);
        else if (rc == 0)
            no_file_message(&s, err, errlen);
    }
    if (rc > 0 && (size_t)snprintf(out, outlen, "%s", s.found) >= outlen) {
        snprintf(err, errlen, "path of the debug file too long");
        rc = -1;
    }
    ps_sb_free(&s.tried);
    return rc > 0 ? 0 : -1;
}
