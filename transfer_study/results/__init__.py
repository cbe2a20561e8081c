"""Caffe logs -> the paper's tables and figures (Makefile: results)."""
