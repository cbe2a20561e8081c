"""The demo's embedded ImageNet: a small ILSVRC2012-style tree, drawn from a seed.

    <out>/train/<wnid>/<wnid>_<k>.JPEG        training images, ImageNet's layout
    <out>/val/ILSVRC2012_val_<8 digits>.JPEG  validation images, classes interleaved
    <out>/train.txt                           Caffe's train.txt format, in a shuffled order
    <out>/val.txt                             Caffe's val.txt format: `name label`
    <out>/synsets.txt                         the demo's wnids, sorted (Caffe's class order)
    <out>/synset_words.txt                    the same with their WordNet names
    <out>/.complete                           written last: the parameters it was made with

Ten real ILSVRC2012 classes, five that WordNet 3.0 puts under *organism*
(n00004475) and five under *artifact* (n00021939), so the demo's
man-made/natural split runs through the real WordNet code with no manual
placements.  Their ids and names are embedded here so that the demo draws
them without any metadata file; tests/test_demo.py checks them against
WordNet and against the project's ilsvrc12/synset_words.txt.

Each class is a drawing a small convnet can learn from a few hundred
examples: a shape, a texture and a colour scheme, placed at a random scale,
position and angle on a cluttered, unevenly lit, noisy background that only
leans towards the class's usual scene.  Image sizes and aspect ratios vary as
ImageNet's do (mostly 4:3 and 3:4), scaled down so the demo stays small.
The real-world oddities of ImageNet -- a grayscale JPEG, a CMYK JPEG, a PNG
file named .JPEG, 1x1 and 3x2 JPEGs and a 4000x3000 one -- replace a few
training images (transfer_study.demo.sample_images.write_oddities draws them:
generic scenes, so they act as the few mislabelled images ImageNet has).

train.txt lists the training images in a fixed random order, which makes
the reduced sets' "first n per class" a random sample.  (Batches mix
classes either way: the training LMDBs are written shuffled, as Caffe's
Data layer reads an LMDB in key order and never shuffles.)

Every image is a pure function of (seed, split, index), so an interrupted
run resumes by drawing only the files that are missing; files appear under
their final name only when complete (temp name, then rename).
"""
import hashlib
import json
import math
import multiprocessing
import os
import shutil
import sys

import cv2
import numpy as np

from transfer_study import files

# (wnid, ILSVRC2012 name, WordNet top category), sorted by wnid: the label of
# a class is its index here, as in Caffe's synsets.txt.
CLASSES = (
    ("n01443537", "goldfish, Carassius auratus", "organism"),
    ("n02165456", "ladybug, ladybeetle, lady beetle, ladybird, ladybird beetle", "organism"),
    ("n02317335", "starfish, sea star", "organism"),
    ("n02391049", "zebra", "organism"),
    ("n02708093", "analog clock", "artifact"),
    ("n03530642", "honeycomb", "artifact"),
    ("n04254680", "soccer ball", "artifact"),
    ("n04507155", "umbrella", "artifact"),
    ("n06785654", "crossword puzzle, crossword", "artifact"),
    ("n11939491", "daisy", "organism"),
)
WNIDS = tuple(c[0] for c in CLASSES)

DEFAULT_SEED = 2014
DEFAULT_TRAIN_PER_CLASS = 150
DEFAULT_VAL_PER_CLASS = 40

# ImageNet's shapes, scaled down: (aspect w/h, weight).  Long side drawn
# uniformly from LONG_SIDE.
ASPECTS = ((4.0 / 3, 0.50), (3.0 / 4, 0.18), (1.0, 0.10), (3.0 / 2, 0.08),
           (2.0 / 3, 0.05), (16.0 / 9, 0.04), (None, 0.05))
LONG_SIDE = (96, 320)

# Training images replaced by the odd files real ImageNet has (written by
# sample_images.write_oddities): (kind, class index, position in the class).
# gray: a grayscale JPEG; cmyk: a CMYK JPEG; png: a PNG named .JPEG;
# tiny/tiny32: 1x1 and 3x2 JPEGs; big: a 4000x3000 JPEG.
ODDITIES = (("gray", 1, 3), ("cmyk", 4, 5), ("png", 8, 7), ("tiny", 2, 11),
            ("tiny32", 6, 13), ("big", 9, 17))


