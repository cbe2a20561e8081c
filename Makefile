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
	@scripts/env/build-env
	@# CUDA=<ver>: also build that CUDA Caffe (scripts/env/build-cuda-caffe; section gpu below)
	$(if $(CUDA),@$(MAKE) --no-print-directory env-cuda)

test: env
	$(IN_ENV) python3 -m pytest -q -ra tests

.PHONY: test-fast
test-fast: env
	$(IN_ENV) python3 -m pytest -q -ra -m 'not slow' tests

##   make bench-env       CaffeNet forward+backward: OpenBLAS vs reference BLAS
.PHONY: bench-env
bench-env: env
	$(PY) scripts/bench/bench_env.py

### BEGIN lists-data (ImageNet -> warped 256x256 LMDBs and means)
##
## ImageNet -> whole lists, warped 256x256 LMDBs and the mean (docs/imagenet.md)
##   make lists IMAGENET=<dir> [TRAIN_LIST=train.txt] [VAL_LIST=val.txt] [SYNSETS=file] [VERIFY=0]
##                        $(DATA)/whole_{train,valid}/files.txt and $(DATA)/synsets.txt;
##                        <dir> holds the official archives (ILSVRC2012_img_{train,val}.tar,
##                        read in place, md5-checked once unless VERIFY=0), Kaggle's
##                        ILSVRC/Data/CLS-LOC layout, or an extracted train/<wnid>/ tree
##                        (train: TRAIN_LIST verbatim, else <dir>'s images; val: VAL_LIST,
##                        else Kaggle's LOC_val_solution.csv or the devkit, else ilsvrc12/val.txt)
##   make data IMAGENET=<dir> [FORCE=1] [SKIP_BAD=1] [RESIZE=256] [NUM_CLASSES=1000]
##                        disk space check (~258 GB), then whole_train and whole_valid LMDBs
##                        (resumable: rerun after a kill or a full disk; one writer per DB)
##                        and whole_train's mean; whole_train is written --shuffle'd (Caffe's
##                        Data layer never shuffles) with the warp tool's fixed seed 1701,
##                        recorded in its lmdb/complete.json; whole_valid in list order
##   make verify-data IMAGENET=<dir>  check both LMDBs against their lists (keys, labels,
##                        counts, shapes, 5 datums re-made from their images)
##   make bench-data [IMAGES=1000] [SOURCE=archive]  warp_imageset vs convert_imageset vs
##                        the ceiling; SOURCE=archive: reading a tar in place vs a tree
.PHONY: lists data verify-data bench-data
# Inputs outside the checkout the env must see, read-only: ImageNet and the
# user's lists (in-env itself binds wherever DATA, ROOT and data/ resolve to).
LD_BIND_RO = $(strip $(IMAGENET) $(if $(TRAIN_LIST),$(dir $(abspath $(TRAIN_LIST)))) \
          $(if $(VAL_LIST),$(dir $(abspath $(VAL_LIST)))) $(if $(SYNSETS),$(dir $(abspath $(SYNSETS)))))
LD_PY = ENV_BIND="$(ENV_BIND)" ENV_BIND_RO="$(LD_BIND_RO)" $(PY)
# The warp size (the paper's 256; make demo: the tiny profile's) and the class count.
RESIZE ?= 256
NUM_CLASSES ?= 1000
WARP_FLAGS = --resize_height=$(RESIZE) --resize_width=$(RESIZE) --num-classes=$(NUM_CLASSES) \
             $(if $(filter 1 yes true,$(SKIP_BAD)),--skip-bad)
WHOLE_TRAIN = $(DATA)/whole_train
# Where make lists found a set's images (a directory or an archive index);
# for lists made from TRAIN_LIST alone: IMAGENET's extracted <tree subfolder>.
image_root = $$(cat $(DATA)/$(1)/image_root.txt 2>/dev/null || echo $(if $(IMAGENET),$(IMAGENET)/$(2)/))
# $(call warp_set,<set>,<tree subfolder>,<flags>): one whole set's LMDB
warp_set = $(LD_PY) data_prep/warp_imageset.py $(WARP_FLAGS) $(3) $(call image_root,$(1),$(2)) \
           $(DATA)/$(1)/files.txt $(DATA)/$(1)/lmdb
