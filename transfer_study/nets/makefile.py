"""experiments.mk, the make fragment with one target per network of the catalog,
one per group, and each transfer net's prerequisite on its base: make is the
study's one scheduler (make NAME, make -j4 GROUP, make demo).

    from transfer_study.nets import catalog
    from transfer_study.nets import makefile
    text = makefile.experiments_mk(catalog.load())     # the committed experiments.mk
"""
import os

from transfer_study import files


MK_HEADER = """\
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
"""


def experiments_mk(cat):
    """The text of experiments.mk for the catalog."""
    out = [MK_HEADER]
    out.append("PROFILES := %s" % " ".join(cat.profiles()))
    out.append("ifeq ($(filter $(PROFILE),$(PROFILES)),)")
    out.append("$(error PROFILE=$(PROFILE) is not a profile of experiments.yaml (%s))"
               % ", ".join(cat.profiles()))
    out.append("endif")
    out.append("")
    out.append("NETWORK_NAMES := %s" % " ".join(cat.names()))
    out.append("")
    out.append("# group targets")
    for g in cat.groups():
        out.append("GROUP.%s := %s" % (g, " ".join(cat.group(g))))
    out.append("")
    out.append(".PHONY: $(NETWORK_NAMES) %s" % " ".join(cat.groups()))
    for g in cat.groups():
        out.append("%s: $(GROUP.%s)" % (g, g))
    out.append("")
    for e in cat.experiments():
        out.append("%s:%s" % (e.name, "".join(" " + d for d in e.depends)))
        out.append("\t$(TRAIN_SHOW) %s" % e.name)
        out.append("\t$(TRAIN) %s" % e.name)
    return "\n".join(out) + "\n"


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
