"""What one network of the catalog is (Experiment), the names the catalog's
file may use, and its error.  transfer_study/nets/catalog.py is the way in:
its users never import this module directly."""
import difflib
import re

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


def suggest(word, choices):
    close = difflib.get_close_matches(word, choices, n=4, cutoff=0.6)
    if close:
        return "; did you mean %s?" % " or ".join(repr(c) for c in close)
    return ""
