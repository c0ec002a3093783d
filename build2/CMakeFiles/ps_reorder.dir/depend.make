# Empty dependencies file for ps_reorder.
# This may be replaced when dependencies are built.
