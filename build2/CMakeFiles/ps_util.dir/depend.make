# Empty dependencies file for ps_util.
# This may be replaced when dependencies are built.
