"""The experiment catalog (experiments.yaml): the study's 170 networks, its
datasets and the two profiles ('paper', 'tiny').

    from transfer_study.nets import catalog
    cat = catalog.load()
    cat.names(); cat.get('transfer0A0B_1_3'); cat.group('transfers'); cat.profile('tiny')
    cat.expand(['halves', 'transfer0A0B_1_3'])   # names or groups -> names (did you mean ...)
    cat.max_iter('half0A', 'tiny'); cat.reads(['half0A']); cat.get('transfer0A0B_1_3').base

Every error in the file is reported as CatalogError naming file:line.
"""
import difflib
import os
import re

import yaml

from transfer_study import PROJECT_ROOT

DEFAULT_PATH = os.path.join(PROJECT_ROOT, "experiments.yaml")

# The eight weight layers of CaffeNet; layers 1..7 can be copied or frozen.
LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")

EXPERIMENT_GROUPS = ("base", "reduced", "transfers", "random-filters")
# Groups derived from the catalog (besides each experiment's own group).
DERIVED_GROUPS = ("halves", "natman", "transfers-frozen", "transfers-ft",
                  "transfers-natman", "all-networks")
INITS = ("scratch", "copy", "random")
SCHEDULE_KEYS = ("base_lr", "gamma", "stepsize", "max_iter", "momentum", "weight_decay",
                 "test_iter", "test_interval", "display", "snapshot")
PROFILE_KEYS = ("resize", "crop", "batch_train", "batch_test", "solver_mode",
                "num_output", "schedules")
# optional: weight_filler gaussian (the study's std 0.01 / 0.005, default) or
# xavier; weight_std_scale multiplies the study's gaussian stds (default 1);
# random_seed fixes Caffe's initialisation, crops, mirrors and dropout
# (network i of the catalog gets random_seed + i).
WEIGHT_FILLERS = ("gaussian", "xavier")
PROFILE_OPTIONAL_KEYS = ("weight_filler", "weight_std_scale", "random_seed")
NETWORK_KEYS = ("group", "train", "valid", "schedule", "init", "base", "n", "frozen", "mean")
DATASET_KEYS = ("classes", "split")
# Names become directory and file names: keep them to one safe path component.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# A reduced training set: the first N examples of each class.
REDUCED_SET_RE = re.compile(r"^reduced(\d+)_train$")
# A random half: half<seed><A|B>_<split>; the natural and man-made halves.
HALF_SET_RE = re.compile(r"^half(\d+)([AB])_(train|valid)$")
NATMAN_SETS = ("halfnatmanA", "halfnatmanB")


def caffenet_sizes(crop):
    """Spatial size of CaffeNet's blobs for a crop (Caffe: convolution rounds down,
    pooling rounds up)."""
    def conv(h, k, s, p):
        return (h + 2 * p - k) // s + 1

    def pool(h):
        return -((3 - h) // 2) + 1  # ceil((h - 3) / 2) + 1
    sizes = {}
    h = sizes["conv1"] = conv(crop, 11, 4, 0)
    h = sizes["pool1"] = pool(h)
    h = sizes["conv2"] = conv(h, 5, 1, 2)
    h = sizes["pool2"] = pool(h)
    sizes["conv3"] = sizes["conv4"] = sizes["conv5"] = h
    sizes["pool5"] = pool(h)
    return sizes


class CatalogError(ValueError):
    """A problem in the catalog or a request to it; the message says where and what to do."""


class _Mapping(dict):
    """A YAML mapping that remembers the line of each key (1-based) and its own."""
    line = None
    key_lines = None


class _LineLoader(yaml.SafeLoader):
    """yaml.safe_load that records line numbers and rejects duplicate keys
    (plain safe_load silently keeps the last of two equal keys)."""

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        result = _Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise CatalogError("%s:%d: a mapping key must be a plain value"
                                   % (self.name, key_node.start_mark.line + 1))
            if key in result:
                raise CatalogError("%s:%d: duplicate key %r (first at line %d); remove one of them"
                                   % (self.name, key_node.start_mark.line + 1, key,
                                      result.key_lines[key]))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                            _LineLoader.construct_mapping)


