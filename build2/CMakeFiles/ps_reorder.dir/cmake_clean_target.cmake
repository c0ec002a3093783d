file(REMOVE_RECURSE
  "libps_reorder.a"
)
