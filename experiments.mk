# One make target per network of experiments.yaml -- GENERATED, do not edit.
# Regenerate with `make experiments-mk` (scripts/make_experiments_mk.py) after
# changing the catalog; a test checks that this file matches it.
#
# Included by the Makefile's training section, which defines PROFILE, ROOT,
# TRAIN (scripts/train.py with its options) and TRAIN_SHOW (the exact Caffe
# command, shown by `make -n`).  A network's target is phony: its recipe,
# scripts/train.py, asks runstate whether the network is done, from the
# solver Caffe reads as it is now (max_iter, snapshot prefix and interval
# edited by hand count) and the run's results directory; it does nothing
# when done, resumes when not, and stops on a solver that does not parse.
# A transfer network needs its base, so `make -j4 transfer0A0B_1_3` trains
# half0A first: make is the one scheduler (make demo runs these targets
# too).  Every group of the catalog is a target.

PROFILES := paper tiny
ifeq ($(filter $(PROFILE),$(PROFILES)),)
$(error PROFILE=$(PROFILE) is not a profile of experiments.yaml (paper, tiny))
endif

NETWORK_NAMES := netbase half0A half0B half1A half1B half2A half2B half3A half3B halfnatmanA halfnatmanB reduced-0001 reduced-0002 reduced-0005 reduced-0010 reduced-0025 reduced-0050 reduced-0100 reduced-0250 reduced-0500 reduced-0750 reduced-1000 reduced-1300 transfer0A0A_1_1 transfer0A0A_1_2 transfer0A0A_1_3 transfer0A0A_1_4 transfer0A0A_1_5 transfer0A0A_1_6 transfer0A0A_1_7 transfer0A0B_1_1 transfer0A0B_1_2 transfer0A0B_1_3 transfer0A0B_1_4 transfer0A0B_1_5 transfer0A0B_1_6 transfer0A0B_1_7 transfer0B0A_1_1 transfer0B0A_1_2 transfer0B0A_1_3 transfer0B0A_1_4 transfer0B0A_1_5 transfer0B0A_1_6 transfer0B0A_1_7 transfer1A1A_1_1 transfer1A1A_1_2 transfer1A1A_1_3 transfer1A1A_1_4 transfer1A1A_1_5 transfer1A1A_1_6 transfer1A1A_1_7 transfer1A1B_1_1 transfer1A1B_1_2 transfer1A1B_1_3 transfer1A1B_1_4 transfer1A1B_1_5 transfer1A1B_1_6 transfer1A1B_1_7 transfer1B1A_1_1 transfer1B1A_1_2 transfer1B1A_1_3 transfer1B1A_1_4 transfer1B1A_1_5 transfer1B1A_1_6 transfer1B1A_1_7 transfer2A2A_1_1 transfer2A2A_1_2 transfer2A2A_1_3 transfer2A2A_1_4 transfer2A2A_1_5 transfer2A2A_1_6 transfer2A2A_1_7 transfer2A2B_1_1 transfer2A2B_1_2 transfer2A2B_1_3 transfer2A2B_1_4 transfer2A2B_1_5 transfer2A2B_1_6 transfer2A2B_1_7 transfer2B2A_1_1 transfer2B2A_1_2 transfer2B2A_1_3 transfer2B2A_1_4 transfer2B2A_1_5 transfer2B2A_1_6 transfer2B2A_1_7 transfer3A3A_1_1 transfer3A3A_1_2 transfer3A3A_1_3 transfer3A3A_1_4 transfer3A3A_1_5 transfer3A3A_1_6 transfer3A3A_1_7 transfer3A3B_1_1 transfer3A3B_1_2 transfer3A3B_1_3 transfer3A3B_1_4 transfer3A3B_1_5 transfer3A3B_1_6 transfer3A3B_1_7 transfer3B3A_1_1 transfer3B3A_1_2 transfer3B3A_1_3 transfer3B3A_1_4 transfer3B3A_1_5 transfer3B3A_1_6 transfer3B3A_1_7 transfer-ft0A0A_1_1 transfer-ft0A0A_1_2 transfer-ft0A0A_1_3 transfer-ft0A0A_1_4 transfer-ft0A0A_1_5 transfer-ft0A0A_1_6 transfer-ft0A0A_1_7 transfer-ft0A0B_1_1 transfer-ft0A0B_1_2 transfer-ft0A0B_1_3 transfer-ft0A0B_1_4 transfer-ft0A0B_1_5 transfer-ft0A0B_1_6 transfer-ft0A0B_1_7 transfer-ft0B0A_1_1 transfer-ft0B0A_1_2 transfer-ft0B0A_1_3 transfer-ft0B0A_1_4 transfer-ft0B0A_1_5 transfer-ft0B0A_1_6 transfer-ft0B0A_1_7 transfer-ft1A1A_1_1 transfer-ft1A1A_1_2 transfer-ft1A1A_1_3 transfer-ft1A1A_1_4 transfer-ft1A1A_1_5 transfer-ft1A1A_1_6 transfer-ft1A1A_1_7 transfer-ft1A1B_1_1 transfer-ft1A1B_1_2 transfer-ft1A1B_1_3 transfer-ft1A1B_1_4 transfer-ft1A1B_1_5 transfer-ft1A1B_1_6 transfer-ft1A1B_1_7 transfer-ft1B1A_1_1 transfer-ft1B1A_1_2 transfer-ft1B1A_1_3 transfer-ft1B1A_1_4 transfer-ft1B1A_1_5 transfer-ft1B1A_1_6 transfer-ft1B1A_1_7 transfernatmanAB_1_1 transfernatmanAB_1_2 transfernatmanAB_1_3 transfernatmanAB_1_4 transfernatmanAB_1_5 transfernatmanAB_1_6 transfernatmanAB_1_7 transfernatmanBA_1_1 transfernatmanBA_1_2 transfernatmanBA_1_3 transfernatmanBA_1_4 transfernatmanBA_1_5 transfernatmanBA_1_6 transfernatmanBA_1_7 nolearn_1_1 nolearn_1_2 nolearn_1_3 nolearn_1_4 nolearn_1_5 nolearn_1_6 nolearn_1_7

