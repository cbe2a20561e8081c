#!/usr/bin/env python3
"""Generate the Caffe net and solver prototxts of the study from experiments.yaml.

  scripts/make_prototxts.py                    all 170 networks, paper profile, into this checkout
  scripts/make_prototxts.py half0A transfers   some networks or groups (base, halves, natman,
                                               reduced, transfers, transfers-frozen, transfers-ft,
                                               transfers-natman, random-filters, all-networks)
  scripts/make_prototxts.py --profile tiny --root demo   the small CPU profile elsewhere
  scripts/make_prototxts.py --check            list files that differ from the catalog, with diffs:
                                               exit 1 for a file Caffe cannot read, a missing or a
                                               stale one; edits that parse only with --strict
  scripts/make_prototxts.py --list             names, groups, dependencies

Writes <root>/prototxt/<name>/{train_val,deploy}.prototxt and <root>/solvers/<name>.prototxt.
A file you edited is kept (and reported) unless --force.
"""
import argparse
import os
import sys

from transfer_study import PROJECT_ROOT, cli, layout
from transfer_study.nets import catalog


def do_list(cat, names):
    for name in names:
        e = cat.get(name)
        print("%-22s %-15s %-12s %s" % (name, e.group, ",".join(e.depends) or "-", e.describe()))


def readable(root, rel):
    """None when Caffe can read the file, else "file:line:column: message"."""
    from transfer_study.nets import netgen, prototxt
    read = netgen.read_solver if rel.startswith(layout.SOLVERS + os.sep) else netgen.read_net
    try:
        read(os.path.join(root, rel))
    except prototxt.Unreadable as e:
        return e.where(root)
    return None


def network_of(rel):
    """The network a root-relative prototxt or solver path belongs to."""
    parts = rel.split(os.sep)
    return parts[1] if parts[0] == layout.PROTOTXT else os.path.splitext(parts[-1])[0]


def do_check(cat, root, profile, names, full, strict=False):
    """List every file that differs from the catalog.  Exit 1 for a file Caffe
    cannot read (broken, missing) or that an older catalog made (stale); an
    edit that parses is the user's and is only listed, unless strict."""
    from transfer_study.nets import netgen  # pycaffe: only when files are made or compared
    problems = netgen.check_files(cat, root, profile, None if names == cat.names() else names)
    errors, edits = [], []
    for rel, problem, diff in problems:
        if problem in ("edited", "stale", "not in the catalog") and \
                os.path.isfile(os.path.join(root, rel)):
            why = readable(root, rel)
            if why:
                problem = "broken: %s" % why
        (edits if problem in ("edited", "not in the catalog") else errors).append(rel)
        print("%s: %s" % (rel, problem))
        shown = diff if full else diff[:40]
        for line in shown:
            print("    " + line)
        if len(diff) > len(shown):
            print("    ... %d more diff lines (--full shows all)" % (len(diff) - len(shown)))
    n_files = 3 * len(names)
    if not problems:
        print("all %d files of %d networks under %s match the catalog (profile %s)"
              % (n_files, len(names), root, profile))
        return 0
    nets = sorted(set(network_of(r) for r in errors + edits if network_of(r) in cat.names()),
                  key=cat.names().index)
    print("%d file(s) differ from the catalog under %s (profile %s, %d files expected): "
          "%d edited by hand and readable, %d broken, missing or stale"
          % (len(problems), root, profile, n_files, len(edits), len(errors)))
    bad = sorted(set(network_of(r) for r in errors if network_of(r) in cat.names()),
                 key=cat.names().index)
    if bad:
        print("regenerate the broken, missing and stale ones with `%s` (edited files are "
              "kept; add FORCE=1 to overwrite them: `%s`)"
              % (cli.make_command("prototxts", root, profile, bad),
                 cli.make_command("prototxts", root, profile, bad, force=True)))
    if edits:
        print("your edits are the truth at run time; `%s` replaces them with the catalog's"
              % cli.make_command("prototxts", root, profile, nets, force=True))
    if errors or (strict and edits):
        return 1
    return 0


def no_such_target(cat, word):
    """make's catch-all rule: a goal no rule makes, with the catalog's nearest names."""
    close = [n for n in cat.names() + cat.groups() if n.lower() == word.lower()]
    hint = "; did you mean %r?" % close[0] if close else cat.suggest(word)
    sys.stderr.write("make: no target %r%s (make help lists the targets, make "
                     "list-experiments the networks and groups)\n" % (word, hint))
    return 2


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
    edited = [p for p, s in kept if s == "kept-edited"]
    if edited:
        nets = sorted(set(network_of(os.path.relpath(p, root)) for p in edited),
                      key=cat.names().index)
        print("edited files were kept; `%s` regenerates them, `%s` shows the differences"
              % (cli.make_command("prototxts", root, profile, nets, force=True),
                 cli.make_command("check-prototxts", root, profile, nets)))
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
    p.add_argument("--strict", action="store_true",
                   help="with --check: exit 1 on any difference, edits that parse too")
    p.add_argument("--no-such-target", metavar="GOAL",
                   help="say that make has no target GOAL, with the nearest catalog names; exit 2")
    args = p.parse_args(argv)
    try:
        cat = catalog.load(args.catalog)
        if args.no_such_target is not None:
            return no_such_target(cat, args.no_such_target)
        cat.profile(args.profile)
        names = cat.expand(args.names) or cat.names()
        if args.list:
            do_list(cat, names)
            return 0
        root = os.path.abspath(args.root)
        if args.check:
            return do_check(cat, root, args.profile, names, args.full, args.strict)
        return do_write(cat, root, args.profile, names, args.force)
    except (catalog.CatalogError, layout.LayoutError) as e:
        print("%s: error: %s" % (os.path.basename(sys.argv[0]), e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
