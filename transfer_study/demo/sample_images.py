"""Photographic-looking sample images, deterministic from a seed, for tests,
the data benchmark and the demo (no real ImageNet needed).

    from transfer_study.demo import sample_images as si

    img = si.make_image(500, 375, seed=7)          # HxWx3 BGR uint8: smooth
        # shading, overlapping soft objects, edges and sensor-like grain, so
        # JPEG sizes and decode times are ImageNet-like (~110 KB at 500x375)
    si.write_jpeg(path, 500, 375, seed=7, quality=90)
    si.imagenet_sizes(n, seed) -> [(w, h)]         # mostly 500x375 / 375x500,
                                                   # the rest 200..800 px a side
    si.write_oddities(directory, seed=0) -> {kind: filename}
        # the odd files real ImageNet has: 'gray' (grayscale JPEG), 'cmyk'
        # (CMYK JPEG), 'png' (a PNG named .JPEG), 'tiny' (1x1), 'tiny32'
        # (3x2), 'big' (4000x3000 JPEG)
    si.write_imageset(directory, classes, per_class, seed=0, sizes=None)
        -> [(relative/path, label)]   # <directory>/<class>/<class>_<i>.JPEG

Content depends only on (width, height, seed); files only on that and the
JPEG quality (libjpeg is deterministic).
"""
import os

import cv2
import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def make_image(width, height, seed=0, grain=16.0):
    if width * height > 1200000:
        # Big ones: the scene at ~1 Mpixel blown up, with tiled grain (fast).
        scale = (width * height / 1000000.0) ** 0.5
        base = make_image(max(1, int(width / scale)), max(1, int(height / scale)), seed, 0.0)
        img = cv2.resize(base, (width, height), interpolation=cv2.INTER_CUBIC)
        rng = np.random.RandomState(seed)
        tile = rng.normal(0, grain, size=(257, 263, 3)).astype(np.float32)
        reps = (height // 257 + 1, width // 263 + 1, 1)
        grain_img = np.tile(tile, reps)[:height, :width]
        return np.clip(img + grain_img, 0, 255).astype(np.uint8)
    rng = np.random.RandomState(seed)
    # low-frequency shading: a few random colours blown up smoothly
    small = rng.randint(0, 256, size=(3, 4, 3)).astype(np.float32)
    img = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    # soft-edged objects with their own colour and texture
    for _ in range(rng.randint(3, 8)):
        mask = np.zeros((height, width), np.float32)
        center = (int(rng.randint(0, width)), int(rng.randint(0, height)))
        axes = (max(1, int(rng.uniform(0.05, 0.4) * width)),
                max(1, int(rng.uniform(0.05, 0.4) * height)))
        cv2.ellipse(mask, center, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
        k = 2 * int(max(1, min(width, height) * 0.01)) + 1
        mask = cv2.GaussianBlur(mask, (k, k), 0)[:, :, None]
        colour = rng.randint(0, 256, size=3).astype(np.float32)
        ty = np.linspace(0, rng.uniform(2, 30), height, dtype=np.float32)[:, None]
        tx = np.linspace(0, rng.uniform(2, 30), width, dtype=np.float32)[None, :]
        stripes = (np.sin(tx + ty * rng.uniform(-1, 1)) * rng.uniform(5, 40))[:, :, None]
        img = img * (1 - mask) + (colour + stripes) * mask
    # fine texture and grain: what makes real photos cost ~0.6 byte/pixel in JPEG
    tex = rng.normal(0, 1, size=(height // 2 + 1, width // 2 + 1, 3)).astype(np.float32)
    tex = cv2.resize(tex, (width, height), interpolation=cv2.INTER_LINEAR)[:height, :width]
    img = img + tex * (grain * 1.6) + rng.normal(0, grain, size=img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def write_jpeg(path, width, height, seed=0, quality=90):
    img = make_image(width, height, seed)
    if not cv2.imwrite(path, img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)]):
        raise IOError("cannot write %s" % path)
    return path


def imagenet_sizes(n, seed=0):
    """ImageNet-like (width, height): ~70% 500x375, ~15% 375x500, the rest 200..800."""
    rng = np.random.RandomState(seed)
    sizes = []
    for _ in range(n):
        r = rng.uniform()
        if r < 0.70:
            sizes.append((500, 375))
        elif r < 0.85:
            sizes.append((375, 500))
        else:
            sizes.append((int(rng.randint(200, 801)), int(rng.randint(200, 801))))
    return sizes


def write_oddities(directory, seed=0):
    from PIL import Image
    os.makedirs(directory, exist_ok=True)
    out = {}

    def name(kind, fn):
        out[kind] = fn
        return os.path.join(directory, fn)

    gray = cv2.cvtColor(make_image(320, 240, seed + 1), cv2.COLOR_BGR2GRAY)
    cv2.imwrite(name("gray", "gray_320x240.JPEG"), gray, [cv2.IMWRITE_JPEG_QUALITY, 90])
    rgb = cv2.cvtColor(make_image(300, 200, seed + 2), cv2.COLOR_BGR2RGB)
    Image.fromarray(rgb).convert("CMYK").save(name("cmyk", "cmyk_300x200.JPEG"),
                                              "JPEG", quality=90)
    # cv2.imwrite picks the codec from the extension (.JPEG -> JPEG): encode
    # the PNG explicitly so the file really is a PNG under a .JPEG name.
    ok, png = cv2.imencode(".png", make_image(240, 180, seed + 3))
    png = png.tobytes()
    if not ok or not png.startswith(PNG_SIGNATURE):
        raise IOError("OpenCV did not encode a PNG for the png_named_jpeg oddity")
    with open(name("png", "png_named_jpeg_240x180.JPEG"), "wb") as f:
        f.write(png)
    cv2.imwrite(name("tiny", "tiny_1x1.JPEG"), make_image(1, 1, seed + 4))
    cv2.imwrite(name("tiny32", "tiny_3x2.JPEG"), make_image(3, 2, seed + 5))
    cv2.imwrite(name("big", "big_4000x3000.JPEG"), make_image(4000, 3000, seed + 6, grain=4.0),
                [cv2.IMWRITE_JPEG_QUALITY, 85])
    return out


def write_imageset(directory, classes, per_class, seed=0, sizes=None, quality=90):
    """An ImageNet-like train tree: <directory>/<class>/<class>_<i>.JPEG.
    sizes: a (w, h) for all images, or None for imagenet_sizes()."""
    pairs = []
    n = len(classes) * per_class
    all_sizes = [sizes] * n if isinstance(sizes, tuple) else imagenet_sizes(n, seed)
    k = 0
    for label, cls in enumerate(classes):
        os.makedirs(os.path.join(directory, cls), exist_ok=True)
        for i in range(per_class):
            rel = "%s/%s_%d.JPEG" % (cls, cls, i)
            w, h = all_sizes[k]
            write_jpeg(os.path.join(directory, rel), w, h, seed=seed * 100003 + k,
                       quality=quality)
            pairs.append((rel, label))
            k += 1
    return pairs