# group targets
GROUP.base := netbase half0A half0B half1A half1B half2A half2B half3A half3B halfnatmanA halfnatmanB
GROUP.reduced := reduced-0001 reduced-0002 reduced-0005 reduced-0010 reduced-0025 reduced-0050 reduced-0100 reduced-0250 reduced-0500 reduced-0750 reduced-1000 reduced-1300
GROUP.transfers := transfer0A0A_1_1 transfer0A0A_1_2 transfer0A0A_1_3 transfer0A0A_1_4 transfer0A0A_1_5 transfer0A0A_1_6 transfer0A0A_1_7 transfer0A0B_1_1 transfer0A0B_1_2 transfer0A0B_1_3 transfer0A0B_1_4 transfer0A0B_1_5 transfer0A0B_1_6 transfer0A0B_1_7 transfer0B0A_1_1 transfer0B0A_1_2 transfer0B0A_1_3 transfer0B0A_1_4 transfer0B0A_1_5 transfer0B0A_1_6 transfer0B0A_1_7 transfer1A1A_1_1 transfer1A1A_1_2 transfer1A1A_1_3 transfer1A1A_1_4 transfer1A1A_1_5 transfer1A1A_1_6 transfer1A1A_1_7 transfer1A1B_1_1 transfer1A1B_1_2 transfer1A1B_1_3 transfer1A1B_1_4 transfer1A1B_1_5 transfer1A1B_1_6 transfer1A1B_1_7 transfer1B1A_1_1 transfer1B1A_1_2 transfer1B1A_1_3 transfer1B1A_1_4 transfer1B1A_1_5 transfer1B1A_1_6 transfer1B1A_1_7 transfer2A2A_1_1 transfer2A2A_1_2 transfer2A2A_1_3 transfer2A2A_1_4 transfer2A2A_1_5 transfer2A2A_1_6 transfer2A2A_1_7 transfer2A2B_1_1 transfer2A2B_1_2 transfer2A2B_1_3 transfer2A2B_1_4 transfer2A2B_1_5 transfer2A2B_1_6 transfer2A2B_1_7 transfer2B2A_1_1 transfer2B2A_1_2 transfer2B2A_1_3 transfer2B2A_1_4 transfer2B2A_1_5 transfer2B2A_1_6 transfer2B2A_1_7 transfer3A3A_1_1 transfer3A3A_1_2 transfer3A3A_1_3 transfer3A3A_1_4 transfer3A3A_1_5 transfer3A3A_1_6 transfer3A3A_1_7 transfer3A3B_1_1 transfer3A3B_1_2 transfer3A3B_1_3 transfer3A3B_1_4 transfer3A3B_1_5 transfer3A3B_1_6 transfer3A3B_1_7 transfer3B3A_1_1 transfer3B3A_1_2 transfer3B3A_1_3 transfer3B3A_1_4 transfer3B3A_1_5 transfer3B3A_1_6 transfer3B3A_1_7 transfer-ft0A0A_1_1 transfer-ft0A0A_1_2 transfer-ft0A0A_1_3 transfer-ft0A0A_1_4 transfer-ft0A0A_1_5 transfer-ft0A0A_1_6 transfer-ft0A0A_1_7 transfer-ft0A0B_1_1 transfer-ft0A0B_1_2 transfer-ft0A0B_1_3 transfer-ft0A0B_1_4 transfer-ft0A0B_1_5 transfer-ft0A0B_1_6 transfer-ft0A0B_1_7 transfer-ft0B0A_1_1 transfer-ft0B0A_1_2 transfer-ft0B0A_1_3 transfer-ft0B0A_1_4 transfer-ft0B0A_1_5 transfer-ft0B0A_1_6 transfer-ft0B0A_1_7 transfer-ft1A1A_1_1 transfer-ft1A1A_1_2 transfer-ft1A1A_1_3 transfer-ft1A1A_1_4 transfer-ft1A1A_1_5 transfer-ft1A1A_1_6 transfer-ft1A1A_1_7 transfer-ft1A1B_1_1 transfer-ft1A1B_1_2 transfer-ft1A1B_1_3 transfer-ft1A1B_1_4 transfer-ft1A1B_1_5 transfer-ft1A1B_1_6 transfer-ft1A1B_1_7 transfer-ft1B1A_1_1 transfer-ft1B1A_1_2 transfer-ft1B1A_1_3 transfer-ft1B1A_1_4 transfer-ft1B1A_1_5 transfer-ft1B1A_1_6 transfer-ft1B1A_1_7 transfernatmanAB_1_1 transfernatmanAB_1_2 transfernatmanAB_1_3 transfernatmanAB_1_4 transfernatmanAB_1_5 transfernatmanAB_1_6 transfernatmanAB_1_7 transfernatmanBA_1_1 transfernatmanBA_1_2 transfernatmanBA_1_3 transfernatmanBA_1_4 transfernatmanBA_1_5 transfernatmanBA_1_6 transfernatmanBA_1_7
GROUP.random-filters := nolearn_1_1 nolearn_1_2 nolearn_1_3 nolearn_1_4 nolearn_1_5 nolearn_1_6 nolearn_1_7
GROUP.halves := half0A half0B half1A half1B half2A half2B half3A half3B
GROUP.natman := halfnatmanA halfnatmanB
GROUP.transfers-frozen := transfer0A0A_1_1 transfer0A0A_1_2 transfer0A0A_1_3 transfer0A0A_1_4 transfer0A0A_1_5 transfer0A0A_1_6 transfer0A0A_1_7 transfer0A0B_1_1 transfer0A0B_1_2 transfer0A0B_1_3 transfer0A0B_1_4 transfer0A0B_1_5 transfer0A0B_1_6 transfer0A0B_1_7 transfer0B0A_1_1 transfer0B0A_1_2 transfer0B0A_1_3 transfer0B0A_1_4 transfer0B0A_1_5 transfer0B0A_1_6 transfer0B0A_1_7 transfer1A1A_1_1 transfer1A1A_1_2 transfer1A1A_1_3 transfer1A1A_1_4 transfer1A1A_1_5 transfer1A1A_1_6 transfer1A1A_1_7 transfer1A1B_1_1 transfer1A1B_1_2 transfer1A1B_1_3 transfer1A1B_1_4 transfer1A1B_1_5 transfer1A1B_1_6 transfer1A1B_1_7 transfer1B1A_1_1 transfer1B1A_1_2 transfer1B1A_1_3 transfer1B1A_1_4 transfer1B1A_1_5 transfer1B1A_1_6 transfer1B1A_1_7 transfer2A2A_1_1 transfer2A2A_1_2 transfer2A2A_1_3 transfer2A2A_1_4 transfer2A2A_1_5 transfer2A2A_1_6 transfer2A2A_1_7 transfer2A2B_1_1 transfer2A2B_1_2 transfer2A2B_1_3 transfer2A2B_1_4 transfer2A2B_1_5 transfer2A2B_1_6 transfer2A2B_1_7 transfer2B2A_1_1 transfer2B2A_1_2 transfer2B2A_1_3 transfer2B2A_1_4 transfer2B2A_1_5 transfer2B2A_1_6 transfer2B2A_1_7 transfer3A3A_1_1 transfer3A3A_1_2 transfer3A3A_1_3 transfer3A3A_1_4 transfer3A3A_1_5 transfer3A3A_1_6 transfer3A3A_1_7 transfer3A3B_1_1 transfer3A3B_1_2 transfer3A3B_1_3 transfer3A3B_1_4 transfer3A3B_1_5 transfer3A3B_1_6 transfer3A3B_1_7 transfer3B3A_1_1 transfer3B3A_1_2 transfer3B3A_1_3 transfer3B3A_1_4 transfer3B3A_1_5 transfer3B3A_1_6 transfer3B3A_1_7
GROUP.transfers-ft := transfer-ft0A0A_1_1 transfer-ft0A0A_1_2 transfer-ft0A0A_1_3 transfer-ft0A0A_1_4 transfer-ft0A0A_1_5 transfer-ft0A0A_1_6 transfer-ft0A0A_1_7 transfer-ft0A0B_1_1 transfer-ft0A0B_1_2 transfer-ft0A0B_1_3 transfer-ft0A0B_1_4 transfer-ft0A0B_1_5 transfer-ft0A0B_1_6 transfer-ft0A0B_1_7 transfer-ft0B0A_1_1 transfer-ft0B0A_1_2 transfer-ft0B0A_1_3 transfer-ft0B0A_1_4 transfer-ft0B0A_1_5 transfer-ft0B0A_1_6 transfer-ft0B0A_1_7 transfer-ft1A1A_1_1 transfer-ft1A1A_1_2 transfer-ft1A1A_1_3 transfer-ft1A1A_1_4 transfer-ft1A1A_1_5 transfer-ft1A1A_1_6 transfer-ft1A1A_1_7 transfer-ft1A1B_1_1 transfer-ft1A1B_1_2 transfer-ft1A1B_1_3 transfer-ft1A1B_1_4 transfer-ft1A1B_1_5 transfer-ft1A1B_1_6 transfer-ft1A1B_1_7 transfer-ft1B1A_1_1 transfer-ft1B1A_1_2 transfer-ft1B1A_1_3 transfer-ft1B1A_1_4 transfer-ft1B1A_1_5 transfer-ft1B1A_1_6 transfer-ft1B1A_1_7
GROUP.transfers-natman := transfernatmanAB_1_1 transfernatmanAB_1_2 transfernatmanAB_1_3 transfernatmanAB_1_4 transfernatmanAB_1_5 transfernatmanAB_1_6 transfernatmanAB_1_7 transfernatmanBA_1_1 transfernatmanBA_1_2 transfernatmanBA_1_3 transfernatmanBA_1_4 transfernatmanBA_1_5 transfernatmanBA_1_6 transfernatmanBA_1_7
GROUP.all-networks := netbase half0A half0B half1A half1B half2A half2B half3A half3B halfnatmanA halfnatmanB reduced-0001 reduced-0002 reduced-0005 reduced-0010 reduced-0025 reduced-0050 reduced-0100 reduced-0250 reduced-0500 reduced-0750 reduced-1000 reduced-1300 transfer0A0A_1_1 transfer0A0A_1_2 transfer0A0A_1_3 transfer0A0A_1_4 transfer0A0A_1_5 transfer0A0A_1_6 transfer0A0A_1_7 transfer0A0B_1_1 transfer0A0B_1_2 transfer0A0B_1_3 transfer0A0B_1_4 transfer0A0B_1_5 transfer0A0B_1_6 transfer0A0B_1_7 transfer0B0A_1_1 transfer0B0A_1_2 transfer0B0A_1_3 transfer0B0A_1_4 transfer0B0A_1_5 transfer0B0A_1_6 transfer0B0A_1_7 transfer1A1A_1_1 transfer1A1A_1_2 transfer1A1A_1_3 transfer1A1A_1_4 transfer1A1A_1_5 transfer1A1A_1_6 transfer1A1A_1_7 transfer1A1B_1_1 transfer1A1B_1_2 transfer1A1B_1_3 transfer1A1B_1_4 transfer1A1B_1_5 transfer1A1B_1_6 transfer1A1B_1_7 transfer1B1A_1_1 transfer1B1A_1_2 transfer1B1A_1_3 transfer1B1A_1_4 transfer1B1A_1_5 transfer1B1A_1_6 transfer1B1A_1_7 transfer2A2A_1_1 transfer2A2A_1_2 transfer2A2A_1_3 transfer2A2A_1_4 transfer2A2A_1_5 transfer2A2A_1_6 transfer2A2A_1_7 transfer2A2B_1_1 transfer2A2B_1_2 transfer2A2B_1_3 transfer2A2B_1_4 transfer2A2B_1_5 transfer2A2B_1_6 transfer2A2B_1_7 transfer2B2A_1_1 transfer2B2A_1_2 transfer2B2A_1_3 transfer2B2A_1_4 transfer2B2A_1_5 transfer2B2A_1_6 transfer2B2A_1_7 transfer3A3A_1_1 transfer3A3A_1_2 transfer3A3A_1_3 transfer3A3A_1_4 transfer3A3A_1_5 transfer3A3A_1_6 transfer3A3A_1_7 transfer3A3B_1_1 transfer3A3B_1_2 transfer3A3B_1_3 transfer3A3B_1_4 transfer3A3B_1_5 transfer3A3B_1_6 transfer3A3B_1_7 transfer3B3A_1_1 transfer3B3A_1_2 transfer3B3A_1_3 transfer3B3A_1_4 transfer3B3A_1_5 transfer3B3A_1_6 transfer3B3A_1_7 transfer-ft0A0A_1_1 transfer-ft0A0A_1_2 transfer-ft0A0A_1_3 transfer-ft0A0A_1_4 transfer-ft0A0A_1_5 transfer-ft0A0A_1_6 transfer-ft0A0A_1_7 transfer-ft0A0B_1_1 transfer-ft0A0B_1_2 transfer-ft0A0B_1_3 transfer-ft0A0B_1_4 transfer-ft0A0B_1_5 transfer-ft0A0B_1_6 transfer-ft0A0B_1_7 transfer-ft0B0A_1_1 transfer-ft0B0A_1_2 transfer-ft0B0A_1_3 transfer-ft0B0A_1_4 transfer-ft0B0A_1_5 transfer-ft0B0A_1_6 transfer-ft0B0A_1_7 transfer-ft1A1A_1_1 transfer-ft1A1A_1_2 transfer-ft1A1A_1_3 transfer-ft1A1A_1_4 transfer-ft1A1A_1_5 transfer-ft1A1A_1_6 transfer-ft1A1A_1_7 transfer-ft1A1B_1_1 transfer-ft1A1B_1_2 transfer-ft1A1B_1_3 transfer-ft1A1B_1_4 transfer-ft1A1B_1_5 transfer-ft1A1B_1_6 transfer-ft1A1B_1_7 transfer-ft1B1A_1_1 transfer-ft1B1A_1_2 transfer-ft1B1A_1_3 transfer-ft1B1A_1_4 transfer-ft1B1A_1_5 transfer-ft1B1A_1_6 transfer-ft1B1A_1_7 transfernatmanAB_1_1 transfernatmanAB_1_2 transfernatmanAB_1_3 transfernatmanAB_1_4 transfernatmanAB_1_5 transfernatmanAB_1_6 transfernatmanAB_1_7 transfernatmanBA_1_1 transfernatmanBA_1_2 transfernatmanBA_1_3 transfernatmanBA_1_4 transfernatmanBA_1_5 transfernatmanBA_1_6 transfernatmanBA_1_7 nolearn_1_1 nolearn_1_2 nolearn_1_3 nolearn_1_4 nolearn_1_5 nolearn_1_6 nolearn_1_7

