"""Our runs against the original study's, network by network.

The reference (reference/original_2014.csv, committed) holds the original
runs' numbers as this project's own log parser reads them from a clone of
the original repository (yosinski/convnet_transfer, results/<name>/*.gz):
the mean of the 10 best test passes, truncated as Table S1 prints it (and
exact), the final test pass's accuracy, the number of test passes and the
last iteration.  The reduced-n networks' logs were not published with the
rest: their reference is the supplementary's Table S1 (top-1 only).

    make reference-2014 ORIGINAL=<clone, or its results/>   rewrites the reference
    make results                                            scorecard.{md,csv,png}

The scorecard lists every network that has test passes, ours vs 2014, the
difference and whether it lies within the spread the study itself shows
between runs that should be equal: the range (max - min) of the 2014 values
of the network's peers -- the eight base halves for a base half, the
networks of the same treatment and n for a transfer net on the random
halves (the 8 AnB at n = 3, say).  A network without such peers (netbase,
the natural/man-made nets, the random-filter nets) is measured against the
eight base halves' spread: the study's run-to-run spread for a network
trained from the same recipe.  The reduced-n networks are not judged: Table
S1 holds one run per n, so it shows no spread, and the base halves' 0.019 is
larger than most of their values.
"""
import csv
import io
import os
from decimal import Decimal

from transfer_study import PROJECT_ROOT, files
from transfer_study import caffelog as logparse
from transfer_study import metric
from transfer_study.results import plotting, tables
from transfer_study.results.plotting import plt

REFERENCE = os.path.join(PROJECT_ROOT, "reference", "original_2014.csv")
REFERENCE_COMMAND = ("make reference-2014 ORIGINAL=<a clone of yosinski/convnet_transfer, "
                     "or its results/ folder>")
REFERENCE_COLUMNS = ["network", "top10_mean", "top10_mean_exact", "final_acc", "test_passes",
                     "last_iter", "source"]
# What the per-network numbers are compared on (Table S1 rows: top10_mean only).
NUMBERS = ("top10_mean", "final_acc", "test_passes", "last_iter")
FALLBACK_PEERS = "halves"
# Groups whose reference shows no spread at all: not judged.
UNJUDGED = {"reduced": "none: Table S1 holds one run per n"}

SCORECARD_COLUMNS = ["network", "status", "top10_mean", "top10_mean_2014", "difference",
                     "spread_2014", "spread_of", "within_spread", "final_acc", "final_acc_2014",
                     "test_passes", "test_passes_2014", "last_iter", "last_iter_2014",
                     "reference"]


def resolve_original(path):
    """The directory of <network>/ log directories in a clone of the original
    repository (its results/) or that folder itself; ResultsError otherwise."""
    if not path:
        raise tables.ResultsError("say where the original study's logs are: ORIGINAL=<a clone "
                                  "of yosinski/convnet_transfer, or its results/ folder>")
    if not os.path.isdir(path):
        raise tables.ResultsError("%s: no such directory (ORIGINAL= should be a clone of "
                                  "yosinski/convnet_transfer, or its results/ folder)" % path)
    for d in (os.path.join(path, "results"), path):
        if os.path.isdir(d) and any(logparse.log_files(os.path.join(d, n))
                                    for n in sorted(os.listdir(d))):
            return d
    raise tables.ResultsError(
        "%s holds no results/<network>/*.gz logs: ORIGINAL= should be a clone of "
        "yosinski/convnet_transfer (with its results/ folder), or that results/ folder" % path)


# ------------------------------------------------------------ the reference ---

def _number(x):
    """A logged value as the log printed it (repr of the parsed float)."""
    return "" if x is None else str(metric.logged(x))


