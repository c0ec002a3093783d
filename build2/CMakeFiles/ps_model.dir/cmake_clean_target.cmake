file(REMOVE_RECURSE
  "libps_model.a"
)
