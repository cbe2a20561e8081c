"""Catalog -> the files Caffe reads: prototxt/<name>/{train_val,deploy}.prototxt
and solvers/<name>.prototxt, built as caffe_pb2 messages and printed with
protobuf's text format.

The network is the BVLC reference CaffeNet (LRN after pooling) of the study;
every path inside the files is relative to the run's root, and Caffe runs with
cwd = root.  Each file starts with a comment recording the sha256 of the text
below it, so a file a user edited can be told from one that is merely stale.

    paths = netgen.write_experiment(cat, 'transfer0A0B_1_3', root, profile='tiny')
"""
import hashlib
import os

from google.protobuf import text_format

from transfer_study import files, layout
from transfer_study.nets.catalog import LAYERS, CatalogError, caffenet_sizes
from transfer_study.nets.prototxt import read_text_proto

try:
    from caffe.proto import caffe_pb2
except ImportError:  # pragma: no cover - only outside the Caffe env
    caffe_pb2 = None

HASH_TAG = "# content-sha256: "
DEPLOY_BATCH = 10

# CaffeNet's weight layers: kernel, stride, pad, group, weight std, bias value.
_CONV = {
    "conv1": dict(kernel=11, stride=4, pad=0, group=1, std=0.01, bias=0.0),
    "conv2": dict(kernel=5, stride=1, pad=2, group=2, std=0.01, bias=1.0),
    "conv3": dict(kernel=3, stride=1, pad=1, group=1, std=0.01, bias=0.0),
    "conv4": dict(kernel=3, stride=1, pad=1, group=2, std=0.01, bias=1.0),
    "conv5": dict(kernel=3, stride=1, pad=1, group=2, std=0.01, bias=1.0),
}
_FC = {
    "fc6": dict(std=0.005, bias=1.0),
    "fc7": dict(std=0.005, bias=1.0),
    "fc8": dict(std=0.01, bias=0.0),
}


def _need_caffe():
    if caffe_pb2 is None:
        raise CatalogError("pycaffe (caffe.proto) is not importable: run this inside the Caffe "
                           "environment, e.g. scripts/in-env python3 scripts/make_prototxts.py")


# ---------------------------------------------------------------- paths
# Root-relative (layout with root ""): what the files hold, Caffe runs in the root.

def train_val_relpath(name):
    return layout.train_val("", name)


def deploy_relpath(name):
    return layout.deploy("", name)


def solver_relpath(name):
    return layout.solver("", name)


def variant_tag(gpus, iter_size):
    return "gpus%d_iter_size%d" % (gpus, iter_size)


# ---------------------------------------------------------------- shapes

def spatial_sizes(crop):
    """Spatial size of each blob for a crop (Caffe: convolution rounds down, pooling up)."""
    return caffenet_sizes(crop)


# ---------------------------------------------------------------- nets

def _layer(net, name, type_, bottoms, tops):
    layer = net.layer.add()
    layer.name = name
    layer.type = type_
    layer.bottom.extend(bottoms)
    layer.top.extend(tops)
    return layer


def _weight_layer(net, name, kind, bottom, num_output, frozen, train, filler="gaussian",
                  std_scale=1):
    """conv or fc layer `kind` (one of LAYERS) under layer/top name `name`."""
    spec = _CONV.get(kind) or _FC[kind]
    layer = _layer(net, name, "Convolution" if kind in _CONV else "InnerProduct", [bottom], [name])
    if train:
        for mult in (1, 2):  # weights lr x1 with decay, biases lr x2 without
            p = layer.param.add()
            p.lr_mult = 0 if frozen else mult
            p.decay_mult = 0 if (frozen or mult == 2) else 1
    if kind in _CONV:
        cp = layer.convolution_param
        cp.num_output = num_output
        cp.kernel_size.append(spec["kernel"])
        if spec["stride"] != 1:
            cp.stride.append(spec["stride"])
        if spec["pad"]:
            cp.pad.append(spec["pad"])
        if spec["group"] != 1:
            cp.group = spec["group"]
    else:
        cp = layer.inner_product_param
        cp.num_output = num_output
    if train:
        if filler == "gaussian":
            cp.weight_filler.type = "gaussian"
            cp.weight_filler.std = spec["std"] * std_scale
        else:
            cp.weight_filler.type = filler
        cp.bias_filler.type = "constant"
        cp.bias_filler.value = spec["bias"]
    return name