def reference_rows(rows):
    """Reference lines {column: text} from the parsed original logs (tables.collect rows):
    every network with test passes, then Table S1 for the reduced-n networks."""
    out = []
    for r in rows:
        if r.group == "reduced" or r.run is None or not r.run.test_acc:
            continue
        out.append(dict(network=r.name, top10_mean=metric.truncate5(r.top10),
                        top10_mean_exact=str(r.top10), final_acc=_number(r.final_acc),
                        test_passes=str(len(r.run.test_iters)), last_iter=str(r.run.last_iter),
                        source="logs"))
    reduced = tables.reduced_networks()
    for n, value in tables.PAPER_TABLE_S1:
        out.append(dict(network=reduced[n], top10_mean="%.5f" % value,
                        top10_mean_exact="", final_acc="", test_passes="", last_iter="",
                        source="Table S1"))
    return out


def _csv_text(header, lines):
    buf = io.StringIO()
    w = csv.DictWriter(buf, header, lineterminator="\n")
    w.writeheader()
    for line in lines:
        w.writerow(line)
    return buf.getvalue()


def write_reference(rows, path=REFERENCE):
    lines = reference_rows(rows)
    head = ("# The original study's runs (Yosinski et al. 2014), per network, as this project's\n"
            "# log parser reads them from the original repository's results/<name>/*.gz;\n"
            "# reduced-* from the supplementary's Table S1.  top10_mean is the paper's metric\n"
            "# (mean of the 10 best test passes, truncated to 5 decimals), top10_mean_exact the\n"
            "# exact mean.  Regenerate with\n#   %s\n" % REFERENCE_COMMAND)
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    files.write_atomic(path, head + _csv_text(REFERENCE_COLUMNS, lines))
    return path


def load_reference(path=REFERENCE):
    """{network: {column: text}} of a reference CSV; ResultsError naming file:line."""
    try:
        with open(path) as f:
            text = f.read()
    except (IOError, OSError) as e:
        raise tables.ResultsError("cannot read the reference %s: %s (regenerate it with %s)"
                                  % (path, e.strerror or e, REFERENCE_COMMAND))
    numbered = [(i + 1, line) for i, line in enumerate(text.splitlines())
                if line.strip() and not line.startswith("#")]
    if not numbered:
        raise tables.ResultsError("%s: no header line" % path)
    reader = csv.reader([line for _, line in numbered])
    header = next(reader)
    if header != REFERENCE_COLUMNS:
        raise tables.ResultsError("%s:%d: the header must be %s" % (
            path, numbered[0][0], ",".join(REFERENCE_COLUMNS)))
    out = {}
    for (lineno, _), fields in zip(numbered[1:], reader):
        if len(fields) != len(header):
            raise tables.ResultsError("%s:%d: %d fields, expected %d" % (
                path, lineno, len(fields), len(header)))
        line = dict(zip(header, fields))
        try:
            Decimal(line["top10_mean"])
            for k in ("test_passes", "last_iter"):
                if line[k]:
                    int(line[k])
        except Exception:
            raise tables.ResultsError("%s:%d: not a number in %s" % (path, lineno, fields))
        if line["network"] in out:
            raise tables.ResultsError("%s:%d: %s is listed twice" % (path, lineno, line["network"]))
        out[line["network"]] = line
    return out


# ------------------------------------------------------------ the scorecard ---

def peers(cat, name):
    """(label, [names]) of the networks that the study ran as repeats of this one's
    treatment; ('halves', the eight base halves) where it has none."""
    e = cat.get(name)
    for g in ("halves", "transfers-frozen", "transfers-ft"):
        members = cat.group(g)
        if name not in members:
            continue
        if g == "halves":
            return g, members
        selffer = cat.get(e.base).train_set == e.train_set
        same = [m for m in members if cat.get(m).n == e.n
                and (cat.get(cat.get(m).base).train_set == cat.get(m).train_set) == selffer]
        label = "%s %s, n=%d" % (g, "selffer" if selffer else "transfer", e.n)
        return label, same
    return FALLBACK_PEERS, cat.group(FALLBACK_PEERS)


def _spread(ref, names):
    values = [Decimal(ref[n]["top10_mean"]) for n in names if n in ref]
    return (max(values) - min(values), len(values)) if len(values) >= 2 else (None, len(values))


