
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/ownership/src/estimate/alloc.c" "CMakeFiles/ps_estimate.dir/src/estimate/alloc.c.o" "gcc" "CMakeFiles/ps_estimate.dir/src/estimate/alloc.c.o.d"
  "/work/wt/ownership/src/estimate/fleet.c" "CMakeFiles/ps_estimate.dir/src/estimate/fleet.c.o" "gcc" "CMakeFiles/ps_estimate.dir/src/estimate/fleet.c.o.d"
  "/work/wt/ownership/src/estimate/fleet_read.c" "CMakeFiles/ps_estimate.dir/src/estimate/fleet_read.c.o" "gcc" "CMakeFiles/ps_estimate.dir/src/estimate/fleet_read.c.o.d"
  "/work/wt/ownership/src/estimate/fleet_run.c" "CMakeFiles/ps_estimate.dir/src/estimate/fleet_run.c.o" "gcc" "CMakeFiles/ps_estimate.dir/src/estimate/fleet_run.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/ownership/build2/CMakeFiles/ps_read.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_reorder.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_model.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
