"""Which of a run's snapshots to keep, and deleting the others safely.

A paper-profile network writes a .caffemodel and a .solverstate (~244 MB
each) every 10,000 iterations: 45 pairs, ~22 GB a network, ~3.7 TB for the
170.  A policy says which pairs stay:

    final      (default) the final pair (max_iter) and, while a run is
               unfinished, its newest complete pair (what a resume needs)
    every:N    those, and every pair whose iteration is a multiple of N
               (e.g. every:50000 to study training)
    all        every pair (Caffe's own behaviour)

    from transfer_study.runs import snapshots
    policy = snapshots.parse_policy("every:50000")
    snapshots.prune(root, prefix, max_iter, policy)   # -> [deleted paths]

A pair is complete when its .solverstate parses, holds its last field
(current_step: Caffe always sets it, protobuf writes it last, so a state cut
short by a kill never has it), has the iteration of its file name, and names
the existing .caffemodel of that iteration (Caffe writes the model before the
state).  Older pairs are deleted only once a newer pair is complete, so a run
killed at any moment, even while deleting, can resume.
"""
import os
import re

from transfer_study import layout

DEFAULT = "final"
POLICY_HELP = "final, every:N or all"

class PolicyError(ValueError):
    pass


def parse_policy(text):
    """'final' | 'all' | 'every:N' -> ('final', None) | ('all', None) | ('every', N)."""
    text = (text or DEFAULT).strip().lower()
    if text in ("final", "all"):
        return (text, None)
    m = re.match(r"every:(\d+)$", text)
    if m and int(m.group(1)) > 0:
        return ("every", int(m.group(1)))
    raise PolicyError("snapshot policy must be %s (N > 0), not %r" % (POLICY_HELP, text))


def policy_name(policy):
    kind, n = policy
    return "every:%d" % n if kind == "every" else kind


def complete(state_path, root):
    """True when the .solverstate and the .caffemodel it names form a whole pair."""
    from caffe.proto import caffe_pb2
    it = layout.snapshot_iteration(state_path, "solverstate")
    if it is None:
        return False
    st = caffe_pb2.SolverState()
    try:
        with open(state_path, "rb") as f:
            st.ParseFromString(f.read())
    except Exception:   # unreadable, or cut inside a field (DecodeError)
        return False
    if not (st.HasField("current_step") and st.iter == it and st.learned_net):
        return False
    model = st.learned_net if os.path.isabs(st.learned_net) else os.path.join(root, st.learned_net)
    if os.path.basename(model) != os.path.basename(layout.snapshot_twin(state_path, "caffemodel")):
        return False
    return os.path.isfile(model) and os.path.getsize(model) > 0


def pairs(prefix):
    """{iteration: [paths]} of every snapshot file <prefix>_iter_<N>.{caffemodel,solverstate}."""
    out = {}
    for it, path in layout.snapshots("", None, None, prefix):
        out.setdefault(it, []).append(path)
    return out


def kept(policy, iterations, max_iter, newest_complete):
    """The iterations the policy keeps among `iterations`."""
    kind, n = policy
    if kind == "all":
        return set(iterations)
    keep = set(i for i in iterations if i == max_iter or i == newest_complete)
    if kind == "every":
        keep |= set(i for i in iterations if i % n == 0)
    return keep


def prune(root, prefix, max_iter, policy):
    """Delete the pairs the policy does not keep, older than the newest complete
    pair (nothing newer is touched: it may be being written).  prefix:
    absolute <root>/<snapshot_prefix>.  Returns the deleted paths."""
    if policy[0] == "all":
        return []
    found = pairs(prefix)
    newest = None
    for it in sorted(found, reverse=True):
        state = layout.snapshot("", None, it, "solverstate", prefix)
        if os.path.exists(state) and complete(state, root):
            newest = it
            break
    if newest is None:
        return []
    keep = kept(policy, found, max_iter, newest)
    deleted = []
    for it in sorted(found):
        if it >= newest or it in keep:
            continue
        # the state first: a kill between the two leaves a lone .caffemodel,
        # which is never mistaken for a resumable pair
        for path in sorted(found[it], key=lambda p: not p.endswith(".solverstate")):
            try:
                os.unlink(path)
                deleted.append(path)
            except FileNotFoundError:
                pass
    return deleted


def pair_counts(policy, max_iter, every):
    """(pairs a run writes, pairs left when it is done, most pairs on disk at
    once while it runs) for snapshots every `every` iterations and at max_iter."""
    its = list(range(every, max_iter + 1, every)) if every else []
    if max_iter not in its:
        its.append(max_iter)
    kind, n = policy
    if kind == "all":
        return len(its), len(its), len(its)
    final = kept(policy, its, max_iter, max_iter)
    # while running: the kept multiples so far, the newest complete pair and
    # the one being written
    peak = 0
    for k, it in enumerate(its):
        earlier = kept(policy, its[:k], max_iter, its[k - 1] if k else None)
        peak = max(peak, len(earlier) + 1)
    return len(its), len(final), peak
