"""The experiment catalog (experiments.yaml): the 170 networks of the study as the
issue defines them, and clear errors (file:line) for bad input."""
import os
import re
import subprocess
import sys

import pytest

from transfer_study import PROJECT_ROOT
from transfer_study.nets import catalog

CATALOG = os.path.join(PROJECT_ROOT, "experiments.yaml")
REDUCED = ["0001", "0002", "0005", "0010", "0025", "0050", "0100", "0250", "0500", "0750",
           "1000", "1300"]


@pytest.fixture(scope="module")
def cat():
    return catalog.load()


@pytest.fixture(scope="module")
def text():
    with open(CATALOG) as f:
        return f.read()


def expected_networks():
    """name -> (train, valid, schedule, init, base, n, frozen), from the issue's rules."""
    nets = {"netbase": ("whole_train", "whole_valid", "base", "scratch", None, None, False)}
    for s in range(4):
        for x in "AB":
            nets["half%d%s" % (s, x)] = ("half%d%s_train" % (s, x), "half%d%s_valid" % (s, x),
                                         "base", "scratch", None, None, False)
    for x in "AB":
        nets["halfnatman" + x] = ("halfnatman%s_train" % x, "halfnatman%s_valid" % x,
                                  "base", "scratch", None, None, False)
    for r in REDUCED:
        train = "whole_train" if r == "1300" else "reduced%s_train" % r
        nets["reduced-" + r] = (train, "whole_valid", "reduced", "scratch", None, None, False)
    for n in range(1, 8):
        for s in range(4):
            for x, y in ("AA", "AB", "BA"):
                t = ("half%d%s_train" % (s, y), "half%d%s_valid" % (s, y), "base", "copy",
                     "half%d%s" % (s, x), n)
                nets["transfer%d%s%d%s_1_%d" % (s, x, s, y, n)] = t + (True,)
                if s < 2:
                    nets["transfer-ft%d%s%d%s_1_%d" % (s, x, s, y, n)] = t + (False,)
        for x, y in ("AB", "BA"):
            nets["transfernatman%s%s_1_%d" % (x, y, n)] = (
                "halfnatman%s_train" % y, "halfnatman%s_valid" % y, "base", "copy",
                "halfnatman" + x, n, True)
        nets["nolearn_1_%d" % n] = ("whole_train", "whole_valid", "base", "random", None, n, True)
    return nets


def test_the_170_networks_of_the_study(cat):
    expected = expected_networks()
    assert len(expected) == 170
    assert sorted(cat.names()) == sorted(expected)
    assert len(set(cat.names())) == 170
    for name, (train, valid, schedule, init, base, n, frozen) in expected.items():
        e = cat.get(name)
        got = (e.train_set, e.valid_set, e.schedule, e.init, e.base, e.n, e.frozen)
        assert got == (train, valid, schedule, init, base, n, frozen), name
        assert e.depends == ([base] if base else [])


def test_groups(cat):
    assert len(cat.group("base")) == 11
    assert len(cat.group("reduced")) == 12
    assert len(cat.group("transfers")) == 84 + 42 + 14
    assert len(cat.group("random-filters")) == 7
    assert cat.group("all-networks") == cat.names()
    assert cat.group("halves") == ["half%d%s" % (s, x) for s in range(4) for x in "AB"]
    assert cat.group("natman") == ["halfnatmanA", "halfnatmanB"]
    assert len(cat.group("transfers-frozen")) == 84
    assert all(n.startswith("transfer-ft") for n in cat.group("transfers-ft"))
    assert len(cat.group("transfers-ft")) == 42
    assert len(cat.group("transfers-natman")) == 14
    # every base of a transfer is a network trained from scratch
    for name in cat.group("transfers"):
        assert cat.get(cat.get(name).base).init == "scratch"
    # dependencies come first
    order = cat.order(["transfer2B2A_1_4", "netbase"])
    assert order == ["half2B", "transfer2B2A_1_4", "netbase"]
    with pytest.raises(catalog.CatalogError, match="did you mean 'transfers'"):
        cat.group("transfer")


