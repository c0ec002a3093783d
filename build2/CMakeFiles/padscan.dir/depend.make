# Empty dependencies file for padscan.
# This may be replaced when dependencies are built.
