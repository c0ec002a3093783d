# Empty dependencies file for ps_check.
# This may be replaced when dependencies are built.
