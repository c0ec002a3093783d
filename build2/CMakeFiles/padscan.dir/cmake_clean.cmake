file(REMOVE_RECURSE
  "CMakeFiles/padscan.dir/src/cli/cmd_analyze.c.o"
  "CMakeFiles/padscan.dir/src/cli/cmd_analyze.c.o.d"
  "CMakeFiles/padscan.dir/src/cli/cmd_check.c.o"
  "CMakeFiles/padscan.dir/src/cli/cmd_check.c.o.d"
  "CMakeFiles/padscan.dir/src/cli/cmd_diff.c.o"
  "CMakeFiles/padscan.dir/src/cli/cmd_diff.c.o.d"
  "CMakeFiles/padscan.dir/src/cli/cmd_fleet.c.o"
  "CMakeFiles/padscan.dir/src/cli/cmd_fleet.c.o.d"
  "CMakeFiles/padscan.dir/src/cli/cmd_suggest.c.o"
  "CMakeFiles/padscan.dir/src/cli/cmd_suggest.c.o.d"
  "CMakeFiles/padscan.dir/src/cli/common.c.o"
  "CMakeFiles/padscan.dir/src/cli/common.c.o.d"
  "CMakeFiles/padscan.dir/src/cli/main.c.o"
  "CMakeFiles/padscan.dir/src/cli/main.c.o.d"
  "CMakeFiles/padscan.dir/src/cli/snapshot.c.o"
  "CMakeFiles/padscan.dir/src/cli/snapshot.c.o.d"
  "padscan"
  "padscan.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/padscan.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
