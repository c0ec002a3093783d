file(REMOVE_RECURSE
  "CMakeFiles/ps_analyze.dir/src/analyze/layout.c.o"
  "CMakeFiles/ps_analyze.dir/src/analyze/layout.c.o.d"
  "libps_analyze.a"
  "libps_analyze.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_analyze.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
