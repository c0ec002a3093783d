file(REMOVE_RECURSE
  "libps_util.a"
)
