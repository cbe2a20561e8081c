"""The generated prototxts and solvers: what the issue specifies, checked on the
committed files of all 170 networks, instantiated by pycaffe, and unchanged by
Caffe's own upgrade tools."""
import hashlib
import importlib.util
import os
import subprocess
import sys

import pytest
from google.protobuf import text_format

import caffe
from caffe.proto import caffe_pb2
from prototxt_testdata import make_datasets
from transfer_study import PROJECT_ROOT, layout
from transfer_study.nets import catalog, netgen

LAYERS = ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]
SCRIPT = os.path.join(PROJECT_ROOT, "scripts", "make_prototxts.py")


@pytest.fixture(scope="module")
def cat():
    return catalog.load()


def parse(path, msg):
    with open(path) as f:
        text_format.Merge(f.read(), msg)
    return msg


def committed(name):
    return (parse(os.path.join(PROJECT_ROOT, "prototxt", name, "train_val.prototxt"),
                  caffe_pb2.NetParameter()),
            parse(os.path.join(PROJECT_ROOT, "prototxt", name, "deploy.prototxt"),
                  caffe_pb2.NetParameter()),
            parse(os.path.join(PROJECT_ROOT, "solvers", name + ".prototxt"),
                  caffe_pb2.SolverParameter()))


def test_committed_files_match_the_catalog(cat):
    problems = netgen.check_files(cat, PROJECT_ROOT, "paper")
    assert problems == [], "run 'make prototxts' / 'make check-prototxts': %s" % [
        (p, what) for p, what, _ in problems]


def test_every_committed_file_is_what_the_issue_specifies(cat):
    """Each of the 170 x 3 files, parsed, against the issue's text (not against netgen)."""
    for name in cat.names():
        e = cat.get(name)
        tv, deploy, solver = committed(name)
        layers = dict((l.name, l) for l in tv.layer if l.type != "Data")
        data = dict((l.include[0].phase, l) for l in tv.layer if l.type == "Data")
        tr, te = data[caffe_pb2.TRAIN], data[caffe_pb2.TEST]
        assert tr.data_param.source == "data/%s/lmdb" % e.train_set
        assert te.data_param.source == "data/%s/lmdb" % e.valid_set
        for d, batch, mirror in ((tr, 256, True), (te, 50, False)):
            assert d.data_param.backend == caffe_pb2.DataParameter.LMDB
            assert d.data_param.batch_size == batch
            assert d.transform_param.crop_size == 227
            assert d.transform_param.mirror == mirror
            # the study's released configurations: a copied net subtracts its base's
            # training-set mean (transfer0A0B_* half0A's), every other net its own
            mean = cat.get(e.base).train_set if e.init == "copy" else e.train_set
            assert d.transform_param.mean_file == "data/%s/mean.binaryproto" % mean
        n = e.n or 0
        for i, base_name in enumerate(LAYERS):
            renamed = e.init == "copy" and i >= n
            lname = base_name + "-new" if renamed else base_name
            assert lname in layers, (name, lname)
            layer = layers[lname]
            assert list(layer.top) == [lname]
            assert base_name not in layers or not renamed
            mults = [(p.lr_mult, p.decay_mult) for p in layer.param]
            if e.frozen and i < n:
                assert mults == [(0, 0), (0, 0)], (name, lname)
            else:
                assert mults == [(1, 1), (2, 0)], (name, lname)
            assert [l.name for l in deploy.layer if l.name == lname] == [lname]
        fc8 = layers["fc8-new" if e.init == "copy" else "fc8"]
        assert fc8.inner_product_param.num_output == 1000
        acc, loss = layers["accuracy"], layers["loss"]
        assert acc.type == "Accuracy" and list(acc.bottom) == [fc8.name, "label"]
        assert [r.phase for r in acc.include] == [caffe_pb2.TEST]
        assert acc.accuracy_param.top_k == 1
        assert loss.type == "SoftmaxWithLoss" and not loss.include
        sched = dict(base=(0.01, 100000, 450000), reduced=(0.0125, 64000, 200000))[e.schedule]
        assert e.schedule == ("reduced" if name.startswith("reduced-") else "base")
        assert (solver.base_lr, solver.stepsize, solver.max_iter) == pytest.approx(sched)
        assert solver.lr_policy == "step" and solver.gamma == pytest.approx(0.1)
        assert solver.momentum == pytest.approx(0.9)
        assert solver.weight_decay == pytest.approx(0.0005)
        assert (list(solver.test_iter), solver.test_interval, solver.display, solver.snapshot) == \
            ([1000], 1000, 20, 10000)
        assert solver.solver_mode == caffe_pb2.SolverParameter.GPU
        assert solver.net == "prototxt/%s/train_val.prototxt" % name
        assert solver.snapshot_prefix == "results/%s/%s" % (name, name)


