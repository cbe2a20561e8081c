# One make target per network of experiments.yaml -- GENERATED, do not edit.
# Regenerate with `make experiments-mk` (scripts/make_experiments_mk.py) after
# changing the catalog; a test checks that this file matches it.
#
# Included by the Makefile's training section, which defines PROFILE, ROOT,
# TRAIN (scripts/train.py with its options) and TRAIN_SHOW (the exact Caffe
# command, shown by `make -n`).  A network's target is its final snapshot
# $(ROOT)/results/NAME/NAME_iter_<max_iter>.caffemodel; a transfer network's
# snapshot needs (order-only) its base's, so `make -j4 transfer0A0B_1_3`
# trains half0A first: make is the one scheduler (make demo runs these
# targets too).  scripts/train.py resumes and never redoes a run; every
# group of the catalog is a target.

# max_iter of each schedule in each profile (the final snapshot's number)
MAX_ITER.paper.base := 450000
MAX_ITER.paper.reduced := 200000
MAX_ITER.tiny.base := 500
MAX_ITER.tiny.reduced := 300
ifeq ($(MAX_ITER.$(PROFILE).base),)
$(error PROFILE=$(PROFILE) is not a profile of experiments.yaml (paper, tiny))
endif

NETWORK_NAMES := netbase half0A half0B half1A half1B half2A half2B half3A half3B halfnatmanA halfnatmanB reduced-0001 reduced-0002 reduced-0005 reduced-0010 reduced-0025 reduced-0050 reduced-0100 reduced-0250 reduced-0500 reduced-0750 reduced-1000 reduced-1300 transfer0A0A_1_1 transfer0A0A_1_2 transfer0A0A_1_3 transfer0A0A_1_4 transfer0A0A_1_5 transfer0A0A_1_6 transfer0A0A_1_7 transfer0A0B_1_1 transfer0A0B_1_2 transfer0A0B_1_3 transfer0A0B_1_4 transfer0A0B_1_5 transfer0A0B_1_6 transfer0A0B_1_7 transfer0B0A_1_1 transfer0B0A_1_2 transfer0B0A_1_3 transfer0B0A_1_4 transfer0B0A_1_5 transfer0B0A_1_6 transfer0B0A_1_7 transfer1A1A_1_1 transfer1A1A_1_2 transfer1A1A_1_3 transfer1A1A_1_4 transfer1A1A_1_5 transfer1A1A_1_6 transfer1A1A_1_7 transfer1A1B_1_1 transfer1A1B_1_2 transfer1A1B_1_3 transfer1A1B_1_4 transfer1A1B_1_5 transfer1A1B_1_6 transfer1A1B_1_7 transfer1B1A_1_1 transfer1B1A_1_2 transfer1B1A_1_3 transfer1B1A_1_4 transfer1B1A_1_5 transfer1B1A_1_6 transfer1B1A_1_7 transfer2A2A_1_1 transfer2A2A_1_2 transfer2A2A_1_3 transfer2A2A_1_4 transfer2A2A_1_5 transfer2A2A_1_6 transfer2A2A_1_7 transfer2A2B_1_1 transfer2A2B_1_2 transfer2A2B_1_3 transfer2A2B_1_4 transfer2A2B_1_5 transfer2A2B_1_6 transfer2A2B_1_7 transfer2B2A_1_1 transfer2B2A_1_2 transfer2B2A_1_3 transfer2B2A_1_4 transfer2B2A_1_5 transfer2B2A_1_6 transfer2B2A_1_7 transfer3A3A_1_1 transfer3A3A_1_2 transfer3A3A_1_3 transfer3A3A_1_4 transfer3A3A_1_5 transfer3A3A_1_6 transfer3A3A_1_7 transfer3A3B_1_1 transfer3A3B_1_2 transfer3A3B_1_3 transfer3A3B_1_4 transfer3A3B_1_5 transfer3A3B_1_6 transfer3A3B_1_7 transfer3B3A_1_1 transfer3B3A_1_2 transfer3B3A_1_3 transfer3B3A_1_4 transfer3B3A_1_5 transfer3B3A_1_6 transfer3B3A_1_7 transfer-ft0A0A_1_1 transfer-ft0A0A_1_2 transfer-ft0A0A_1_3 transfer-ft0A0A_1_4 transfer-ft0A0A_1_5 transfer-ft0A0A_1_6 transfer-ft0A0A_1_7 transfer-ft0A0B_1_1 transfer-ft0A0B_1_2 transfer-ft0A0B_1_3 transfer-ft0A0B_1_4 transfer-ft0A0B_1_5 transfer-ft0A0B_1_6 transfer-ft0A0B_1_7 transfer-ft0B0A_1_1 transfer-ft0B0A_1_2 transfer-ft0B0A_1_3 transfer-ft0B0A_1_4 transfer-ft0B0A_1_5 transfer-ft0B0A_1_6 transfer-ft0B0A_1_7 transfer-ft1A1A_1_1 transfer-ft1A1A_1_2 transfer-ft1A1A_1_3 transfer-ft1A1A_1_4 transfer-ft1A1A_1_5 transfer-ft1A1A_1_6 transfer-ft1A1A_1_7 transfer-ft1A1B_1_1 transfer-ft1A1B_1_2 transfer-ft1A1B_1_3 transfer-ft1A1B_1_4 transfer-ft1A1B_1_5 transfer-ft1A1B_1_6 transfer-ft1A1B_1_7 transfer-ft1B1A_1_1 transfer-ft1B1A_1_2 transfer-ft1B1A_1_3 transfer-ft1B1A_1_4 transfer-ft1B1A_1_5 transfer-ft1B1A_1_6 transfer-ft1B1A_1_7 transfernatmanAB_1_1 transfernatmanAB_1_2 transfernatmanAB_1_3 transfernatmanAB_1_4 transfernatmanAB_1_5 transfernatmanAB_1_6 transfernatmanAB_1_7 transfernatmanBA_1_1 transfernatmanBA_1_2 transfernatmanBA_1_3 transfernatmanBA_1_4 transfernatmanBA_1_5 transfernatmanBA_1_6 transfernatmanBA_1_7 nolearn_1_1 nolearn_1_2 nolearn_1_3 nolearn_1_4 nolearn_1_5 nolearn_1_6 nolearn_1_7