.PHONY: $(NETWORK_NAMES) base reduced transfers random-filters halves natman transfers-frozen transfers-ft transfers-natman all-networks
base: $(GROUP.base)
reduced: $(GROUP.reduced)
transfers: $(GROUP.transfers)
random-filters: $(GROUP.random-filters)
halves: $(GROUP.halves)
natman: $(GROUP.natman)
transfers-frozen: $(GROUP.transfers-frozen)
transfers-ft: $(GROUP.transfers-ft)
transfers-natman: $(GROUP.transfers-natman)
all-networks: $(GROUP.all-networks)

netbase:
	$(TRAIN_SHOW) netbase
	$(TRAIN) netbase
half0A:
	$(TRAIN_SHOW) half0A
	$(TRAIN) half0A
half0B:
	$(TRAIN_SHOW) half0B
	$(TRAIN) half0B
half1A:
	$(TRAIN_SHOW) half1A
	$(TRAIN) half1A
half1B:
	$(TRAIN_SHOW) half1B
	$(TRAIN) half1B
half2A:
	$(TRAIN_SHOW) half2A
	$(TRAIN) half2A
half2B:
	$(TRAIN_SHOW) half2B
	$(TRAIN) half2B
half3A:
	$(TRAIN_SHOW) half3A
	$(TRAIN) half3A