class DemoDataError(ValueError):
    """The demo dataset directory cannot be (re)generated as asked."""


# --------------------------------------------------------------------------
# Drawing helpers (all colours BGR, uint8 images HxWx3)

def _rng(seed, *key):
    """A generator for one image, independent of every other image's."""
    h = hashlib.sha256(("%d:" % seed + ":".join(str(k) for k in key)).encode()).digest()
    return np.random.RandomState(np.frombuffer(h[:16], dtype=np.uint32))


def _jitter(rng, bgr, amount=30):
    return tuple(int(np.clip(c + rng.randint(-amount, amount + 1), 0, 255)) for c in bgr)


def _smooth_noise(rng, h, w, cells, amplitude):
    """Low-frequency noise: a coarse random grid, upsampled smoothly."""
    gh, gw = max(2, int(cells * h / max(h, w)) + 2), max(2, int(cells * w / max(h, w)) + 2)
    grid = rng.randn(gh, gw).astype(np.float32) * amplitude
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)


def _gradient(rng, h, w, top, bottom):
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    img = (1 - t) * np.array(top, np.float32) + t * np.array(bottom, np.float32)
    return np.repeat(img, w, axis=1)


def _rotate(points, angle, center):
    c, s = math.cos(angle), math.sin(angle)
    p = np.asarray(points, np.float64)
    rot = np.stack([p[:, 0] * c - p[:, 1] * s, p[:, 0] * s + p[:, 1] * c], axis=1)
    return rot + np.asarray(center, np.float64)


def _poly(img, points, colour, shift=4):
    pts = np.round(np.asarray(points) * (1 << shift)).astype(np.int32)
    cv2.fillPoly(img, [pts], colour, cv2.LINE_AA, shift)


def _circle(img, center, r, colour, thickness=-1):
    s = 4
    c = (int(round(center[0] * (1 << s))), int(round(center[1] * (1 << s))))
    cv2.circle(img, c, max(1, int(round(r * (1 << s)))), colour, thickness, cv2.LINE_AA, s)


def _ellipse(img, center, axes, angle_deg, colour, thickness=-1):
    s = 4
    c = (int(round(center[0] * (1 << s))), int(round(center[1] * (1 << s))))
    a = (max(1, int(round(axes[0] * (1 << s)))), max(1, int(round(axes[1] * (1 << s)))))
    cv2.ellipse(img, c, a, angle_deg, 0, 360, colour, thickness, cv2.LINE_AA, s)


def _line(img, p, q, colour, thickness):
    s = 4
    a = (int(round(p[0] * (1 << s))), int(round(p[1] * (1 << s))))
    b = (int(round(q[0] * (1 << s))), int(round(q[1] * (1 << s))))
    cv2.line(img, a, b, colour, max(1, int(round(thickness))), cv2.LINE_AA, s)


def _paste(img, layer, mask):
    """Alpha-composite `layer` over `img` where `mask` (uint8 0..255) is set."""
    a = cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32)[:, :, None] / 255.0
    img[:] = (img * (1 - a) + layer * a).astype(np.uint8)


# --------------------------------------------------------------------------
# Scenes: each class leans towards one, but any class can get any scene.

