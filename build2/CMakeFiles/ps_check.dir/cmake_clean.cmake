file(REMOVE_RECURSE
  "CMakeFiles/ps_check.dir/src/check/diff.c.o"
  "CMakeFiles/ps_check.dir/src/check/diff.c.o.d"
  "CMakeFiles/ps_check.dir/src/check/fix.c.o"
  "CMakeFiles/ps_check.dir/src/check/fix.c.o.d"
  "CMakeFiles/ps_check.dir/src/check/rules.c.o"
  "CMakeFiles/ps_check.dir/src/check/rules.c.o.d"
  "CMakeFiles/ps_check.dir/src/check/unmatched.c.o"
  "CMakeFiles/ps_check.dir/src/check/unmatched.c.o.d"
  "libps_check.a"
  "libps_check.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_check.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
