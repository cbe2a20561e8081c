"""Training runs: the Caffe command, run state, cost report, experiments.mk (Makefile: training)."""