# final snapshot of each network under $(ROOT) for $(PROFILE)
FINAL.netbase = $(ROOT)/results/netbase/netbase_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half0A = $(ROOT)/results/half0A/half0A_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half0B = $(ROOT)/results/half0B/half0B_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half1A = $(ROOT)/results/half1A/half1A_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half1B = $(ROOT)/results/half1B/half1B_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half2A = $(ROOT)/results/half2A/half2A_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half2B = $(ROOT)/results/half2B/half2B_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half3A = $(ROOT)/results/half3A/half3A_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.half3B = $(ROOT)/results/half3B/half3B_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.halfnatmanA = $(ROOT)/results/halfnatmanA/halfnatmanA_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.halfnatmanB = $(ROOT)/results/halfnatmanB/halfnatmanB_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.reduced-0001 = $(ROOT)/results/reduced-0001/reduced-0001_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0002 = $(ROOT)/results/reduced-0002/reduced-0002_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0005 = $(ROOT)/results/reduced-0005/reduced-0005_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0010 = $(ROOT)/results/reduced-0010/reduced-0010_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0025 = $(ROOT)/results/reduced-0025/reduced-0025_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0050 = $(ROOT)/results/reduced-0050/reduced-0050_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0100 = $(ROOT)/results/reduced-0100/reduced-0100_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0250 = $(ROOT)/results/reduced-0250/reduced-0250_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0500 = $(ROOT)/results/reduced-0500/reduced-0500_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-0750 = $(ROOT)/results/reduced-0750/reduced-0750_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-1000 = $(ROOT)/results/reduced-1000/reduced-1000_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.reduced-1300 = $(ROOT)/results/reduced-1300/reduced-1300_iter_$(MAX_ITER.$(PROFILE).reduced).caffemodel
FINAL.transfer0A0A_1_1 = $(ROOT)/results/transfer0A0A_1_1/transfer0A0A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0A_1_2 = $(ROOT)/results/transfer0A0A_1_2/transfer0A0A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0A_1_3 = $(ROOT)/results/transfer0A0A_1_3/transfer0A0A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0A_1_4 = $(ROOT)/results/transfer0A0A_1_4/transfer0A0A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0A_1_5 = $(ROOT)/results/transfer0A0A_1_5/transfer0A0A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0A_1_6 = $(ROOT)/results/transfer0A0A_1_6/transfer0A0A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0A_1_7 = $(ROOT)/results/transfer0A0A_1_7/transfer0A0A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0B_1_1 = $(ROOT)/results/transfer0A0B_1_1/transfer0A0B_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0B_1_2 = $(ROOT)/results/transfer0A0B_1_2/transfer0A0B_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0B_1_3 = $(ROOT)/results/transfer0A0B_1_3/transfer0A0B_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0B_1_4 = $(ROOT)/results/transfer0A0B_1_4/transfer0A0B_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0B_1_5 = $(ROOT)/results/transfer0A0B_1_5/transfer0A0B_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0B_1_6 = $(ROOT)/results/transfer0A0B_1_6/transfer0A0B_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0A0B_1_7 = $(ROOT)/results/transfer0A0B_1_7/transfer0A0B_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0B0A_1_1 = $(ROOT)/results/transfer0B0A_1_1/transfer0B0A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0B0A_1_2 = $(ROOT)/results/transfer0B0A_1_2/transfer0B0A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0B0A_1_3 = $(ROOT)/results/transfer0B0A_1_3/transfer0B0A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0B0A_1_4 = $(ROOT)/results/transfer0B0A_1_4/transfer0B0A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0B0A_1_5 = $(ROOT)/results/transfer0B0A_1_5/transfer0B0A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0B0A_1_6 = $(ROOT)/results/transfer0B0A_1_6/transfer0B0A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer0B0A_1_7 = $(ROOT)/results/transfer0B0A_1_7/transfer0B0A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1A_1_1 = $(ROOT)/results/transfer1A1A_1_1/transfer1A1A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1A_1_2 = $(ROOT)/results/transfer1A1A_1_2/transfer1A1A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1A_1_3 = $(ROOT)/results/transfer1A1A_1_3/transfer1A1A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1A_1_4 = $(ROOT)/results/transfer1A1A_1_4/transfer1A1A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1A_1_5 = $(ROOT)/results/transfer1A1A_1_5/transfer1A1A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1A_1_6 = $(ROOT)/results/transfer1A1A_1_6/transfer1A1A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1A_1_7 = $(ROOT)/results/transfer1A1A_1_7/transfer1A1A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1B_1_1 = $(ROOT)/results/transfer1A1B_1_1/transfer1A1B_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1B_1_2 = $(ROOT)/results/transfer1A1B_1_2/transfer1A1B_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1B_1_3 = $(ROOT)/results/transfer1A1B_1_3/transfer1A1B_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1B_1_4 = $(ROOT)/results/transfer1A1B_1_4/transfer1A1B_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1B_1_5 = $(ROOT)/results/transfer1A1B_1_5/transfer1A1B_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1B_1_6 = $(ROOT)/results/transfer1A1B_1_6/transfer1A1B_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1A1B_1_7 = $(ROOT)/results/transfer1A1B_1_7/transfer1A1B_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1B1A_1_1 = $(ROOT)/results/transfer1B1A_1_1/transfer1B1A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1B1A_1_2 = $(ROOT)/results/transfer1B1A_1_2/transfer1B1A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1B1A_1_3 = $(ROOT)/results/transfer1B1A_1_3/transfer1B1A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1B1A_1_4 = $(ROOT)/results/transfer1B1A_1_4/transfer1B1A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1B1A_1_5 = $(ROOT)/results/transfer1B1A_1_5/transfer1B1A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1B1A_1_6 = $(ROOT)/results/transfer1B1A_1_6/transfer1B1A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer1B1A_1_7 = $(ROOT)/results/transfer1B1A_1_7/transfer1B1A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2A_1_1 = $(ROOT)/results/transfer2A2A_1_1/transfer2A2A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2A_1_2 = $(ROOT)/results/transfer2A2A_1_2/transfer2A2A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2A_1_3 = $(ROOT)/results/transfer2A2A_1_3/transfer2A2A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2A_1_4 = $(ROOT)/results/transfer2A2A_1_4/transfer2A2A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2A_1_5 = $(ROOT)/results/transfer2A2A_1_5/transfer2A2A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2A_1_6 = $(ROOT)/results/transfer2A2A_1_6/transfer2A2A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2A_1_7 = $(ROOT)/results/transfer2A2A_1_7/transfer2A2A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2B_1_1 = $(ROOT)/results/transfer2A2B_1_1/transfer2A2B_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2B_1_2 = $(ROOT)/results/transfer2A2B_1_2/transfer2A2B_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2B_1_3 = $(ROOT)/results/transfer2A2B_1_3/transfer2A2B_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2B_1_4 = $(ROOT)/results/transfer2A2B_1_4/transfer2A2B_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2B_1_5 = $(ROOT)/results/transfer2A2B_1_5/transfer2A2B_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2B_1_6 = $(ROOT)/results/transfer2A2B_1_6/transfer2A2B_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2A2B_1_7 = $(ROOT)/results/transfer2A2B_1_7/transfer2A2B_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2B2A_1_1 = $(ROOT)/results/transfer2B2A_1_1/transfer2B2A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2B2A_1_2 = $(ROOT)/results/transfer2B2A_1_2/transfer2B2A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2B2A_1_3 = $(ROOT)/results/transfer2B2A_1_3/transfer2B2A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2B2A_1_4 = $(ROOT)/results/transfer2B2A_1_4/transfer2B2A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2B2A_1_5 = $(ROOT)/results/transfer2B2A_1_5/transfer2B2A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2B2A_1_6 = $(ROOT)/results/transfer2B2A_1_6/transfer2B2A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer2B2A_1_7 = $(ROOT)/results/transfer2B2A_1_7/transfer2B2A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3A_1_1 = $(ROOT)/results/transfer3A3A_1_1/transfer3A3A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3A_1_2 = $(ROOT)/results/transfer3A3A_1_2/transfer3A3A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3A_1_3 = $(ROOT)/results/transfer3A3A_1_3/transfer3A3A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3A_1_4 = $(ROOT)/results/transfer3A3A_1_4/transfer3A3A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3A_1_5 = $(ROOT)/results/transfer3A3A_1_5/transfer3A3A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3A_1_6 = $(ROOT)/results/transfer3A3A_1_6/transfer3A3A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3A_1_7 = $(ROOT)/results/transfer3A3A_1_7/transfer3A3A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3B_1_1 = $(ROOT)/results/transfer3A3B_1_1/transfer3A3B_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3B_1_2 = $(ROOT)/results/transfer3A3B_1_2/transfer3A3B_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3B_1_3 = $(ROOT)/results/transfer3A3B_1_3/transfer3A3B_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3B_1_4 = $(ROOT)/results/transfer3A3B_1_4/transfer3A3B_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3B_1_5 = $(ROOT)/results/transfer3A3B_1_5/transfer3A3B_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3B_1_6 = $(ROOT)/results/transfer3A3B_1_6/transfer3A3B_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3A3B_1_7 = $(ROOT)/results/transfer3A3B_1_7/transfer3A3B_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3B3A_1_1 = $(ROOT)/results/transfer3B3A_1_1/transfer3B3A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3B3A_1_2 = $(ROOT)/results/transfer3B3A_1_2/transfer3B3A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3B3A_1_3 = $(ROOT)/results/transfer3B3A_1_3/transfer3B3A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3B3A_1_4 = $(ROOT)/results/transfer3B3A_1_4/transfer3B3A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3B3A_1_5 = $(ROOT)/results/transfer3B3A_1_5/transfer3B3A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3B3A_1_6 = $(ROOT)/results/transfer3B3A_1_6/transfer3B3A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer3B3A_1_7 = $(ROOT)/results/transfer3B3A_1_7/transfer3B3A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0A_1_1 = $(ROOT)/results/transfer-ft0A0A_1_1/transfer-ft0A0A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0A_1_2 = $(ROOT)/results/transfer-ft0A0A_1_2/transfer-ft0A0A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0A_1_3 = $(ROOT)/results/transfer-ft0A0A_1_3/transfer-ft0A0A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0A_1_4 = $(ROOT)/results/transfer-ft0A0A_1_4/transfer-ft0A0A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0A_1_5 = $(ROOT)/results/transfer-ft0A0A_1_5/transfer-ft0A0A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0A_1_6 = $(ROOT)/results/transfer-ft0A0A_1_6/transfer-ft0A0A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0A_1_7 = $(ROOT)/results/transfer-ft0A0A_1_7/transfer-ft0A0A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0B_1_1 = $(ROOT)/results/transfer-ft0A0B_1_1/transfer-ft0A0B_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0B_1_2 = $(ROOT)/results/transfer-ft0A0B_1_2/transfer-ft0A0B_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0B_1_3 = $(ROOT)/results/transfer-ft0A0B_1_3/transfer-ft0A0B_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0B_1_4 = $(ROOT)/results/transfer-ft0A0B_1_4/transfer-ft0A0B_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0B_1_5 = $(ROOT)/results/transfer-ft0A0B_1_5/transfer-ft0A0B_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0B_1_6 = $(ROOT)/results/transfer-ft0A0B_1_6/transfer-ft0A0B_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0A0B_1_7 = $(ROOT)/results/transfer-ft0A0B_1_7/transfer-ft0A0B_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0B0A_1_1 = $(ROOT)/results/transfer-ft0B0A_1_1/transfer-ft0B0A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0B0A_1_2 = $(ROOT)/results/transfer-ft0B0A_1_2/transfer-ft0B0A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0B0A_1_3 = $(ROOT)/results/transfer-ft0B0A_1_3/transfer-ft0B0A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0B0A_1_4 = $(ROOT)/results/transfer-ft0B0A_1_4/transfer-ft0B0A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0B0A_1_5 = $(ROOT)/results/transfer-ft0B0A_1_5/transfer-ft0B0A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0B0A_1_6 = $(ROOT)/results/transfer-ft0B0A_1_6/transfer-ft0B0A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft0B0A_1_7 = $(ROOT)/results/transfer-ft0B0A_1_7/transfer-ft0B0A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1A_1_1 = $(ROOT)/results/transfer-ft1A1A_1_1/transfer-ft1A1A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1A_1_2 = $(ROOT)/results/transfer-ft1A1A_1_2/transfer-ft1A1A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1A_1_3 = $(ROOT)/results/transfer-ft1A1A_1_3/transfer-ft1A1A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1A_1_4 = $(ROOT)/results/transfer-ft1A1A_1_4/transfer-ft1A1A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1A_1_5 = $(ROOT)/results/transfer-ft1A1A_1_5/transfer-ft1A1A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1A_1_6 = $(ROOT)/results/transfer-ft1A1A_1_6/transfer-ft1A1A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1A_1_7 = $(ROOT)/results/transfer-ft1A1A_1_7/transfer-ft1A1A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1B_1_1 = $(ROOT)/results/transfer-ft1A1B_1_1/transfer-ft1A1B_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1B_1_2 = $(ROOT)/results/transfer-ft1A1B_1_2/transfer-ft1A1B_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1B_1_3 = $(ROOT)/results/transfer-ft1A1B_1_3/transfer-ft1A1B_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1B_1_4 = $(ROOT)/results/transfer-ft1A1B_1_4/transfer-ft1A1B_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1B_1_5 = $(ROOT)/results/transfer-ft1A1B_1_5/transfer-ft1A1B_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1B_1_6 = $(ROOT)/results/transfer-ft1A1B_1_6/transfer-ft1A1B_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1A1B_1_7 = $(ROOT)/results/transfer-ft1A1B_1_7/transfer-ft1A1B_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1B1A_1_1 = $(ROOT)/results/transfer-ft1B1A_1_1/transfer-ft1B1A_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1B1A_1_2 = $(ROOT)/results/transfer-ft1B1A_1_2/transfer-ft1B1A_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1B1A_1_3 = $(ROOT)/results/transfer-ft1B1A_1_3/transfer-ft1B1A_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1B1A_1_4 = $(ROOT)/results/transfer-ft1B1A_1_4/transfer-ft1B1A_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1B1A_1_5 = $(ROOT)/results/transfer-ft1B1A_1_5/transfer-ft1B1A_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1B1A_1_6 = $(ROOT)/results/transfer-ft1B1A_1_6/transfer-ft1B1A_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfer-ft1B1A_1_7 = $(ROOT)/results/transfer-ft1B1A_1_7/transfer-ft1B1A_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanAB_1_1 = $(ROOT)/results/transfernatmanAB_1_1/transfernatmanAB_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanAB_1_2 = $(ROOT)/results/transfernatmanAB_1_2/transfernatmanAB_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanAB_1_3 = $(ROOT)/results/transfernatmanAB_1_3/transfernatmanAB_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanAB_1_4 = $(ROOT)/results/transfernatmanAB_1_4/transfernatmanAB_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanAB_1_5 = $(ROOT)/results/transfernatmanAB_1_5/transfernatmanAB_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanAB_1_6 = $(ROOT)/results/transfernatmanAB_1_6/transfernatmanAB_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanAB_1_7 = $(ROOT)/results/transfernatmanAB_1_7/transfernatmanAB_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanBA_1_1 = $(ROOT)/results/transfernatmanBA_1_1/transfernatmanBA_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanBA_1_2 = $(ROOT)/results/transfernatmanBA_1_2/transfernatmanBA_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanBA_1_3 = $(ROOT)/results/transfernatmanBA_1_3/transfernatmanBA_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanBA_1_4 = $(ROOT)/results/transfernatmanBA_1_4/transfernatmanBA_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanBA_1_5 = $(ROOT)/results/transfernatmanBA_1_5/transfernatmanBA_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanBA_1_6 = $(ROOT)/results/transfernatmanBA_1_6/transfernatmanBA_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.transfernatmanBA_1_7 = $(ROOT)/results/transfernatmanBA_1_7/transfernatmanBA_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.nolearn_1_1 = $(ROOT)/results/nolearn_1_1/nolearn_1_1_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.nolearn_1_2 = $(ROOT)/results/nolearn_1_2/nolearn_1_2_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.nolearn_1_3 = $(ROOT)/results/nolearn_1_3/nolearn_1_3_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.nolearn_1_4 = $(ROOT)/results/nolearn_1_4/nolearn_1_4_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.nolearn_1_5 = $(ROOT)/results/nolearn_1_5/nolearn_1_5_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.nolearn_1_6 = $(ROOT)/results/nolearn_1_6/nolearn_1_6_iter_$(MAX_ITER.$(PROFILE).base).caffemodel
FINAL.nolearn_1_7 = $(ROOT)/results/nolearn_1_7/nolearn_1_7_iter_$(MAX_ITER.$(PROFILE).base).caffemodel

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

