# Empty dependencies file for ps_estimate.
# This may be replaced when dependencies are built.
