#!/usr/bin/env python3
"""Generate the Caffe net and solver prototxts of the study from experiments.yaml.

  scripts/make_prototxts.py                    all 170 networks, paper profile, into this checkout
  scripts/make_prototxts.py half0A transfers   some networks or groups (base, halves, natman,
                                               reduced, transfers, transfers-frozen, transfers-ft,
                                               transfers-natman, random-filters, all-networks)
  scripts/make_prototxts.py --profile tiny --root demo   the small CPU profile elsewhere
  scripts/make_prototxts.py --check            list files that differ from the catalog (exit 1)
  scripts/make_prototxts.py --list             names, groups, dependencies

Writes <root>/prototxt/<name>/{train_val,deploy}.prototxt and <root>/solvers/<name>.prototxt.
A file you edited is kept (and reported) unless --force.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from transfer_study import PROJECT_ROOT, layout  # noqa: E402
from transfer_study.nets import catalog


def do_list(cat, names):
    for name in names:
        e = cat.get(name)
        print("%-22s %-15s %-12s %s" % (name, e.group, ",".join(e.depends) or "-", e.describe()))


def do_check(cat, root, profile, names, full):
    from transfer_study.nets import netgen  # pycaffe: only when files are made or compared
    problems = netgen.check_files(cat, root, profile, None if names == cat.names() else names)
    for rel, problem, diff in problems:
        print("%s: %s" % (rel, problem))
        shown = diff if full else diff[:40]
        for line in shown:
            print("    " + line)
        if len(diff) > len(shown):
            print("    ... %d more diff lines (--full shows all)" % (len(diff) - len(shown)))
    n_files = 3 * len(names)
    if problems:
        print("%d problem(s) in %s (%d files expected); 'make prototxts' regenerates stale and "
              "missing files, FORCE=1 also edited ones" % (len(problems), root, n_files))
        return 1
    print("all %d files of %d networks under %s match the catalog (profile %s)"
          % (n_files, len(names), root, profile))
    return 0


def do_write(cat, root, profile, names, force):
    from tqdm import tqdm
    from transfer_study.nets import netgen
    counts = {}
    kept = []
    for name in tqdm(names, desc="prototxts", unit="net", file=sys.stderr,
                     disable=len(names) < 5):
        for path, status in netgen.generate(cat, name, root, profile, force):
            counts[status] = counts.get(status, 0) + 1
            if status in ("kept-edited", "overwrote-edited"):
                kept.append((path, status))
    for path, status in kept:
        print("%s %s" % ("kept your edited" if status == "kept-edited" else "overwrote edited",
                         os.path.relpath(path, root)))
    print("%d networks, profile %s, under %s: %s" % (
        len(names), profile, root, ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items()))))
    if any(s == "kept-edited" for _, s in kept):
        print("edited files were kept; FORCE=1 make prototxts (or --force) regenerates them, "
              "make check-prototxts shows the differences")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="experiments or groups (default: all 170 networks)")
    p.add_argument("--profile", default="paper", help="'paper' (default) or 'tiny'")
    p.add_argument("--root", default=PROJECT_ROOT,
                   help="directory holding prototxt/ and solvers/ (default: this checkout)")
    p.add_argument("--catalog", default=None, help="the catalog (default: experiments.yaml)")
    p.add_argument("--force", action="store_true", help="also overwrite files you edited")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="write nothing; list every file that differs from the catalog, exit 1 if any")
    mode.add_argument("--list", action="store_true", help="print names, groups and dependencies")
    p.add_argument("--full", action="store_true", help="with --check: print whole diffs")
    args = p.parse_args(argv)
    try:
        cat = catalog.load(args.catalog)
        cat.profile(args.profile)
        names = cat.expand(args.names) or cat.names()
        if args.list:
            do_list(cat, names)
            return 0
        root = os.path.abspath(args.root)
        if args.check:
            return do_check(cat, root, args.profile, names, args.full)
        return do_write(cat, root, args.profile, names, args.force)
    except (catalog.CatalogError, layout.LayoutError) as e:
        print("%s: error: %s" % (os.path.basename(sys.argv[0]), e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
