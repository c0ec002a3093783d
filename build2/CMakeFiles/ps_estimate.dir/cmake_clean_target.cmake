file(REMOVE_RECURSE
  "libps_estimate.a"
)