def _scene(rng, h, w, kind):
    if kind == "water":
        img = _gradient(rng, h, w, _jitter(rng, (150, 110, 40)), _jitter(rng, (90, 60, 10)))
    elif kind == "leaf":
        img = _gradient(rng, h, w, _jitter(rng, (40, 140, 60)), _jitter(rng, (20, 90, 30)))
    elif kind == "sand":
        img = _gradient(rng, h, w, _jitter(rng, (150, 190, 210)), _jitter(rng, (110, 160, 190)))
    elif kind == "savannah":
        img = _gradient(rng, h, w, _jitter(rng, (220, 180, 140)), _jitter(rng, (60, 150, 170)))
        horizon = int(h * rng.uniform(0.3, 0.6))
        img[horizon:] = img[horizon:] * 0.6 + np.array(_jitter(rng, (50, 140, 150)), np.float32) * 0.4
    elif kind == "wall":
        img = _gradient(rng, h, w, _jitter(rng, (200, 200, 205), 50), _jitter(rng, (170, 175, 180), 50))
    elif kind == "street":
        img = _gradient(rng, h, w, _jitter(rng, (150, 150, 150), 40), _jitter(rng, (80, 80, 85), 30))
    elif kind == "paper":
        img = _gradient(rng, h, w, _jitter(rng, (215, 225, 230), 20), _jitter(rng, (190, 200, 210), 20))
    elif kind == "grass":
        img = _gradient(rng, h, w, _jitter(rng, (60, 170, 90)), _jitter(rng, (30, 110, 50)))
    else:  # anything: two random colours
        img = _gradient(rng, h, w, tuple(int(x) for x in rng.randint(0, 256, 3)),
                        tuple(int(x) for x in rng.randint(0, 256, 3)))
    img += _smooth_noise(rng, h, w, rng.randint(3, 9), 18.0)[:, :, None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _clutter(rng, img, count):
    """Distractors: blobs, sticks and boxes of arbitrary colours."""
    h, w = img.shape[:2]
    for _ in range(count):
        colour = tuple(int(x) for x in rng.randint(0, 256, 3))
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        size = rng.uniform(0.03, 0.15) * min(h, w)
        kind = rng.randint(3)
        if kind == 0:
            _ellipse(img, (cx, cy), (size, size * rng.uniform(0.3, 1.0)),
                     rng.uniform(0, 180), colour)
        elif kind == 1:
            a = rng.uniform(0, math.pi)
            _line(img, (cx, cy), (cx + 3 * size * math.cos(a), cy + 3 * size * math.sin(a)),
                  colour, rng.uniform(1, 4))
        else:
            _poly(img, _rotate([(-size, -size / 2), (size, -size / 2), (size, size / 2),
                                (-size, size / 2)], rng.uniform(0, math.pi), (cx, cy)), colour)


# --------------------------------------------------------------------------
# The ten classes.  Each draws onto img at center c with size r (pixels) and
# angle a (radians).

def _goldfish(rng, img, c, r, a):
    body = _jitter(rng, (30, 130, 240), 25)
    ax = (r, r * rng.uniform(0.45, 0.6))
    tail = _rotate([(-0.8 * r, 0), (-1.45 * r, -0.55 * r), (-1.35 * r, 0), (-1.45 * r, 0.55 * r)], a, c)
    _poly(img, tail, _jitter(rng, (20, 100, 220), 20))
    _poly(img, _rotate([(-0.1 * r, -0.4 * r), (0.3 * r, -0.85 * r), (0.35 * r, -0.35 * r)], a, c), body)
    _ellipse(img, c, ax, math.degrees(a), body)
    _ellipse(img, _rotate([(0.1 * r, -0.15 * ax[1])], a, c)[0], (0.6 * r, 0.35 * ax[1]),
             math.degrees(a), _jitter(rng, (90, 190, 255), 15))
    eye = _rotate([(0.6 * r, -0.15 * r)], a, c)[0]
    _circle(img, eye, 0.11 * r, (240, 240, 240))
    _circle(img, eye, 0.06 * r, (10, 10, 10))
    h, w = img.shape[:2]
    for _ in range(rng.randint(2, 7)):  # bubbles
        _circle(img, (rng.uniform(0, w), rng.uniform(0, h)), rng.uniform(0.03, 0.08) * r,
                (230, 220, 200), 1)


def _ladybug(rng, img, c, r, a):
    _circle(img, _rotate([(0.85 * r, 0)], a, c)[0], 0.45 * r, (15, 15, 15))
    _circle(img, c, r, _jitter(rng, (20, 20, 210), 30))
    _line(img, _rotate([(0.9 * r, 0)], a, c)[0], _rotate([(-r, 0)], a, c)[0], (10, 10, 10),
          max(1, 0.07 * r))
    for _ in range(rng.randint(5, 9)):
        rho, phi = r * math.sqrt(rng.uniform(0.05, 0.7)), rng.uniform(0, 2 * math.pi)
        _circle(img, _rotate([(rho * math.cos(phi), rho * math.sin(phi))], a, c)[0],
                r * rng.uniform(0.1, 0.17), (15, 15, 15))
    _ellipse(img, _rotate([(-0.2 * r, -0.35 * r)], a, c)[0], (0.25 * r, 0.12 * r),
             math.degrees(a), (190, 190, 255))


def _starfish(rng, img, c, r, a):
    arms = 5
    inner = rng.uniform(0.3, 0.45)
    pts = []
    for i in range(2 * arms):
        rad = r * (1.0 if i % 2 == 0 else inner) * rng.uniform(0.9, 1.1)
        phi = a + math.pi * i / arms
        pts.append((c[0] + rad * math.cos(phi), c[1] + rad * math.sin(phi)))
    colour = [(40, 90, 230), (60, 60, 200), (120, 60, 180), (50, 140, 240)][rng.randint(4)]
    _poly(img, pts, _jitter(rng, colour, 25))
    light = _jitter(rng, (150, 200, 255), 20)
    for _ in range(int(20 + 30 * rng.rand())):  # knobbly skin
        rho, phi = r * rng.uniform(0, 0.8), rng.uniform(0, 2 * math.pi)
        k = round((phi - a) / (math.pi / arms * 2))
        phi = a + k * 2 * math.pi / arms + rng.uniform(-0.12, 0.12)
        _circle(img, (c[0] + rho * math.cos(phi), c[1] + rho * math.sin(phi)),
                max(1, 0.04 * r), light)


def _zebra(rng, img, c, r, a):
    h, w = img.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    _ellipse(mask, c, (r, 0.55 * r), math.degrees(a), 255)
    neck = _rotate([(0.6 * r, -0.2 * r), (1.2 * r, -0.9 * r), (1.45 * r, -0.75 * r),
                    (0.95 * r, 0.1 * r)], a, c)
    _poly(mask, neck, 255)
    for x in (-0.65, -0.4, 0.4, 0.65):  # legs
        _poly(mask, _rotate([(x * r - 0.07 * r, 0.3 * r), (x * r + 0.07 * r, 0.3 * r),
                             (x * r + 0.06 * r, 1.15 * r), (x * r - 0.06 * r, 1.15 * r)], a, c), 255)
    # Curved black/white stripes across the body.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx - c[0]) * math.cos(a) + (yy - c[1]) * math.sin(a)
    v = -(xx - c[0]) * math.sin(a) + (yy - c[1]) * math.cos(a)
    period = r * rng.uniform(0.16, 0.24)
    phase = (u + 0.25 * v * np.sin(v / (0.5 * r) + rng.uniform(0, 6))) / period
    stripes = (np.sin(2 * math.pi * phase) > 0).astype(np.float32)
    layer = np.dstack([stripes * 225 + 20] * 3)
    _paste(img, layer, mask)


def _analog_clock(rng, img, c, r, a):
    face = _jitter(rng, (235, 235, 235), 20)
    rims = [(30, 30, 160), (150, 60, 20), (40, 120, 170), (40, 40, 40)]   # red, blue, brass, black
    _circle(img, c, 1.12 * r, _jitter(rng, rims[rng.randint(len(rims))], 25))
    _circle(img, c, r, face)
    for i in range(12):
        phi = a + i * math.pi / 6
        inner = 0.78 if i % 3 else 0.68
        _line(img, (c[0] + inner * r * math.cos(phi), c[1] + inner * r * math.sin(phi)),
              (c[0] + 0.92 * r * math.cos(phi), c[1] + 0.92 * r * math.sin(phi)),
              (20, 20, 20), max(1, 0.05 * r))
    for length, width in ((0.5, 0.08), (0.8, 0.05)):
        phi = rng.uniform(0, 2 * math.pi)
        _line(img, c, (c[0] + length * r * math.cos(phi), c[1] + length * r * math.sin(phi)),
              (15, 15, 15), max(1, width * r))
    _circle(img, c, 0.06 * r, (20, 20, 180))


def _honeycomb(rng, img, c, r, a):
    h, w = img.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    pts = [(c[0] + 1.3 * r * math.cos(a + k * 2 * math.pi / 7) * rng.uniform(0.75, 1.0),
            c[1] + r * math.sin(a + k * 2 * math.pi / 7) * rng.uniform(0.75, 1.0)) for k in range(7)]
    _poly(mask, pts, 255)
    layer = np.zeros((h, w, 3), np.uint8)
    layer[:] = _jitter(rng, (30, 110, 170), 20)  # the wax walls
    cell = r * rng.uniform(0.13, 0.2)
    dx, dy = cell * math.sqrt(3), cell * 1.5
    for j in range(int(h / dy) + 2):
        for i in range(int(w / dx) + 2):
            x, y = i * dx + (dx / 2 if j % 2 else 0), j * dy
            full = rng.rand() < 0.6
            colour = _jitter(rng, (20, 170, 240) if full else (40, 80, 120), 20)
            hexagon = [(x + 0.85 * cell * math.cos(math.pi / 6 + k * math.pi / 3),
                        y + 0.85 * cell * math.sin(math.pi / 6 + k * math.pi / 3)) for k in range(6)]
            _poly(layer, hexagon, colour)
    _paste(img, layer, mask)


def _soccer_ball(rng, img, c, r, a):
    _circle(img, c, r, _jitter(rng, (240, 240, 240), 15))
    black = (25, 25, 25)
    for k in range(6):
        if k == 0:
            center, size = c, 0.3 * r
        else:
            phi = a + (k - 1) * 2 * math.pi / 5
            center, size = (c[0] + 0.75 * r * math.cos(phi), c[1] + 0.75 * r * math.sin(phi)), 0.2 * r
        spin = a + (math.pi / 5 if k == 0 else (k - 1) * 2 * math.pi / 5)
        _poly(img, [(center[0] + size * math.cos(spin + i * 2 * math.pi / 5),
                     center[1] + size * math.sin(spin + i * 2 * math.pi / 5)) for i in range(5)], black)
    for k in range(5):  # seams
        phi = a + math.pi / 5 + k * 2 * math.pi / 5
        _line(img, (c[0] + 0.3 * r * math.cos(phi), c[1] + 0.3 * r * math.sin(phi)),
              (c[0] + r * math.cos(phi), c[1] + r * math.sin(phi)), (90, 90, 90), max(1, 0.025 * r))
    _circle(img, c, r, (60, 60, 60), max(1, int(0.03 * r)))


def _umbrella(rng, img, c, r, a):
    colours = [_jitter(rng, col, 30) for col in
               [(40, 40, 200), (200, 80, 30), (40, 200, 230), (160, 40, 140), (30, 160, 40)]]
    rng.shuffle(colours)
    tilt = a * 0.3  # umbrellas stay mostly upright
    segments = rng.randint(6, 9)
    for i in range(segments):
        p0 = math.pi + i * math.pi / segments
        p1 = math.pi + (i + 1) * math.pi / segments
        pts = [c] + [(c[0] + r * math.cos(t + tilt), c[1] + 0.75 * r * math.sin(t + tilt))
                     for t in np.linspace(p0, p1, 6)]
        # scalloped rim
        mid = (p0 + p1) / 2
        pts.append((c[0] + 0.88 * r * math.cos(mid + tilt), c[1] + 0.6 * r * math.sin(mid + tilt)))
        _poly(img, pts, colours[i % (2 if rng.rand() < 0.5 else len(colours))])
    top = _rotate([(0, -0.8 * r)], tilt, c)[0]
    bottom = _rotate([(0, 0.85 * r)], tilt, c)[0]
    _line(img, top, bottom, (30, 30, 30), max(1, 0.04 * r))
    s = 4
    hook = (int(round((bottom[0] - 0.12 * r) * (1 << s))), int(round(bottom[1] * (1 << s))))
    cv2.ellipse(img, hook, (max(1, int(0.12 * r * (1 << s))),) * 2, math.degrees(tilt), 0, 180,
                (30, 30, 30), max(1, int(0.04 * r)), cv2.LINE_AA, s)


def _crossword(rng, img, c, r, a):
    n = rng.randint(9, 16)
    side = 2 * r
    cellsize = side / n
    black = rng.rand(n, n) < rng.uniform(0.12, 0.25)
    black = black | black[::-1, ::-1]  # crosswords are symmetric
    paper = _jitter(rng, (240, 245, 245), 10)
    half = side / 2
    _poly(img, _rotate([(-half, -half), (half, -half), (half, half), (-half, half)], a, c), paper)
    for j in range(n):
        for i in range(n):
            if black[j, i]:
                x0, y0 = -half + i * cellsize, -half + j * cellsize
                _poly(img, _rotate([(x0, y0), (x0 + cellsize, y0), (x0 + cellsize, y0 + cellsize),
                                    (x0, y0 + cellsize)], a, c), (20, 20, 20))
    for k in range(n + 1):
        t = -half + k * cellsize
        _line(img, _rotate([(t, -half)], a, c)[0], _rotate([(t, half)], a, c)[0], (40, 40, 40), 1)
        _line(img, _rotate([(-half, t)], a, c)[0], _rotate([(half, t)], a, c)[0], (40, 40, 40), 1)


def _daisy(rng, img, c, r, a):
    petals = rng.randint(12, 22)
    white = _jitter(rng, (245, 245, 245), 12)
    for i in range(petals):
        phi = a + i * 2 * math.pi / petals
        pc = (c[0] + 0.55 * r * math.cos(phi), c[1] + 0.55 * r * math.sin(phi))
        _ellipse(img, pc, (0.45 * r, 0.11 * r), math.degrees(phi), white)
        _ellipse(img, pc, (0.45 * r, 0.11 * r), math.degrees(phi), (200, 200, 200), 1)
    _circle(img, c, 0.25 * r, _jitter(rng, (20, 200, 250), 20))
    for _ in range(12):
        rho, phi = 0.2 * r * math.sqrt(rng.rand()), rng.uniform(0, 2 * math.pi)
        _circle(img, (c[0] + rho * math.cos(phi), c[1] + rho * math.sin(phi)), max(1, 0.03 * r),
                (10, 140, 200))


# Per class: the drawing, its usual scene, and how large the object is
# relative to the image's short side.
DRAWERS = {
    "n01443537": (_goldfish, "water", (0.22, 0.38)),
    "n02165456": (_ladybug, "leaf", (0.18, 0.38)),
    "n02317335": (_starfish, "sand", (0.28, 0.45)),
    "n02391049": (_zebra, "savannah", (0.22, 0.33)),
    "n02708093": (_analog_clock, "wall", (0.25, 0.42)),
    "n03530642": (_honeycomb, "anything", (0.28, 0.42)),
    "n04254680": (_soccer_ball, "grass", (0.2, 0.4)),
    "n04507155": (_umbrella, "street", (0.28, 0.45)),
    "n06785654": (_crossword, "paper", (0.25, 0.4)),
    "n11939491": (_daisy, "grass", (0.22, 0.42)),
}
SCENES = ("water", "leaf", "sand", "savannah", "wall", "street", "paper", "grass", "anything")


def _image_size(rng):
    p = np.array([w for _, w in ASPECTS])
    aspect = ASPECTS[rng.choice(len(ASPECTS), p=p / p.sum())][0]
    if aspect is None:
        aspect = math.exp(rng.uniform(math.log(0.4), math.log(2.5)))
    long_side = rng.randint(LONG_SIDE[0], LONG_SIDE[1] + 1)
    if aspect >= 1:
        return int(round(long_side / aspect)), long_side
    return long_side, int(round(long_side * aspect))


def draw(wnid, rng):
    """One photograph-like BGR image of class `wnid` (uint8, HxWx3)."""
    drawer, usual_scene, size = DRAWERS[wnid]
    h, w = _image_size(rng)
    scene = usual_scene if rng.rand() < 0.75 else SCENES[rng.randint(len(SCENES))]
    img = _scene(rng, h, w, scene)
    _clutter(rng, img, rng.randint(2, 9))
    r = rng.uniform(*size) * min(h, w)
    c = (rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h)
    drawer(rng, img, c, r, rng.uniform(0, 2 * math.pi))
    _clutter(rng, img, rng.randint(0, 3))  # something in front, sometimes
    # Uneven light, sensor noise, a little defocus.
    f = img.astype(np.float32)
    f *= (1.0 + _smooth_noise(rng, h, w, 2, 0.15))[:, :, None]
    f += rng.randn(h, w, 3).astype(np.float32) * rng.uniform(2, 9)
    img = np.clip(f, 0, 255).astype(np.uint8)
    sigma = rng.uniform(0.3, 1.2)
    return cv2.GaussianBlur(img, (0, 0), sigma)


# --------------------------------------------------------------------------
# The tree

def _cpu_count():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return multiprocessing.cpu_count()


def _train_names(seed, wnid, count):
    """ImageNet-like file numbers: distinct, unpadded, with gaps, in a
    shuffled order so a lexical sort is not a numeric one."""
    rng = _rng(seed, "names", wnid)
    ks = rng.choice(np.arange(1, 20 * count + 1), count, replace=False)
    return ["%s_%d.JPEG" % (wnid, k) for k in ks]


def _val_labels(seed, val_per_class):
    """Class of each validation image, in ImageNet's interleaved order."""
    labels = np.repeat(np.arange(len(WNIDS)), val_per_class)
    _rng(seed, "val-order").shuffle(labels)
    return [int(x) for x in labels]


def image_jobs(seed=DEFAULT_SEED, train_per_class=DEFAULT_TRAIN_PER_CLASS,
               val_per_class=DEFAULT_VAL_PER_CLASS):
    """[(relative path, label, rng key)] for every image, train then val."""
    jobs = []
    for label, wnid in enumerate(WNIDS):
        for k, name in enumerate(_train_names(seed, wnid, train_per_class)):
            jobs.append((os.path.join("train", wnid, name), label, ("train", wnid, k)))
    for i, label in enumerate(_val_labels(seed, val_per_class)):
        jobs.append((os.path.join("val", "ILSVRC2012_val_%08d.JPEG" % (i + 1)), label, ("val", i)))
    return jobs


def _oddity_kind(key):
    if key[0] != "train":
        return None
    for kind, label, k in ODDITIES:
        if key[1] == WNIDS[label] and key[2] == k:
            return kind
    return None


def _draw_one(job):
    """Worker: draw and write one ordinary image (a pure function of the job)."""
    out_dir, seed, path, label, key = job
    cv2.setNumThreads(1)   # one image per process; the pool uses the cores
    rng = _rng(seed, *key)
    img = draw(WNIDS[label], rng)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.randint(72, 96))])
    if not ok:
        raise DemoDataError("OpenCV could not encode %s" % path)
    files.write_atomic(os.path.join(out_dir, path), buf.tobytes())
    return path


