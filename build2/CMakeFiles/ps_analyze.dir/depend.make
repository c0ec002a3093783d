# Empty dependencies file for ps_analyze.
# This may be replaced when dependencies are built.
