/*
 * The one place where libdwarf's old (Debian 12: 20210528) and new (0.x)
 * APIs differ for what padscan calls.  Everything else uses calls whose
 * signatures both share.
 */
#ifndef PADSCAN_DWARF_COMPAT_H
#define PADSCAN_DWARF_COMPAT_H

#if defined(PADSCAN_LIBDWARF_0)
#include <libdwarf.h>
#include <dwarf.h>
/* 0.x dropped the access-mode argument. */
#define ps_dwarf_init_fd(fd, dbg, err) \
    dwarf_init_b((fd), DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define ps_dwarf_finish(dbg) dwarf_finish(dbg)
#else
#include <libdwarf/libdwarf.h>
#include <libdwarf/dwarf.h>
#define ps_dwarf_init_fd(fd, dbg, err) \
    dwarf_init_b((fd), DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define ps_dwarf_finish(dbg) dwarf_finish((dbg), NULL)
#endif

/* Go's vendor attributes (cmd/internal/dwarf). */
#define PS_DW_AT_go_kind 0x2900
#define PS_DW_AT_go_elem 0x2902
#define PS_DW_AT_go_embedded_field 0x2903
#define PS_DW_AT_go_runtime_type 0x2904

#endif