verify_set = r=$(call image_root,$(1),$(2)); \
           $(LD_PY) data_prep/verify_db.py $(DATA)/$(1)/lmdb $(DATA)/$(1)/files.txt $${r:+--root $$r}

lists:
	@test -n "$(IMAGENET)$(TRAIN_LIST)" || { echo "make lists: set IMAGENET=<ImageNet: the official archives, Kaggle's layout or a train/<wnid>/ tree> or TRAIN_LIST=<Caffe train.txt>" >&2; exit 2; }
	@mkdir -p $(DATA)
	$(LD_PY) data_prep/make_lists.py --data $(DATA) $(if $(IMAGENET),--imagenet $(IMAGENET)) \
	    $(if $(TRAIN_LIST),--train-list $(TRAIN_LIST)) $(if $(VAL_LIST),--val-list $(VAL_LIST)) \
	    $(if $(SYNSETS),--synsets $(SYNSETS)) $(if $(filter 0 no false,$(VERIFY)),--no-verify)

data:
	@test -n "$(IMAGENET)" || { echo "make data: set IMAGENET=<the ImageNet folder given to make lists>" >&2; exit 2; }
	@test -f $(WHOLE_TRAIN)/files.txt || { echo "make data: no $(WHOLE_TRAIN)/files.txt: run 'make lists IMAGENET=$(IMAGENET)' first" >&2; exit 2; }
	$(LD_PY) data_prep/disk_space.py --data $(DATA) --resize $(RESIZE) \
	    $(if $(filter 1 yes true,$(FORCE)),--force)
	$(call warp_set,whole_valid,val,)
	$(call warp_set,whole_train,train,--shuffle)
	@m=$(WHOLE_TRAIN)/mean.binaryproto; \
	if [ -f $$m ] && [ $$m -nt $(WHOLE_TRAIN)/lmdb/complete.json ]; then \
	    echo "$$m is up to date"; \
	else \
	    echo $(LD_PY) data_prep/compute_mean.py $(WHOLE_TRAIN)/lmdb $$m; \
	    $(LD_PY) data_prep/compute_mean.py $(WHOLE_TRAIN)/lmdb $$m; \
	fi

verify-data:
	$(call verify_set,whole_valid,val)
	$(call verify_set,whole_train,train)

bench-data:
	$(LD_PY) scripts/bench/bench_data.py $(if $(IMAGES),--images $(IMAGES)) \
	    $(if $(SOURCE),--source $(SOURCE))
### END lists-data

### BEGIN splits-derived (the study's datasets)
##
## Derived datasets (random halves, natural/man-made halves, reduced sets)
##   make splits          write every derived list from $(DATA)/whole_*/files.txt
##                        (TRAIN_LIST=, VAL_LIST=, SYNSETS= override the inputs;
##                        VALID_ONLY=1 without a training list; SEEDS= a subset of the
##                        catalog's seeds; NUM_CLASSES=1000 by default); the datasets are
##                        experiments.yaml's (datasets:); prints the WordNet
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
	$(PY) scripts/bench/bench_derived.py
### END splits-derived

### BEGIN prototxts (experiment catalog -> net and solver prototxts)
##
## Networks (experiments.yaml -> prototxt/<name>/*.prototxt, solvers/<name>.prototxt)
##   make prototxts       regenerate the 170 nets and solvers (keeps files you edited; FORCE=1 overwrites)
##   make check-prototxts list every file that differs from the catalog, with a diff: edits that
##                        parse exit 0 (STRICT=1: exit 1 on any difference, for a fork's CI);
##                        a file Caffe cannot read is an error with file:line (exit 1)
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
	$(PY) scripts/make_prototxts.py $(PROTOTXT_OPTS) --check \
	    $(if $(filter 1 yes true,$(STRICT)),--strict) $(EXPERIMENTS)

