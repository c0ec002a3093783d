
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/ownership/src/report/check.c" "CMakeFiles/ps_report.dir/src/report/check.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/check.c.o.d"
  "/work/wt/ownership/src/report/diff.c" "CMakeFiles/ps_report.dir/src/report/diff.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/diff.c.o.d"
  "/work/wt/ownership/src/report/export_c.c" "CMakeFiles/ps_report.dir/src/report/export_c.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/export_c.c.o.d"
  "/work/wt/ownership/src/report/export_go.c" "CMakeFiles/ps_report.dir/src/report/export_go.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/export_go.c.o.d"
  "/work/wt/ownership/src/report/figures.c" "CMakeFiles/ps_report.dir/src/report/figures.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/figures.c.o.d"
  "/work/wt/ownership/src/report/fleet.c" "CMakeFiles/ps_report.dir/src/report/fleet.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/fleet.c.o.d"
  "/work/wt/ownership/src/report/json.c" "CMakeFiles/ps_report.dir/src/report/json.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/json.c.o.d"
  "/work/wt/ownership/src/report/json_doc.c" "CMakeFiles/ps_report.dir/src/report/json_doc.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/json_doc.c.o.d"
  "/work/wt/ownership/src/report/suggest_json.c" "CMakeFiles/ps_report.dir/src/report/suggest_json.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/suggest_json.c.o.d"
  "/work/wt/ownership/src/report/suggest_text.c" "CMakeFiles/ps_report.dir/src/report/suggest_text.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/suggest_text.c.o.d"
  "/work/wt/ownership/src/report/text.c" "CMakeFiles/ps_report.dir/src/report/text.c.o" "gcc" "CMakeFiles/ps_report.dir/src/report/text.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/ownership/build2/CMakeFiles/ps_analyze.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_reorder.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_estimate.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_check.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_read.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_model.dir/DependInfo.cmake"
  "/work/wt/ownership/build2/CMakeFiles/ps_util.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