half3B:
	$(TRAIN_SHOW) half3B
	$(TRAIN) half3B
halfnatmanA:
	$(TRAIN_SHOW) halfnatmanA
	$(TRAIN) halfnatmanA
halfnatmanB:
	$(TRAIN_SHOW) halfnatmanB
	$(TRAIN) halfnatmanB
reduced-0001:
	$(TRAIN_SHOW) reduced-0001
	$(TRAIN) reduced-0001
reduced-0002:
	$(TRAIN_SHOW) reduced-0002
	$(TRAIN) reduced-0002
reduced-0005:
	$(TRAIN_SHOW) reduced-0005
	$(TRAIN) reduced-0005
reduced-0010:
	$(TRAIN_SHOW) reduced-0010
	$(TRAIN) reduced-0010
reduced-0025:
	$(TRAIN_SHOW) reduced-0025
	$(TRAIN) reduced-0025
reduced-0050:
	$(TRAIN_SHOW) reduced-0050
	$(TRAIN) reduced-0050
reduced-0100:
	$(TRAIN_SHOW) reduced-0100
	$(TRAIN) reduced-0100
reduced-0250:
	$(TRAIN_SHOW) reduced-0250
	$(TRAIN) reduced-0250
reduced-0500:
	$(TRAIN_SHOW) reduced-0500
	$(TRAIN) reduced-0500
reduced-0750:
	$(TRAIN_SHOW) reduced-0750
	$(TRAIN) reduced-0750
reduced-1000:
	$(TRAIN_SHOW) reduced-1000
	$(TRAIN) reduced-1000
reduced-1300:
	$(TRAIN_SHOW) reduced-1300
	$(TRAIN) reduced-1300
