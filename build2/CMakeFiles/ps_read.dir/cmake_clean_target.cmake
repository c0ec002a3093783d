file(REMOVE_RECURSE
  "libps_read.a"
)
