file(REMOVE_RECURSE
  "CMakeFiles/ps_reorder.dir/src/reorder/items.c.o"
  "CMakeFiles/ps_reorder.dir/src/reorder/items.c.o.d"
  "CMakeFiles/ps_reorder.dir/src/reorder/place.c.o"
  "CMakeFiles/ps_reorder.dir/src/reorder/place.c.o.d"
  "CMakeFiles/ps_reorder.dir/src/reorder/rank.c.o"
  "CMakeFiles/ps_reorder.dir/src/reorder/rank.c.o.d"
  "CMakeFiles/ps_reorder.dir/src/reorder/search.c.o"
  "CMakeFiles/ps_reorder.dir/src/reorder/search.c.o.d"
  "CMakeFiles/ps_reorder.dir/src/reorder/suggest.c.o"
  "CMakeFiles/ps_reorder.dir/src/reorder/suggest.c.o.d"
  "CMakeFiles/ps_reorder.dir/src/reorder/warnings.c.o"
  "CMakeFiles/ps_reorder.dir/src/reorder/warnings.c.o.d"
  "libps_reorder.a"
  "libps_reorder.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_reorder.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
