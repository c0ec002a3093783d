file(REMOVE_RECURSE
  "libps_report.a"
)