def layer_names(exp):
    """Layer (and top) name of each of the 8 weight layers in this experiment's nets."""
    new = set(exp.new_layers)
    return dict((k, k + "-new" if k in new else k) for k in LAYERS)


def _body(net, exp, prof, train):
    """conv1 .. fc8 of CaffeNet from blob 'data'; returns the name of fc8's top."""
    names = layer_names(exp)
    frozen = set(exp.frozen_layers)
    width = prof["num_output"]

    def weights(kind, bottom):
        return _weight_layer(net, names[kind], kind, bottom, width[kind], kind in frozen, train,
                             prof.get("weight_filler", "gaussian"),
                             prof.get("weight_std_scale", 1))

    def relu(i, top):
        _layer(net, "relu%d" % i, "ReLU", [top], [top])

    def pool(i, bottom):
        layer = _layer(net, "pool%d" % i, "Pooling", [bottom], ["pool%d" % i])
        layer.pooling_param.pool = caffe_pb2.PoolingParameter.MAX
        layer.pooling_param.kernel_size = 3
        layer.pooling_param.stride = 2
        return "pool%d" % i

    def norm(i, bottom):
        layer = _layer(net, "norm%d" % i, "LRN", [bottom], ["norm%d" % i])
        layer.lrn_param.local_size = 5
        layer.lrn_param.alpha = 0.0001
        layer.lrn_param.beta = 0.75
        return "norm%d" % i

    def drop(i, top):
        layer = _layer(net, "drop%d" % i, "Dropout", [top], [top])
        layer.dropout_param.dropout_ratio = 0.5

    top = weights("conv1", "data")
    relu(1, top)
    top = norm(1, pool(1, top))
    top = weights("conv2", top)
    relu(2, top)
    top = norm(2, pool(2, top))
    for i in (3, 4, 5):
        top = weights("conv%d" % i, top)
        relu(i, top)
    top = pool(5, top)
    for i in (6, 7):
        top = weights("fc%d" % i, top)
        relu(i, top)
        drop(i, top)
    return weights("fc8", top)


def _data_layer(net, phase, source, mean_file, batch, crop, mirror):
    layer = _layer(net, "data", "Data", [], ["data", "label"])
    layer.include.add().phase = phase
    tp = layer.transform_param
    tp.mirror = mirror
    tp.crop_size = crop
    tp.mean_file = mean_file
    dp = layer.data_param
    dp.source = source
    dp.batch_size = batch
    dp.backend = caffe_pb2.DataParameter.LMDB


def _new_net(cat, name, profile):
    """(experiment, profile, an empty caffe_pb2.NetParameter named after it)."""
    _need_caffe()
    net = caffe_pb2.NetParameter()
    net.name = name
    return cat.get(name), cat.profile(profile), net


def train_val_net(cat, name, profile="paper"):
    """The TRAIN/TEST net of an experiment as a caffe_pb2.NetParameter."""
    exp, prof, net = _new_net(cat, name, profile)
    data = layout.data_dir("")
    # Training and validation subtract the same mean: the one the copied layers were trained with
    # (catalog.mean_source).
    mean = layout.mean(data, exp.mean_set)
    _data_layer(net, caffe_pb2.TRAIN, layout.lmdb(data, exp.train_set), mean,
                prof["batch_train"], prof["crop"], True)
    _data_layer(net, caffe_pb2.TEST, layout.lmdb(data, exp.valid_set), mean,
                prof["batch_test"], prof["crop"], False)
    fc8 = _body(net, exp, prof, train=True)
    acc = _layer(net, "accuracy", "Accuracy", [fc8, "label"], ["accuracy"])
    acc.include.add().phase = caffe_pb2.TEST
    _layer(net, "loss", "SoftmaxWithLoss", [fc8, "label"], ["loss"])
    return net


def deploy_net(cat, name, profile="paper"):
    """The same layers fed from an Input blob and ending in Softmax 'prob'."""
    exp, prof, net = _new_net(cat, name, profile)
    inp = _layer(net, "data", "Input", [], ["data"])
    inp.input_param.shape.add().dim.extend([DEPLOY_BATCH, 3, prof["crop"], prof["crop"]])
    fc8 = _body(net, exp, prof, train=False)
    _layer(net, "prob", "Softmax", [fc8], ["prob"])
    return net