class Experiment(object):
    """One network of the study.  n counts weight layers (conv1..fc7 = 1..7)."""

    def __init__(self, name, group, train_set, valid_set, schedule, init="scratch",
                 base=None, n=None, frozen=False, line=None, mean_set=None):
        self.name = name
        self.group = group
        self.train_set = train_set
        self.valid_set = valid_set
        self.schedule = schedule
        self.init = init
        self.base = base
        self.n = n
        self.frozen = frozen
        self.line = line
        # The training set whose mean image the net subtracts (train and test);
        # load() fills it in by the rule of mean_source() when the entry names none.
        self.mean_set = mean_set

    @property
    def depends(self):
        return [self.base] if self.base else []

    @property
    def frozen_layers(self):
        return list(LAYERS[:self.n]) if (self.frozen and self.n) else []

    @property
    def new_layers(self):
        """Layers renamed '<layer>-new' so that --weights does not fill them."""
        return list(LAYERS[self.n:]) if self.init == "copy" else []

    def describe(self):
        if self.init == "scratch":
            return "from scratch on %s, %s schedule" % (self.train_set, self.schedule)
        layers = LAYERS[0] if self.n == 1 else "%s..%s" % (LAYERS[0], LAYERS[self.n - 1])
        if self.init == "copy":
            how = "%s copied from %s, %s" % (layers, self.base, "frozen" if self.frozen else "fine-tuned")
        else:
            how = "%s random%s" % (layers, ", frozen" if self.frozen else "")
        mean = "" if self.mean_set in (None, self.train_set) else ", %s's mean" % self.mean_set
        return "%s on %s%s, %s schedule" % (how, self.train_set, mean, self.schedule)

    def __repr__(self):
        return "Experiment(%r)" % self.name


def mean_source(exp, experiments):
    """The training set whose mean image a network subtracts, in training and testing.

    As the study's released configurations: a network that copies layers 1..n
    from a base subtracts the mean its base subtracted (the base's training
    set's), so the copied filters see inputs centred as when they were trained
    (transfer0A0B_* use half0A's mean, transfernatmanAB_* halfnatmanA's);
    every other network, the random-filter ones included, its own training
    set's.  An entry's `mean:` overrides the rule."""
    if exp.mean_set is not None:
        return exp.mean_set
    if exp.init == "copy":
        return mean_source(experiments[exp.base], experiments)
    return exp.train_set


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


def suggest(word, choices):
    close = difflib.get_close_matches(word, choices, n=4, cutoff=0.6)
    if close:
        return "; did you mean %s?" % " or ".join(repr(c) for c in close)
    return ""


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
    loader = _LineLoader(text)
    loader.name = path
    try:
        doc = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        raise CatalogError("%s:%d: invalid YAML: %s%s" % (
            path, line, e.problem or e.context or "", " (%s)" % e.context if e.context and e.problem else ""))
    except yaml.YAMLError as e:
        raise CatalogError("%s: invalid YAML: %s" % (path, e))
    finally:
        loader.dispose()
    return _check(doc, path)


def _where(path, mapping, key=None):
    line = None
    if isinstance(mapping, _Mapping):
        line = mapping.key_lines.get(key) if key is not None else None
        line = line or mapping.line
    return "%s:%s" % (path, line if line else "?")


def _section(doc, key, path):
    if not isinstance(doc, dict) or key not in doc:
        raise CatalogError("%s: missing top-level section %r (expected datasets:, profiles:, networks:)"
                           % (_where(path, doc), key))
    sec = doc[key]
    if not isinstance(sec, dict) or not sec:
        raise CatalogError("%s: section %r must be a non-empty mapping" % (_where(path, doc, key), key))
    return sec