def test_caffenet_layers_and_fillers(cat):
    tv, deploy, _ = committed("netbase")
    layers = dict((l.name, l) for l in tv.layer)
    order = [l.name for l in tv.layer]
    assert order == ["data", "data", "conv1", "relu1", "pool1", "norm1", "conv2", "relu2", "pool2",
                     "norm2", "conv3", "relu3", "conv4", "relu4", "conv5", "relu5", "pool5",
                     "fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8", "accuracy", "loss"]
    conv = dict((k, layers[k].convolution_param) for k in LAYERS[:5])
    assert [(c.num_output, c.kernel_size[0], list(c.stride) or [1], list(c.pad) or [0], c.group)
            for c in conv.values()] == [(96, 11, [4], [0], 1), (256, 5, [1], [2], 2),
                                        (384, 3, [1], [1], 1), (384, 3, [1], [1], 2),
                                        (256, 3, [1], [1], 2)]
    for k in ("pool1", "pool2", "pool5"):
        p = layers[k].pooling_param
        assert (p.pool, p.kernel_size, p.stride) == (caffe_pb2.PoolingParameter.MAX, 3, 2)
    for k in ("norm1", "norm2"):
        lrn = layers[k].lrn_param
        assert (lrn.local_size, lrn.alpha, lrn.beta) == (5, pytest.approx(1e-4), pytest.approx(0.75))
    for k in ("drop6", "drop7"):
        assert layers[k].dropout_param.dropout_ratio == pytest.approx(0.5)
    fill = {}
    for k in LAYERS:
        p = layers[k].convolution_param if k.startswith("conv") else layers[k].inner_product_param
        fill[k] = (p.weight_filler.type, round(p.weight_filler.std, 6), p.bias_filler.type,
                   p.bias_filler.value)
    g = "gaussian"
    assert fill == dict(conv1=(g, 0.01, "constant", 0), conv2=(g, 0.01, "constant", 1),
                        conv3=(g, 0.01, "constant", 0), conv4=(g, 0.01, "constant", 1),
                        conv5=(g, 0.01, "constant", 1), fc6=(g, 0.005, "constant", 1),
                        fc7=(g, 0.005, "constant", 1), fc8=(g, 0.01, "constant", 0))
    assert [l.type for l in deploy.layer][-1] == "Softmax"
    assert list(deploy.layer[0].input_param.shape[0].dim) == [10, 3, 227, 227]


def structure_key(net):
    """A net with its data sources blanked: nets with equal keys build the same Caffe net."""
    net = caffe_pb2.NetParameter.FromString(net.SerializeToString())
    net.ClearField("name")
    for l in net.layer:
        if l.type == "Data":
            l.data_param.ClearField("source")
            l.transform_param.ClearField("mean_file")
    return net.SerializeToString()


def small_copy(net, root, dataset, batch, constant_fillers=False):
    """A copy of net reading the test's small LMDB at a small batch (constant_fillers:
    skip drawing 61M gaussians; shapes and graph stay the same)."""
    net = caffe_pb2.NetParameter.FromString(net.SerializeToString())
    if constant_fillers:
        for l in net.layer:
            for p in (l.convolution_param, l.inner_product_param):
                if p.HasField("weight_filler"):
                    p.weight_filler.Clear()
                    p.weight_filler.type = "constant"
    for l in net.layer:
        if l.type == "Data":
            l.data_param.source = os.path.join(root, "data", dataset, "lmdb")
            l.transform_param.mean_file = os.path.join(root, "data", dataset, "mean.binaryproto")
            l.data_param.batch_size = batch
    return net


def write_net(path, net):
    with open(path, "w") as f:
        f.write(text_format.MessageToString(net))
    return path


@pytest.fixture(scope="module")
def paper_data(tmp_path_factory, caffe_tools):
    root = str(tmp_path_factory.mktemp("paper_data"))
    make_datasets(root, ["big"], n=4, size=256)
    return root