list-experiments:
	@$(PY) scripts/make_prototxts.py $(PROTOTXT_OPTS) --list $(EXPERIMENTS)

### END prototxts

### BEGIN training (a target per network and group, status, cost)
##
## Training (one target per network and per group of experiments.yaml, see
## experiments.mk; make is the one scheduler: make demo runs these targets too)
##   make NAME            train one network, e.g. make half0A, make transfer0A0B_1_3;
##                        resumes from its newest snapshot, does nothing when done,
##                        trains a transfer net's base first (make -j4 runs blocks in parallel).
##                        The solver Caffe reads decides: raise its max_iter and make NAME
##                        trains on; lower it and the network is done at the first snapshot
##                        at or past it; a solver or net that does not parse stops it (file:line);
##                        docs/training.md.  A misspelt name: make names the nearest ones
##   make base halves natman reduced transfers transfers-frozen transfers-ft
##        transfers-natman random-filters all-networks     every network of a group
##   make -n NAME         show the exact Caffe command
##   make -j4 transfers GPU=0,1,2,3   four networks at once, each alone on its GPU:
##                        a run takes a free GPU of the pool GPU= (a lock held until
##                        Caffe exits or is killed) and waits while none is free;
##                        GPUS_PER_NET=2 gives each run two (batch split, effective
##                        batch kept); NETS_PER_GPU=2 lets two runs share each GPU
##                        (docs/gpu.md).  No usable GPU: the run stops before Caffe
##                        starts, saying why; SOLVER_MODE=CPU trains on the CPU
##   KEEP_SNAPSHOTS=final|every:N|all  snapshots kept (default final: the final pair,
##                        and the newest complete pair while unfinished)
##   make status          one line per network: state, iteration, accuracy, ETA, resumes
##                        (states: not started, running, interrupted, failed, done, broken
##                        -- the same train.py, make results and make submit go by)
##   make cost            dependency blocks, network count, GPU-days, snapshot and dataset disk
##                        [NETWORKS="names or groups"] [SEC_PER_ITER=S|results/gpu-check.csv]
##                        (default: the paper's K20; the CSV: what make gpu-check measured)
##                        [KEEP_SNAPSHOTS=final|every:N|all]  (make plan: the same)
##   make experiments-mk  regenerate experiments.mk after editing experiments.yaml
##   Options: PROFILE=paper|tiny  ROOT=DIR (tiny needs its own, e.g. ROOT=demo)
##            GPU=0|0,1,2,3|all  GPUS_PER_NET=1|2  NETS_PER_GPU=1|2  SOLVER_MODE=CPU  ITER_SIZE=2
##            CATALOG=FILE
PROFILE ?= paper
ROOT ?= .
ifeq ($(strip $(ROOT)),)
ROOT := .
endif
GPU ?=
GPUS_PER_NET ?= 1
NETS_PER_GPU ?= 1
KEEP_SNAPSHOTS ?=
SOLVER_MODE ?=
ITER_SIZE ?= 1
CATALOG ?=
NETWORKS ?=
SEC_PER_ITER ?=
EXPERIMENTS_MK ?= experiments.mk
TRAIN_OPTS = $(strip --root $(ROOT) --profile $(PROFILE) $(if $(GPU),--gpu $(GPU)) \
	--gpus-per-net $(GPUS_PER_NET) $(if $(filter-out 1,$(NETS_PER_GPU)),--nets-per-gpu $(NETS_PER_GPU)) \
	--iter-size $(ITER_SIZE) \
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
	@$(PY) scripts/cost.py --root $(ROOT) --profile $(PROFILE) $(if $(SEC_PER_ITER),--sec-per-iter $(SEC_PER_ITER)) \
		$(if $(KEEP_SNAPSHOTS),--keep-snapshots $(KEEP_SNAPSHOTS)) \
		$(if $(CATALOG),--catalog $(CATALOG)) $(NETWORKS)

# the name the README and older notes use
plan: cost

experiments-mk:
	$(PY) scripts/make_experiments_mk.py $(if $(CATALOG),--catalog $(CATALOG)) --out $(EXPERIMENTS_MK)

include $(EXPERIMENTS_MK)

# Any goal no rule makes (a misspelt network): ask the catalog for the nearest
# names.  '+': also under make -n.
.DEFAULT:
	+@$(PY) scripts/make_prototxts.py --no-such-target '$@' $(if $(CATALOG),--catalog $(CATALOG))
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
##                        KEEP_SNAPSHOTS=, NETS_PER_GPU=2 (a job trains two networks
##                        at once on its GPU); a job without a usable GPU fails (not
##                        requeued), saying why in results/NAME/NAME.slurm-ID.out
.PHONY: submit
# Nothing extra: in-env binds what ROOT and ROOT/data resolve to itself.
SUBMIT_BIND = $(ENV_BIND)
SUBMIT_OPTS = $(strip $(if $(PROFILE),--profile $(PROFILE)) $(if $(ROOT),--root $(ROOT)) \
	$(if $(PARTITION),--partition $(PARTITION)) $(if $(ACCOUNT),--account $(ACCOUNT)) \
	$(if $(TIME_LIMIT),--time-limit $(TIME_LIMIT)) $(if $(GPUS),--gpus $(GPUS)) \
	$(if $(KEEP_SNAPSHOTS),--keep-snapshots $(KEEP_SNAPSHOTS)) \
	$(if $(filter command line environment,$(origin NETS_PER_GPU)),--nets-per-gpu $(NETS_PER_GPU)) \
	$(if $(CATALOG),--catalog $(CATALOG)) $(if $(filter-out 0,$(DRY_RUN)),--dry-run))
submit:
	@test -n "$(NETWORKS)" || { echo 'make submit: say which networks, e.g. make submit NETWORKS=halves' >&2; exit 2; }
	ENV_BIND="$(SUBMIT_BIND)" $(PY) scripts/submit.py $(NETWORKS) $(SUBMIT_OPTS)
### END slurm

### BEGIN results (logs -> tables and figures)
##
## Results (docs/results.md)
##   make results [RESULTS=results] [OUT=dir]
##                        logs of $(RESULTS)/<network>/ -> summary.csv, table_s1.{csv,md},
##                        figure_2, figure_3, figure_s1 (.png, .pdf, and the plotted
##                        values as .csv), scorecard.{md,csv,png} (each network against
##                        the original study's run, reference/original_2014.csv),
##                        curves/ (into OUT, default $(RESULTS)); works on partial results;
##                        the captions name PROFILE and DATA's class count when they are
##                        not the paper's; a killed run's temp files are removed first
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
	$(PY) scripts/results.py --results $(RESULTS) $(if $(OUT),--out $(OUT)) \
	    --profile $(PROFILE) --data $(DATA)

results-2014:
	$(NEED_ORIGINAL)
	$(ORIGINAL_PY) scripts/results.py --original $(ORIGINAL) --out $(RESULTS)/original-2014

reference-2014:
	$(NEED_ORIGINAL)
	$(ORIGINAL_PY) scripts/results.py --original $(ORIGINAL) --out $(RESULTS)/original-2014 \
	    --no-curves --write-reference reference/original_2014.csv

bench-logparse:
	$(NEED_ORIGINAL)
	$(ORIGINAL_PY) scripts/bench/bench_logparse.py \
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

### BEGIN gpu (CUDA builds of Caffe, Caffe's tests, the GPU check, the GPU bundle)
##
## GPU (docs/gpu.md)
##   make env CUDA=11.2   + Caffe built with CUDA 11.2 at /opt/caffe-cuda-11.2 in the env
##                        (NVIDIA's wheels fetched on the host, sha256-pinned in
##                        scripts/env/cuda-wheels.txt, kept in WHEELS=DIR, default .caffe-env.wheels):
##                        SASS sm_35 (K20) ... sm_86, PTX for newer GPUs (H100/H200);
##                        CUDA=13: sm_75 ... sm_121 native.  Resumable; ~30-60 min on 2 cores.
##                        GPU_ARCH=90: one architecture only, /opt/caffe-cuda-13-sm90
##   make caffe-tests [CUDA=11.2|13|13-sm90]  Caffe's own gtest suite for CaffeNet's layers
##                        and solvers, built against the CPU build and each CUDA build
##                        present (CPU mode; a missing one is skipped, saying how to build
##                        it); prints the counts passed.  ~1-4 min per build
##   make gpu-check [CUDA=11.2|13] [GPU=0,1] [DRY_RUN=1]  on a GPU machine, <= ~8 min:
##                        device, Caffe's GPU tests, CaffeNet time vs the paper's K20,
##                        1/2/4 networks training at once (s/iteration, GPU memory), the
##                        study's projected GPU-days, loss, tiny GPU vs CPU; the table also
##                        in $(RESULTS)/gpu-check.csv (make cost SEC_PER_ITER=<that file>);
##                        "no GPU: <reason>" and exit 1 without a usable GPU
##   make gpu-bundle CUDA=11.2|13 [GPU_ARCH=90]  dist/caffe-gpu-bundle-cuda<ver>.tar.xz
##                        (<= 50 MB): that Caffe, its tests, its libraries and the check,
##                        for a GPU node with only a driver and CUDA's runtime libraries
##                        (run-gpu-check inside)
.PHONY: env-cuda caffe-tests gpu-check gpu-bundle
GPU_ARCH ?=
# NVIDIA's wheels (pinned in scripts/env/cuda-wheels.txt) are fetched here, on the
# host, with its trust store and proxy, into WHEELS (a reusable cache), and
# unpacked in the env without pip.  CUDA= : these run with in-env's CPU Caffe
# (the CUDA one may not exist yet).
WHEELS ?= $(or $(CAFFE_ENV_DIR),.caffe-env).wheels
env-cuda:
	@test -n "$(CUDA)" || { echo "make env-cuda: say CUDA=11.2 or CUDA=13" >&2; exit 2; }
	python3 scripts/env/wheels.py fetch "$(CUDA)" "$(WHEELS)"
	CUDA= GPU_ARCH=$(GPU_ARCH) CAFFE_ENV=debian WHEELS="$(abspath $(WHEELS))" \
	    ENV_BIND="$(strip $(ENV_BIND) $(abspath $(WHEELS)))" \
	    $(IN_ENV) scripts/env/build-cuda-caffe $(CUDA)

# The env without CUDA=: a CUDA build that is missing is skipped, not built (45 min).
caffe-tests:
	@$(MAKE) --no-print-directory env CUDA=
	CUDA= CAFFE_ENV=debian $(IN_ENV) scripts/gpu/caffe-tests $(if $(CUDA),$(CUDA),cpu 11.2 13)

# GPU is the training targets' "0" unless given: the check uses every GPU.
gpu-check: env
	@mkdir -p $(RESULTS)
	$(PY) scripts/gpu/gpu_check.py --csv $(RESULTS)/gpu-check.csv \
	    $(if $(filter command line environment,$(origin GPU)),--gpu $(GPU)) \
	    $(if $(filter-out 0,$(DRY_RUN)),--dry-run)

gpu-bundle: env
	@test -n "$(CUDA)" || { echo "make gpu-bundle: say CUDA=11.2 or CUDA=13" >&2; exit 2; }
	CUDA= GPU_ARCH=$(GPU_ARCH) CAFFE_ENV=debian $(IN_ENV) scripts/gpu/gpu-bundle $(CUDA) dist
### END gpu