def scorecard(rows, ref, cat):
    """One entry {column: value} per network with test passes (catalog order)."""
    out = []
    for r in rows:
        if r.top10 is None or r.name not in cat:
            continue
        ours = Decimal(metric.truncate5(r.top10))
        theirs = ref.get(r.name)
        unjudged = UNJUDGED.get(cat.get(r.name).group)
        label, group = peers(cat, r.name)
        spread, count = (None, 0) if unjudged else _spread(ref, group)
        if spread is None and not unjudged:
            label, group = FALLBACK_PEERS, cat.group(FALLBACK_PEERS)
            spread, count = _spread(ref, group)
        entry = dict(network=r.name, status=r.status, top10_mean=ours,
                     final_acc=metric.logged(r.final_acc), test_passes=len(r.run.test_iters),
                     last_iter=r.run.last_iter, spread_2014=spread,
                     spread_of=("%s (%d runs)" % (label, count) if spread is not None
                                else unjudged or ""),
                     top10_mean_2014=None, difference=None, within_spread=None,
                     final_acc_2014=None, test_passes_2014=None, last_iter_2014=None,
                     reference="")
        if theirs is not None:
            entry["reference"] = theirs["source"]
            entry["top10_mean_2014"] = Decimal(theirs["top10_mean"])
            entry["difference"] = ours - entry["top10_mean_2014"]
            if spread is not None:
                entry["within_spread"] = abs(entry["difference"]) <= spread
            if theirs["final_acc"]:
                entry["final_acc_2014"] = Decimal(theirs["final_acc"])
            for k in ("test_passes", "last_iter"):
                if theirs[k]:
                    entry[k + "_2014"] = int(theirs[k])
        out.append(entry)
    return out


def identical(entry):
    """True when every number the reference has for the network equals ours."""
    if entry["top10_mean_2014"] is None:
        return False
    return all(entry[k + "_2014"] is None or entry[k + "_2014"] == entry[k] for k in NUMBERS)


def _text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _signed(d):
    return "" if d is None else "%+.5f" % d


def write_scorecard(entries, out_dir, reference_path=REFERENCE, source=None):
    """scorecard.csv, scorecard.md and scorecard.png/.pdf in out_dir; returns the paths."""
    csv_path = os.path.join(out_dir, "scorecard.csv")
    files.write_atomic(csv_path, _csv_text(SCORECARD_COLUMNS, [
        dict((k, _signed(e[k]) if k == "difference" else _text(e[k])) for k in SCORECARD_COLUMNS)
        for e in entries]))
    source = source or plotting.Source()
    compared = [e for e in entries if e["top10_mean_2014"] is not None]
    judged = [e for e in compared if e["within_spread"] is not None]
    within = [e for e in judged if e["within_spread"]]
    same = [e for e in compared if identical(e)]
    lines = [
        ("# Scorecard: the 2014 logs, as this project's parser reads them, against the "
         "reference" if source.original else
         "# Scorecard: %s against the original study (Yosinski et al. 2014)"
         % source.describe()),
        "",
        "Top-1 = mean of the 10 best test passes, truncated to 5 decimals (Table S1's metric).",
        "2014 = %s (the original runs' logs; reduced-n: Table S1)."
        % os.path.relpath(reference_path, PROJECT_ROOT),
        "Spread = max - min of the 2014 top-1 of runs the study made of the same treatment;",
        "networks without repeats are held to the spread of the eight base halves, except the",
        "reduced-n networks: Table S1 has one run per n, so they are not judged.",
    ]
    if not source.paper_scale:
        lines.append("Profile %s: the 2014 values are the paper's 1000-class runs, so "
                     "differences measure the profile, not the reproduction." % source.profile)
    lines += [
        "",
        "%d networks with test passes; %d with a 2014 value: %d within the study's spread, "
        "%d outside; %d identical to 2014 in every number the reference holds."
        % (len(entries), len(compared), len(within), len(judged) - len(within), len(same)),
        "%d not judged (no spread in the reference)." % (len(compared) - len(judged)),
        "",
        "| network | status | top-1 | 2014 | difference | spread 2014 | within | "
        "final | final 2014 | passes | passes 2014 | last iter | last iter 2014 |",
        "|:--|:--|--:|--:|--:|--:|:-:|--:|--:|--:|--:|--:|--:|",
    ]
    for e in entries:
        lines.append("| %s |" % " | ".join([
            e["network"], e["status"], _text(e["top10_mean"]), _text(e["top10_mean_2014"]),
            _signed(e["difference"]), _text(e["spread_2014"]), _text(e["within_spread"]),
            _text(e["final_acc"]), _text(e["final_acc_2014"]), _text(e["test_passes"]),
            _text(e["test_passes_2014"]), _text(e["last_iter"]), _text(e["last_iter_2014"])]))
    md_path = os.path.join(out_dir, "scorecard.md")
    files.write_atomic(md_path, "\n".join(lines) + "\n")
    return [csv_path, md_path] + scorecard_figure(entries, out_dir, source)


