/*
 * padscan suggest --format go into a folder: one file per Go package, so
 * that every file has one package clause and `go build` accepts the folder.
 * Package "example.com/a/b" goes to DIR/example.com/a/b/padscan_suggest.go;
 * a path element that could leave DIR ("", ".", "..") or holds a character
 * outside [A-Za-z0-9._~-] is spelled with '_' instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "padscan/cli.h"
#include "padscan/report.h"

static bool safe_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '~' || c == '-';
}

/* DIR/<package path>, made element by element (mkdir -p). */
static int package_dir(const char *dir, const char *pkg, ps_strbuf *path)
{
    ps_sb_puts(path, dir);
    for (const char *p = pkg;;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        ps_sb_putc(path, '/');
        if (len == 0 || (len <= 2 && !strncmp(p, "..", len)))
            ps_sb_puts(path, len == 2 ? "__" : "_");
        else
            for (size_t i = 0; i < len; i++)
                ps_sb_putc(path, safe_char(p[i]) ? p[i] : '_');
        if (mkdir(path->buf, 0777) != 0 && errno != EEXIST)
            return ps_cli_error("%s: %s", path->buf, strerror(errno));
        if (!end)
            return 0;
        p = end + 1;
    }
}

bool ps_is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int ps_write_go_packages(const ps_suggest_report *r, const char *dir)
{
    ps_vec files;
    ps_vec_init(&files, sizeof(ps_go_file));
    ps_export_go_packages(r, &files);
    int rc = PS_EXIT_OK;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        rc = ps_cli_error("%s: %s", dir, strerror(errno));
    for (size_t i = 0; i < files.len && rc == PS_EXIT_OK; i++)
        for (size_t k = 0; k < i && rc == PS_EXIT_OK; k++)
            if (!strcmp(PS_VEC_AT(&files, ps_go_file, i).package,
                        PS_VEC_AT(&files, ps_go_file, k).package))
                rc = ps_cli_error("suggest: package %s is in two binaries: write each binary's "
                                  "packages to a folder of its own",
                                  PS_VEC_AT(&files, ps_go_file, i).package);
    for (size_t i = 0; i < files.len && rc == PS_EXIT_OK; i++) {
        const ps_go_file *f = &PS_VEC_AT(&files, ps_go_file, i);
        ps_strbuf path = {0};
        rc = package_dir(dir, f->package, &path);
        if (rc == PS_EXIT_OK) {
            ps_sb_puts(&path, "/padscan_suggest.go");
            rc = ps_emit(path.buf, &f->text);
        }
        ps_sb_free(&path);
    }
    ps_go_files_free(&files);
    return rc;
}

/* -o FILE: one package, or an error naming them. */
int ps_write_go_file(const ps_suggest_report *r, const char *file)
{
    ps_vec files;
    ps_vec_init(&files, sizeof(ps_go_file));
    ps_export_go_packages(r, &files);
    int rc;
    if (files.len > 1) {
        ps_strbuf names = {0};
        for (size_t i = 0; i < files.len; i++)
            ps_sb_printf(&names, "%s%s", i ? ", " : "", PS_VEC_AT(&files, ps_go_file, i).package);
        rc = ps_cli_error("suggest: -o %s: the suggestion spans %zu packages (%s); one file holds "
                          "one package: use --output-dir DIR", file, files.len, names.buf);
        ps_sb_free(&names);
    } else {
        ps_strbuf empty = {0};
        rc = ps_emit(file, files.len ? &PS_VEC_AT(&files, ps_go_file, 0).text : &empty);
    }
    ps_go_files_free(&files);
    return rc;
}
