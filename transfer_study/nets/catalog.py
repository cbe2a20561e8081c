"""The experiment catalog (experiments.yaml): the study's 170 networks, its
datasets and the two profiles ('paper', 'tiny').

    from transfer_study.nets import catalog
    cat = catalog.load()
    cat.names(); cat.get('transfer0A0B_1_3'); cat.group('transfers'); cat.profile('tiny')
    cat.expand(['halves', 'transfer0A0B_1_3'])   # names or groups -> names (did you mean ...)
    cat.max_iter('half0A', 'tiny'); cat.reads(['half0A']); cat.get('transfer0A0B_1_3').base

Every error in the file is reported as CatalogError naming file:line.
"""
import os
import re

from transfer_study import PROJECT_ROOT
from transfer_study.nets import catalog_check
# The catalog's public names, defined with Experiment (callers ask catalog.X):
from transfer_study.nets.experiment import (  # noqa: F401
    DERIVED_GROUPS, EXPERIMENT_GROUPS, HALF_SET_RE, LAYERS, NATMAN_SETS, REDUCED_SET_RE,
    CatalogError, Experiment, caffenet_sizes, mean_source, suggest)

DEFAULT_PATH = os.path.join(PROJECT_ROOT, "experiments.yaml")


class Catalog(object):
    def __init__(self, path, experiments, datasets, profiles):
        self.path = path
        self._experiments = experiments  # ordered dict name -> Experiment (catalog order)
        self.datasets = datasets         # name -> {'classes': int, 'split': 'train'|'valid'}
        self._profiles = profiles

    def names(self):
        return list(self._experiments)

    def experiments(self):
        return list(self._experiments.values())

    def __contains__(self, name):
        return name in self._experiments

    def get(self, name):
        try:
            return self._experiments[name]
        except KeyError:
            raise CatalogError(
                "unknown experiment %r in %s%s" % (name, self.path, suggest(name, self.names())))

    def group(self, g):
        exps = self.experiments()
        if g == "all-networks":
            return [e.name for e in exps]
        if g in EXPERIMENT_GROUPS:
            return [e.name for e in exps if e.group == g]
        if g == "halves":
            return [e.name for e in exps if e.group == "base" and re.match(r"half\d", e.train_set)]
        if g == "natman":
            return [e.name for e in exps if e.group == "base"
                    and e.train_set.startswith("halfnatman")]
        if g == "transfers-frozen":
            return [e.name for e in exps if e.group == "transfers" and e.frozen
                    and not e.train_set.startswith("halfnatman")]
        if g == "transfers-ft":
            return [e.name for e in exps if e.group == "transfers" and not e.frozen]
        if g == "transfers-natman":
            return [e.name for e in exps if e.group == "transfers"
                    and e.train_set.startswith("halfnatman")]
        raise CatalogError("unknown group %r; groups are: %s%s" % (
            g, ", ".join(self.groups()), suggest(g, self.groups())))

    @staticmethod
    def groups():
        return list(EXPERIMENT_GROUPS) + list(DERIVED_GROUPS)

    def profile(self, p):
        try:
            return self._profiles[p]
        except KeyError:
            raise CatalogError("unknown profile %r in %s; profiles are: %s%s" % (
                p, self.path, ", ".join(sorted(self._profiles)), suggest(p, list(self._profiles))))

    def profiles(self):
        return list(self._profiles)

    def schedule(self, name, profile="paper"):
        """The solver settings of an experiment's schedule under a profile."""
        return self.profile(profile)["schedules"][self.get(name).schedule]

    def max_iter(self, name, profile="paper"):
        """The iteration of the network's final snapshot under a profile."""
        return self.schedule(name, profile)["max_iter"]

    def reads(self, names):
        """The datasets the networks read (train, then valid), in order, once each."""
        out = []
        for n in names:
            e = self.get(n)
            for ds in (e.train_set, e.valid_set):
                if ds not in out:
                    out.append(ds)
        return out

    @staticmethod
    def natman_half(dataset):
        """'natural' for the halfnatmanA_* sets (the WordNet split's natural half, as
        the original code names it), 'man-made' for halfnatmanB_*, None otherwise."""
        if dataset.startswith("halfnatmanA"):
            return "natural"
        if dataset.startswith("halfnatmanB"):
            return "man-made"
        return None

    @staticmethod
    def per_class(dataset):
        """Examples per class of a reduced training set (reduced0010_train: 10),
        None for a set that keeps every image of its classes."""
        m = REDUCED_SET_RE.match(dataset)
        return int(m.group(1)) if m else None

    # -- the datasets (make splits and make derived iterate these) --------------
    def split_of(self, dataset):
        """'train' or 'valid': the split a dataset of the catalog is drawn from."""
        return self._dataset(dataset)["split"]

    def classes_of(self, dataset):
        return self._dataset(dataset)["classes"]

    def _dataset(self, dataset):
        try:
            return self.datasets[dataset]
        except KeyError:
            raise CatalogError("dataset %r is not under datasets: in %s%s" % (
                dataset, self.path, suggest(dataset, sorted(self.datasets))))

    def half_seeds(self):
        """The seeds of the random halves (half<seed>{A,B}_*), ascending."""
        return sorted(set(int(m.group(1)) for m in map(HALF_SET_RE.match, self.datasets) if m))

    def half_set(self, seed, half, split):
        """The dataset name of one random half (half_set(0, 'A', 'train'): half0A_train)."""
        for name in self.datasets:
            m = HALF_SET_RE.match(name)
            if m and (int(m.group(1)), m.group(2), m.group(3)) == (seed, half, split):
                return name
        raise CatalogError("no dataset for random half %d%s (%s) in %s" % (seed, half, split,
                                                                          self.path))

    def reduced_sets(self):
        """[(examples per class, dataset name)] of the reduced training sets, ascending."""
        return sorted((self.per_class(n), n) for n in self.datasets
                      if self.per_class(n) is not None)

    def natman_classes(self):
        """(natural, man-made) class counts: halfnatmanA_train's and halfnatmanB_train's."""
        return (self.classes_of(NATMAN_SETS[0] + "_train"),
                self.classes_of(NATMAN_SETS[1] + "_train"))

    def expand(self, words, with_bases=False):
        """Network and group names (a word may hold several, split at commas or
        spaces) -> network names, catalog order, each once; with_bases also adds
        the networks they copy from (as make's prerequisites), bases first.
        An unknown word raises CatalogError with the nearest names."""
        chosen = set()
        for word in words:
            for part in word.replace(",", " ").split():
                if part in self._experiments:
                    chosen.add(part)
                elif part in self.groups():
                    chosen.update(self.group(part))
                else:
                    raise CatalogError("unknown experiment or group %r in %s%s (make "
                                       "list-experiments lists them; groups: %s)" % (
                                           part, self.path, self.suggest(part),
                                           ", ".join(self.groups())))
        names = [n for n in self._experiments if n in chosen]
        return self.order(names) if with_bases else names

    def suggest(self, word):
        """'; did you mean ...?' with the network or group names nearest to word, or ''."""
        return suggest(word, self.names() + self.groups())

    def order(self, names):
        """names plus everything they depend on, dependencies first (catalog order otherwise)."""
        done, out = set(), []

        def visit(n):
            if n in done:
                return
            for d in self.get(n).depends:
                visit(d)
            done.add(n)
            out.append(n)
        for n in names:
            visit(n)
        return out


def load(path=None):
    """Read and check the catalog; raises CatalogError naming file:line."""
    path = os.path.abspath(path or DEFAULT_PATH)
    try:
        with open(path) as f:
            text = f.read()
    except (IOError, OSError) as e:
        raise CatalogError("cannot read the experiment catalog %s: %s" % (path, e.strerror or e))
    return loads(text, path)


def loads(text, path="<string>"):
    experiments, datasets, profiles = catalog_check.parse(text, path)
    return Catalog(path, experiments, datasets, profiles)
