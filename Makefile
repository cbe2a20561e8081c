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
##   make env             build the Debian 11 Caffe 1.0 environment (.caffe-env/), as
##                        root or as an ordinary user (user namespaces; no sudo, no apt)
##   make env CUDA=VER    the same, plus Caffe built with CUDA VER (11.2 or 13)
##   make test            run the tests inside it (docs/tests.md)
##   make test-fast       the same without the slow kinds (SLURM, kill loops, the demo,
##                        env builds, rootless users): a couple of minutes after the env
##   Options: CUDA=VER (any target: that CUDA build of Caffe)
##            CAFFE_ENV=native (any target: your own Caffe, e.g. conda's; no env built)
# scripts/in-env reads these: it makes what DATA and ROOT resolve to visible
# inside the env (for every target, also when data/ is a symlink), and
# CUDA selects the env's CUDA build.
export DATA ROOT CUDA
env:
	@scripts/build-env
	@# CUDA=<ver>: also build that CUDA Caffe (scripts/build-cuda-caffe; section gpu below)
	$(if $(CUDA),@$(MAKE) --no-print-directory env-cuda)

test: env
	$(IN_ENV) python3 -m pytest -q -ra tests

.PHONY: test-fast
test-fast: env
	$(IN_ENV) python3 -m pytest -q -ra -m 'not slow' tests

##   make bench-env       CaffeNet forward+backward: OpenBLAS vs reference BLAS
.PHONY: bench-env
bench-env: env
	$(PY) scripts/bench_env.py

### BEGIN lists-data (ImageNet -> warped 256x256 LMDBs and means)
##
## ImageNet -> whole lists, warped 256x256 LMDBs and the mean
##   make lists IMAGENET=<root> [TRAIN_LIST=train.txt] [VAL_LIST=val.txt] [SYNSETS=file]
##                        $(DATA)/whole_{train,valid}/files.txt and $(DATA)/synsets.txt
##                        (train: TRAIN_LIST verbatim, else <root>/train/<wnid>/*.JPEG;
##                        val: VAL_LIST, else <root>'s devkit, else ilsvrc12/val.txt)
##   make data IMAGENET=<root> [FORCE=1] [SKIP_BAD=1] [RESIZE=256] [NUM_CLASSES=1000]
##                        disk space check (~258 GB), then whole_train and whole_valid LMDBs
##                        (resumable: rerun after a kill) and whole_train's mean;
##                        whole_train is written --shuffle'd (Caffe's Data layer never
##                        shuffles) with the warp tool's fixed seed 1701, recorded in
##                        its lmdb/complete.json; whole_valid in list order
##   make verify-data IMAGENET=<root>  check both LMDBs against their lists (keys, labels,
##                        counts, shapes, 5 datums re-made from their images)
##   make bench-data [IMAGES=1000]  warp_imageset vs convert_imageset vs the ceiling
.PHONY: lists data verify-data bench-data
# Directories outside the checkout the env must see: ImageNet and the user's
# lists (in-env itself binds wherever DATA, ROOT and data/ resolve to).
LD_BIND = $(strip $(ENV_BIND) $(IMAGENET) $(if $(TRAIN_LIST),$(dir $(abspath $(TRAIN_LIST)))) \
          $(if $(VAL_LIST),$(dir $(abspath $(VAL_LIST)))))
LD_PY = ENV_BIND="$(LD_BIND)" $(PY)
# The warp size (the paper's 256; make demo: the tiny profile's) and the class count.
RESIZE ?= 256
NUM_CLASSES ?= 1000
WARP_FLAGS = --resize_height=$(RESIZE) --resize_width=$(RESIZE) --num-classes=$(NUM_CLASSES) \
             $(if $(filter 1 yes true,$(SKIP_BAD)),--skip-bad)

lists:
	@test -n "$(IMAGENET)$(TRAIN_LIST)" || { echo "make lists: set IMAGENET=<ILSVRC2012 root with train/<wnid>/*.JPEG> or TRAIN_LIST=<Caffe train.txt>" >&2; exit 2; }
	@mkdir -p $(DATA)
	$(LD_PY) data_prep/make_lists.py --data $(DATA) $(if $(IMAGENET),--imagenet $(IMAGENET)) \
	    $(if $(TRAIN_LIST),--train-list $(TRAIN_LIST)) $(if $(VAL_LIST),--val-list $(VAL_LIST)) \
	    $(if $(SYNSETS),--synsets $(SYNSETS))