def _write_oddities(out_dir, seed, wanted):
    """Put sample_images' odd files (the kinds real ImageNet has) at their
    places in the tree.  Their content is a generic scene, not the class's
    drawing: a few mislabelled-looking images, as in ImageNet itself."""
    from transfer_study.demo import sample_images
    tmp = os.path.join(out_dir, ".oddities.part")
    if os.path.isdir(tmp):
        shutil.rmtree(tmp)
    files = sample_images.write_oddities(tmp, seed=seed)
    for kind, path in wanted:
        if kind not in files:
            raise DemoDataError("sample_images.write_oddities wrote no %r file (it wrote: %s)"
                                % (kind, ", ".join(sorted(files))))
        os.rename(os.path.join(tmp, files[kind]), os.path.join(out_dir, path))
    shutil.rmtree(tmp)


def params(seed=DEFAULT_SEED, train_per_class=DEFAULT_TRAIN_PER_CLASS,
           val_per_class=DEFAULT_VAL_PER_CLASS):
    return {"seed": int(seed), "train_per_class": int(train_per_class),
            "val_per_class": int(val_per_class), "wnids": list(WNIDS), "version": 3}


def is_complete(out_dir, **kw):
    marker = os.path.join(out_dir, ".complete")
    if not os.path.isfile(marker):
        return False
    with open(marker) as f:
        return json.load(f) == params(**kw)


