
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/ownership/src/util/arena.c" "CMakeFiles/ps_util.dir/src/util/arena.c.o" "gcc" "CMakeFiles/ps_util.dir/src/util/arena.c.o.d"
  "/work/wt/ownership/src/util/atomic_file.c" "CMakeFiles/ps_util.dir/src/util/atomic_file.c.o" "gcc" "CMakeFiles/ps_util.dir/src/util/atomic_file.c.o.d"
  "/work/wt/ownership/src/util/input_file.c" "CMakeFiles/ps_util.dir/src/util/input_file.c.o" "gcc" "CMakeFiles/ps_util.dir/src/util/input_file.c.o.d"
  "/work/wt/ownership/src/util/map.c" "CMakeFiles/ps_util.dir/src/util/map.c.o" "gcc" "CMakeFiles/ps_util.dir/src/util/map.c.o.d"
  "/work/wt/ownership/src/util/nearest.c" "CMakeFiles/ps_util.dir/src/util/nearest.c.o" "gcc" "CMakeFiles/ps_util.dir/src/util/nearest.c.o.d"
  "/work/wt/ownership/src/util/strbuf.c" "CMakeFiles/ps_util.dir/src/util/strbuf.c.o" "gcc" "CMakeFiles/ps_util.dir/src/util/strbuf.c.o.d"
  "/work/wt/ownership/src/util/utf8.c" "CMakeFiles/ps_util.dir/src/util/utf8.c.o" "gcc" "CMakeFiles/ps_util.dir/src/util/utf8.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