def axis_limits(pts):
    """(lo, hi) of both axes: every point inside, with a margin."""
    values = [float(e[k]) for e in pts for k in ("top10_mean", "top10_mean_2014")]
    lo, hi = (min(values), max(values)) if values else (0.0, 0.7)
    pad = 0.04 * ((hi - lo) or 0.1)
    return lo - pad, hi + pad


def scorecard_figure(entries, out_dir, source=None):
    """Ours vs 2014, one point per network, with the line y = x; the axes fit every
    point and the caption counts what is drawn."""
    source = source or plotting.Source()
    fig, ax = plt.subplots(figsize=(7.5, 8.2))
    pts = [e for e in entries if e["top10_mean_2014"] is not None]
    lo, hi = axis_limits(pts)
    ax.plot([lo, hi], [lo, hi], "-", color="0.5", lw=1, label="y = x (same as 2014)", zorder=1)
    band = [e["spread_2014"] for e in pts if e["spread_of"].startswith(FALLBACK_PEERS)]
    if band:
        s = float(band[0])
        ax.fill_between([lo, hi], [lo - s, hi - s], [lo + s, hi + s], color="0.88", zorder=0,
                        label="\u00b1 spread of the eight 2014 base halves (%.5f)" % s)
    kinds = (("done", "finished networks", dict(color="#1f3f9f")),
             ("other", "unfinished (translucent, dashed edge)",
              dict(color="#1f3f9f", alpha=0.45, linestyles="dashed", edgecolors="0.35")))
    counts = []
    for kind, label, style in kinds:
        mine = [e for e in pts if (e["status"] == "done") == (kind == "done")]
        if mine:
            ax.scatter([float(e["top10_mean_2014"]) for e in mine],
                       [float(e["top10_mean"]) for e in mine], s=24, zorder=3,
                       label="%s (%d)" % (label, len(mine)), **style)
            counts.append("%d %s" % (len(mine), label.split(" (")[0]))
    if not pts:
        plotting.no_data(ax, "networks with a 2014 value")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("2014 top-1 (original study)")
    ax.set_ylabel("%s top-1" % ("2014 logs'" if source.original else "this run's"))
    ax.set_title("Scorecard: each network against its original run")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    what = source.describe()
    notes = ["%s: %d of %d networks with test passes drawn (%s)%s." % (
        what[0].upper() + what[1:], len(pts), len(entries), ", ".join(counts) or "none",
        "; the others have no 2014 value" if len(pts) < len(entries) else "")]
    if not source.paper_scale:
        notes.append("2014 = the paper's 1000-class runs; this profile's accuracies differ.")
    plotting.caption(fig, notes, fontsize=8)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return plotting.save(fig, os.path.join(out_dir, "scorecard"), ("png", "pdf"))