def test_every_distinct_paper_net_instantiates_in_both_phases(cat, paper_data):
    """All 170 train_val nets reduce to 22 distinct structures (data sources aside) and
    8 distinct deploy nets; each is built by pycaffe (TRAIN and TEST) at batch 2.
    netbase is built with its own gaussian fillers; the other 21 structures with
    constant weight fillers to save time (every file's fillers are checked above)."""
    caffe.set_mode_cpu()
    structures, deploys = {}, {}
    for name in cat.names():
        tv, deploy, _ = committed(name)
        structures.setdefault(structure_key(tv), (name, tv))
        deploys.setdefault(structure_key(deploy), (name, deploy))
    assert len(structures) == 1 + 7 + 7 + 7  # scratch, frozen copy, fine-tuned copy, random
    assert len(deploys) == 1 + 7
    for name, tv in structures.values():
        path = write_net(os.path.join(paper_data, name + ".prototxt"),
                         small_copy(tv, paper_data, "big", 2, constant_fillers=name != "netbase"))
        for phase in (caffe.TRAIN, caffe.TEST):
            net = caffe.Net(path, phase)
            assert net.blobs["data"].data.shape == (2, 3, 227, 227)
            assert net.blobs["pool5"].data.shape == (2, 256, 6, 6)
            fc6 = "fc6-new" if cat.get(name).init == "copy" and cat.get(name).n < 6 else "fc6"
            assert net.params[fc6][0].data.shape == (4096, 9216)
            assert net.params["fc8-new" if cat.get(name).init == "copy" else "fc8"][0].data.shape \
                == (1000, 4096)
            assert sum(b.data.size for p in net.params.values() for b in p) == 60965224
            outputs = list(net.outputs)
            assert outputs == (["accuracy", "loss"] if phase == caffe.TEST else ["loss"])
            if name == "netbase" and phase == caffe.TEST:
                out = net.forward()
                assert 0 <= float(out["accuracy"]) <= 1 and float(out["loss"]) > 0
            del net
    for name, deploy in deploys.values():
        path = os.path.join(PROJECT_ROOT, "prototxt", name, "deploy.prototxt")
        net = caffe.Net(path, caffe.TEST)
        assert net.blobs["prob"].data.shape == (10, 1000)
        assert net.blobs["pool5"].data.shape == (10, 256, 6, 6)
        assert sum(b.data.size for p in net.params.values() for b in p) == 60965224
        del net


