
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/ownership/src/read/attrs.c" "CMakeFiles/ps_read.dir/src/read/attrs.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/attrs.c.o.d"
  "/work/wt/ownership/src/read/dwarf.c" "CMakeFiles/ps_read.dir/src/read/dwarf.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/dwarf.c.o.d"
  "/work/wt/ownership/src/read/dwarf_object.c" "CMakeFiles/ps_read.dir/src/read/dwarf_object.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/dwarf_object.c.o.d"
  "/work/wt/ownership/src/read/elf.c" "CMakeFiles/ps_read.dir/src/read/elf.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/elf.c.o.d"
  "/work/wt/ownership/src/read/mapguard.c" "CMakeFiles/ps_read.dir/src/read/mapguard.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/mapguard.c.o.d"
  "/work/wt/ownership/src/read/ownership.c" "CMakeFiles/ps_read.dir/src/read/ownership.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/ownership.c.o.d"
  "/work/wt/ownership/src/read/paths.c" "CMakeFiles/ps_read.dir/src/read/paths.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/paths.c.o.d"
  "/work/wt/ownership/src/read/records.c" "CMakeFiles/ps_read.dir/src/read/records.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/records.c.o.d"
  "/work/wt/ownership/src/read/relocate.c" "CMakeFiles/ps_read.dir/src/read/relocate.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/relocate.c.o.d"
  "/work/wt/ownership/src/read/sanity.c" "CMakeFiles/ps_read.dir/src/read/sanity.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/sanity.c.o.d"
  "/work/wt/ownership/src/read/types.c" "CMakeFiles/ps_read.dir/src/read/types.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/types.c.o.d"
  "/work/wt/ownership/src/read/validate.c" "CMakeFiles/ps_read.dir/src/read/validate.c.o" "gcc" "CMakeFiles/ps_read.dir/src/read/validate.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/ownership/build2/CMakeFiles/ps_model.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
