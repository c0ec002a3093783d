file(REMOVE_RECURSE
  "CMakeFiles/ps_util.dir/src/util/arena.c.o"
  "CMakeFiles/ps_util.dir/src/util/arena.c.o.d"
  "CMakeFiles/ps_util.dir/src/util/atomic_file.c.o"
  "CMakeFiles/ps_util.dir/src/util/atomic_file.c.o.d"
  "CMakeFiles/ps_util.dir/src/util/input_file.c.o"
  "CMakeFiles/ps_util.dir/src/util/input_file.c.o.d"
  "CMakeFiles/ps_util.dir/src/util/map.c.o"
  "CMakeFiles/ps_util.dir/src/util/map.c.o.d"
  "CMakeFiles/ps_util.dir/src/util/nearest.c.o"
  "CMakeFiles/ps_util.dir/src/util/nearest.c.o.d"
  "CMakeFiles/ps_util.dir/src/util/strbuf.c.o"
  "CMakeFiles/ps_util.dir/src/util/strbuf.c.o.d"
  "CMakeFiles/ps_util.dir/src/util/utf8.c.o"
  "CMakeFiles/ps_util.dir/src/util/utf8.c.o.d"
  "libps_util.a"
  "libps_util.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_util.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