data:
	@test -n "$(IMAGENET)" || { echo "make data: set IMAGENET=<ILSVRC2012 root with train/ and val/>" >&2; exit 2; }
	@test -f $(DATA)/whole_train/files.txt || { echo "make data: no $(DATA)/whole_train/files.txt: run 'make lists IMAGENET=$(IMAGENET)' first" >&2; exit 2; }
	$(LD_PY) data_prep/disk_space.py --data $(DATA) --resize $(RESIZE) \
	    $(if $(filter 1 yes true,$(FORCE)),--force)
	$(LD_PY) data_prep/warp_imageset.py $(WARP_FLAGS) $(IMAGENET)/val/ \
	    $(DATA)/whole_valid/files.txt $(DATA)/whole_valid/lmdb
	$(LD_PY) data_prep/warp_imageset.py $(WARP_FLAGS) --shuffle $(IMAGENET)/train/ \
	    $(DATA)/whole_train/files.txt $(DATA)/whole_train/lmdb
	@m=$(DATA)/whole_train/mean.binaryproto; \
	if [ -f $$m ] && [ $$m -nt $(DATA)/whole_train/lmdb/complete.json ]; then \
	    echo "$$m is up to date"; \
	else \
	    echo $(LD_PY) data_prep/compute_mean.py $(DATA)/whole_train/lmdb $$m; \
	    $(LD_PY) data_prep/compute_mean.py $(DATA)/whole_train/lmdb $$m; \
	fi

verify-data:
	$(LD_PY) data_prep/verify_db.py $(DATA)/whole_valid/lmdb $(DATA)/whole_valid/files.txt \
	    $(if $(IMAGENET),--root $(IMAGENET)/val/)
	$(LD_PY) data_prep/verify_db.py $(DATA)/whole_train/lmdb $(DATA)/whole_train/files.txt \
	    $(if $(IMAGENET),--root $(IMAGENET)/train/)

bench-data:
	$(PY) scripts/bench_data.py $(if $(IMAGES),--images $(IMAGES))
### END lists-data

### BEGIN splits-derived (the study's datasets)
##
## Derived datasets (random halves, natural/man-made halves, reduced sets)
##   make splits          write every derived list from $(DATA)/whole_*/files.txt
##                        (TRAIN_LIST=, VAL_LIST=, SYNSETS= override the inputs;
##                        VALID_ONLY=1 without a training list; SEEDS=0,1,2,3 and
##                        NUM_CLASSES=1000 by default); prints the WordNet
##                        top-20 table and each list's md5 vs the original study's
##   make derived         their LMDBs copied from the whole-set LMDBs (no JPEG
##                        decoding), then each training set's mean; resumable
##                        (NAMES="half0A_train ..." for some of them); *_train sets
##                        shuffled with whole_train's recorded seed (1701) as
##                        warp_imageset.py --shuffle would, *_valid in list order
##   make bench-derived   benchmark: derive vs warp from JPEG, prints the ratio
.PHONY: splits derived bench-derived
SPLITS_ARGS = $(if $(TRAIN_LIST),--train-list $(TRAIN_LIST)) \
  $(if $(VAL_LIST),--val-list $(VAL_LIST)) $(if $(SYNSETS),--synsets $(SYNSETS)) \
  $(if $(VALID_ONLY),--valid-only) $(if $(SEEDS),--seeds $(SEEDS)) --num-classes $(NUM_CLASSES)
splits:
	$(PY) data_prep/make_splits.py --data $(DATA) $(strip $(SPLITS_ARGS))

derived:
	$(PY) data_prep/derive_lmdb.py --data $(DATA) $(NAMES)

bench-derived:
	$(PY) scripts/bench_derived.py
### END splits-derived

### BEGIN prototxts (experiment catalog -> net and solver prototxts)
##
## Networks (experiments.yaml -> prototxt/<name>/*.prototxt, solvers/<name>.prototxt)
##   make prototxts       regenerate the 170 nets and solvers (keeps files you edited; FORCE=1 overwrites)
##   make check-prototxts list every file that differs from the catalog, with a diff (exit 1 if any)
##   make list-experiments  the 170 networks, their groups and dependencies
##                        EXPERIMENTS="half0A transfers" limits prototxts/check-prototxts to some nets or groups;
##                        PROFILE=tiny ROOT=dir writes the tiny profile's files under dir
.PHONY: prototxts check-prototxts list-experiments
EXPERIMENTS ?=
PROTOTXT_OPTS = --root $(ROOT) --profile $(PROFILE) $(if $(CATALOG),--catalog $(CATALOG))
prototxts:
	$(PY) scripts/make_prototxts.py $(PROTOTXT_OPTS) $(if $(filter 1 yes true,$(FORCE)),--force) \
	    $(EXPERIMENTS)

