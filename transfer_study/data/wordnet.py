"""WordNet 3.0 noun hierarchy, read straight from the `data.noun` file of
Debian's wordnet-base (installed in the Caffe env at /usr/share/wordnet/).

Only what the man-made/natural split needs (supplementary section C): for
every noun synset, the set of ILSVRC classes reachable by walking the graph
parent -> child.  An ILSVRC wnid is 'n' + the 8-digit synset offset in
data.noun.

Which links count as parent -> child: hyponym pointers '~' (what NLTK's
`Synset.hyponyms()` follows).  Instance hyponyms '~i' lead only to named
individuals (people, places); in WordNet 3.0 none of the 1000 ILSVRC classes
is one, so following them too changes no count at all (tests/test_wordnet.py
checks that).  With '~' the 20 largest counts equal the seed's table exactly.
"""
import os

from transfer_study import PROJECT_ROOT

HYPONYM = "~"
INSTANCE_HYPONYM = "~i"

# Where data.noun may live: inside the env, or the env's tree seen from the
# host.  $WORDNET_DIR wins (e.g. a conda setup with its own WordNet copy).
SEARCH_DIRS = ("/usr/share/wordnet",
               os.path.join(PROJECT_ROOT, ".caffe-env", "usr", "share", "wordnet"))


class WordNetError(ValueError):
    """Missing or malformed WordNet data, or a wnid WordNet does not have."""


def find_data_noun(wordnet_dir=None):
    dirs = [wordnet_dir] if wordnet_dir else (
        [os.environ["WORDNET_DIR"]] if os.environ.get("WORDNET_DIR") else list(SEARCH_DIRS))
    for d in dirs:
        path = os.path.join(d, "data.noun")
        if os.path.isfile(path):
            return path
    raise WordNetError(
        "WordNet 3.0 data.noun not found in %s: run inside the Caffe env "
        "(scripts/in-env, which has Debian's wordnet-base), or set WORDNET_DIR "
        "to a directory holding WordNet 3.0's data.noun" % ", ".join(dirs))


def wnid(offset):
    return "n" + offset


class WordNet(object):
    """The noun synsets of one data.noun file.

    words[offset] -> list of lemma strings (underscores as in the file)
    children[offset] -> list of hyponym offsets (pointer symbols `symbols`)
    """

    def __init__(self, path=None, symbols=(HYPONYM,)):
        self.path = path or find_data_noun()
        self.symbols = tuple(symbols)
        self.words = {}
        self.children = {}
        self._reach_cache = {}
        self._read()

    def _read(self):
        version_seen = False
        with open(self.path, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                if raw.startswith(b"  "):
                    # License header; it names the version.
                    if b"WordNet 3.0" in raw:
                        version_seen = True
                    continue
                try:
                    self._parse(raw.decode("latin-1"))
                except (ValueError, IndexError) as e:
                    raise WordNetError("%s:%d: malformed synset line (%s)"
                                       % (self.path, lineno, e))
        if not version_seen:
            raise WordNetError("%s: not WordNet 3.0 (no 'WordNet 3.0' in its header); "
                               "the study's counts come from WordNet 3.0" % self.path)

    def _parse(self, line):
        # synset_offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ptr... | gloss
        fields = line.split(" | ", 1)[0].split()
        offset = fields[0]
        w_cnt = int(fields[3], 16)
        self.words[offset] = fields[4:4 + 2 * w_cnt:2]
        i = 4 + 2 * w_cnt
        p_cnt = int(fields[i])
        i += 1
        kids = []
        for _ in range(p_cnt):
            symbol, target, pos = fields[i], fields[i + 1], fields[i + 2]
            i += 4
            if symbol in self.symbols and pos == "n":
                kids.append(target)
        if kids:
            self.children[offset] = kids

    def name(self, offset):
        return ", ".join(w.replace("_", " ") for w in self.words[offset])

    def check_wnids(self, wnids, source="synsets list"):
        for w in wnids:
            if not (len(w) == 9 and w[0] == "n" and w[1:].isdigit()):
                raise WordNetError("%s: '%s' is not a WordNet noun id (n + 8 digits)" % (source, w))
            if w[1:] not in self.words:
                raise WordNetError("%s: wnid %s is not a noun synset in %s"
                                   % (source, w, self.path))

    def reachable(self, wnids):
        """offset -> frozenset of the given wnids reachable from it (itself
        included), for every synset that reaches at least one.  Paths that
        meet again count a class once (sets, not path counts)."""
        key = tuple(wnids)
        if key in self._reach_cache:
            return self._reach_cache[key]
        self.check_wnids(wnids)
        targets = set(w[1:] for w in wnids)
        memo = {}
        empty = frozenset()
        for root in self.words:
            if root in memo:
                continue
            # Iterative post-order walk: the hierarchy is ~20 levels deep but
            # recursion over 82k synsets is not worth the risk.
            stack = [(root, False)]
            while stack:
                node, expanded = stack.pop()
                if node in memo:
                    continue
                kids = self.children.get(node, ())
                if not expanded:
                    stack.append((node, True))
                    stack.extend((k, False) for k in kids if k not in memo)
                    continue
                found = set([node]) & targets
                for k in kids:
                    found |= memo[k]
                memo[node] = frozenset(found) if found else empty
        reach = dict((o, s) for o, s in memo.items() if s)
        self._reach_cache[key] = reach
        return reach

    def descendants(self, offset, wnids):
        """Sorted wnids among `wnids` reachable from synset `offset`."""
        if offset.startswith("n"):
            offset = offset[1:]
        if offset not in self.words:
            raise WordNetError("synset n%s is not in %s" % (offset, self.path))
        return sorted(wnid(o) for o in self.reachable(wnids).get(offset, ()))

    def top_counts(self, wnids, n=20):
        """The n synsets reaching the most classes: [(count, wnid, name)],
        largest first, ties by offset (the seed leaves their order free)."""
        reach = self.reachable(wnids)
        ranked = sorted(reach.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:n]
        return [(len(s), wnid(o), self.name(o)) for o, s in ranked]


def format_table(rows):
    lines = ["n_i  x_i"]
    for count, w, name in rows:
        lines.append("%-4d %s: %s" % (count, w, name))
    return "\n".join(lines)
