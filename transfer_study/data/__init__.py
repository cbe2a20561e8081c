"""ImageNet -> warped LMDBs and means; the study's datasets (Makefile: lists-data, splits-derived)."""
