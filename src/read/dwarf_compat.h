/*
 * The one place where libdwarf's old (Debian 12: 20210528) and new (0.x)
 * APIs differ for what padscan calls.  Everything else uses calls whose
 * signatures both share (checked against 0.11.1).
 */
#ifndef PADSCAN_DWARF_COMPAT_H
#define PADSCAN_DWARF_COMPAT_H

#include <gelf.h>

#if defined(PADSCAN_LIBDWARF_0)
#include <dwarf.h>
#include <libdwarf.h>

/* Object-access interface (dwarf_object.c): the *_a structs, om_/as_/ai_
 * fields, 64-bit section indices, a file-size method, DW_END_* byte order
 * and a dwarf_object_finish without the error argument. */
typedef Dwarf_Obj_Access_Section_a ps_dwarf_section;
typedef Dwarf_Obj_Access_Methods_a ps_dwarf_methods;
typedef Dwarf_Obj_Access_Interface_a ps_dwarf_object;
typedef Dwarf_Unsigned ps_dwarf_secindex;
typedef Dwarf_Small ps_dwarf_byte_order;
#define PS_DWARF_BIG_ENDIAN DW_END_big
#define PS_DWARF_LITTLE_ENDIAN DW_END_little
#define PS_DWARF_METHODS(info, order, length_size, ptr_size, file_size, count, load) \
    { .om_get_section_info = (info), .om_get_byte_order = (order),                  \
      .om_get_length_size = (length_size), .om_get_pointer_size = (ptr_size),       \
      .om_get_filesize = (file_size), .om_get_section_count = (count),              \
      .om_load_section = (load), .om_relocate_a_section = NULL }

static inline void ps_dwarf_set_section(ps_dwarf_section *s, const char *name, const GElf_Shdr *sh,
                                        Dwarf_Unsigned size)
{
    s->as_name = name;
    s->as_type = sh->sh_type;
    s->as_flags = sh->sh_flags;
    s->as_addr = sh->sh_addr;
    s->as_size = size;
    s->as_link = sh->sh_link;
    s->as_info = sh->sh_info;
    s->as_addralign = sh->sh_addralign;
    s->as_entrysize = sh->sh_entsize;
}

static inline int ps_dwarf_object_init(ps_dwarf_object *iface, void *obj, const ps_dwarf_methods *m,
                                       Dwarf_Debug *dbg, Dwarf_Error *err)
{
    iface->ai_object = obj;
    iface->ai_methods = m;
    return dwarf_object_init_b(iface, NULL, NULL, DW_GROUPNUMBER_ANY, dbg, err);
}
#define ps_dwarf_object_finish(dbg) dwarf_object_finish(dbg)

#else
#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

typedef Dwarf_Obj_Access_Section ps_dwarf_section;
typedef Dwarf_Obj_Access_Methods ps_dwarf_methods;
typedef Dwarf_Obj_Access_Interface ps_dwarf_object;
typedef Dwarf_Half ps_dwarf_secindex;
typedef Dwarf_Endianness ps_dwarf_byte_order;
#define PS_DWARF_BIG_ENDIAN DW_OBJECT_MSB
#define PS_DWARF_LITTLE_ENDIAN DW_OBJECT_LSB
/* 20210528 has no file-size method. */
#define PS_DWARF_METHODS(info, order, length_size, ptr_size, file_size, count, load) \
    { .get_section_info = (info), .get_byte_order = (order),                        \
      .get_length_size = (length_size), .get_pointer_size = (ptr_size),             \
      .get_section_count = (count), .load_section = (load), .relocate_a_section = NULL }

static inline void ps_dwarf_set_section(ps_dwarf_section *s, const char *name, const GElf_Shdr *sh,
                                        Dwarf_Unsigned size)
{
    s->name = name;
    s->type = sh->sh_type;
    s->addr = sh->sh_addr;
    s->size = size;
    s->link = sh->sh_link;
    s->info = sh->sh_info;
    s->entrysize = sh->sh_entsize;
}

static inline int ps_dwarf_object_init(ps_dwarf_object *iface, void *obj, const ps_dwarf_methods *m,
                                       Dwarf_Debug *dbg, Dwarf_Error *err)
{
    iface->object = obj;
    iface->methods = m;
    return dwarf_object_init_b(iface, NULL, NULL, DW_GROUPNUMBER_ANY, dbg, err);
}
#define ps_dwarf_object_finish(dbg) dwarf_object_finish((dbg), NULL)
#endif

/* Go's vendor attributes (cmd/internal/dwarf). */
#define PS_DW_AT_go_kind 0x2900
#define PS_DW_AT_go_elem 0x2902
#define PS_DW_AT_go_embedded_field 0x2903
#define PS_DW_AT_go_runtime_type 0x2904

#endif
