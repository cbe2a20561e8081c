"""experiments.mk, the make fragment with one target per network of the catalog
(its final snapshot), one per group, and each transfer net's order-only
prerequisite on its base's final snapshot: make is the study's one scheduler
(make NAME, make -j4 GROUP, make demo).

    from transfer_study.nets import catalog
    from transfer_study.runs import makefile
    text = makefile.experiments_mk(catalog.load())     # the committed experiments.mk
"""
import os

from transfer_study import files, layout


MK_HEADER = """\
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
"""


def experiments_mk(cat):
    """The text of experiments.mk for the catalog."""
    out = [MK_HEADER]
    out.append("# max_iter of each schedule in each profile (the final snapshot's number)")
    for p in cat.profiles():
        for s, sched in sorted(cat.profile(p)["schedules"].items()):
            out.append("MAX_ITER.%s.%s := %d" % (p, s, sched["max_iter"]))
    out.append("ifeq ($(MAX_ITER.$(PROFILE).%s),)" % sorted(cat.profile("paper")["schedules"])[0])
    out.append("$(error PROFILE=$(PROFILE) is not a profile of experiments.yaml (%s))"
               % ", ".join(cat.profiles()))
    out.append("endif")
    out.append("")
    out.append("NETWORK_NAMES := %s" % " ".join(cat.names()))
    out.append("")
    out.append("# final snapshot of each network under $(ROOT) for $(PROFILE)")
    for e in cat.experiments():
        out.append("FINAL.%s = %s" % (e.name, final_snapshot(e)))
    out.append("")
    out.append("# group targets")
    for g in cat.groups():
        out.append("GROUP.%s := %s" % (g, " ".join(cat.group(g))))
    out.append("")
    out.append(".PHONY: $(NETWORK_NAMES) %s" % " ".join(cat.groups()))
    for g in cat.groups():
        out.append("%s: $(GROUP.%s)" % (g, g))
    out.append("")
    out.append("# make never deletes a snapshot, even when interrupted")
    out.append(".PRECIOUS: $(foreach n,$(NETWORK_NAMES),$(FINAL.$(n)))")
    out.append("")
    for e in cat.experiments():
        out.append("%s: $(FINAL.%s)" % (e.name, e.name))
        deps = "".join(" $(FINAL.%s)" % d for d in e.depends)
        out.append("$(FINAL.%s):%s" % (e.name, " |" + deps if deps else ""))
        out.append("\t$(TRAIN_SHOW) %s" % e.name)
        out.append("\t$(TRAIN) %s" % e.name)
    return "\n".join(out) + "\n"


def final_snapshot(exp):
    """The make expression of a network's final snapshot under $(ROOT), $(PROFILE)."""
    return layout.final_snapshot("$(ROOT)", exp.name, "$(MAX_ITER.$(PROFILE).%s)" % exp.schedule)


def write_experiments_mk(cat, path):
    text = experiments_mk(cat)
    old = None
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    if old == text:
        return False
    files.write_atomic(path, text)
    return True
