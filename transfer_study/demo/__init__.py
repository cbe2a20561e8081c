"""The whole study in miniature (Makefile: demo)."""
