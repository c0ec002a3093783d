
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/ownership/src/cli/cmd_analyze.c" "CMakeFiles/padscan.dir/src/cli/cmd_analyze.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/cmd_analyze.c.o.d"
  "/work/wt/ownership/src/cli/cmd_check.c" "CMakeFiles/padscan.dir/src/cli/cmd_check.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/cmd_check.c.o.d"
  "/work/wt/ownership/src/cli/cmd_diff.c" "CMakeFiles/padscan.dir/src/cli/cmd_diff.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/cmd_diff.c.o.d"
  "/work/wt/ownership/src/cli/cmd_fleet.c" "CMakeFiles/padscan.dir/src/cli/cmd_fleet.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/cmd_fleet.c.o.d"
  "/work/wt/ownership/src/cli/cmd_suggest.c" "CMakeFiles/padscan.dir/src/cli/cmd_suggest.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/cmd_suggest.c.o.d"
  "/work/wt/ownership/src/cli/common.c" "CMakeFiles/padscan.dir/src/cli/common.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/common.c.o.d"
  "/work/wt/ownership/src/cli/main.c" "CMakeFiles/padscan.dir/src/cli/main.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/main.c.o.d"
  "/work/wt/ownership/src/cli/snapshot.c" "CMakeFiles/padscan.dir/src/cli/snapshot.c.o" "gcc" "CMakeFiles/padscan.dir/src/cli/snapshot.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/ownership/build2/CMakeFiles/ps_read.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_analyze.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_report.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_config.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_estimate.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_check.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_reorder.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_model.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