def solver(cat, name, profile="paper"):
    _need_caffe()
    exp = cat.get(name)
    prof = cat.profile(profile)
    sch = prof["schedules"][exp.schedule]
    s = caffe_pb2.SolverParameter()
    s.net = train_val_relpath(name)
    s.test_iter.append(sch["test_iter"])
    s.test_interval = sch["test_interval"]
    s.base_lr = sch["base_lr"]
    s.lr_policy = "step"
    s.gamma = sch["gamma"]
    s.stepsize = sch["stepsize"]
    s.max_iter = sch["max_iter"]
    s.momentum = sch["momentum"]
    s.weight_decay = sch["weight_decay"]
    s.display = sch["display"]
    s.snapshot = sch["snapshot"]
    s.snapshot_prefix = layout.snapshot_prefix(name)
    s.solver_mode = getattr(caffe_pb2.SolverParameter, prof["solver_mode"])
    if "random_seed" in prof:
        # One seed per network: with a shared seed a transfer net's fresh
        # layers would be drawn exactly as its base's were.
        s.random_seed = prof["random_seed"] + cat.names().index(name)
    return s


# ---------------------------------------------------------------- text

def _header(name, profile, what):
    return ("# %s of %s (profile %s), generated from experiments.yaml by\n"
            "# scripts/make_prototxts.py.  Paths are relative to the run's root (Caffe runs there).\n"
            "# An edited file is kept by `make prototxts` (FORCE=1 regenerates it);\n"
            "# `make check-prototxts` shows how it differs from the catalog.\n"
            % (what, name, profile))


def render(msg, header):
    """Header comment + text format of msg, with the sha256 of that text recorded."""
    body = text_format.MessageToString(msg)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return header + HASH_TAG + digest + "\n" + body


def split_generated(text):
    """(recorded sha256 or None, body) of a file written by render()."""
    lines = text.split("\n")
    recorded = None
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        if lines[i].startswith(HASH_TAG):
            recorded = lines[i][len(HASH_TAG):].strip()
        i += 1
    return recorded, "\n".join(lines[i:])


def is_user_edited(text):
    """True when a file's text no longer matches the hash it was generated with
    (or it carries none: someone wrote it by hand)."""
    recorded, body = split_generated(text)
    return recorded is None or hashlib.sha256(body.encode("utf-8")).hexdigest() != recorded


def expected_files(cat, name, profile="paper"):
    """{root-relative path: text} of the three files of an experiment."""
    return {
        train_val_relpath(name): render(train_val_net(cat, name, profile),
                                        _header(name, profile, "Train/test net")),
        deploy_relpath(name): render(deploy_net(cat, name, profile),
                                     _header(name, profile, "Deploy net")),
        solver_relpath(name): render(solver(cat, name, profile),
                                     _header(name, profile, "Solver")),
    }


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    files.write_atomic(path, text)


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except (IOError, OSError):
        return None


def generate(cat, name, root, profile="paper", force=False):
    """Write the experiment's three files under root; returns [(abs path, status)] where
    status is 'written' (new), 'updated' (was stale), 'unchanged', 'kept-edited'
    (a user edited it: left alone unless force) or 'overwrote-edited' (force)."""
    root = layout.check_root(root, profile)
    out = []
    for rel, text in sorted(expected_files(cat, name, profile).items()):
        path = os.path.join(root, rel)
        old = _read(path)
        if old is None:
            status = "written"
        elif old == text:
            status = "unchanged"
        elif is_user_edited(old):
            status = "overwrote-edited" if force else "kept-edited"
        else:
            status = "updated"
        if status in ("written", "updated", "overwrote-edited"):
            _write(path, text)
        out.append((path, status))
    return out


def read_solver(path):
    """A solver file as a caffe_pb2.SolverParameter."""
    _need_caffe()
    return read_text_proto(path, caffe_pb2.SolverParameter())


def read_net(path):
    """A net file as a caffe_pb2.NetParameter."""
    _need_caffe()
    return read_text_proto(path, caffe_pb2.NetParameter())


def data_files(net):
    """(source, mean_file or '') of every Data layer of a NetParameter, in order."""
    return [(layer.data_param.source, layer.transform_param.mean_file)
            for layer in net.layer if layer.type == "Data"]


