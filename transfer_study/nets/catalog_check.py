"""Reading and checking experiments.yaml: YAML with line numbers and no
duplicate keys, then every section, key and cross-reference, each error as
CatalogError naming file:line.  Only catalog.load/loads call it."""
import yaml

from transfer_study.nets.experiment import (
    DATASET_KEYS, EXPERIMENT_GROUPS, INITS, LAYERS, NAME_RE, NETWORK_KEYS, PROFILE_KEYS,
    PROFILE_OPTIONAL_KEYS, SCHEDULE_KEYS, WEIGHT_FILLERS, CatalogError, Experiment,
    caffenet_sizes, mean_source, suggest)


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


def parse(text, path):
    """experiments.yaml's text -> (experiments, datasets, profiles), checked;
    CatalogError names file:line."""
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
    return experiments, datasets, profiles


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