# make never deletes a snapshot, even when interrupted
.PRECIOUS: $(foreach n,$(NETWORK_NAMES),$(FINAL.$(n)))

netbase: $(FINAL.netbase)
$(FINAL.netbase):
	$(TRAIN_SHOW) netbase
	$(TRAIN) netbase
half0A: $(FINAL.half0A)
$(FINAL.half0A):
	$(TRAIN_SHOW) half0A
	$(TRAIN) half0A
half0B: $(FINAL.half0B)
$(FINAL.half0B):
	$(TRAIN_SHOW) half0B
	$(TRAIN) half0B
half1A: $(FINAL.half1A)
$(FINAL.half1A):
	$(TRAIN_SHOW) half1A
	$(TRAIN) half1A
half1B: $(FINAL.half1B)
$(FINAL.half1B):
	$(TRAIN_SHOW) half1B
	$(TRAIN) half1B
half2A: $(FINAL.half2A)
$(FINAL.half2A):
	$(TRAIN_SHOW) half2A
	$(TRAIN) half2A
half2B: $(FINAL.half2B)
$(FINAL.half2B):
	$(TRAIN_SHOW) half2B
	$(TRAIN) half2B
half3A: $(FINAL.half3A)
$(FINAL.half3A):
	$(TRAIN_SHOW) half3A
	$(TRAIN) half3A
