
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/ownership/src/reorder/items.c" "CMakeFiles/ps_reorder.dir/src/reorder/items.c.o" "gcc" "CMakeFiles/ps_reorder.dir/src/reorder/items.c.o.d"
  "/work/wt/ownership/src/reorder/place.c" "CMakeFiles/ps_reorder.dir/src/reorder/place.c.o" "gcc" "CMakeFiles/ps_reorder.dir/src/reorder/place.c.o.d"
  "/work/wt/ownership/src/reorder/rank.c" "CMakeFiles/ps_reorder.dir/src/reorder/rank.c.o" "gcc" "CMakeFiles/ps_reorder.dir/src/reorder/rank.c.o.d"
  "/work/wt/ownership/src/reorder/search.c" "CMakeFiles/ps_reorder.dir/src/reorder/search.c.o" "gcc" "CMakeFiles/ps_reorder.dir/src/reorder/search.c.o.d"
  "/work/wt/ownership/src/reorder/suggest.c" "CMakeFiles/ps_reorder.dir/src/reorder/suggest.c.o" "gcc" "CMakeFiles/ps_reorder.dir/src/reorder/suggest.c.o.d"
  "/work/wt/ownership/src/reorder/warnings.c" "CMakeFiles/ps_reorder.dir/src/reorder/warnings.c.o" "gcc" "CMakeFiles/ps_reorder.dir/src/reorder/warnings.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/ownership/build2/CMakeFiles/ps_model.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