check-prototxts:
	$(PY) scripts/make_prototxts.py $(PROTOTXT_OPTS) --check $(EXPERIMENTS)

list-experiments:
	@$(PY) scripts/make_prototxts.py $(PROTOTXT_OPTS) --list $(EXPERIMENTS)

### END prototxts

### BEGIN training (a target per network and group, status, cost)
##
## Training (one target per network and per group of experiments.yaml, see
## experiments.mk; make is the one scheduler: make demo runs these targets too)
##   make NAME            train one network, e.g. make half0A, make transfer0A0B_1_3;
##                        resumes from its newest snapshot, does nothing when done,
##                        trains a transfer net's base first (make -j4 runs blocks in parallel)
##   make base halves natman reduced transfers transfers-frozen transfers-ft
##        transfers-natman random-filters all-networks     every network of a group
##   make -n NAME         show the exact Caffe command
##   make -j4 transfers GPU=0,1,2,3   four networks at once, each alone on its GPU:
##                        a run takes a free GPU of the pool GPU= (a lock held until
##                        Caffe exits or is killed) and waits while none is free;
##                        GPUS_PER_NET=2 gives each run two (batch split, effective
##                        batch kept).  No usable GPU: the run stops before Caffe
##                        starts, saying why; SOLVER_MODE=CPU trains on the CPU
##   KEEP_SNAPSHOTS=final|every:N|all  snapshots kept (default final: the final pair,
##                        and the newest complete pair while unfinished)
##   make status          one line per network: state, iteration, accuracy, ETA
##                        (states: not started, running, interrupted, failed, done --
##                        the same train.py, make results and make submit go by)
##   make cost            dependency blocks, network count, GPU-days, snapshot and dataset disk
##                        [NETWORKS="names or groups"] [SEC_PER_ITER=1.7]
##                        [KEEP_SNAPSHOTS=final|every:N|all]  (make plan: the same)
##   make experiments-mk  regenerate experiments.mk after editing experiments.yaml
##   Options: PROFILE=paper|tiny  ROOT=DIR (tiny needs its own, e.g. ROOT=demo)
##            GPU=0|0,1,2,3|all  GPUS_PER_NET=1|2  SOLVER_MODE=CPU  ITER_SIZE=2  CATALOG=FILE
PROFILE ?= paper
ROOT ?= .
ifeq ($(strip $(ROOT)),)
ROOT := .
endif
GPU ?=
GPUS_PER_NET ?= 1
KEEP_SNAPSHOTS ?=
SOLVER_MODE ?=
ITER_SIZE ?= 1
CATALOG ?=
NETWORKS ?=
SEC_PER_ITER ?= 1.7
EXPERIMENTS_MK ?= experiments.mk
TRAIN_OPTS = $(strip --root $(ROOT) --profile $(PROFILE) $(if $(GPU),--gpu $(GPU)) \
	--gpus-per-net $(GPUS_PER_NET) --iter-size $(ITER_SIZE) \
	$(if $(KEEP_SNAPSHOTS),--keep-snapshots $(KEEP_SNAPSHOTS)) \
	$(if $(SOLVER_MODE),--solver-mode $(SOLVER_MODE)) $(if $(CATALOG),--catalog $(CATALOG)))
TRAIN = $(PY) scripts/train.py $(TRAIN_OPTS)
# Under `make -n` the '+' line still runs and prints the Caffe command.
ifneq (,$(findstring n,$(firstword -$(MAKEFLAGS))))
TRAIN_SHOW = +@$(PY) scripts/train.py --print-command $(TRAIN_OPTS)
else
TRAIN_SHOW = @:
endif

.PHONY: status cost plan experiments-mk
status:
	@$(PY) scripts/status.py --root $(ROOT) --profile $(PROFILE) \
		$(if $(CATALOG),--catalog $(CATALOG)) $(NETWORKS)

cost:
	@$(PY) scripts/cost.py --root $(ROOT) --profile $(PROFILE) --sec-per-iter $(SEC_PER_ITER) \
		$(if $(KEEP_SNAPSHOTS),--keep-snapshots $(KEEP_SNAPSHOTS)) \
		$(if $(CATALOG),--catalog $(CATALOG)) $(NETWORKS)

