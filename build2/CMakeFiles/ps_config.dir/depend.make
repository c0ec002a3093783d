# Empty dependencies file for ps_config.
# This may be replaced when dependencies are built.
