file(REMOVE_RECURSE
  "CMakeFiles/ps_report.dir/src/report/check.c.o"
  "CMakeFiles/ps_report.dir/src/report/check.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/diff.c.o"
  "CMakeFiles/ps_report.dir/src/report/diff.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/export_c.c.o"
  "CMakeFiles/ps_report.dir/src/report/export_c.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/export_go.c.o"
  "CMakeFiles/ps_report.dir/src/report/export_go.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/figures.c.o"
  "CMakeFiles/ps_report.dir/src/report/figures.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/fleet.c.o"
  "CMakeFiles/ps_report.dir/src/report/fleet.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/json.c.o"
  "CMakeFiles/ps_report.dir/src/report/json.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/json_doc.c.o"
  "CMakeFiles/ps_report.dir/src/report/json_doc.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/suggest_json.c.o"
  "CMakeFiles/ps_report.dir/src/report/suggest_json.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/suggest_text.c.o"
  "CMakeFiles/ps_report.dir/src/report/suggest_text.c.o.d"
  "CMakeFiles/ps_report.dir/src/report/text.c.o"
  "CMakeFiles/ps_report.dir/src/report/text.c.o.d"
  "libps_report.a"
  "libps_report.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_report.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