# the name the README and older notes use
plan: cost

experiments-mk:
	$(PY) scripts/make_experiments_mk.py $(if $(CATALOG),--catalog $(CATALOG)) --out $(EXPERIMENTS_MK)

include $(EXPERIMENTS_MK)
### END training

### BEGIN slurm (cluster runs)
##
## Cluster (SLURM; settings in slurm.yaml)
##   make submit NETWORKS="half0A transfers" [DRY_RUN=1]
##                        one batch job per network (names or groups); transfer
##                        nets wait for their base's job; finished or queued
##                        networks are skipped; jobs snapshot and requeue
##                        themselves before the time limit.  Also PROFILE=tiny,
##                        ROOT=dir, PARTITION=, ACCOUNT=, TIME_LIMIT=, GPUS=,
##                        KEEP_SNAPSHOTS=; a job without a usable GPU fails (not
##                        requeued), saying why in results/NAME/NAME.slurm-ID.out
.PHONY: submit
# Nothing extra: in-env binds what ROOT and ROOT/data resolve to itself.
SUBMIT_BIND = $(ENV_BIND)
SUBMIT_OPTS = $(strip $(if $(PROFILE),--profile $(PROFILE)) $(if $(ROOT),--root $(ROOT)) \
	$(if $(PARTITION),--partition $(PARTITION)) $(if $(ACCOUNT),--account $(ACCOUNT)) \
	$(if $(TIME_LIMIT),--time-limit $(TIME_LIMIT)) $(if $(GPUS),--gpus $(GPUS)) \
	$(if $(KEEP_SNAPSHOTS),--keep-snapshots $(KEEP_SNAPSHOTS)) \
	$(if $(CATALOG),--catalog $(CATALOG)) $(if $(filter-out 0,$(DRY_RUN)),--dry-run))
submit:
	@test -n "$(NETWORKS)" || { echo 'make submit: say which networks, e.g. make submit NETWORKS=halves' >&2; exit 2; }
	ENV_BIND="$(SUBMIT_BIND)" $(PY) scripts/submit.py $(NETWORKS) $(SUBMIT_OPTS)
### END slurm

### BEGIN results (logs -> tables and figures)
##
## Results
##   make results [RESULTS=results] [OUT=dir]
##                        logs of $(RESULTS)/<network>/ -> summary.csv, table_s1.{csv,md},
##                        figure_2, figure_3, figure_s1 (.png, .pdf, and the plotted
##                        values as .csv), scorecard.{md,csv,png} (each network against
##                        the original study's run, reference/original_2014.csv),
##                        curves/ (into OUT, default $(RESULTS)); works on partial results
##   make results-2014 ORIGINAL=<a clone of yosinski/convnet_transfer, or its results/>
##                        the same from the original study's logs (results/<name>/*.gz)
##                        into $(RESULTS)/original-2014/
##   make reference-2014 ORIGINAL=...  rewrite reference/original_2014.csv from those logs
##   make bench-logparse ORIGINAL=...  log parsing speed on them, vs plain gunzip
.PHONY: results results-2014 reference-2014 bench-logparse
OUT ?=
ORIGINAL ?=
NEED_ORIGINAL = @test -n "$(ORIGINAL)" || { echo "make $@: set ORIGINAL=<a clone of yosinski/convnet_transfer, or its results/ folder>" >&2; exit 2; }
ORIGINAL_PY = ENV_BIND="$(if $(ORIGINAL),$(abspath $(ORIGINAL)))" $(PY)
results:
	$(PY) scripts/results.py --results $(RESULTS) $(if $(OUT),--out $(OUT))

results-2014:
	$(NEED_ORIGINAL)
	$(ORIGINAL_PY) scripts/results.py --original $(ORIGINAL) --out $(RESULTS)/original-2014

reference-2014:
	$(NEED_ORIGINAL)
	$(ORIGINAL_PY) scripts/results.py --original $(ORIGINAL) --out $(RESULTS)/original-2014 \
	    --no-curves --write-reference reference/original_2014.csv

bench-logparse:
	$(NEED_ORIGINAL)
	$(ORIGINAL_PY) -m transfer_study.results.logparse --bench \
	    $$(if [ -d $(ORIGINAL)/results ]; then echo $(ORIGINAL)/results; else echo $(ORIGINAL); fi)
