
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/ownership/src/config/budget.c" "CMakeFiles/ps_config.dir/src/config/budget.c.o" "gcc" "CMakeFiles/ps_config.dir/src/config/budget.c.o.d"
  "/work/wt/ownership/src/config/config_used.c" "CMakeFiles/ps_config.dir/src/config/config_used.c.o" "gcc" "CMakeFiles/ps_config.dir/src/config/config_used.c.o.d"
  "/work/wt/ownership/src/config/json_load.c" "CMakeFiles/ps_config.dir/src/config/json_load.c.o" "gcc" "CMakeFiles/ps_config.dir/src/config/json_load.c.o.d"
  "/work/wt/ownership/src/config/manifest.c" "CMakeFiles/ps_config.dir/src/config/manifest.c.o" "gcc" "CMakeFiles/ps_config.dir/src/config/manifest.c.o.d"
  "/work/wt/ownership/src/config/report_source.c" "CMakeFiles/ps_config.dir/src/config/report_source.c.o" "gcc" "CMakeFiles/ps_config.dir/src/config/report_source.c.o.d"
  "/work/wt/ownership/src/config/settings.c" "CMakeFiles/ps_config.dir/src/config/settings.c.o" "gcc" "CMakeFiles/ps_config.dir/src/config/settings.c.o.d"
  "/work/wt/ownership/src/config/snapshot_json.c" "CMakeFiles/ps_config.dir/src/config/snapshot_json.c.o" "gcc" "CMakeFiles/ps_config.dir/src/config/snapshot_json.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/ownership/build2/CMakeFiles/ps_reorder.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_estimate.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_check.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_read.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_model.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