half3B: $(FINAL.half3B)
$(FINAL.half3B):
	$(TRAIN_SHOW) half3B
	$(TRAIN) half3B
halfnatmanA: $(FINAL.halfnatmanA)
$(FINAL.halfnatmanA):
	$(TRAIN_SHOW) halfnatmanA
	$(TRAIN) halfnatmanA
halfnatmanB: $(FINAL.halfnatmanB)
$(FINAL.halfnatmanB):
	$(TRAIN_SHOW) halfnatmanB
	$(TRAIN) halfnatmanB
reduced-0001: $(FINAL.reduced-0001)
$(FINAL.reduced-0001):
	$(TRAIN_SHOW) reduced-0001
	$(TRAIN) reduced-0001
reduced-0002: $(FINAL.reduced-0002)
$(FINAL.reduced-0002):
	$(TRAIN_SHOW) reduced-0002
	$(TRAIN) reduced-0002
reduced-0005: $(FINAL.reduced-0005)
$(FINAL.reduced-0005):
	$(TRAIN_SHOW) reduced-0005
	$(TRAIN) reduced-0005
reduced-0010: $(FINAL.reduced-0010)
$(FINAL.reduced-0010):
	$(TRAIN_SHOW) reduced-0010
	$(TRAIN) reduced-0010
reduced-0025: $(FINAL.reduced-0025)
$(FINAL.reduced-0025):
	$(TRAIN_SHOW) reduced-0025
	$(TRAIN) reduced-0025
reduced-0050: $(FINAL.reduced-0050)
$(FINAL.reduced-0050):
	$(TRAIN_SHOW) reduced-0050
	$(TRAIN) reduced-0050
reduced-0100: $(FINAL.reduced-0100)
$(FINAL.reduced-0100):
	$(TRAIN_SHOW) reduced-0100
	$(TRAIN) reduced-0100
reduced-0250: $(FINAL.reduced-0250)
$(FINAL.reduced-0250):
	$(TRAIN_SHOW) reduced-0250
	$(TRAIN) reduced-0250
reduced-0500: $(FINAL.reduced-0500)
$(FINAL.reduced-0500):
	$(TRAIN_SHOW) reduced-0500
	$(TRAIN) reduced-0500
reduced-0750: $(FINAL.reduced-0750)
$(FINAL.reduced-0750):
	$(TRAIN_SHOW) reduced-0750
	$(TRAIN) reduced-0750
reduced-1000: $(FINAL.reduced-1000)
$(FINAL.reduced-1000):
	$(TRAIN_SHOW) reduced-1000
	$(TRAIN) reduced-1000
reduced-1300: $(FINAL.reduced-1300)
$(FINAL.reduced-1300):
	$(TRAIN_SHOW) reduced-1300
	$(TRAIN) reduced-1300
transfer0A0A_1_1: $(FINAL.transfer0A0A_1_1)
$(FINAL.transfer0A0A_1_1): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0A_1_1
	$(TRAIN) transfer0A0A_1_1
transfer0A0A_1_2: $(FINAL.transfer0A0A_1_2)
$(FINAL.transfer0A0A_1_2): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0A_1_2
	$(TRAIN) transfer0A0A_1_2
transfer0A0A_1_3: $(FINAL.transfer0A0A_1_3)
$(FINAL.transfer0A0A_1_3): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0A_1_3
	$(TRAIN) transfer0A0A_1_3
transfer0A0A_1_4: $(FINAL.transfer0A0A_1_4)
$(FINAL.transfer0A0A_1_4): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0A_1_4
	$(TRAIN) transfer0A0A_1_4
transfer0A0A_1_5: $(FINAL.transfer0A0A_1_5)
$(FINAL.transfer0A0A_1_5): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0A_1_5
	$(TRAIN) transfer0A0A_1_5
transfer0A0A_1_6: $(FINAL.transfer0A0A_1_6)
$(FINAL.transfer0A0A_1_6): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0A_1_6
	$(TRAIN) transfer0A0A_1_6
transfer0A0A_1_7: $(FINAL.transfer0A0A_1_7)
$(FINAL.transfer0A0A_1_7): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0A_1_7
	$(TRAIN) transfer0A0A_1_7
transfer0A0B_1_1: $(FINAL.transfer0A0B_1_1)
$(FINAL.transfer0A0B_1_1): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0B_1_1
	$(TRAIN) transfer0A0B_1_1
transfer0A0B_1_2: $(FINAL.transfer0A0B_1_2)
$(FINAL.transfer0A0B_1_2): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0B_1_2
	$(TRAIN) transfer0A0B_1_2
transfer0A0B_1_3: $(FINAL.transfer0A0B_1_3)
$(FINAL.transfer0A0B_1_3): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0B_1_3
	$(TRAIN) transfer0A0B_1_3
transfer0A0B_1_4: $(FINAL.transfer0A0B_1_4)
$(FINAL.transfer0A0B_1_4): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0B_1_4
	$(TRAIN) transfer0A0B_1_4
transfer0A0B_1_5: $(FINAL.transfer0A0B_1_5)
$(FINAL.transfer0A0B_1_5): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0B_1_5
	$(TRAIN) transfer0A0B_1_5
transfer0A0B_1_6: $(FINAL.transfer0A0B_1_6)
$(FINAL.transfer0A0B_1_6): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0B_1_6
	$(TRAIN) transfer0A0B_1_6
transfer0A0B_1_7: $(FINAL.transfer0A0B_1_7)
$(FINAL.transfer0A0B_1_7): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer0A0B_1_7
	$(TRAIN) transfer0A0B_1_7
transfer0B0A_1_1: $(FINAL.transfer0B0A_1_1)
$(FINAL.transfer0B0A_1_1): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer0B0A_1_1
	$(TRAIN) transfer0B0A_1_1
transfer0B0A_1_2: $(FINAL.transfer0B0A_1_2)
$(FINAL.transfer0B0A_1_2): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer0B0A_1_2
	$(TRAIN) transfer0B0A_1_2