def test_profiles(cat):
    paper = cat.profile("paper")
    assert (paper["resize"], paper["crop"], paper["batch_train"], paper["batch_test"]) == (256, 227, 256, 50)
    assert paper["solver_mode"] == "GPU"
    assert paper["num_output"] == dict(conv1=96, conv2=256, conv3=384, conv4=384, conv5=256,
                                       fc6=4096, fc7=4096, fc8=1000)
    assert paper["schedules"]["base"] == dict(
        base_lr=0.01, gamma=0.1, stepsize=100000, max_iter=450000, momentum=0.9,
        weight_decay=0.0005, test_iter=1000, test_interval=1000, display=20, snapshot=10000)
    assert paper["schedules"]["reduced"] == dict(paper["schedules"]["base"], base_lr=0.0125,
                                                 stepsize=64000, max_iter=200000)
    tiny = cat.profile("tiny")
    assert tiny["solver_mode"] == "CPU"
    assert tiny["num_output"]["fc8"] == 1000
    assert all(tiny["num_output"][k] < paper["num_output"][k] for k in catalog.LAYERS[:-1])
    base, red = tiny["schedules"]["base"], tiny["schedules"]["reduced"]
    # the reduced schedule keeps its shape: larger rate, earlier step, shorter run
    assert red["base_lr"] > base["base_lr"] and red["stepsize"] < base["stepsize"]
    assert red["max_iter"] < base["max_iter"] <= 500   # minutes on a CPU, not days
    with pytest.raises(catalog.CatalogError, match="did you mean 'tiny'"):
        cat.profile("tinny")


def test_unknown_experiment_suggests_near_matches(cat):
    with pytest.raises(catalog.CatalogError) as e:
        cat.get("transfer0A0B_3")
    msg = str(e.value)
    assert "unknown experiment 'transfer0A0B_3'" in msg and "'transfer0A0B_1_3'" in msg
    with pytest.raises(catalog.CatalogError, match="did you mean 'netbase'"):
        cat.get("netbse")


def line_of(text, needle):
    for i, line in enumerate(text.split("\n")):
        if needle in line:
            return i + 1
    raise AssertionError(needle)


def load_modified(tmp_path, text, old, new):
    assert text.count(old) == 1, old
    path = tmp_path / "experiments.yaml"
    path.write_text(text.replace(old, new))
    return str(path)


def error_of(path):
    with pytest.raises(catalog.CatalogError) as e:
        catalog.load(path)
    return str(e.value)


def test_invalid_yaml_names_the_line(tmp_path, text):
    line = line_of(text, "  half1B:")
    path = load_modified(tmp_path, text, "half1B_valid, schedule: base}",
                         "half1B_valid, schedule: base")
    msg = error_of(path)
    assert msg.startswith("%s:" % path) and "invalid YAML" in msg
    # the parser notices the missing brace at the start of the next line
    assert re.match(r".*:(%d|%d): " % (line, line + 1), msg), msg


def test_n_outside_1_to_7(tmp_path, text):
    for bad in ("0", "8", "-1", "2.5"):
        line = line_of(text, "  transfer0A0B_1_3:")
        path = load_modified(tmp_path, text, "half0B_valid, schedule: base, init: copy, base: half0A, n: 3, frozen: true}",
                             "half0B_valid, schedule: base, init: copy, base: half0A, n: %s, frozen: true}" % bad)
        msg = error_of(path)
        assert "%s:%d:" % (path, line) in msg and "n must be an integer in 1..7" in msg, msg


def test_base_network_that_does_not_exist(tmp_path, text):
    line = line_of(text, "  transfer2A2B_1_5:")
    old = "train: half2B_train, valid: half2B_valid, schedule: base, init: copy, base: half2A, n: 5"
    path = load_modified(tmp_path, text, old, old.replace("base: half2A", "base: half2C"))
    msg = error_of(path)
    assert "%s:%d:" % (path, line) in msg
    assert "base network 'half2C' does not exist" in msg and "did you mean" in msg


