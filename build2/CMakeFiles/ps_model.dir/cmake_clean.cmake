file(REMOVE_RECURSE
  "CMakeFiles/ps_model.dir/src/model/abi.c.o"
  "CMakeFiles/ps_model.dir/src/model/abi.c.o.d"
  "CMakeFiles/ps_model.dir/src/model/infer_align.c.o"
  "CMakeFiles/ps_model.dir/src/model/infer_align.c.o.d"
  "CMakeFiles/ps_model.dir/src/model/model.c.o"
  "CMakeFiles/ps_model.dir/src/model/model.c.o.d"
  "CMakeFiles/ps_model.dir/src/model/select.c.o"
  "CMakeFiles/ps_model.dir/src/model/select.c.o.d"
  "libps_model.a"
  "libps_model.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ps_model.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