transfer0B0A_1_3: $(FINAL.transfer0B0A_1_3)
$(FINAL.transfer0B0A_1_3): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer0B0A_1_3
	$(TRAIN) transfer0B0A_1_3
transfer0B0A_1_4: $(FINAL.transfer0B0A_1_4)
$(FINAL.transfer0B0A_1_4): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer0B0A_1_4
	$(TRAIN) transfer0B0A_1_4
transfer0B0A_1_5: $(FINAL.transfer0B0A_1_5)
$(FINAL.transfer0B0A_1_5): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer0B0A_1_5
	$(TRAIN) transfer0B0A_1_5
transfer0B0A_1_6: $(FINAL.transfer0B0A_1_6)
$(FINAL.transfer0B0A_1_6): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer0B0A_1_6
	$(TRAIN) transfer0B0A_1_6
transfer0B0A_1_7: $(FINAL.transfer0B0A_1_7)
$(FINAL.transfer0B0A_1_7): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer0B0A_1_7
	$(TRAIN) transfer0B0A_1_7
transfer1A1A_1_1: $(FINAL.transfer1A1A_1_1)
$(FINAL.transfer1A1A_1_1): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1A_1_1
	$(TRAIN) transfer1A1A_1_1
transfer1A1A_1_2: $(FINAL.transfer1A1A_1_2)
$(FINAL.transfer1A1A_1_2): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1A_1_2
	$(TRAIN) transfer1A1A_1_2
transfer1A1A_1_3: $(FINAL.transfer1A1A_1_3)
$(FINAL.transfer1A1A_1_3): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1A_1_3
	$(TRAIN) transfer1A1A_1_3
transfer1A1A_1_4: $(FINAL.transfer1A1A_1_4)
$(FINAL.transfer1A1A_1_4): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1A_1_4
	$(TRAIN) transfer1A1A_1_4
transfer1A1A_1_5: $(FINAL.transfer1A1A_1_5)
$(FINAL.transfer1A1A_1_5): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1A_1_5
	$(TRAIN) transfer1A1A_1_5
transfer1A1A_1_6: $(FINAL.transfer1A1A_1_6)
$(FINAL.transfer1A1A_1_6): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1A_1_6
	$(TRAIN) transfer1A1A_1_6
transfer1A1A_1_7: $(FINAL.transfer1A1A_1_7)
$(FINAL.transfer1A1A_1_7): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1A_1_7
	$(TRAIN) transfer1A1A_1_7
transfer1A1B_1_1: $(FINAL.transfer1A1B_1_1)
$(FINAL.transfer1A1B_1_1): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1B_1_1
	$(TRAIN) transfer1A1B_1_1
transfer1A1B_1_2: $(FINAL.transfer1A1B_1_2)
$(FINAL.transfer1A1B_1_2): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1B_1_2
	$(TRAIN) transfer1A1B_1_2
transfer1A1B_1_3: $(FINAL.transfer1A1B_1_3)
$(FINAL.transfer1A1B_1_3): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1B_1_3
	$(TRAIN) transfer1A1B_1_3
transfer1A1B_1_4: $(FINAL.transfer1A1B_1_4)
$(FINAL.transfer1A1B_1_4): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1B_1_4
	$(TRAIN) transfer1A1B_1_4
transfer1A1B_1_5: $(FINAL.transfer1A1B_1_5)
$(FINAL.transfer1A1B_1_5): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1B_1_5
	$(TRAIN) transfer1A1B_1_5
transfer1A1B_1_6: $(FINAL.transfer1A1B_1_6)
$(FINAL.transfer1A1B_1_6): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1B_1_6
	$(TRAIN) transfer1A1B_1_6
transfer1A1B_1_7: $(FINAL.transfer1A1B_1_7)
$(FINAL.transfer1A1B_1_7): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer1A1B_1_7
	$(TRAIN) transfer1A1B_1_7
transfer1B1A_1_1: $(FINAL.transfer1B1A_1_1)
$(FINAL.transfer1B1A_1_1): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer1B1A_1_1
	$(TRAIN) transfer1B1A_1_1
transfer1B1A_1_2: $(FINAL.transfer1B1A_1_2)
$(FINAL.transfer1B1A_1_2): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer1B1A_1_2
	$(TRAIN) transfer1B1A_1_2
transfer1B1A_1_3: $(FINAL.transfer1B1A_1_3)
$(FINAL.transfer1B1A_1_3): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer1B1A_1_3
	$(TRAIN) transfer1B1A_1_3
transfer1B1A_1_4: $(FINAL.transfer1B1A_1_4)
$(FINAL.transfer1B1A_1_4): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer1B1A_1_4
	$(TRAIN) transfer1B1A_1_4
transfer1B1A_1_5: $(FINAL.transfer1B1A_1_5)
$(FINAL.transfer1B1A_1_5): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer1B1A_1_5
	$(TRAIN) transfer1B1A_1_5
transfer1B1A_1_6: $(FINAL.transfer1B1A_1_6)
$(FINAL.transfer1B1A_1_6): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer1B1A_1_6
	$(TRAIN) transfer1B1A_1_6
transfer1B1A_1_7: $(FINAL.transfer1B1A_1_7)
$(FINAL.transfer1B1A_1_7): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer1B1A_1_7
	$(TRAIN) transfer1B1A_1_7
transfer2A2A_1_1: $(FINAL.transfer2A2A_1_1)
$(FINAL.transfer2A2A_1_1): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2A_1_1
	$(TRAIN) transfer2A2A_1_1
transfer2A2A_1_2: $(FINAL.transfer2A2A_1_2)
$(FINAL.transfer2A2A_1_2): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2A_1_2
	$(TRAIN) transfer2A2A_1_2
transfer2A2A_1_3: $(FINAL.transfer2A2A_1_3)
$(FINAL.transfer2A2A_1_3): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2A_1_3
	$(TRAIN) transfer2A2A_1_3
transfer2A2A_1_4: $(FINAL.transfer2A2A_1_4)
$(FINAL.transfer2A2A_1_4): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2A_1_4
	$(TRAIN) transfer2A2A_1_4
transfer2A2A_1_5: $(FINAL.transfer2A2A_1_5)
$(FINAL.transfer2A2A_1_5): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2A_1_5
	$(TRAIN) transfer2A2A_1_5
transfer2A2A_1_6: $(FINAL.transfer2A2A_1_6)
$(FINAL.transfer2A2A_1_6): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2A_1_6
	$(TRAIN) transfer2A2A_1_6
transfer2A2A_1_7: $(FINAL.transfer2A2A_1_7)
$(FINAL.transfer2A2A_1_7): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2A_1_7
	$(TRAIN) transfer2A2A_1_7
transfer2A2B_1_1: $(FINAL.transfer2A2B_1_1)
$(FINAL.transfer2A2B_1_1): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2B_1_1
	$(TRAIN) transfer2A2B_1_1
transfer2A2B_1_2: $(FINAL.transfer2A2B_1_2)
$(FINAL.transfer2A2B_1_2): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2B_1_2
	$(TRAIN) transfer2A2B_1_2
transfer2A2B_1_3: $(FINAL.transfer2A2B_1_3)
$(FINAL.transfer2A2B_1_3): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2B_1_3
	$(TRAIN) transfer2A2B_1_3
transfer2A2B_1_4: $(FINAL.transfer2A2B_1_4)
$(FINAL.transfer2A2B_1_4): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2B_1_4
	$(TRAIN) transfer2A2B_1_4
transfer2A2B_1_5: $(FINAL.transfer2A2B_1_5)
$(FINAL.transfer2A2B_1_5): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2B_1_5
	$(TRAIN) transfer2A2B_1_5