transfer0A0A_1_1: half0A
	$(TRAIN_SHOW) transfer0A0A_1_1
	$(TRAIN) transfer0A0A_1_1
transfer0A0A_1_2: half0A
	$(TRAIN_SHOW) transfer0A0A_1_2
	$(TRAIN) transfer0A0A_1_2
transfer0A0A_1_3: half0A
	$(TRAIN_SHOW) transfer0A0A_1_3
	$(TRAIN) transfer0A0A_1_3
transfer0A0A_1_4: half0A
	$(TRAIN_SHOW) transfer0A0A_1_4
	$(TRAIN) transfer0A0A_1_4
transfer0A0A_1_5: half0A
	$(TRAIN_SHOW) transfer0A0A_1_5
	$(TRAIN) transfer0A0A_1_5
transfer0A0A_1_6: half0A
	$(TRAIN_SHOW) transfer0A0A_1_6
	$(TRAIN) transfer0A0A_1_6
transfer0A0A_1_7: half0A
	$(TRAIN_SHOW) transfer0A0A_1_7
	$(TRAIN) transfer0A0A_1_7
transfer0A0B_1_1: half0A
	$(TRAIN_SHOW) transfer0A0B_1_1
	$(TRAIN) transfer0A0B_1_1
transfer0A0B_1_2: half0A
	$(TRAIN_SHOW) transfer0A0B_1_2
	$(TRAIN) transfer0A0B_1_2
transfer0A0B_1_3: half0A
	$(TRAIN_SHOW) transfer0A0B_1_3
	$(TRAIN) transfer0A0B_1_3
transfer0A0B_1_4: half0A
	$(TRAIN_SHOW) transfer0A0B_1_4
	$(TRAIN) transfer0A0B_1_4
transfer0A0B_1_5: half0A
	$(TRAIN_SHOW) transfer0A0B_1_5
	$(TRAIN) transfer0A0B_1_5
transfer0A0B_1_6: half0A
	$(TRAIN_SHOW) transfer0A0B_1_6
	$(TRAIN) transfer0A0B_1_6
transfer0A0B_1_7: half0A
	$(TRAIN_SHOW) transfer0A0B_1_7
	$(TRAIN) transfer0A0B_1_7
transfer0B0A_1_1: half0B
	$(TRAIN_SHOW) transfer0B0A_1_1
	$(TRAIN) transfer0B0A_1_1
transfer0B0A_1_2: half0B
	$(TRAIN_SHOW) transfer0B0A_1_2
	$(TRAIN) transfer0B0A_1_2
transfer0B0A_1_3: half0B
	$(TRAIN_SHOW) transfer0B0A_1_3
	$(TRAIN) transfer0B0A_1_3
transfer0B0A_1_4: half0B
	$(TRAIN_SHOW) transfer0B0A_1_4
	$(TRAIN) transfer0B0A_1_4
transfer0B0A_1_5: half0B
	$(TRAIN_SHOW) transfer0B0A_1_5
	$(TRAIN) transfer0B0A_1_5
transfer0B0A_1_6: half0B
	$(TRAIN_SHOW) transfer0B0A_1_6
	$(TRAIN) transfer0B0A_1_6
transfer0B0A_1_7: half0B
	$(TRAIN_SHOW) transfer0B0A_1_7
	$(TRAIN) transfer0B0A_1_7
transfer1A1A_1_1: half1A
	$(TRAIN_SHOW) transfer1A1A_1_1
	$(TRAIN) transfer1A1A_1_1
transfer1A1A_1_2: half1A
	$(TRAIN_SHOW) transfer1A1A_1_2
	$(TRAIN) transfer1A1A_1_2
transfer1A1A_1_3: half1A
	$(TRAIN_SHOW) transfer1A1A_1_3
	$(TRAIN) transfer1A1A_1_3
transfer1A1A_1_4: half1A
	$(TRAIN_SHOW) transfer1A1A_1_4
	$(TRAIN) transfer1A1A_1_4
transfer1A1A_1_5: half1A
	$(TRAIN_SHOW) transfer1A1A_1_5
	$(TRAIN) transfer1A1A_1_5
transfer1A1A_1_6: half1A
	$(TRAIN_SHOW) transfer1A1A_1_6
	$(TRAIN) transfer1A1A_1_6
transfer1A1A_1_7: half1A
	$(TRAIN_SHOW) transfer1A1A_1_7
	$(TRAIN) transfer1A1A_1_7
transfer1A1B_1_1: half1A
	$(TRAIN_SHOW) transfer1A1B_1_1
	$(TRAIN) transfer1A1B_1_1
transfer1A1B_1_2: half1A
	$(TRAIN_SHOW) transfer1A1B_1_2
	$(TRAIN) transfer1A1B_1_2
transfer1A1B_1_3: half1A
	$(TRAIN_SHOW) transfer1A1B_1_3
	$(TRAIN) transfer1A1B_1_3
transfer1A1B_1_4: half1A
	$(TRAIN_SHOW) transfer1A1B_1_4
	$(TRAIN) transfer1A1B_1_4
transfer1A1B_1_5: half1A
	$(TRAIN_SHOW) transfer1A1B_1_5
	$(TRAIN) transfer1A1B_1_5
transfer1A1B_1_6: half1A
	$(TRAIN_SHOW) transfer1A1B_1_6
	$(TRAIN) transfer1A1B_1_6
transfer1A1B_1_7: half1A
	$(TRAIN_SHOW) transfer1A1B_1_7
	$(TRAIN) transfer1A1B_1_7
transfer1B1A_1_1: half1B
	$(TRAIN_SHOW) transfer1B1A_1_1
	$(TRAIN) transfer1B1A_1_1
transfer1B1A_1_2: half1B
	$(TRAIN_SHOW) transfer1B1A_1_2
	$(TRAIN) transfer1B1A_1_2
transfer1B1A_1_3: half1B
	$(TRAIN_SHOW) transfer1B1A_1_3
	$(TRAIN) transfer1B1A_1_3