def _check_keys(entry, allowed, path, what):
    for k in entry:
        if k not in allowed:
            raise CatalogError("%s: unknown key %r in %s; allowed: %s%s" % (
                _where(path, entry, k), k, what, ", ".join(allowed), suggest(str(k), list(allowed))))


def _require(entry, key, path, what):
    if key not in entry or entry[key] is None:
        raise CatalogError("%s: %s needs %r" % (_where(path, entry), what, key))
    return entry[key]


def _positive_int(v):
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


def _positive_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0


def _check(doc, path):
    if not isinstance(doc, dict):
        raise CatalogError("%s:1: the catalog must be a mapping with datasets:, profiles:, networks:"
                           % path)
    _check_keys(doc, ("datasets", "profiles", "networks"), path, "the catalog")
    dsec = _section(doc, "datasets", path)
    datasets = dict((name, _check_dataset(name, entry, dsec, path))
                    for name, entry in dsec.items())
    psec = _section(doc, "profiles", path)
    profiles = dict((pname, _check_profile(pname, prof, psec, path))
                    for pname, prof in psec.items())
    sched_names = _check_profiles_agree(doc, profiles, path)
    nsec = _section(doc, "networks", path)
    experiments = dict((name, _check_network(name, entry, nsec, path, datasets, sched_names))
                       for name, entry in nsec.items())
    _check_bases(experiments, nsec, path)
    # after the cycle check: the rule follows chains of bases
    resolved = dict((e.name, mean_source(e, experiments)) for e in experiments.values())
    for e in experiments.values():
        e.mean_set = resolved[e.name]
    return Catalog(path, experiments, datasets, profiles)


def _check_dataset(name, entry, dsec, path):
    """{'classes': N, 'split': 'train'|'valid'} of one entry under datasets:."""
    what = "dataset %r" % name
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise CatalogError("%s: dataset name %r is not a plain file name" % (_where(path, dsec, name), name))
    if not isinstance(entry, dict):
        raise CatalogError("%s: %s must be a mapping {classes: N, split: train|valid}"
                           % (_where(path, dsec, name), what))
    _check_keys(entry, DATASET_KEYS, path, what)
    classes = _require(entry, "classes", path, what)
    split = _require(entry, "split", path, what)
    if not _positive_int(classes) or classes > 1000:
        raise CatalogError("%s: %s: classes must be an integer in 1..1000 (fc8 has 1000 outputs)"
                           % (_where(path, entry, "classes"), what))
    if split not in ("train", "valid"):
        raise CatalogError("%s: %s: split must be train or valid, not %r"
                           % (_where(path, entry, "split"), what, split))
    return {"classes": classes, "split": split}


