"""What the entry points (scripts/, data_prep/) do alike: the network selection
arguments (names or groups, root, profile, catalog), and how a user-facing
error or Ctrl-C ends them.

    ap = argparse.ArgumentParser(...)
    cli.add_selection(ap)
    args = ap.parse_args(argv)
    return cli.run("status.py", lambda: show(*cli.selection(args)), (catalog.CatalogError,))
"""
import os
import sys

from transfer_study import PROJECT_ROOT, layout


def add_selection(ap, profile_help="catalog profile: paper or tiny"):
    """NAMES or GROUPS..., --root, --profile, --catalog."""
    ap.add_argument("networks", nargs="*", help="network or group names (default: all networks)")
    ap.add_argument("--root", default=PROJECT_ROOT, help="run root (default: the checkout)")
    ap.add_argument("--profile", default="paper", help=profile_help)
    ap.add_argument("--catalog", default=None, help="experiment catalog (default experiments.yaml)")


def selection(args):
    """(catalog, network names) of add_selection's arguments: the names or groups
    expanded by the catalog ([] for none), the profile checked."""
    from transfer_study.nets import catalog
    cat = catalog.load(args.catalog)
    cat.profile(args.profile)
    return cat, cat.expand(args.networks)


def run(tool, body, errors, interrupted=None):
    """body()'s exit status (0 unless it returns an int); 2 after 'TOOL: error: ...'
    for one of errors; with interrupted (what to do next), 130 after Ctrl-C."""
    try:
        status = body()
        return status if isinstance(status, int) else 0
    except errors as e:
        sys.stdout.flush()
        print("%s: error: %s" % (tool, e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        print("%s: interrupted; %s" % (tool, interrupted), file=sys.stderr)
        return 130


def make_command(target, root, profile, names=(), force=False):
    """The exact make command for this root and profile (what a hint says to run)."""
    parts = ["make", target]
    if names:
        parts.append("EXPERIMENTS=%s" % (names[0] if len(names) == 1 else '"%s"' % " ".join(names)))
    if force:
        parts.append("FORCE=1")
    if profile != "paper":
        parts.append("PROFILE=%s" % profile)
    if not layout.is_checkout(root):
        # make runs in the checkout: a root inside it is named relative to it
        rel = os.path.relpath(root, PROJECT_ROOT)
        parts.append("ROOT=%s" % (root if rel.startswith("..") else rel))
    return " ".join(parts)