transfer1B1A_1_4: half1B
	$(TRAIN_SHOW) transfer1B1A_1_4
	$(TRAIN) transfer1B1A_1_4
transfer1B1A_1_5: half1B
	$(TRAIN_SHOW) transfer1B1A_1_5
	$(TRAIN) transfer1B1A_1_5
transfer1B1A_1_6: half1B
	$(TRAIN_SHOW) transfer1B1A_1_6
	$(TRAIN) transfer1B1A_1_6
transfer1B1A_1_7: half1B
	$(TRAIN_SHOW) transfer1B1A_1_7
	$(TRAIN) transfer1B1A_1_7
transfer2A2A_1_1: half2A
	$(TRAIN_SHOW) transfer2A2A_1_1
	$(TRAIN) transfer2A2A_1_1
transfer2A2A_1_2: half2A
	$(TRAIN_SHOW) transfer2A2A_1_2
	$(TRAIN) transfer2A2A_1_2
transfer2A2A_1_3: half2A
	$(TRAIN_SHOW) transfer2A2A_1_3
	$(TRAIN) transfer2A2A_1_3
transfer2A2A_1_4: half2A
	$(TRAIN_SHOW) transfer2A2A_1_4
	$(TRAIN) transfer2A2A_1_4
transfer2A2A_1_5: half2A
	$(TRAIN_SHOW) transfer2A2A_1_5
	$(TRAIN) transfer2A2A_1_5
transfer2A2A_1_6: half2A
	$(TRAIN_SHOW) transfer2A2A_1_6
	$(TRAIN) transfer2A2A_1_6
transfer2A2A_1_7: half2A
	$(TRAIN_SHOW) transfer2A2A_1_7
	$(TRAIN) transfer2A2A_1_7
transfer2A2B_1_1: half2A
	$(TRAIN_SHOW) transfer2A2B_1_1
	$(TRAIN) transfer2A2B_1_1
transfer2A2B_1_2: half2A
	$(TRAIN_SHOW) transfer2A2B_1_2
	$(TRAIN) transfer2A2B_1_2
transfer2A2B_1_3: half2A
	$(TRAIN_SHOW) transfer2A2B_1_3
	$(TRAIN) transfer2A2B_1_3
transfer2A2B_1_4: half2A
	$(TRAIN_SHOW) transfer2A2B_1_4
	$(TRAIN) transfer2A2B_1_4
transfer2A2B_1_5: half2A
	$(TRAIN_SHOW) transfer2A2B_1_5
	$(TRAIN) transfer2A2B_1_5
transfer2A2B_1_6: half2A
	$(TRAIN_SHOW) transfer2A2B_1_6
	$(TRAIN) transfer2A2B_1_6
transfer2A2B_1_7: half2A
	$(TRAIN_SHOW) transfer2A2B_1_7
	$(TRAIN) transfer2A2B_1_7
transfer2B2A_1_1: half2B
	$(TRAIN_SHOW) transfer2B2A_1_1
	$(TRAIN) transfer2B2A_1_1
transfer2B2A_1_2: half2B
	$(TRAIN_SHOW) transfer2B2A_1_2
	$(TRAIN) transfer2B2A_1_2
transfer2B2A_1_3: half2B
	$(TRAIN_SHOW) transfer2B2A_1_3
	$(TRAIN) transfer2B2A_1_3
transfer2B2A_1_4: half2B
	$(TRAIN_SHOW) transfer2B2A_1_4
	$(TRAIN) transfer2B2A_1_4
transfer2B2A_1_5: half2B
	$(TRAIN_SHOW) transfer2B2A_1_5
	$(TRAIN) transfer2B2A_1_5
transfer2B2A_1_6: half2B
	$(TRAIN_SHOW) transfer2B2A_1_6
	$(TRAIN) transfer2B2A_1_6
transfer2B2A_1_7: half2B
	$(TRAIN_SHOW) transfer2B2A_1_7
	$(TRAIN) transfer2B2A_1_7
transfer3A3A_1_1: half3A
	$(TRAIN_SHOW) transfer3A3A_1_1
	$(TRAIN) transfer3A3A_1_1
transfer3A3A_1_2: half3A
	$(TRAIN_SHOW) transfer3A3A_1_2
	$(TRAIN) transfer3A3A_1_2
transfer3A3A_1_3: half3A
	$(TRAIN_SHOW) transfer3A3A_1_3
	$(TRAIN) transfer3A3A_1_3
transfer3A3A_1_4: half3A
	$(TRAIN_SHOW) transfer3A3A_1_4
	$(TRAIN) transfer3A3A_1_4
transfer3A3A_1_5: half3A
	$(TRAIN_SHOW) transfer3A3A_1_5
	$(TRAIN) transfer3A3A_1_5
transfer3A3A_1_6: half3A
	$(TRAIN_SHOW) transfer3A3A_1_6
	$(TRAIN) transfer3A3A_1_6
transfer3A3A_1_7: half3A
	$(TRAIN_SHOW) transfer3A3A_1_7
	$(TRAIN) transfer3A3A_1_7
transfer3A3B_1_1: half3A
	$(TRAIN_SHOW) transfer3A3B_1_1
	$(TRAIN) transfer3A3B_1_1
transfer3A3B_1_2: half3A
	$(TRAIN_SHOW) transfer3A3B_1_2
	$(TRAIN) transfer3A3B_1_2
transfer3A3B_1_3: half3A
	$(TRAIN_SHOW) transfer3A3B_1_3
	$(TRAIN) transfer3A3B_1_3
transfer3A3B_1_4: half3A
	$(TRAIN_SHOW) transfer3A3B_1_4
	$(TRAIN) transfer3A3B_1_4
transfer3A3B_1_5: half3A
	$(TRAIN_SHOW) transfer3A3B_1_5
	$(TRAIN) transfer3A3B_1_5
transfer3A3B_1_6: half3A
	$(TRAIN_SHOW) transfer3A3B_1_6
	$(TRAIN) transfer3A3B_1_6
transfer3A3B_1_7: half3A
	$(TRAIN_SHOW) transfer3A3B_1_7
	$(TRAIN) transfer3A3B_1_7