def _check_profile(pname, prof, psec, path):
    """One entry under profiles: (the mapping itself, checked)."""
    what = "profile %r" % pname
    if not isinstance(prof, dict):
        raise CatalogError("%s: %s must be a mapping" % (_where(path, psec, pname), what))
    _check_keys(prof, PROFILE_KEYS + PROFILE_OPTIONAL_KEYS, path, what)
    if prof.get("weight_filler", "gaussian") not in WEIGHT_FILLERS:
        raise CatalogError("%s: %s: weight_filler must be one of %s" % (
            _where(path, prof, "weight_filler"), what, ", ".join(WEIGHT_FILLERS)))
    scale = prof.get("weight_std_scale", 1)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise CatalogError("%s: %s: weight_std_scale must be a positive number" % (
            _where(path, prof, "weight_std_scale"), what))
    if "random_seed" in prof and (isinstance(prof["random_seed"], bool)
                                  or not isinstance(prof["random_seed"], int)
                                  or prof["random_seed"] < 0):
        raise CatalogError("%s: %s: random_seed must be a non-negative integer" % (
            _where(path, prof, "random_seed"), what))
    for k in PROFILE_KEYS:
        _require(prof, k, path, what)
    for k in ("resize", "crop", "batch_train", "batch_test"):
        if not _positive_int(prof[k]):
            raise CatalogError("%s: %s: %s must be a positive integer"
                               % (_where(path, prof, k), what, k))
    if prof["crop"] > prof["resize"]:
        raise CatalogError("%s: %s: crop %d is larger than the warped image (resize %d)"
                           % (_where(path, prof, "crop"), what, prof["crop"], prof["resize"]))
    sizes = caffenet_sizes(prof["crop"])
    if min(sizes.values()) < 1:
        raise CatalogError("%s: %s: crop %d is too small for CaffeNet: pool5 would be %dx%d; "
                           "use a crop of at least 39" % (
                               _where(path, prof, "crop"), what, prof["crop"],
                               sizes["pool5"], sizes["pool5"]))
    if prof["solver_mode"] not in ("GPU", "CPU"):
        raise CatalogError("%s: %s: solver_mode must be GPU or CPU"
                           % (_where(path, prof, "solver_mode"), what))
    widths = prof["num_output"]
    if not isinstance(widths, dict) or set(widths) != set(LAYERS) or \
            not all(_positive_int(v) for v in widths.values()):
        raise CatalogError("%s: %s: num_output must give a positive width for each of %s"
                           % (_where(path, prof, "num_output"), what, ", ".join(LAYERS)))
    if widths["fc8"] != 1000:
        raise CatalogError("%s: %s: fc8 must have 1000 outputs (every network of the study does)"
                           % (_where(path, widths, "fc8"), what))
    for layer in ("conv1", "conv2", "conv3", "conv4", "conv5"):
        # conv2, conv4, conv5 run in two groups: both their inputs and outputs split in half
        if widths[layer] % 2:
            raise CatalogError("%s: %s: %s width must be even (CaffeNet's grouped convolutions)"
                               % (_where(path, widths, layer), what, layer))
    scheds = prof["schedules"]
    if not isinstance(scheds, dict) or not scheds:
        raise CatalogError("%s: %s: schedules must map schedule names to solver settings"
                           % (_where(path, prof, "schedules"), what))
    for sname, s in scheds.items():
        swhat = "%s schedule %r" % (what, sname)
        if not isinstance(s, dict):
            raise CatalogError("%s: %s must be a mapping" % (_where(path, scheds, sname), swhat))
        _check_keys(s, SCHEDULE_KEYS, path, swhat)
        for k in SCHEDULE_KEYS:
            v = _require(s, k, path, swhat)
            ok = _positive_number(v) if k in ("base_lr", "gamma", "momentum", "weight_decay") \
                else _positive_int(v)
            if not ok:
                raise CatalogError("%s: %s: %s must be a positive %s" % (
                    _where(path, s, k), swhat, k,
                    "number" if k in ("base_lr", "gamma", "momentum", "weight_decay") else "integer"))
    return prof


def _check_profiles_agree(doc, profiles, path):
    """The paper and tiny profiles exist and every profile defines the same
    schedules; returns their names."""
    for required in ("paper", "tiny"):
        if required not in profiles:
            raise CatalogError("%s: profiles: needs a %r profile" % (_where(path, doc, "profiles"), required))
    sched_names = set(profiles["paper"]["schedules"])
    for pname, prof in profiles.items():
        if set(prof["schedules"]) != sched_names:
            raise CatalogError("%s: profile %r must define the same schedules as 'paper' (%s)"
                               % (_where(path, prof, "schedules"), pname, ", ".join(sorted(sched_names))))
    return sched_names


