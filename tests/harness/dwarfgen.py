#!/usr/bin/env python3
"""A small synthetic-DWARF writer for the hostile-input corpus.

Builds a tree of DIEs (tag, attributes with explicit forms, children) and
writes it as GNU assembler source with .debug_abbrev / .debug_info /
.debug_str directives (DWARF 4, one compile unit), assembled into a
relocatable object by the system compiler driver.  References are labels,
so a DIE can point anywhere -- at itself, backwards, into a cycle --
exactly the well-formed-but-impossible input a compiler never writes.

    cu = Die("compile_unit", [("language", "data1", LANG_C99), ("name", "string", "x.c")])
    i = cu.add(Die("base_type", [("name", "string", "int"), ("byte_size", "data1", 4),
                                 ("encoding", "data1", 5)]))
    s = cu.add(Die("structure_type", [("name", "string", "s"), ("byte_size", "data1", 4)]))
    s.add(Die("member", [("name", "string", "x"), ("type", "ref4", i),
                         ("data_member_location", "data1", 0)]))
    assemble(cu, "out.o")
"""

import itertools
import os
import subprocess

TAGS = {
    "array_type": 0x01, "member": 0x0d, "pointer_type": 0x0f, "compile_unit": 0x11,
    "structure_type": 0x13, "typedef": 0x16, "union_type": 0x17, "subrange_type": 0x21,
    "base_type": 0x24, "const_type": 0x26, "volatile_type": 0x35, "variable": 0x34,
}
ATTRS = {
    "sibling": 0x01, "name": 0x03, "byte_size": 0x0b, "bit_size": 0x0d, "language": 0x13,
    "upper_bound": 0x2f, "count": 0x37, "data_member_location": 0x38, "encoding": 0x3e,
    "type": 0x49, "data_bit_offset": 0x6b, "alignment": 0x88,
    "go_kind": 0x2900, "go_embedded_field": 0x2903,
}
FORMS = {
    "data1": (0x0b, ".byte"), "data2": (0x05, ".2byte"), "data4": (0x06, ".4byte"),
    "data8": (0x07, ".8byte"), "sdata": (0x0d, ".sleb128"), "udata": (0x0f, ".uleb128"),
    "string": (0x08, None), "ref4": (0x13, None), "flag_present": (0x19, None),
}
LANG_C99, LANG_GO = 0x0c, 0x16
ENC_BOOLEAN, ENC_SIGNED, ENC_SIGNED_CHAR = 0x02, 0x05, 0x06

_ids = itertools.count()


class Die:
    def __init__(self, tag, attrs=(), children=None):
        self.tag = tag
        self.attrs = list(attrs)
        self.children = list(children or [])
        self.label = ".Ldie%d" % next(_ids)

    def add(self, die):
        self.children.append(die)
        return die

    def abbrev_key(self):
        return (self.tag, bool(self.children), tuple((a, f) for a, f, _ in self.attrs))


def _string(s):
    return '\t.string "%s"\n' % s.replace("\\", "\\\\").replace('"', '\\"')


def _walk(die):
    """Every DIE, parents before children (iterative: trees may be deep)."""
    stack = [die]
    while stack:
        d = stack.pop()
        yield d
        stack.extend(reversed(d.children))


def to_asm(cu):
    abbrevs = {}
    for d in _walk(cu):
        abbrevs.setdefault(d.abbrev_key(), len(abbrevs) + 1)
    out = ['\t.section .debug_abbrev,"",@progbits\n.Labbrev:\n']
    for (tag, kids, attrs), code in abbrevs.items():
        out.append("\t.uleb128 %d\n\t.uleb128 0x%x\n\t.byte %d\n" % (code, TAGS[tag], kids))
        for a, f in attrs:
            out.append("\t.uleb128 0x%x\n\t.uleb128 0x%x\n" % (ATTRS[a], FORMS[f][0]))
        out.append("\t.byte 0, 0\n")
    out.append("\t.byte 0\n")
    out.append('\t.section .debug_info,"",@progbits\n.Lcu:\n\t.4byte .Lcu_end - .Lcu_version\n'
               ".Lcu_version:\n\t.2byte 4\n\t.4byte .Labbrev\n\t.byte 8\n")

    # depth-first, iterative: an entry is a DIE to write or None for the
    # null entry that ends a list of children
    stack = [cu]
    while stack:
        d = stack.pop()
        if d is None:
            out.append("\t.byte 0\n")
            continue
        out.append("%s:\n\t.uleb128 %d\n" % (d.label, abbrevs[d.abbrev_key()]))
        for _a, f, v in d.attrs:
            if f == "string":
                out.append(_string(v))
            elif f == "ref4":
                out.append("\t.4byte %s - .Lcu\n" % (v.label if isinstance(v, Die) else v))
            elif f == "flag_present":
                pass
            else:
                out.append("\t%s %d\n" % (FORMS[f][1], v))
        if d.children:
            stack.append(None)
            stack.extend(reversed(d.children))
    out.append(".Lcu_end:\n")
    return "".join(out)


def assemble(cu, path, cc="cc"):
    src = path + ".s"
    with open(src, "w") as f:
        f.write(to_asm(cu))
    subprocess.run([cc, "-c", src, "-o", path], check=True)
    os.unlink(src)
    return path


# --- building blocks ---------------------------------------------------------

def c_unit(name="hostile.c"):
    return Die("compile_unit", [("language", "data1", LANG_C99), ("name", "string", name)])


def base(cu, name, size, enc=ENC_SIGNED):
    return cu.add(Die("base_type", [("name", "string", name), ("byte_size", "data1", size),
                                    ("encoding", "data1", enc)]))


def struct(cu, name, size, form="data2", extra=()):
    attrs = ([("name", "string", name)] if name else []) + [("byte_size", form, size)]
    return cu.add(Die("structure_type", attrs + list(extra)))


def member(s, name, typ, offset, form="data2", extra=()):
    return s.add(Die("member", [("name", "string", name), ("type", "ref4", typ),
                                ("data_member_location", form, offset)] + list(extra)))
