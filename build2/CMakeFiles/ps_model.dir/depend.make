# Empty dependencies file for ps_model.
# This may be replaced when dependencies are built.