def test_dataset_that_is_not_defined(tmp_path, text):
    line = line_of(text, "  reduced-0250:")
    path = load_modified(tmp_path, text, "train: reduced0250_train,", "train: reduced0205_train,")
    msg = error_of(path)
    assert "%s:%d:" % (path, line) in msg
    assert "dataset 'reduced0205_train' is not defined" in msg and "reduced0250_train" in msg
    # a validation set given as training set is caught too
    path = load_modified(tmp_path, text, "  netbase:              {group: base, train: whole_train",
                         "  netbase:              {group: base, train: whole_valid")
    assert "'whole_valid' is a valid set" in error_of(path)


def test_duplicate_and_misspelt_keys(tmp_path, text):
    first = line_of(text, "  half3A:")
    entry = [l for l in text.split("\n") if l.startswith("  half3A:")][0]
    path = load_modified(tmp_path, text, entry + "\n", entry + "\n" + entry + "\n")
    msg = error_of(path)
    assert "%s:%d: duplicate key 'half3A' (first at line %d)" % (path, first + 1, first) in msg
    line = line_of(text, "  nolearn_1_4:")
    path = load_modified(tmp_path, text, "init: random, n: 4, frozen: true}",
                         "init: random, n: 4, frozn: true}")
    msg = error_of(path)
    assert "%s:%d: unknown key 'frozn'" % (path, line) in msg and "did you mean 'frozen'" in msg


def test_missing_catalog_file(tmp_path):
    msg = error_of(str(tmp_path / "nope.yaml"))
    assert "cannot read the experiment catalog" in msg and "nope.yaml" in msg