transfer3B3A_1_1: half3B
	$(TRAIN_SHOW) transfer3B3A_1_1
	$(TRAIN) transfer3B3A_1_1
transfer3B3A_1_2: half3B
	$(TRAIN_SHOW) transfer3B3A_1_2
	$(TRAIN) transfer3B3A_1_2
transfer3B3A_1_3: half3B
	$(TRAIN_SHOW) transfer3B3A_1_3
	$(TRAIN) transfer3B3A_1_3
transfer3B3A_1_4: half3B
	$(TRAIN_SHOW) transfer3B3A_1_4
	$(TRAIN) transfer3B3A_1_4
transfer3B3A_1_5: half3B
	$(TRAIN_SHOW) transfer3B3A_1_5
	$(TRAIN) transfer3B3A_1_5
transfer3B3A_1_6: half3B
	$(TRAIN_SHOW) transfer3B3A_1_6
	$(TRAIN) transfer3B3A_1_6
transfer3B3A_1_7: half3B
	$(TRAIN_SHOW) transfer3B3A_1_7
	$(TRAIN) transfer3B3A_1_7
transfer-ft0A0A_1_1: half0A
	$(TRAIN_SHOW) transfer-ft0A0A_1_1
	$(TRAIN) transfer-ft0A0A_1_1
transfer-ft0A0A_1_2: half0A
	$(TRAIN_SHOW) transfer-ft0A0A_1_2
	$(TRAIN) transfer-ft0A0A_1_2
transfer-ft0A0A_1_3: half0A
	$(TRAIN_SHOW) transfer-ft0A0A_1_3
	$(TRAIN) transfer-ft0A0A_1_3
transfer-ft0A0A_1_4: half0A
	$(TRAIN_SHOW) transfer-ft0A0A_1_4
	$(TRAIN) transfer-ft0A0A_1_4
transfer-ft0A0A_1_5: half0A
	$(TRAIN_SHOW) transfer-ft0A0A_1_5
	$(TRAIN) transfer-ft0A0A_1_5
transfer-ft0A0A_1_6: half0A
	$(TRAIN_SHOW) transfer-ft0A0A_1_6
	$(TRAIN) transfer-ft0A0A_1_6
transfer-ft0A0A_1_7: half0A
	$(TRAIN_SHOW) transfer-ft0A0A_1_7
	$(TRAIN) transfer-ft0A0A_1_7
transfer-ft0A0B_1_1: half0A
	$(TRAIN_SHOW) transfer-ft0A0B_1_1
	$(TRAIN) transfer-ft0A0B_1_1
transfer-ft0A0B_1_2: half0A
	$(TRAIN_SHOW) transfer-ft0A0B_1_2
	$(TRAIN) transfer-ft0A0B_1_2
transfer-ft0A0B_1_3: half0A
	$(TRAIN_SHOW) transfer-ft0A0B_1_3
	$(TRAIN) transfer-ft0A0B_1_3
transfer-ft0A0B_1_4: half0A
	$(TRAIN_SHOW) transfer-ft0A0B_1_4
	$(TRAIN) transfer-ft0A0B_1_4
transfer-ft0A0B_1_5: half0A
	$(TRAIN_SHOW) transfer-ft0A0B_1_5
	$(TRAIN) transfer-ft0A0B_1_5
transfer-ft0A0B_1_6: half0A
	$(TRAIN_SHOW) transfer-ft0A0B_1_6
	$(TRAIN) transfer-ft0A0B_1_6
transfer-ft0A0B_1_7: half0A
	$(TRAIN_SHOW) transfer-ft0A0B_1_7
	$(TRAIN) transfer-ft0A0B_1_7
transfer-ft0B0A_1_1: half0B
	$(TRAIN_SHOW) transfer-ft0B0A_1_1
	$(TRAIN) transfer-ft0B0A_1_1
transfer-ft0B0A_1_2: half0B
	$(TRAIN_SHOW) transfer-ft0B0A_1_2
	$(TRAIN) transfer-ft0B0A_1_2
transfer-ft0B0A_1_3: half0B
	$(TRAIN_SHOW) transfer-ft0B0A_1_3
	$(TRAIN) transfer-ft0B0A_1_3
transfer-ft0B0A_1_4: half0B
	$(TRAIN_SHOW) transfer-ft0B0A_1_4
	$(TRAIN) transfer-ft0B0A_1_4
transfer-ft0B0A_1_5: half0B
	$(TRAIN_SHOW) transfer-ft0B0A_1_5
	$(TRAIN) transfer-ft0B0A_1_5
transfer-ft0B0A_1_6: half0B
	$(TRAIN_SHOW) transfer-ft0B0A_1_6
	$(TRAIN) transfer-ft0B0A_1_6
transfer-ft0B0A_1_7: half0B
	$(TRAIN_SHOW) transfer-ft0B0A_1_7
	$(TRAIN) transfer-ft0B0A_1_7
transfer-ft1A1A_1_1: half1A
	$(TRAIN_SHOW) transfer-ft1A1A_1_1
	$(TRAIN) transfer-ft1A1A_1_1
transfer-ft1A1A_1_2: half1A
	$(TRAIN_SHOW) transfer-ft1A1A_1_2
	$(TRAIN) transfer-ft1A1A_1_2
transfer-ft1A1A_1_3: half1A
	$(TRAIN_SHOW) transfer-ft1A1A_1_3
	$(TRAIN) transfer-ft1A1A_1_3
transfer-ft1A1A_1_4: half1A
	$(TRAIN_SHOW) transfer-ft1A1A_1_4
	$(TRAIN) transfer-ft1A1A_1_4
transfer-ft1A1A_1_5: half1A
	$(TRAIN_SHOW) transfer-ft1A1A_1_5
	$(TRAIN) transfer-ft1A1A_1_5
transfer-ft1A1A_1_6: half1A
	$(TRAIN_SHOW) transfer-ft1A1A_1_6
	$(TRAIN) transfer-ft1A1A_1_6
