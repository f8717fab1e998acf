#!/usr/bin/env python3
"""Builds the derived data sets of scripts/fetch-data from files already fetched (standard library only: it
runs before Ember is built).

  make_datasets.py wine SKLEARN_DATA_DIR OUT_DIR
      sklearn's wine_data.csv (Debian python3-sklearn; its first line is "178,13,class_0,class_1,class_2")
      -> OUT_DIR/wine.csv with a header row, the 13 measurements and the cultivar as a class name.
  make_datasets.py fashion-images FASHION_MNIST_DIR OUT_DIR PER_CLASS_TRAIN PER_CLASS_TEST
      Fashion-MNIST's IDX files -> OUT_DIR/{train,test}/<class name>/<index>.png (gray 28 x 28 PNGs): the
      first PER_CLASS images of each class of the train and t10k sets, an image folder tree for
      ember.spark.read_images.
Each output is written under a temporary name and renamed into place when complete.
"""

import csv
import gzip
import os
import shutil
import struct
import sys
import zlib

WINE_COLUMNS = ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
                "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315", "proline"]
FASHION_CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                   "ankle-boot"]


def wine(src_dir, out_dir):
    with open(os.path.join(src_dir, "wine_data.csv"), newline="") as f:
        rows = list(csv.reader(f))
    n, d, *classes = rows[0]
    if int(n) != len(rows) - 1 or int(d) != len(WINE_COLUMNS):
        raise SystemExit(f"wine_data.csv: header says {n} rows of {d} features, found {len(rows) - 1} rows")
    os.makedirs(out_dir, exist_ok=True)
    tmp = os.path.join(out_dir, "wine.csv.partial")
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(WINE_COLUMNS + ["cultivar"])
        for r in rows[1:]:
            w.writerow(r[:-1] + [classes[int(r[-1])]])
    os.replace(tmp, os.path.join(out_dir, "wine.csv"))


def _idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = struct.unpack(">" + "i" * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
    return dims, data[4 + 4 * len(dims):]


def _png_gray(width, height, pixels):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _find(src_dir, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(src_dir, name)):
            return os.path.join(src_dir, name)
    raise SystemExit(f"{stem} not found in {src_dir}")


def fashion_images(src_dir, out_dir, per_class_train, per_class_test):
    tmp = out_dir + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    for split, prefix, per_class in (("train", "train", per_class_train), ("test", "t10k", per_class_test)):
        (n, h, w), pixels = _idx(_find(src_dir, f"{prefix}-images-idx3-ubyte"))
        _, labels = _idx(_find(src_dir, f"{prefix}-labels-idx1-ubyte"))
        counts = [0] * len(FASHION_CLASSES)
        for c in FASHION_CLASSES:
            os.makedirs(os.path.join(tmp, split, c))
        for i in range(n):
            c = labels[i]
            if counts[c] >= per_class:
                continue
            counts[c] += 1
            with open(os.path.join(tmp, split, FASHION_CLASSES[c], f"{i:05d}.png"), "wb") as f:
                f.write(_png_gray(w, h, pixels[i * h * w:(i + 1) * h * w]))
            if min(counts) >= per_class:
                break
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(tmp, out_dir)


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    if what == "wine":
        wine(*args)
    elif what == "fashion-images":
        fashion_images(args[0], args[1], int(args[2]), int(args[3]))
    else:
        raise SystemExit(f"unknown data set {what!r}")