def test_upgrade_tools_change_nothing(cat, tmp_path, caffe_tools):
    """Caffe's upgrade_net_proto_text / upgrade_solver_proto_text on one file of each
    distinct structure: the upgraded message equals the generated one (current format)."""
    seen, files = set(), []
    for name in cat.names():
        for kind in ("train_val", "deploy"):
            path = os.path.join(PROJECT_ROOT, "prototxt", name, kind + ".prototxt")
            key = structure_key(parse(path, caffe_pb2.NetParameter()))
            if key not in seen:
                seen.add(key)
                files.append(("upgrade_net_proto_text", path, caffe_pb2.NetParameter))
    for name in ("netbase", "reduced-0100"):
        files.append(("upgrade_solver_proto_text",
                      os.path.join(PROJECT_ROOT, "solvers", name + ".prototxt"),
                      caffe_pb2.SolverParameter))
    assert len(files) == 22 + 8 + 2
    for i, (tool, path, cls) in enumerate(files):
        out = str(tmp_path / ("up%d.prototxt" % i))
        subprocess.run([tool, path, out], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        assert parse(out, cls()) == parse(path, cls()), path


def test_tiny_profile_every_net_instantiates(cat, tmp_path, caffe_tools):
    """The tiny profile, all 170 networks, TRAIN and TEST, reading real LMDBs."""
    root = str(tmp_path)
    tiny = cat.profile("tiny")
    make_datasets(root, ["one"], n=8, size=tiny["resize"])
    for ds in cat.datasets:
        os.symlink(os.path.join(root, "data", "one"), os.path.join(root, "data", ds))
    caffe.set_mode_cpu()
    sizes = netgen.spatial_sizes(tiny["crop"])
    assert min(sizes.values()) >= 1
    for name in cat.names():
        paths = netgen.write_experiment(cat, name, root, profile="tiny")
        assert paths == dict(train_val=os.path.join(root, "prototxt", name, "train_val.prototxt"),
                             deploy=os.path.join(root, "prototxt", name, "deploy.prototxt"),
                             solver=os.path.join(root, "solvers", name + ".prototxt"))
        solver = parse(paths["solver"], caffe_pb2.SolverParameter())
        assert solver.solver_mode == caffe_pb2.SolverParameter.CPU
        assert solver.max_iter == tiny["schedules"][cat.get(name).schedule]["max_iter"]
        assert os.path.isdir(os.path.join(root, "results", name))
        tv = parse(paths["train_val"], caffe_pb2.NetParameter())
        path = write_net(os.path.join(root, "small.prototxt"), small_copy(tv, root, "one", 2))
        for phase in (caffe.TRAIN, caffe.TEST):
            net = caffe.Net(path, phase)
            assert net.blobs["pool5"].data.shape == (2, tiny["num_output"]["conv5"],
                                                     sizes["pool5"], sizes["pool5"])
            del net
    # the same layer names as the paper's nets
    for name in ("netbase", "transfer1B1A_1_5", "nolearn_1_2"):
        tv_tiny = parse(os.path.join(root, "prototxt", name, "train_val.prototxt"),
                        caffe_pb2.NetParameter())
        assert [l.name for l in tv_tiny.layer] == [l.name for l in committed(name)[0].layer]
    # the study's gaussian fillers, scaled by the profile; a fixed seed
    tv_tiny = parse(os.path.join(root, "prototxt", "netbase", "train_val.prototxt"),
                    caffe_pb2.NetParameter())
    paper = dict((l.name, l) for l in committed("netbase")[0].layer)
    scale = tiny["weight_std_scale"]
    for l in tv_tiny.layer:
        if l.name in LAYERS:
            p = l.convolution_param if l.type == "Convolution" else l.inner_product_param
            q = (paper[l.name].convolution_param if l.type == "Convolution"
                 else paper[l.name].inner_product_param)
            assert p.weight_filler.type == "gaussian"
            assert p.weight_filler.std == pytest.approx(q.weight_filler.std * scale)
    seeds = [parse(os.path.join(root, "solvers", n + ".prototxt"),
                   caffe_pb2.SolverParameter()).random_seed for n in cat.names()]
    assert seeds == [tiny["random_seed"] + i for i in range(len(seeds))]


def tree_digest(root):
    h = hashlib.sha256()
    for d in ("prototxt", "solvers"):
        for dirpath, dirnames, filenames in sorted(os.walk(os.path.join(root, d))):
            dirnames.sort()
            for f in sorted(filenames):
                p = os.path.join(dirpath, f)
                h.update(p.encode())
                with open(p, "rb") as fh:
                    h.update(fh.read())
    return h.hexdigest()


def test_tiny_profile_and_multi_gpu_never_touch_the_committed_files(cat, tmp_path):
    before = tree_digest(PROJECT_ROOT)
    with pytest.raises(layout.LayoutError, match="never in the checkout"):
        netgen.write_experiment(cat, "half0A", PROJECT_ROOT, profile="tiny")
    r = subprocess.run([sys.executable, SCRIPT, "--profile", "tiny", "half0A"],
                       stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2 and "--root" in r.stderr
    # a 4-GPU run with iter_size 2 in a copy of the paper profile: per-pass batch 256/8
    root = str(tmp_path)
    paths = netgen.write_experiment(cat, "half1B", root, profile="paper", gpus=4, iter_size=2)
    plain = dict(train_val=os.path.join(root, "prototxt/half1B/train_val.prototxt"),
                 solver=os.path.join(root, "solvers/half1B.prototxt"))
    assert paths["train_val"].startswith(os.path.join(root, "results", "half1B") + os.sep)
    assert paths["solver"].startswith(os.path.join(root, "results", "half1B") + os.sep)
    solver = parse(paths["solver"], caffe_pb2.SolverParameter())
    assert solver.iter_size == 2 and solver.net == os.path.relpath(paths["train_val"], root)
    assert solver.snapshot_prefix == "results/half1B/half1B" and solver.max_iter == 450000
    tv = parse(paths["train_val"], caffe_pb2.NetParameter())
    batches = [(l.include[0].phase, l.data_param.batch_size) for l in tv.layer if l.type == "Data"]
    assert batches == [(caffe_pb2.TRAIN, 32), (caffe_pb2.TEST, 50)]
    # the plain files are the catalog's, identical to the committed ones
    for kind in ("train_val", "solver"):
        with open(plain[kind]) as f:
            rel = os.path.relpath(plain[kind], root)
            with open(os.path.join(PROJECT_ROOT, rel)) as g:
                assert f.read() == g.read()
    with pytest.raises(catalog.CatalogError, match="cannot be split"):
        netgen.write_experiment(cat, "half1B", root, profile="paper", gpus=3)
    assert tree_digest(PROJECT_ROOT) == before


class Result(object):
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def test_edited_solver_is_kept_and_reported(tmp_path, capsys):
    root = str(tmp_path)
    spec = importlib.util.spec_from_file_location("make_prototxts", SCRIPT)
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)

    def run_cli(*args):
        """The CLI in this process (importing pycaffe for each run would cost seconds)."""
        capsys.readouterr()
        rc = cli.main(list(args))
        out, err = capsys.readouterr()
        return Result(rc, out, err)

    r = run_cli("--root", root, "--profile", "tiny", "halves")
    assert r.returncode == 0 and "8 networks" in r.stdout and "24 written" in r.stdout
    assert run_cli("--root", root, "--profile", "tiny", "--check", "halves").returncode == 0
    solver = os.path.join(root, "solvers", "half2A.prototxt")
    with open(solver) as f:
        text = f.read()
    edited = text.replace("solver_mode: CPU", "solver_mode: GPU\ndevice_id: 1")
    with open(solver, "w") as f:
        f.write(edited)
    # a stale file (generated, untouched, from an older catalog) is regenerated
    stale = os.path.join(root, "prototxt", "half2B", "deploy.prototxt")
    os.remove(stale)
    r = run_cli("--root", root, "--profile", "tiny", "--check", "halves")
    assert r.returncode == 1
    assert "solvers/half2A.prototxt: edited" in r.stdout
    assert "+solver_mode: CPU" in r.stdout and "-device_id: 1" in r.stdout
    assert "prototxt/half2B/deploy.prototxt: missing" in r.stdout
    r = run_cli("--root", root, "--profile", "tiny", "halves")
    assert r.returncode == 0 and "kept your edited solvers/half2A.prototxt" in r.stdout
    assert "`make prototxts EXPERIMENTS=half2A FORCE=1 PROFILE=tiny ROOT=%s` regenerates" % root \
        in r.stdout
    with open(solver) as f:
        assert f.read() == edited
    assert os.path.exists(stale)
    # an edit that parses is the user's: listed with its diff, exit 0 (--strict: 1)
    r = run_cli("--root", root, "--profile", "tiny", "--check", "halves")
    assert r.returncode == 0 and "solvers/half2A.prototxt: edited" in r.stdout, r.stdout
    assert "make prototxts EXPERIMENTS=half2A FORCE=1 PROFILE=tiny ROOT=%s" % root in r.stdout
    assert run_cli("--root", root, "--profile", "tiny", "--check", "--strict",
                   "halves").returncode == 1
    # a file Caffe cannot read is an error naming file:line
    with open(solver, "w") as f:
        f.write(edited.replace("base_lr: ", "base_lr "))
    line = [i for i, ln in enumerate(edited.splitlines(), 1) if ln.startswith("base_lr")][0]
    r = run_cli("--root", root, "--profile", "tiny", "--check", "halves")
    assert r.returncode == 1
    assert "solvers/half2A.prototxt: broken: solvers/half2A.prototxt:%d:" % line in r.stdout, r.stdout
    with open(solver, "w") as f:
        f.write(edited)
    r = run_cli("--root", root, "--profile", "tiny", "--force", "half2A")
    assert "overwrote edited solvers/half2A.prototxt" in r.stdout
    with open(solver) as f:
        assert f.read() == text
    # a file from an older catalog (hash intact, content different) is updated silently
    cat = catalog.load()
    max_iter = cat.profile("tiny")["schedules"]["base"]["max_iter"]
    old = text.replace("max_iter: %d" % max_iter, "max_iter: %d" % (max_iter - 10))
    assert old != text
    body = old.split("# content-sha256: ")[1].split("\n", 1)[1]
    old = old.replace(old.split("# content-sha256: ")[1].split("\n", 1)[0],
                      hashlib.sha256(body.encode()).hexdigest())
    with open(solver, "w") as f:
        f.write(old)
    problems = netgen.check_files(cat, root, "tiny", ["half2A"])
    assert [(p, w) for p, w, _ in problems] == [("solvers/half2A.prototxt", "stale")]
    statuses = dict(netgen.generate(cat, "half2A", root, "tiny"))
    assert statuses[solver] == "updated"
    with open(solver) as f:
        assert f.read() == text
    # files no experiment makes are listed too
    with open(os.path.join(root, "solvers", "half9A.prototxt"), "w") as f:
        f.write(text)
    problems = dict((p, w) for p, w, _ in netgen.check_files(cat, root, "tiny"))
    assert problems["solvers/half9A.prototxt"] == "not in the catalog"
    assert problems["solvers/netbase.prototxt"] == "missing"
    assert "solvers/half2A.prototxt" not in problems