transfer-ft1A1A_1_7: half1A
	$(TRAIN_SHOW) transfer-ft1A1A_1_7
	$(TRAIN) transfer-ft1A1A_1_7
transfer-ft1A1B_1_1: half1A
	$(TRAIN_SHOW) transfer-ft1A1B_1_1
	$(TRAIN) transfer-ft1A1B_1_1
transfer-ft1A1B_1_2: half1A
	$(TRAIN_SHOW) transfer-ft1A1B_1_2
	$(TRAIN) transfer-ft1A1B_1_2
transfer-ft1A1B_1_3: half1A
	$(TRAIN_SHOW) transfer-ft1A1B_1_3
	$(TRAIN) transfer-ft1A1B_1_3
transfer-ft1A1B_1_4: half1A
	$(TRAIN_SHOW) transfer-ft1A1B_1_4
	$(TRAIN) transfer-ft1A1B_1_4
transfer-ft1A1B_1_5: half1A
	$(TRAIN_SHOW) transfer-ft1A1B_1_5
	$(TRAIN) transfer-ft1A1B_1_5
transfer-ft1A1B_1_6: half1A
	$(TRAIN_SHOW) transfer-ft1A1B_1_6
	$(TRAIN) transfer-ft1A1B_1_6
transfer-ft1A1B_1_7: half1A
	$(TRAIN_SHOW) transfer-ft1A1B_1_7
	$(TRAIN) transfer-ft1A1B_1_7
transfer-ft1B1A_1_1: half1B
	$(TRAIN_SHOW) transfer-ft1B1A_1_1
	$(TRAIN) transfer-ft1B1A_1_1
transfer-ft1B1A_1_2: half1B
	$(TRAIN_SHOW) transfer-ft1B1A_1_2
	$(TRAIN) transfer-ft1B1A_1_2
transfer-ft1B1A_1_3: half1B
	$(TRAIN_SHOW) transfer-ft1B1A_1_3
	$(TRAIN) transfer-ft1B1A_1_3
transfer-ft1B1A_1_4: half1B
	$(TRAIN_SHOW) transfer-ft1B1A_1_4
	$(TRAIN) transfer-ft1B1A_1_4
transfer-ft1B1A_1_5: half1B
	$(TRAIN_SHOW) transfer-ft1B1A_1_5
	$(TRAIN) transfer-ft1B1A_1_5
transfer-ft1B1A_1_6: half1B
	$(TRAIN_SHOW) transfer-ft1B1A_1_6
	$(TRAIN) transfer-ft1B1A_1_6
transfer-ft1B1A_1_7: half1B
	$(TRAIN_SHOW) transfer-ft1B1A_1_7
	$(TRAIN) transfer-ft1B1A_1_7
transfernatmanAB_1_1: halfnatmanA
	$(TRAIN_SHOW) transfernatmanAB_1_1
	$(TRAIN) transfernatmanAB_1_1
transfernatmanAB_1_2: halfnatmanA
	$(TRAIN_SHOW) transfernatmanAB_1_2
	$(TRAIN) transfernatmanAB_1_2
transfernatmanAB_1_3: halfnatmanA
	$(TRAIN_SHOW) transfernatmanAB_1_3
	$(TRAIN) transfernatmanAB_1_3
transfernatmanAB_1_4: halfnatmanA
	$(TRAIN_SHOW) transfernatmanAB_1_4
	$(TRAIN) transfernatmanAB_1_4
transfernatmanAB_1_5: halfnatmanA
	$(TRAIN_SHOW) transfernatmanAB_1_5
	$(TRAIN) transfernatmanAB_1_5
transfernatmanAB_1_6: halfnatmanA
	$(TRAIN_SHOW) transfernatmanAB_1_6
	$(TRAIN) transfernatmanAB_1_6
transfernatmanAB_1_7: halfnatmanA
	$(TRAIN_SHOW) transfernatmanAB_1_7
	$(TRAIN) transfernatmanAB_1_7
transfernatmanBA_1_1: halfnatmanB
	$(TRAIN_SHOW) transfernatmanBA_1_1
	$(TRAIN) transfernatmanBA_1_1
transfernatmanBA_1_2: halfnatmanB
	$(TRAIN_SHOW) transfernatmanBA_1_2
	$(TRAIN) transfernatmanBA_1_2
transfernatmanBA_1_3: halfnatmanB
	$(TRAIN_SHOW) transfernatmanBA_1_3
	$(TRAIN) transfernatmanBA_1_3
transfernatmanBA_1_4: halfnatmanB
	$(TRAIN_SHOW) transfernatmanBA_1_4
	$(TRAIN) transfernatmanBA_1_4
transfernatmanBA_1_5: halfnatmanB
	$(TRAIN_SHOW) transfernatmanBA_1_5
	$(TRAIN) transfernatmanBA_1_5
transfernatmanBA_1_6: halfnatmanB
	$(TRAIN_SHOW) transfernatmanBA_1_6
	$(TRAIN) transfernatmanBA_1_6
transfernatmanBA_1_7: halfnatmanB
	$(TRAIN_SHOW) transfernatmanBA_1_7
	$(TRAIN) transfernatmanBA_1_7
nolearn_1_1:
	$(TRAIN_SHOW) nolearn_1_1
	$(TRAIN) nolearn_1_1
nolearn_1_2:
	$(TRAIN_SHOW) nolearn_1_2
	$(TRAIN) nolearn_1_2
nolearn_1_3:
	$(TRAIN_SHOW) nolearn_1_3
	$(TRAIN) nolearn_1_3
nolearn_1_4:
	$(TRAIN_SHOW) nolearn_1_4
	$(TRAIN) nolearn_1_4
nolearn_1_5:
	$(TRAIN_SHOW) nolearn_1_5
	$(TRAIN) nolearn_1_5
nolearn_1_6:
	$(TRAIN_SHOW) nolearn_1_6
	$(TRAIN) nolearn_1_6
nolearn_1_7:
	$(TRAIN_SHOW) nolearn_1_7
	$(TRAIN) nolearn_1_7