def test_cli_errors_and_listing(tmp_path, text):
    script = os.path.join(PROJECT_ROOT, "scripts", "make_prototxts.py")
    r = subprocess.run([sys.executable, script, "--list", "transfer-ft1B1A_1_9"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2
    assert "unknown experiment or group 'transfer-ft1B1A_1_9'" in r.stderr
    assert "Traceback" not in r.stderr
    path = load_modified(tmp_path, text, "half0B_valid, schedule: base, init: copy, base: half0A, n: 3, frozen: true}",
                         "half0B_valid, schedule: base, init: copy, base: half0A, n: 9, frozen: true}")
    r = subprocess.run([sys.executable, script, "--catalog", path, "--list"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2 and "%s:%d:" % (path, line_of(text, "  transfer0A0B_1_3:")) in r.stderr
    r = subprocess.run([sys.executable, script, "--list"], stdout=subprocess.PIPE,
                       universal_newlines=True, check=True)
    rows = [l.split(None, 3) for l in r.stdout.strip().split("\n")]
    assert [row[0] for row in rows] == catalog.load().names()
    deps = dict((row[0], row[2]) for row in rows)
    assert deps["transfernatmanBA_1_2"] == "halfnatmanB" and deps["nolearn_1_2"] == "-"


def test_profile_errors(tmp_path, text):
    line = line_of(text, "    crop: 57")
    path = load_modified(tmp_path, text, "    crop: 57", "    crop: 38")
    msg = error_of(path)
    assert "%s:%d: profile 'tiny': crop 38 is too small" % (path, line) in msg
    line = line_of(text, "    weight_std_scale: 4")
    path = load_modified(tmp_path, text, "    weight_std_scale: 4", "    weight_filler: msra")
    assert "%s:%d: profile 'tiny': weight_filler" % (path, line) in error_of(path)
    path = load_modified(tmp_path, text, "    weight_std_scale: 4", "    weight_std_scale: -1")
    assert "%s:%d: profile 'tiny': weight_std_scale" % (path, line) in error_of(path)
    line = line_of(text, "    random_seed: 1")
    path = load_modified(tmp_path, text, "    random_seed: 1", "    random_seed: one")
    assert "%s:%d: profile 'tiny': random_seed" % (path, line) in error_of(path)
    old = "      reduced: {base_lr: 0.0125, gamma: 0.1, stepsize: 64000,  max_iter: 200000,"
    line = line_of(text, old)
    path = load_modified(tmp_path, text, old, old.replace("stepsize: 64000", "stepsize: -5"))
    assert "%s:%d: profile 'paper' schedule 'reduced': stepsize must be a positive integer" % (
        path, line) in error_of(path)


def test_caffenet_sizes():
    # Caffe rounds convolution outputs down and pooling outputs up
    assert catalog.caffenet_sizes(227) == dict(conv1=55, pool1=27, conv2=27, pool2=13, conv3=13,
                                               conv4=13, conv5=13, pool5=6)
    assert catalog.caffenet_sizes(39)["pool5"] == 1
    assert catalog.caffenet_sizes(38)["pool5"] == 0


def test_mean_image_of_every_group(cat):
    """The mean each network subtracts, as the study's released configurations: a net
    that copies layers from a base uses the base's training-set mean, every other net
    its own training set's."""
    for s in range(4):
        for x, y in (("A", "A"), ("A", "B"), ("B", "A")):
            for n in range(1, 8):
                # frozen selffer AnA and transfer AnB / BnA: half{s}{x}'s, the base's
                assert cat.get("transfer%d%s%d%s_1_%d" % (s, x, s, y, n)).mean_set == \
                    "half%d%s_train" % (s, x)
                if s < 2:   # fine-tuned: the same rule
                    assert cat.get("transfer-ft%d%s%d%s_1_%d" % (s, x, s, y, n)).mean_set == \
                        "half%d%s_train" % (s, x)
    for n in range(1, 8):
        # natural (A) -> man-made (B) and back: the source half's mean
        assert cat.get("transfernatmanAB_1_%d" % n).mean_set == "halfnatmanA_train"
        assert cat.get("transfernatmanBA_1_%d" % n).mean_set == "halfnatmanB_train"
        # random untrained filters on the whole set: whole_train's
        assert cat.get("nolearn_1_%d" % n).mean_set == "whole_train"
    for e in cat.experiments():
        if e.group in ("base", "reduced"):
            assert e.mean_set == e.train_set, e.name
    cross = [e for e in cat.experiments() if e.mean_set != e.train_set]
    assert len(cross) == 56 + 28 + 14
    assert "half0A_train's mean" in cat.get("transfer0A0B_1_3").describe()


def test_mean_override_and_its_errors(tmp_path, text):
    old = "transfer1A1B_1_4:     {group: transfers, train: half1B_train, valid: half1B_valid, " \
          "schedule: base, init: copy, base: half1A, n: 4, frozen: true}"
    path = load_modified(tmp_path, text, old, old[:-1] + ", mean: whole_train}")
    cat = catalog.load(path)
    assert cat.get("transfer1A1B_1_4").mean_set == "whole_train"
    assert cat.get("transfer1A1B_1_3").mean_set == "half1A_train"
    # a copied net follows its base's mean when the base overrides it
    base = "  half1A:               {group: base, train: half1A_train, valid: half1A_valid, " \
           "schedule: base}"
    path = load_modified(tmp_path, text, base, base[:-1] + ", mean: whole_train}")
    cat = catalog.load(path)
    assert cat.get("half1A").mean_set == cat.get("transfer1A1B_1_5").mean_set == "whole_train"
    line = line_of(text, "  transfer1A1B_1_4:")
    for bad, why in (("half1B_valid", "is not a training set"), ("half9B_train", "did you mean")):
        path = load_modified(tmp_path, text, old, old[:-1] + ", mean: %s}" % bad)
        msg = error_of(path)
        assert "%s:%d: network 'transfer1A1B_1_4': mean: %r" % (path, line, bad) in msg, msg
        assert why in msg, msg
