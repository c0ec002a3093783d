# Empty dependencies file for ps_read.
# This may be replaced when dependencies are built.
