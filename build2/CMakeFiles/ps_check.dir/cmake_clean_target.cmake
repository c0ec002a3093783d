file(REMOVE_RECURSE
  "libps_check.a"
)
