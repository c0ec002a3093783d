file(REMOVE_RECURSE
  "CMakeFiles/ps_read.dir/src/read/attrs.c.o"
  "CMakeFiles/ps_read.dir/src/read/attrs.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/dwarf.c.o"
  "CMakeFiles/ps_read.dir/src/read/dwarf.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/dwarf_object.c.o"
  "CMakeFiles/ps_read.dir/src/read/dwarf_object.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/elf.c.o"
  "CMakeFiles/ps_read.dir/src/read/elf.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/mapguard.c.o"
  "CMakeFiles/ps_read.dir/src/read/mapguard.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/ownership.c.o"
  "CMakeFiles/ps_read.dir/src/read/ownership.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/paths.c.o"
  "CMakeFiles/ps_read.dir/src/read/paths.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/records.c.o"
  "CMakeFiles/ps_read.dir/src/read/records.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/relocate.c.o"
  "CMakeFiles/ps_read.dir/src/read/relocate.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/sanity.c.o"
  "CMakeFiles/ps_read.dir/src/read/sanity.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/types.c.o"
  "CMakeFiles/ps_read.dir/src/read/types.c.o.d"
  "CMakeFiles/ps_read.dir/src/read/validate.c.o"
  "CMakeFiles/ps_read.dir/src/read/validate.c.o.d"
  "libps_read.a"
  "libps_read.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_read.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
