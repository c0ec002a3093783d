# Empty dependencies file for ps_report.
# This may be replaced when dependencies are built.
