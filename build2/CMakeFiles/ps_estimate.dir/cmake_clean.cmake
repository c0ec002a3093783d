file(REMOVE_RECURSE
  "CMakeFiles/ps_estimate.dir/src/estimate/alloc.c.o"
  "CMakeFiles/ps_estimate.dir/src/estimate/alloc.c.o.d"
  "CMakeFiles/ps_estimate.dir/src/estimate/fleet.c.o"
  "CMakeFiles/ps_estimate.dir/src/estimate/fleet.c.o.d"
  "CMakeFiles/ps_estimate.dir/src/estimate/fleet_read.c.o"
  "CMakeFiles/ps_estimate.dir/src/estimate/fleet_read.c.o.d"
  "CMakeFiles/ps_estimate.dir/src/estimate/fleet_run.c.o"
  "CMakeFiles/ps_estimate.dir/src/estimate/fleet_run.c.o.d"
  "libps_estimate.a"
  "libps_estimate.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_estimate.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