transfer2A2B_1_6: $(FINAL.transfer2A2B_1_6)
$(FINAL.transfer2A2B_1_6): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2B_1_6
	$(TRAIN) transfer2A2B_1_6
transfer2A2B_1_7: $(FINAL.transfer2A2B_1_7)
$(FINAL.transfer2A2B_1_7): | $(FINAL.half2A)
	$(TRAIN_SHOW) transfer2A2B_1_7
	$(TRAIN) transfer2A2B_1_7
transfer2B2A_1_1: $(FINAL.transfer2B2A_1_1)
$(FINAL.transfer2B2A_1_1): | $(FINAL.half2B)
	$(TRAIN_SHOW) transfer2B2A_1_1
	$(TRAIN) transfer2B2A_1_1
transfer2B2A_1_2: $(FINAL.transfer2B2A_1_2)
$(FINAL.transfer2B2A_1_2): | $(FINAL.half2B)
	$(TRAIN_SHOW) transfer2B2A_1_2
	$(TRAIN) transfer2B2A_1_2
transfer2B2A_1_3: $(FINAL.transfer2B2A_1_3)
$(FINAL.transfer2B2A_1_3): | $(FINAL.half2B)
	$(TRAIN_SHOW) transfer2B2A_1_3
	$(TRAIN) transfer2B2A_1_3
transfer2B2A_1_4: $(FINAL.transfer2B2A_1_4)
$(FINAL.transfer2B2A_1_4): | $(FINAL.half2B)
	$(TRAIN_SHOW) transfer2B2A_1_4
	$(TRAIN) transfer2B2A_1_4
transfer2B2A_1_5: $(FINAL.transfer2B2A_1_5)
$(FINAL.transfer2B2A_1_5): | $(FINAL.half2B)
	$(TRAIN_SHOW) transfer2B2A_1_5
	$(TRAIN) transfer2B2A_1_5
transfer2B2A_1_6: $(FINAL.transfer2B2A_1_6)
$(FINAL.transfer2B2A_1_6): | $(FINAL.half2B)
	$(TRAIN_SHOW) transfer2B2A_1_6
	$(TRAIN) transfer2B2A_1_6
transfer2B2A_1_7: $(FINAL.transfer2B2A_1_7)
$(FINAL.transfer2B2A_1_7): | $(FINAL.half2B)
	$(TRAIN_SHOW) transfer2B2A_1_7
	$(TRAIN) transfer2B2A_1_7
transfer3A3A_1_1: $(FINAL.transfer3A3A_1_1)
$(FINAL.transfer3A3A_1_1): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3A_1_1
	$(TRAIN) transfer3A3A_1_1
transfer3A3A_1_2: $(FINAL.transfer3A3A_1_2)
$(FINAL.transfer3A3A_1_2): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3A_1_2
	$(TRAIN) transfer3A3A_1_2
transfer3A3A_1_3: $(FINAL.transfer3A3A_1_3)
$(FINAL.transfer3A3A_1_3): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3A_1_3
	$(TRAIN) transfer3A3A_1_3
transfer3A3A_1_4: $(FINAL.transfer3A3A_1_4)
$(FINAL.transfer3A3A_1_4): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3A_1_4
	$(TRAIN) transfer3A3A_1_4
transfer3A3A_1_5: $(FINAL.transfer3A3A_1_5)
$(FINAL.transfer3A3A_1_5): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3A_1_5
	$(TRAIN) transfer3A3A_1_5
transfer3A3A_1_6: $(FINAL.transfer3A3A_1_6)
$(FINAL.transfer3A3A_1_6): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3A_1_6
	$(TRAIN) transfer3A3A_1_6
transfer3A3A_1_7: $(FINAL.transfer3A3A_1_7)
$(FINAL.transfer3A3A_1_7): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3A_1_7
	$(TRAIN) transfer3A3A_1_7
transfer3A3B_1_1: $(FINAL.transfer3A3B_1_1)
$(FINAL.transfer3A3B_1_1): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3B_1_1
	$(TRAIN) transfer3A3B_1_1
transfer3A3B_1_2: $(FINAL.transfer3A3B_1_2)
$(FINAL.transfer3A3B_1_2): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3B_1_2
	$(TRAIN) transfer3A3B_1_2
transfer3A3B_1_3: $(FINAL.transfer3A3B_1_3)
$(FINAL.transfer3A3B_1_3): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3B_1_3
	$(TRAIN) transfer3A3B_1_3
transfer3A3B_1_4: $(FINAL.transfer3A3B_1_4)
$(FINAL.transfer3A3B_1_4): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3B_1_4
	$(TRAIN) transfer3A3B_1_4
transfer3A3B_1_5: $(FINAL.transfer3A3B_1_5)
$(FINAL.transfer3A3B_1_5): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3B_1_5
	$(TRAIN) transfer3A3B_1_5
transfer3A3B_1_6: $(FINAL.transfer3A3B_1_6)
$(FINAL.transfer3A3B_1_6): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3B_1_6
	$(TRAIN) transfer3A3B_1_6
transfer3A3B_1_7: $(FINAL.transfer3A3B_1_7)
$(FINAL.transfer3A3B_1_7): | $(FINAL.half3A)
	$(TRAIN_SHOW) transfer3A3B_1_7
	$(TRAIN) transfer3A3B_1_7
transfer3B3A_1_1: $(FINAL.transfer3B3A_1_1)
$(FINAL.transfer3B3A_1_1): | $(FINAL.half3B)
	$(TRAIN_SHOW) transfer3B3A_1_1
	$(TRAIN) transfer3B3A_1_1
transfer3B3A_1_2: $(FINAL.transfer3B3A_1_2)
$(FINAL.transfer3B3A_1_2): | $(FINAL.half3B)
	$(TRAIN_SHOW) transfer3B3A_1_2
	$(TRAIN) transfer3B3A_1_2
transfer3B3A_1_3: $(FINAL.transfer3B3A_1_3)
$(FINAL.transfer3B3A_1_3): | $(FINAL.half3B)
	$(TRAIN_SHOW) transfer3B3A_1_3
	$(TRAIN) transfer3B3A_1_3
transfer3B3A_1_4: $(FINAL.transfer3B3A_1_4)
$(FINAL.transfer3B3A_1_4): | $(FINAL.half3B)
	$(TRAIN_SHOW) transfer3B3A_1_4
	$(TRAIN) transfer3B3A_1_4
transfer3B3A_1_5: $(FINAL.transfer3B3A_1_5)
$(FINAL.transfer3B3A_1_5): | $(FINAL.half3B)
	$(TRAIN_SHOW) transfer3B3A_1_5
	$(TRAIN) transfer3B3A_1_5
transfer3B3A_1_6: $(FINAL.transfer3B3A_1_6)
$(FINAL.transfer3B3A_1_6): | $(FINAL.half3B)
	$(TRAIN_SHOW) transfer3B3A_1_6
	$(TRAIN) transfer3B3A_1_6
transfer3B3A_1_7: $(FINAL.transfer3B3A_1_7)
$(FINAL.transfer3B3A_1_7): | $(FINAL.half3B)
	$(TRAIN_SHOW) transfer3B3A_1_7
	$(TRAIN) transfer3B3A_1_7
transfer-ft0A0A_1_1: $(FINAL.transfer-ft0A0A_1_1)
$(FINAL.transfer-ft0A0A_1_1): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0A_1_1
	$(TRAIN) transfer-ft0A0A_1_1
transfer-ft0A0A_1_2: $(FINAL.transfer-ft0A0A_1_2)
$(FINAL.transfer-ft0A0A_1_2): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0A_1_2
	$(TRAIN) transfer-ft0A0A_1_2