def _check_network(name, entry, nsec, path, datasets, sched_names):
    """The Experiment of one entry under networks:."""
    where = _where(path, nsec, name)
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise CatalogError("%s: network name %r must be a plain file name (letters, digits, _ . -)"
                           % (where, name))
    what = "network %r" % name
    if not isinstance(entry, dict):
        raise CatalogError("%s: %s must be a mapping like {group: base, train: ..., valid: ..., "
                           "schedule: base}" % (where, what))
    _check_keys(entry, NETWORK_KEYS, path, what)
    group = _require(entry, "group", path, what)
    if group not in EXPERIMENT_GROUPS:
        raise CatalogError("%s: %s: group must be one of %s, not %r%s" % (
            _where(path, entry, "group"), what, ", ".join(EXPERIMENT_GROUPS), group,
            suggest(str(group), EXPERIMENT_GROUPS)))
    sets = {}
    for key, split in (("train", "train"), ("valid", "valid")):
        ds = _require(entry, key, path, what)
        if ds not in datasets:
            raise CatalogError("%s: %s: dataset %r is not defined under datasets:%s" % (
                _where(path, entry, key), what, ds, suggest(str(ds), list(datasets))))
        if datasets[ds]["split"] != split:
            raise CatalogError("%s: %s: %s: %r is a %s set" % (
                _where(path, entry, key), what, key, ds, datasets[ds]["split"]))
        sets[key] = ds
    schedule = _require(entry, "schedule", path, what)
    if schedule not in sched_names:
        raise CatalogError("%s: %s: schedule must be one of %s, not %r" % (
            _where(path, entry, "schedule"), what, ", ".join(sorted(sched_names)), schedule))
    init = entry.get("init", "scratch")
    if init not in INITS:
        raise CatalogError("%s: %s: init must be one of %s, not %r" % (
            _where(path, entry, "init"), what, ", ".join(INITS), init))
    base = entry.get("base")
    n = entry.get("n")
    frozen = entry.get("frozen", False)
    if not isinstance(frozen, bool):
        raise CatalogError("%s: %s: frozen must be true or false" % (_where(path, entry, "frozen"), what))
    if init == "scratch":
        for k in ("base", "n"):
            if entry.get(k) is not None:
                raise CatalogError("%s: %s: %r only applies with init: copy or random"
                                   % (_where(path, entry, k), what, k))
        if frozen:
            raise CatalogError("%s: %s: frozen needs init: copy or random and n"
                               % (_where(path, entry, "frozen"), what))
    else:
        if n is None:
            raise CatalogError("%s: %s: init: %s needs n (layers 1..n, 1..7)" % (where, what, init))
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 7:
            raise CatalogError("%s: %s: n must be an integer in 1..7 (conv1..conv5, fc6, fc7), not %r"
                               % (_where(path, entry, "n"), what, n))
        if init == "copy" and base is None:
            raise CatalogError("%s: %s: init: copy needs base (the network to copy from)" % (where, what))
        if init == "random" and base is not None:
            raise CatalogError("%s: %s: init: random takes no base" % (_where(path, entry, "base"), what))
    mean = entry.get("mean")
    if mean is not None and (mean not in datasets or datasets[mean]["split"] != "train"):
        raise CatalogError("%s: %s: mean: %r is not a training set defined under datasets: "
                           "(the mean image is a training set's)%s" % (
                               _where(path, entry, "mean"), what, mean,
                               suggest(str(mean), [d for d in datasets
                                                   if datasets[d]["split"] == "train"])))
    return Experiment(name, group, sets["train"], sets["valid"], schedule, init,
                      base, n, frozen, line=nsec.key_lines.get(name), mean_set=mean)


def _check_bases(experiments, nsec, path):
    """Every base exists, is not the network itself, and no chain of bases loops."""
    for e in experiments.values():
        if e.base is not None:
            if e.base not in experiments:
                raise CatalogError("%s: network %r: base network %r does not exist in the catalog%s" % (
                    _where(path, nsec[e.name], "base"), e.name, e.base,
                    suggest(str(e.base), list(experiments))))
            if e.base == e.name:
                raise CatalogError("%s: network %r cannot be its own base" % (
                    _where(path, nsec[e.name], "base"), e.name))
    # a chain of bases must end in a network that trains without one
    for e in experiments.values():
        seen, cur = [e.name], e
        while cur.base is not None:
            if cur.base in seen:
                raise CatalogError("%s: network %r: its bases form a cycle: %s" % (
                    _where(path, nsec[e.name], "base"), e.name, " -> ".join(seen + [cur.base])))
            seen.append(cur.base)
            cur = experiments[cur.base]