### END results

### BEGIN demo (the whole study in miniature)
##
## Demo (embedded ImageNet-style images -> lists -> LMDBs -> datasets -> real Caffe
## CPU training -> tables and figures, with the 'tiny' profile, all under demo/)
##   make demo            the whole study in miniature, <= 10 min on 2 cores: draws its
##                        images, then runs the targets above (make lists, data, splits,
##                        derived, prototxts, make -j<cores> NAME..., results) with
##                        PROFILE=tiny ROOT=demo DATA=demo/data; rerun skips finished
##                        stages and resumes (Ctrl-C is safe).
##                        QUICK=1: every stage with fewer images and networks
##   make demo-clean      remove demo/
##   make bench-demo      the demo from scratch under bench/demo/, then the wall
##                        time of each stage and the total
.PHONY: demo demo-clean bench-demo
DEMO_ROOT ?= demo
demo: env
	$(PY) scripts/demo.py --root $(DEMO_ROOT) $(if $(filter 1 yes true,$(QUICK)),--quick)

demo-clean:
	@case "$$(cd "$(DEMO_ROOT)" 2>/dev/null && pwd)" in \
	  "$(CURDIR)"|/) echo "demo-clean: refusing to remove $(DEMO_ROOT)" >&2; exit 2;; esac
	rm -rf -- "$(DEMO_ROOT)"

bench-demo: env
	rm -rf -- bench/demo
	$(PY) scripts/demo.py --root bench/demo $(if $(filter 1 yes true,$(QUICK)),--quick)
	@$(PY) scripts/demo.py --root bench/demo --timings
### END demo

### BEGIN gpu (CUDA builds of Caffe, the GPU check, the GPU bundle)
##
## GPU (README "GPU builds")
##   make env CUDA=11.2   + Caffe built with CUDA 11.2 at /opt/caffe-cuda-11.2 in the env
##                        (NVIDIA's wheels fetched on the host, sha256-pinned in
##                        scripts/cuda-wheels.txt, kept in WHEELS=DIR, default .caffe-env.wheels):
##                        SASS sm_35 (K20) ... sm_86, PTX for newer GPUs (H100/H200);
##                        CUDA=13: sm_75 ... sm_121 native.  Resumable; ~30-60 min on 2 cores
##   make gpu-check [CUDA=11.2|13] [GPU=0,1]  on a GPU machine, one table in minutes:
##                        device_query, CaffeNet batch-256 time vs the paper's K20,
##                        200 iterations of the paper solver, tiny GPU vs CPU, 2-GPU;
##                        "no GPU: <reason>" and exit 1 without a usable GPU
##   make gpu-bundle CUDA=11.2|13  dist/caffe-gpu-bundle-cuda<ver>.tar.xz (<= 50 MB): that
##                        Caffe, its libraries and the check, for a GPU node with only
##                        a driver and CUDA's runtime libraries (run-gpu-check inside)
.PHONY: env-cuda gpu-check gpu-bundle
# NVIDIA's wheels (pinned in scripts/cuda-wheels.txt) are fetched here, on the
# host, with its trust store and proxy, into WHEELS (a reusable cache), and
# unpacked in the env without pip.  CUDA= : the build runs with in-env's CPU
# Caffe (the CUDA one does not exist yet).
WHEELS ?= $(or $(CAFFE_ENV_DIR),.caffe-env).wheels
env-cuda:
	@test -n "$(CUDA)" || { echo "make env-cuda: say CUDA=11.2 or CUDA=13" >&2; exit 2; }
	python3 scripts/wheels.py fetch "$(CUDA)" "$(WHEELS)"
	CUDA= CAFFE_ENV=debian WHEELS="$(abspath $(WHEELS))" ENV_BIND="$(strip $(ENV_BIND) $(abspath $(WHEELS)))" \
	    $(IN_ENV) scripts/build-cuda-caffe $(CUDA)

# GPU is the training targets' "0" unless given: the check uses every GPU.
gpu-check: env
	$(PY) scripts/gpu_check.py $(if $(filter command line environment,$(origin GPU)),--gpu $(GPU))

gpu-bundle: env
	@test -n "$(CUDA)" || { echo "make gpu-bundle: say CUDA=11.2 or CUDA=13" >&2; exit 2; }
	CUDA= CAFFE_ENV=debian $(IN_ENV) scripts/gpu-bundle $(CUDA) dist
### END gpu