transfer-ft0A0A_1_3: $(FINAL.transfer-ft0A0A_1_3)
$(FINAL.transfer-ft0A0A_1_3): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0A_1_3
	$(TRAIN) transfer-ft0A0A_1_3
transfer-ft0A0A_1_4: $(FINAL.transfer-ft0A0A_1_4)
$(FINAL.transfer-ft0A0A_1_4): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0A_1_4
	$(TRAIN) transfer-ft0A0A_1_4
transfer-ft0A0A_1_5: $(FINAL.transfer-ft0A0A_1_5)
$(FINAL.transfer-ft0A0A_1_5): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0A_1_5
	$(TRAIN) transfer-ft0A0A_1_5
transfer-ft0A0A_1_6: $(FINAL.transfer-ft0A0A_1_6)
$(FINAL.transfer-ft0A0A_1_6): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0A_1_6
	$(TRAIN) transfer-ft0A0A_1_6
transfer-ft0A0A_1_7: $(FINAL.transfer-ft0A0A_1_7)
$(FINAL.transfer-ft0A0A_1_7): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0A_1_7
	$(TRAIN) transfer-ft0A0A_1_7
transfer-ft0A0B_1_1: $(FINAL.transfer-ft0A0B_1_1)
$(FINAL.transfer-ft0A0B_1_1): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0B_1_1
	$(TRAIN) transfer-ft0A0B_1_1
transfer-ft0A0B_1_2: $(FINAL.transfer-ft0A0B_1_2)
$(FINAL.transfer-ft0A0B_1_2): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0B_1_2
	$(TRAIN) transfer-ft0A0B_1_2
transfer-ft0A0B_1_3: $(FINAL.transfer-ft0A0B_1_3)
$(FINAL.transfer-ft0A0B_1_3): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0B_1_3
	$(TRAIN) transfer-ft0A0B_1_3
transfer-ft0A0B_1_4: $(FINAL.transfer-ft0A0B_1_4)
$(FINAL.transfer-ft0A0B_1_4): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0B_1_4
	$(TRAIN) transfer-ft0A0B_1_4
transfer-ft0A0B_1_5: $(FINAL.transfer-ft0A0B_1_5)
$(FINAL.transfer-ft0A0B_1_5): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0B_1_5
	$(TRAIN) transfer-ft0A0B_1_5
transfer-ft0A0B_1_6: $(FINAL.transfer-ft0A0B_1_6)
$(FINAL.transfer-ft0A0B_1_6): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0B_1_6
	$(TRAIN) transfer-ft0A0B_1_6
transfer-ft0A0B_1_7: $(FINAL.transfer-ft0A0B_1_7)
$(FINAL.transfer-ft0A0B_1_7): | $(FINAL.half0A)
	$(TRAIN_SHOW) transfer-ft0A0B_1_7
	$(TRAIN) transfer-ft0A0B_1_7
transfer-ft0B0A_1_1: $(FINAL.transfer-ft0B0A_1_1)
$(FINAL.transfer-ft0B0A_1_1): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer-ft0B0A_1_1
	$(TRAIN) transfer-ft0B0A_1_1
transfer-ft0B0A_1_2: $(FINAL.transfer-ft0B0A_1_2)
$(FINAL.transfer-ft0B0A_1_2): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer-ft0B0A_1_2
	$(TRAIN) transfer-ft0B0A_1_2
transfer-ft0B0A_1_3: $(FINAL.transfer-ft0B0A_1_3)
$(FINAL.transfer-ft0B0A_1_3): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer-ft0B0A_1_3
	$(TRAIN) transfer-ft0B0A_1_3
transfer-ft0B0A_1_4: $(FINAL.transfer-ft0B0A_1_4)
$(FINAL.transfer-ft0B0A_1_4): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer-ft0B0A_1_4
	$(TRAIN) transfer-ft0B0A_1_4
transfer-ft0B0A_1_5: $(FINAL.transfer-ft0B0A_1_5)
$(FINAL.transfer-ft0B0A_1_5): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer-ft0B0A_1_5
	$(TRAIN) transfer-ft0B0A_1_5
transfer-ft0B0A_1_6: $(FINAL.transfer-ft0B0A_1_6)
$(FINAL.transfer-ft0B0A_1_6): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer-ft0B0A_1_6
	$(TRAIN) transfer-ft0B0A_1_6
transfer-ft0B0A_1_7: $(FINAL.transfer-ft0B0A_1_7)
$(FINAL.transfer-ft0B0A_1_7): | $(FINAL.half0B)
	$(TRAIN_SHOW) transfer-ft0B0A_1_7
	$(TRAIN) transfer-ft0B0A_1_7
transfer-ft1A1A_1_1: $(FINAL.transfer-ft1A1A_1_1)
$(FINAL.transfer-ft1A1A_1_1): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1A_1_1
	$(TRAIN) transfer-ft1A1A_1_1
transfer-ft1A1A_1_2: $(FINAL.transfer-ft1A1A_1_2)
$(FINAL.transfer-ft1A1A_1_2): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1A_1_2
	$(TRAIN) transfer-ft1A1A_1_2
transfer-ft1A1A_1_3: $(FINAL.transfer-ft1A1A_1_3)
$(FINAL.transfer-ft1A1A_1_3): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1A_1_3
	$(TRAIN) transfer-ft1A1A_1_3
transfer-ft1A1A_1_4: $(FINAL.transfer-ft1A1A_1_4)
$(FINAL.transfer-ft1A1A_1_4): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1A_1_4
	$(TRAIN) transfer-ft1A1A_1_4
transfer-ft1A1A_1_5: $(FINAL.transfer-ft1A1A_1_5)
$(FINAL.transfer-ft1A1A_1_5): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1A_1_5
	$(TRAIN) transfer-ft1A1A_1_5
transfer-ft1A1A_1_6: $(FINAL.transfer-ft1A1A_1_6)
$(FINAL.transfer-ft1A1A_1_6): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1A_1_6
	$(TRAIN) transfer-ft1A1A_1_6
transfer-ft1A1A_1_7: $(FINAL.transfer-ft1A1A_1_7)
$(FINAL.transfer-ft1A1A_1_7): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1A_1_7
	$(TRAIN) transfer-ft1A1A_1_7
transfer-ft1A1B_1_1: $(FINAL.transfer-ft1A1B_1_1)
$(FINAL.transfer-ft1A1B_1_1): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1B_1_1
	$(TRAIN) transfer-ft1A1B_1_1
transfer-ft1A1B_1_2: $(FINAL.transfer-ft1A1B_1_2)
$(FINAL.transfer-ft1A1B_1_2): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1B_1_2
	$(TRAIN) transfer-ft1A1B_1_2
transfer-ft1A1B_1_3: $(FINAL.transfer-ft1A1B_1_3)
$(FINAL.transfer-ft1A1B_1_3): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1B_1_3
	$(TRAIN) transfer-ft1A1B_1_3
transfer-ft1A1B_1_4: $(FINAL.transfer-ft1A1B_1_4)
$(FINAL.transfer-ft1A1B_1_4): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1B_1_4
	$(TRAIN) transfer-ft1A1B_1_4
transfer-ft1A1B_1_5: $(FINAL.transfer-ft1A1B_1_5)
$(FINAL.transfer-ft1A1B_1_5): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1B_1_5
	$(TRAIN) transfer-ft1A1B_1_5
transfer-ft1A1B_1_6: $(FINAL.transfer-ft1A1B_1_6)
$(FINAL.transfer-ft1A1B_1_6): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1B_1_6
	$(TRAIN) transfer-ft1A1B_1_6
