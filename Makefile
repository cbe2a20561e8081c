# How transferable are features in deep neural networks?
# (Yosinski, Clune, Bengio, Lipson, NIPS 2014) -- a Caffe-faithful reproduction.
#
# This Makefile is the study's table of contents.  Everything that touches
# Caffe runs inside the Caffe environment through scripts/in-env (the Debian
# env built by `make env`, or your conda Caffe with CAFFE_ENV=native).
#
#   make demo            the whole study in miniature, on a CPU, in minutes
#   make test            the test suite (builds the env first when missing)
#   make help            every target

SHELL := /bin/bash
IN_ENV := scripts/in-env
PY := $(IN_ENV) python3

# Where datasets (LMDBs, lists, means) live.  `data` may be a symlink to a
# big disk; the committed prototxts read data/<dataset>/...
DATA ?= data
RESULTS ?= results

.PHONY: help env test
help:
	@sed -n 's/^##\( \|$$\)//p' $(MAKEFILE_LIST)

## Environment
##   make env             build the Debian 11 Caffe 1.0 environment (.caffe-env/)
##   make test            run the tests inside it
env:
	@scripts/build-env

test: env
	$(IN_ENV) python3 -m pytest -q -ra tests

##
### BEGIN lists-data (ImageNet -> warped 256x256 LMDBs and means)
### END lists-data

### BEGIN splits-derived (the study's datasets)
### END splits-derived

### BEGIN prototxts (experiment catalog -> net and solver prototxts)
### END prototxts

### BEGIN training (a target per network, status, plan)
### END training

### BEGIN slurm (cluster runs)
### END slurm

### BEGIN results (logs -> tables and figures)
### END results

### BEGIN demo (the whole study in miniature)
### END demo
