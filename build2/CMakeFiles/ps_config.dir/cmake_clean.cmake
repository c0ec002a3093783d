file(REMOVE_RECURSE
  "CMakeFiles/ps_config.dir/src/config/budget.c.o"
  "CMakeFiles/ps_config.dir/src/config/budget.c.o.d"
  "CMakeFiles/ps_config.dir/src/config/config_used.c.o"
  "CMakeFiles/ps_config.dir/src/config/config_used.c.o.d"
  "CMakeFiles/ps_config.dir/src/config/json_load.c.o"
  "CMakeFiles/ps_config.dir/src/config/json_load.c.o.d"
  "CMakeFiles/ps_config.dir/src/config/manifest.c.o"
  "CMakeFiles/ps_config.dir/src/config/manifest.c.o.d"
  "CMakeFiles/ps_config.dir/src/config/report_source.c.o"
  "CMakeFiles/ps_config.dir/src/config/report_source.c.o.d"
  "CMakeFiles/ps_config.dir/src/config/settings.c.o"
  "CMakeFiles/ps_config.dir/src/config/settings.c.o.d"
  "CMakeFiles/ps_config.dir/src/config/snapshot_json.c.o"
  "CMakeFiles/ps_config.dir/src/config/snapshot_json.c.o.d"
  "libps_config.a"
  "libps_config.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_config.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