def write_variant(cat, name, root, gpus, iter_size):
    """A run's copy of solver and train_val for k GPUs and/or iter_size s, made from the
    files on disk (keeping a user's edits): the TRAIN batch becomes batch/(k*s) so that
    the effective batch stays the same (Caffe multiplies by the GPU count and iter_size).
    Written under results/<name>/, so the committed files never change."""
    root = os.path.abspath(root)
    tv = read_net(layout.train_val(root, name))
    sv = read_solver(layout.solver(root, name))
    split = gpus * iter_size
    for layer in tv.layer:
        if layer.type == "Data" and any(r.phase == caffe_pb2.TRAIN for r in layer.include):
            b = layer.data_param.batch_size
            if b % split:
                raise CatalogError("%s: the training batch %d cannot be split over %d GPU(s) x "
                                   "iter_size %d; choose k*s dividing %d" % (name, b, gpus, iter_size, b))
            layer.data_param.batch_size = b // split
    tag = variant_tag(gpus, iter_size)
    tv_rel = layout.variant("", name, "train_val", tag)
    sv_rel = layout.variant("", name, "solver", tag)
    sv.net = tv_rel
    if iter_size != 1:
        sv.iter_size = iter_size
    else:
        sv.ClearField("iter_size")
    what = "run copy for %d GPU(s), iter_size %d" % (gpus, iter_size)
    _write(os.path.join(root, tv_rel), render(tv, "# Train/test net of %s, %s.\n" % (name, what)))
    _write(os.path.join(root, sv_rel), render(sv, "# Solver of %s, %s.\n" % (name, what)))
    return os.path.join(root, tv_rel), os.path.join(root, sv_rel)


def write_experiment(cat, name, root, profile="paper", gpus=1, iter_size=1, force=False):
    """Write prototxt/<name>/{train_val,deploy}.prototxt and solvers/<name>.prototxt under
    root (a user-edited file is kept unless force), make <root>/results/<name>/ for the
    snapshots, and return the files' absolute paths as dict(train_val=, deploy=, solver=).  With gpus > 1 or iter_size > 1 the returned
    train_val and solver are a run's copy under results/<name>/ (see write_variant)."""
    if gpus < 1 or iter_size < 1:
        raise CatalogError("gpus and iter_size must be at least 1")
    root = os.path.abspath(root)
    generate(cat, name, root, profile, force)
    # Caffe refuses to start when the snapshot_prefix directory is missing
    os.makedirs(layout.results_dir(root, name), exist_ok=True)
    paths = dict(train_val=layout.train_val(root, name), deploy=layout.deploy(root, name),
                 solver=layout.solver(root, name))
    if gpus != 1 or iter_size != 1:
        paths["train_val"], paths["solver"] = write_variant(cat, name, root, gpus, iter_size)
    return paths


# ---------------------------------------------------------------- checking

def check_files(cat, root, profile="paper", names=None):
    """Compare the files under root with what the catalog generates.  Returns a list of
    (root-relative path, problem, unified diff lines) for every file that differs:
    problem is 'missing', 'edited' (changed by hand since generated), 'stale' (generated
    from an older catalog) or 'not in the catalog' (a net or solver no experiment makes)."""
    import difflib
    root = os.path.abspath(root)
    problems = []
    all_names = names is None
    names = cat.names() if all_names else names
    for name in names:
        for rel, text in sorted(expected_files(cat, name, profile).items()):
            old = _read(os.path.join(root, rel))
            if old == text:
                continue
            if old is None:
                problems.append((rel, "missing", []))
                continue
            diff = list(difflib.unified_diff(
                old.splitlines(), text.splitlines(), "%s (on disk)" % rel,
                "%s (from the catalog)" % rel, lineterm="", n=2))
            problems.append((rel, "edited" if is_user_edited(old) else "stale", diff))
    if all_names:
        known = set(cat.names())
        pdir, sdir = os.path.join(root, layout.PROTOTXT), os.path.join(root, layout.SOLVERS)
        for d in sorted(os.listdir(pdir)) if os.path.isdir(pdir) else []:
            if os.path.isdir(os.path.join(pdir, d)) and d not in known:
                problems.append((layout.prototxt_dir("", d), "not in the catalog", []))
        for f in sorted(os.listdir(sdir)) if os.path.isdir(sdir) else []:
            if f.endswith(".prototxt") and f[:-len(".prototxt")] not in known:
                problems.append((os.path.join(layout.SOLVERS, f), "not in the catalog", []))
    return problems
