"""Cluster runs on SLURM (Makefile: slurm)."""
