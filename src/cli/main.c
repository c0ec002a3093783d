/*
 * padscan's entry point: dispatch to one subcommand per file.
 */
#include <stdio.h>
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"

static const char usage[] =
    "usage: padscan <command> [options] BINARY...\n"
    "\n"
    "Measures the memory that struct padding wastes in Go and C binaries,\n"
    "from their DWARF debug information.\n"
    "\n"
    "commands:\n"
    "  analyze   exact layout of every struct: holes, padding, cache lines\n"
    "  suggest   provably minimal field orders, as text, JSON, C or Go\n"
    "  fleet     fleet-wide savings of the hot types, in allocator bytes\n"
    "  heap      Go heap profiles by type: what each struct holds and would give back\n"
    "  check     the CI memory-waste budget (SARIF, JUnit, GitHub, Markdown)\n"
    "  diff      what changed in the structs between two builds\n"
    "\n"
    "options:\n"
    "  -h, --help     this help; 'padscan COMMAND --help' for a command\n"
    "  -V, --version  print the version\n"
    "\n"
    "exit status: 0 success, 1 findings (check, diff), 2 usage or input error,\n"
    "3 partial results (fleet: some binaries could not be read)\n";

int main(int argc, char **argv)
{
    static const struct { const char *name; int (*run)(int, char **); } commands[] = {
        {"analyze", ps_cmd_analyze},
        {"suggest", ps_cmd_suggest},
        {"fleet", ps_cmd_fleet},
        {"heap", ps_cmd_heap},
        {"check", ps_cmd_check},
        {"diff", ps_cmd_diff},
    };
    ps_json_init();
    if (argc < 2) {
        fputs(usage, stderr);
        return PS_EXIT_ERROR;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, stdout);
        return PS_EXIT_OK;
    }
    if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
        printf("padscan %s\n", PS_VERSION);
        return PS_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    return ps_cli_error("unknown command '%s' (see padscan --help)", argv[1]);
}
