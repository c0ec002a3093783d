file(REMOVE_RECURSE
  "libps_config.a"
)