def generate(out_dir, seed=DEFAULT_SEED, train_per_class=DEFAULT_TRAIN_PER_CLASS,
             val_per_class=DEFAULT_VAL_PER_CLASS, progress=True, workers=None):
    """Write the tree under out_dir (see the module docstring).  Returns the
    number of images drawn by this call (0 when it was already complete)."""
    for what, v in (("seed", seed), ("train_per_class", train_per_class),
                    ("val_per_class", val_per_class)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or \
                (what != "seed" and v < 1) or v < 0:
            raise DemoDataError("%s must be a positive integer, not %r" % (what, v))
    want = params(seed, train_per_class, val_per_class)
    marker = os.path.join(out_dir, ".complete")
    if os.path.isfile(marker):
        with open(marker) as f:
            have = json.load(f)
        if have == want:
            return 0
        raise DemoDataError(
            "%s holds a demo dataset made with different parameters (%s, asked for %s): "
            "remove the directory (make demo-clean) to make a new one"
            % (out_dir, json.dumps(have, sort_keys=True), json.dumps(want, sort_keys=True)))

    jobs = image_jobs(seed, train_per_class, val_per_class)
    for wnid in WNIDS:
        os.makedirs(os.path.join(out_dir, "train", wnid), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "val"), exist_ok=True)
    todo = [j for j in jobs if not os.path.isfile(os.path.join(out_dir, j[0]))]
    odd = [(_oddity_kind(key), path) for path, _, key in todo if _oddity_kind(key)]
    plain = [(out_dir, seed, path, label, key) for path, label, key in todo
             if not _oddity_kind(key)]
    bar = None
    if progress and todo:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), desc="drawing images", unit="img", file=sys.stderr,
                   leave=False, mininterval=0.5)
    if odd:
        _write_oddities(out_dir, seed, odd)
        if bar is not None:
            bar.update(len(odd))
    workers = max(1, min(int(workers or _cpu_count()), len(plain)))
    if workers > 1:
        pool = multiprocessing.Pool(workers)
        try:
            for _ in pool.imap_unordered(_draw_one, plain, chunksize=16):
                if bar is not None:
                    bar.update(1)
        finally:
            pool.terminate()
            pool.join()
    else:
        for job in plain:
            _draw_one(job)
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()

    train = [(os.path.relpath(p, "train"), label) for p, label, key in jobs if key[0] == "train"]
    _rng(seed, "train-order").shuffle(train)
    files.write_atomic(os.path.join(out_dir, "train.txt"), "".join("%s %d\n" % e for e in train))
    val = [j for j in jobs if j[0].startswith("val" + os.sep)]
    files.write_atomic(os.path.join(out_dir, "val.txt"),
                       "".join("%s %d\n" % (os.path.basename(p), label) for p, label, _ in val))
    files.write_atomic(os.path.join(out_dir, "synsets.txt"), "".join(w + "\n" for w in WNIDS))
    files.write_atomic(os.path.join(out_dir, "synset_words.txt"),
                       "".join("%s %s\n" % (w, name) for w, name, _ in CLASSES))
    files.write_atomic(marker, json.dumps(want, sort_keys=True))
    return len(todo)
