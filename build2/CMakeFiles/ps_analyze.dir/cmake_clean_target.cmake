file(REMOVE_RECURSE
  "libps_analyze.a"
)
