"""The demo's drawings: one photograph-like image of each of its ten classes
(a shape, a texture and a colour scheme on a cluttered, unevenly lit, noisy
background), a pure function of the random generator it is given.
transfer_study/demo/demo_dataset.py draws its tree with draw().

All colours BGR, uint8 images HxWx3.
"""
import math

import cv2
import numpy as np

# ImageNet's shapes, scaled down: (aspect w/h, weight).  Long side drawn
# uniformly from LONG_SIDE.
ASPECTS = ((4.0 / 3, 0.50), (3.0 / 4, 0.18), (1.0, 0.10), (3.0 / 2, 0.08),
           (2.0 / 3, 0.05), (16.0 / 9, 0.04), (None, 0.05))
LONG_SIDE = (96, 320)


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