transfer-ft1A1B_1_7: $(FINAL.transfer-ft1A1B_1_7)
$(FINAL.transfer-ft1A1B_1_7): | $(FINAL.half1A)
	$(TRAIN_SHOW) transfer-ft1A1B_1_7
	$(TRAIN) transfer-ft1A1B_1_7
transfer-ft1B1A_1_1: $(FINAL.transfer-ft1B1A_1_1)
$(FINAL.transfer-ft1B1A_1_1): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer-ft1B1A_1_1
	$(TRAIN) transfer-ft1B1A_1_1
transfer-ft1B1A_1_2: $(FINAL.transfer-ft1B1A_1_2)
$(FINAL.transfer-ft1B1A_1_2): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer-ft1B1A_1_2
	$(TRAIN) transfer-ft1B1A_1_2
transfer-ft1B1A_1_3: $(FINAL.transfer-ft1B1A_1_3)
$(FINAL.transfer-ft1B1A_1_3): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer-ft1B1A_1_3
	$(TRAIN) transfer-ft1B1A_1_3
transfer-ft1B1A_1_4: $(FINAL.transfer-ft1B1A_1_4)
$(FINAL.transfer-ft1B1A_1_4): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer-ft1B1A_1_4
	$(TRAIN) transfer-ft1B1A_1_4
transfer-ft1B1A_1_5: $(FINAL.transfer-ft1B1A_1_5)
$(FINAL.transfer-ft1B1A_1_5): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer-ft1B1A_1_5
	$(TRAIN) transfer-ft1B1A_1_5
transfer-ft1B1A_1_6: $(FINAL.transfer-ft1B1A_1_6)
$(FINAL.transfer-ft1B1A_1_6): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer-ft1B1A_1_6
	$(TRAIN) transfer-ft1B1A_1_6
transfer-ft1B1A_1_7: $(FINAL.transfer-ft1B1A_1_7)
$(FINAL.transfer-ft1B1A_1_7): | $(FINAL.half1B)
	$(TRAIN_SHOW) transfer-ft1B1A_1_7
	$(TRAIN) transfer-ft1B1A_1_7
transfernatmanAB_1_1: $(FINAL.transfernatmanAB_1_1)
$(FINAL.transfernatmanAB_1_1): | $(FINAL.halfnatmanA)
	$(TRAIN_SHOW) transfernatmanAB_1_1
	$(TRAIN) transfernatmanAB_1_1
transfernatmanAB_1_2: $(FINAL.transfernatmanAB_1_2)
$(FINAL.transfernatmanAB_1_2): | $(FINAL.halfnatmanA)
	$(TRAIN_SHOW) transfernatmanAB_1_2
	$(TRAIN) transfernatmanAB_1_2
transfernatmanAB_1_3: $(FINAL.transfernatmanAB_1_3)
$(FINAL.transfernatmanAB_1_3): | $(FINAL.halfnatmanA)
	$(TRAIN_SHOW) transfernatmanAB_1_3
	$(TRAIN) transfernatmanAB_1_3
transfernatmanAB_1_4: $(FINAL.transfernatmanAB_1_4)
$(FINAL.transfernatmanAB_1_4): | $(FINAL.halfnatmanA)
	$(TRAIN_SHOW) transfernatmanAB_1_4
	$(TRAIN) transfernatmanAB_1_4
transfernatmanAB_1_5: $(FINAL.transfernatmanAB_1_5)
$(FINAL.transfernatmanAB_1_5): | $(FINAL.halfnatmanA)
	$(TRAIN_SHOW) transfernatmanAB_1_5
	$(TRAIN) transfernatmanAB_1_5
transfernatmanAB_1_6: $(FINAL.transfernatmanAB_1_6)
$(FINAL.transfernatmanAB_1_6): | $(FINAL.halfnatmanA)
	$(TRAIN_SHOW) transfernatmanAB_1_6
	$(TRAIN) transfernatmanAB_1_6
transfernatmanAB_1_7: $(FINAL.transfernatmanAB_1_7)
$(FINAL.transfernatmanAB_1_7): | $(FINAL.halfnatmanA)
	$(TRAIN_SHOW) transfernatmanAB_1_7
	$(TRAIN) transfernatmanAB_1_7
transfernatmanBA_1_1: $(FINAL.transfernatmanBA_1_1)
$(FINAL.transfernatmanBA_1_1): | $(FINAL.halfnatmanB)
	$(TRAIN_SHOW) transfernatmanBA_1_1
	$(TRAIN) transfernatmanBA_1_1
transfernatmanBA_1_2: $(FINAL.transfernatmanBA_1_2)
$(FINAL.transfernatmanBA_1_2): | $(FINAL.halfnatmanB)
	$(TRAIN_SHOW) transfernatmanBA_1_2
	$(TRAIN) transfernatmanBA_1_2
transfernatmanBA_1_3: $(FINAL.transfernatmanBA_1_3)
$(FINAL.transfernatmanBA_1_3): | $(FINAL.halfnatmanB)
	$(TRAIN_SHOW) transfernatmanBA_1_3
	$(TRAIN) transfernatmanBA_1_3
transfernatmanBA_1_4: $(FINAL.transfernatmanBA_1_4)
$(FINAL.transfernatmanBA_1_4): | $(FINAL.halfnatmanB)
	$(TRAIN_SHOW) transfernatmanBA_1_4
	$(TRAIN) transfernatmanBA_1_4
transfernatmanBA_1_5: $(FINAL.transfernatmanBA_1_5)
$(FINAL.transfernatmanBA_1_5): | $(FINAL.halfnatmanB)
	$(TRAIN_SHOW) transfernatmanBA_1_5
	$(TRAIN) transfernatmanBA_1_5
transfernatmanBA_1_6: $(FINAL.transfernatmanBA_1_6)
$(FINAL.transfernatmanBA_1_6): | $(FINAL.halfnatmanB)
	$(TRAIN_SHOW) transfernatmanBA_1_6
	$(TRAIN) transfernatmanBA_1_6
transfernatmanBA_1_7: $(FINAL.transfernatmanBA_1_7)
$(FINAL.transfernatmanBA_1_7): | $(FINAL.halfnatmanB)
	$(TRAIN_SHOW) transfernatmanBA_1_7
	$(TRAIN) transfernatmanBA_1_7
nolearn_1_1: $(FINAL.nolearn_1_1)
$(FINAL.nolearn_1_1):
	$(TRAIN_SHOW) nolearn_1_1
	$(TRAIN) nolearn_1_1
nolearn_1_2: $(FINAL.nolearn_1_2)
$(FINAL.nolearn_1_2):
	$(TRAIN_SHOW) nolearn_1_2
	$(TRAIN) nolearn_1_2
nolearn_1_3: $(FINAL.nolearn_1_3)
$(FINAL.nolearn_1_3):
	$(TRAIN_SHOW) nolearn_1_3
	$(TRAIN) nolearn_1_3
nolearn_1_4: $(FINAL.nolearn_1_4)
$(FINAL.nolearn_1_4):
	$(TRAIN_SHOW) nolearn_1_4
	$(TRAIN) nolearn_1_4
nolearn_1_5: $(FINAL.nolearn_1_5)
$(FINAL.nolearn_1_5):
	$(TRAIN_SHOW) nolearn_1_5
	$(TRAIN) nolearn_1_5
nolearn_1_6: $(FINAL.nolearn_1_6)
$(FINAL.nolearn_1_6):
	$(TRAIN_SHOW) nolearn_1_6
	$(TRAIN) nolearn_1_6
nolearn_1_7: $(FINAL.nolearn_1_7)
$(FINAL.nolearn_1_7):
	$(TRAIN_SHOW) nolearn_1_7
	$(TRAIN) nolearn_1_7
