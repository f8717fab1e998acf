"""ember.data against NumPy: samples, data sets, the loader (determinism, workers, Python transformers),
image transformers and functions, codecs, readers."""

import gc
import gzip
import pathlib
import struct

import numpy as np
import pytest

import ember
from ember import data
from ember.data import image as F


def arr(t):
    return np.asarray(t)


def make_xy(n=23, d=3):
    x = np.arange(n * d, dtype=np.float32).reshape(n, d)
    y = np.arange(n, dtype=np.int64)
    return x, y


def collect(loader):
    return [(arr(b.input).copy(), arr(b.target).copy()) for b in loader]


# ---- Sample, MiniBatch, collate ------------------------------------------------------------------------


def test_sample_construction_and_access():
    img = np.ones((1, 2, 2), np.float32)
    s = data.Sample(img, 3)
    assert len(s.features) == 1 and len(s.labels) == 1
    assert s.label.dtype == ember.int64 and s.label.item() == 3 and s.label.shape == ()
    assert ember.shares_memory(s.feature, img)
    x, y = s
    assert x.shape == (1, 2, 2) and y.item() == 3
    multi = data.Sample([img, np.zeros(4, np.float32)], [np.array([1.0, 2.0], np.float32)])
    assert [f.shape for f in multi.features] == [(1, 2, 2), (4,)]
    assert "Tensor[1, 2, 2] float32" in repr(multi)
    unlabeled = data.Sample([1.0, 2.0])
    assert unlabeled.labels == [] and unlabeled.feature.shape == (2,)
    with pytest.raises(ValueError, match="no label"):
        unlabeled.label
    with pytest.raises(TypeError):
        data.Sample(np.zeros(2, np.float16))


def test_collate_stacks_and_names_the_bad_sample():
    samples = [data.Sample(np.full((2, 3), i, np.float32), i) for i in range(4)]
    b = data.collate(samples)
    assert b.size == 4 and len(b) == 4
    x, y = b
    np.testing.assert_array_equal(arr(x), np.stack([np.full((2, 3), i, np.float32) for i in range(4)]))
    np.testing.assert_array_equal(arr(y), np.arange(4))
    assert b.features.shape == (4, 2, 3) and b.labels.dtype == ember.int64
    two = data.collate([data.Sample([np.ones(2, np.float32), np.zeros(3, np.float32)]) for _ in range(2)])
    assert isinstance(two.input, list) and [t.shape for t in two.input] == [(2, 2), (2, 3)] and two.target is None
    bad = samples[:2] + [data.Sample(np.zeros((3, 3), np.float32), 0)]
    with pytest.raises(ValueError, match="sample 2"):
        data.collate(bad)


# ---- data sets -------------------------------------------------------------------------------------------


def test_array_dataset_is_zero_copy():
    x, y = make_xy()
    ds = data.ArrayDataSet(x, y)
    assert len(ds) == 23 and ds.size() == 23
    assert ember.shares_memory(ds.features, x) and ember.shares_memory(ds.labels, y)
    s = ds[5]
    np.testing.assert_array_equal(arr(s.feature), x[5])
    assert s.label.item() == 5
    assert ember.shares_memory(s.feature, x)
    assert ds[-1].label.item() == 22
    with pytest.raises(IndexError):
        ds[23]
    assert "23 samples" in repr(ds)
    u = data.ArrayDataSet(x)
    assert u.labels is None and u[0].labels == []
    with pytest.raises(ValueError):
        data.ArrayDataSet(x, y[:5])
    assert ember._ember.data._dataset_size(ds) == 23  # accepted as std::shared_ptr<const DataSet>


class SquaresDataSet(data.DataSet):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.full(2, i * i, np.float32), i


def test_python_dataset_in_loader():
    ds = SquaresDataSet(9)
    assert len(ds) == 9 and ds[3][1] == 3  # the Python method itself
    assert ds.get(3).feature.tolist() == [9.0, 9.0] and ds.get(3).label.item() == 3  # through C++
    for workers in [0, 2]:
        batches = collect(data.DataLoader(ds, batch_size=4, shuffle=False, num_workers=workers))
        xs = np.concatenate([b[0] for b in batches])
        ys = np.concatenate([b[1] for b in batches])
        np.testing.assert_array_equal(ys, np.arange(9))
        np.testing.assert_array_equal(xs[:, 0], np.arange(9) ** 2)


# ---- DataLoader ------------------------------------------------------------------------------------------


def test_loader_covers_the_data_and_is_deterministic():
    x, y = make_xy()
    ds = data.ArrayDataSet(x, y)
    runs = {}
    for workers in [0, 2]:
        loader = data.DataLoader(ds, batch_size=5, shuffle=True, seed=11, num_workers=workers)
        assert len(loader) == 5 and loader.batch_size == 5 and loader.num_workers == workers
        runs[workers] = [collect(loader), collect(loader)]  # epochs 1 and 2
    e1, e2 = runs[0]
    for a, b in zip(e1 + e2, runs[2][0] + runs[2][1]):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    ys = np.concatenate([b[1] for b in e1])
    assert sorted(ys.tolist()) == list(range(23)) and ys.tolist() != list(range(23))
    np.testing.assert_array_equal(np.concatenate([b[0] for b in e1]), x[ys])  # features follow labels
    assert [len(b[1]) for b in e1] == [5, 5, 5, 5, 3]
    assert np.concatenate([b[1] for b in e2]).tolist() != ys.tolist()  # a new order every epoch
    other = collect(data.DataLoader(ds, batch_size=5, shuffle=True, seed=12, num_workers=0))
    assert np.concatenate([b[1] for b in other]).tolist() != ys.tolist()


def test_loader_options():
    x, y = make_xy()
    ds = data.ArrayDataSet(x, y)
    plain = collect(data.DataLoader(ds, batch_size=10, shuffle=False, num_workers=1))
    np.testing.assert_array_equal(np.concatenate([b[1] for b in plain]), y)
    dropped = data.DataLoader(ds, batch_size=10, shuffle=False, drop_last=True, num_workers=0)
    assert len(dropped) == 2 and [len(b[1]) for b in collect(dropped)] == [10, 10]
    with pytest.raises(ValueError, match="batch_size"):
        data.DataLoader(ds, batch_size=0)
    with pytest.raises(ValueError, match="num_workers"):
        data.DataLoader(ds, num_workers=-1)
    with pytest.raises(TypeError):
        data.DataLoader(x)


def test_loader_set_epoch_and_state_dict_resume():
    x, y = make_xy()
    ds = data.ArrayDataSet(x, y)
    ref = data.DataLoader(ds, batch_size=4, seed=5, num_workers=2)
    epoch1, epoch2 = collect(ref), collect(ref)
    assert ref.epoch == 2
    other = data.DataLoader(ds, batch_size=4, seed=5, num_workers=0)
    other.set_epoch(2)
    for a, b in zip(collect(other), epoch2):
        np.testing.assert_array_equal(a[1], b[1])
    # Stop after 2 batches of epoch 1, save, resume elsewhere: the rest of the epoch, then epoch 2.
    first = data.DataLoader(ds, batch_size=4, seed=5, num_workers=2)
    it = iter(first)
    next(it), next(it)
    state = first.state_dict()
    assert state == {"epoch": 1, "batch": 2, "seed": 5, "batch_size": 4, "dataset_size": 23}
    resumed = data.DataLoader(ds, batch_size=4, seed=99, num_workers=2)
    resumed.load_state_dict(state)
    rest = collect(resumed)
    assert len(rest) == len(epoch1) - 2
    for a, b in zip(rest, epoch1[2:]):
        np.testing.assert_array_equal(a[1], b[1])
    for a, b in zip(collect(resumed), epoch2):
        np.testing.assert_array_equal(a[1], b[1])
    with pytest.raises(ValueError, match="batch_size"):
        data.DataLoader(ds, batch_size=3).load_state_dict(state)
    with pytest.raises(TypeError, match=r"\[data.DataLoader.load_state_dict\] expected a dict"):
        data.DataLoader(ds, batch_size=4).load_state_dict([("epoch", 1)])


def test_loader_state_survives_a_state_file(tmp_path):
    ds = data.ArrayDataSet(*make_xy())
    first = data.DataLoader(ds, batch_size=4, seed=5)
    it = iter(first)
    next(it)
    ember.io.save_state(first.state_dict(), tmp_path / "loader.ember")
    resumed = data.DataLoader(ds, batch_size=4, seed=1)
    resumed.load_state_dict(ember.io.load_state(tmp_path / "loader.ember"))
    want = collect(data.DataLoader(ds, batch_size=4, seed=5))[1:]
    got = collect(resumed)
    assert len(got) == len(want) == 5  # 6 batches of 23 samples, one taken before saving
    for (_, y), (_, w) in zip(got, want):
        np.testing.assert_array_equal(y, w)


def test_loader_batches_are_independent_copies():
    x, y = make_xy()
    loader = data.DataLoader(data.ArrayDataSet(x, y), batch_size=5, shuffle=False, num_workers=2)
    batches = list(loader)
    np.testing.assert_array_equal(arr(batches[0].target), np.arange(5))
    np.testing.assert_array_equal(arr(batches[1].target), np.arange(5, 10))
    assert not ember.shares_memory(batches[0].input, x)
    assert loader.next() is None  # the epoch is over


class Affine(data.Transformer):
    """x * 2 + a random offset drawn from the per-sample generator."""

    def apply(self, sample, generator):
        offset = generator.next_double()
        return data.Sample(sample.feature * 2.0 + offset, sample.labels)


def test_python_transformer_and_lambda_in_workers():
    x, y = make_xy(40, 3)
    ds = data.ArrayDataSet(x, y)
    square = data.Lambda("Square", lambda s: (s.feature * s.feature, s.labels))
    pipeline = Affine() >> square >> data.Lambda("Neg", lambda s, g: data.Sample(-s.feature, s.label + 100))
    assert repr(pipeline) == "Affine() >> Square >> Neg"
    results = {}
    for workers in [0, 2]:
        loader = data.DataLoader(ds, batch_size=8, shuffle=True, seed=3, num_workers=workers, transform=pipeline)
        results[workers] = collect(loader)
    for a, b in zip(results[0], results[2]):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    xs = np.concatenate([b[0] for b in results[2]])
    ys = np.concatenate([b[1] for b in results[2]]) - 100
    assert sorted(ys.tolist()) == list(range(40))
    # -(2x + u)^2 with u in [0, 1): recover u per sample and check it is one value per row.
    u = np.sqrt(-xs) - 2.0 * x[ys]
    assert np.all((u >= -1e-4) & (u < 1.0 + 1e-4))
    np.testing.assert_allclose(u, u[:, :1].repeat(3, axis=1), atol=1e-3)


def test_python_transformer_outlives_its_python_references():
    x, y = make_xy(10, 2)
    loader = data.DataLoader(data.ArrayDataSet(x, y), batch_size=5, shuffle=False, num_workers=2,
                             transform=Affine() >> data.Lambda("Id", lambda s, g: s))
    gc.collect()
    for _ in range(2):
        xs = np.concatenate([b[0] for b in collect(loader)])
        assert np.all((xs - 2 * x >= 0) & (xs - 2 * x < 1))


def test_python_transformer_errors_keep_their_type():
    class Bad(data.Transformer):
        def apply(self, sample, generator):
            raise ValueError("no good")

    x, y = make_xy(10, 2)
    for workers in [0, 2]:
        loader = data.DataLoader(data.ArrayDataSet(x, y), batch_size=4, num_workers=workers, transform=Bad())
        with pytest.raises(ValueError, match=r"epoch 1, batch 0.*no good"):
            list(loader)
    wrong = data.Lambda("Wrong", lambda s, g: 42)
    with pytest.raises(TypeError, match="Sample"):
        list(data.DataLoader(data.ArrayDataSet(x, y), batch_size=4, num_workers=2, transform=wrong))

    class Missing(data.Transformer):
        pass

    with pytest.raises(NotImplementedError):
        Missing().apply(data.Sample(np.zeros(2, np.float32)))


def test_python_image_transformer():
    class Invert(data.ImageTransformer):
        def apply_image(self, image, generator):
            return 255 - np.asarray(image)

    img = (np.arange(2 * 3 * 3) * 7 % 256).astype(np.uint8).reshape(2, 3, 3)
    np.testing.assert_array_equal(arr(Invert()(img)), 255 - img)
    chained = Invert() >> data.HorizontalFlip()
    np.testing.assert_array_equal(arr(chained(img)), (255 - img)[:, ::-1])


# ---- image transformers and functions vs NumPy ---------------------------------------------------------------


@pytest.fixture
def img():
    return (np.arange(6 * 8 * 3) * 37 % 256).astype(np.uint8).reshape(6, 8, 3)


def test_flips(img):
    np.testing.assert_array_equal(arr(data.HorizontalFlip()(img)), img[:, ::-1])
    np.testing.assert_array_equal(arr(F.hflip(img)), img[:, ::-1])
    np.testing.assert_array_equal(arr(data.RandomHorizontalFlip(p=1.0)(img)), img[:, ::-1])
    np.testing.assert_array_equal(arr(data.RandomHorizontalFlip(p=0.0)(img)), img)
    chw = img.transpose(2, 0, 1).astype(np.float32) / 255
    np.testing.assert_array_equal(arr(F.hflip(chw)), chw[:, :, ::-1])
    g = ember.Generator(0)
    flips = [np.array_equal(arr(data.RandomHorizontalFlip()(img, g)), img[:, ::-1]) for _ in range(200)]
    assert 60 < sum(flips) < 140


def test_crops(img):
    np.testing.assert_array_equal(arr(data.CenterCrop(height=4, width=4)(img)), img[1:5, 2:6])
    # torchvision's window: top = round((H - h) / 2), half to even (Python's round), likewise left.
    top, left = round((6 - 3) / 2), round((8 - 5) / 2)
    np.testing.assert_array_equal(arr(F.center_crop(img, 3, 5)), img[top:top + 3, left:left + 5])
    np.testing.assert_array_equal(arr(F.crop(img, 1, 2, 3, 4)), img[1:4, 2:6])
    np.testing.assert_array_equal(arr(F.pad(img, 1, 2, 3, 0, fill=9)),
                                  np.pad(img, ((1, 2), (3, 0), (0, 0)), constant_values=9))
    crop = data.RandomCrop(height=4, width=5)
    seen = set()
    g = ember.Generator(1)
    for _ in range(50):
        out = arr(crop(img, g))
        assert out.shape == (4, 5, 3)
        hits = [(t, l) for t in range(3) for l in range(4) if np.array_equal(img[t:t + 4, l:l + 5], out)]
        assert len(hits) == 1
        seen.add(hits[0])
    assert len(seen) > 4
    padded = data.RandomCrop(height=6, width=8, padding=2, fill=0)
    out = arr(padded(img, ember.Generator(2)))
    big = np.pad(img, ((2, 2), (2, 2), (0, 0)))
    assert any(np.array_equal(big[t:t + 6, l:l + 8], out) for t in range(5) for l in range(5))


def test_to_tensor_and_normalize(img):
    t = data.ToTensor()(img)
    assert t.dtype == ember.float32 and t.shape == (3, 6, 8)
    expected = img.transpose(2, 0, 1).astype(np.float32) / 255
    np.testing.assert_allclose(arr(t), expected, rtol=1e-6)
    np.testing.assert_allclose(arr(F.to_tensor(img[:, :, 0])), expected[:1], rtol=1e-6)
    mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.5]
    n = data.Normalize(mean=mean, std=std)(t)
    want = (expected - np.array(mean, np.float32)[:, None, None]) / np.array(std, np.float32)[:, None, None]
    np.testing.assert_allclose(arr(n), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(arr(F.normalize(expected, 0.5, 0.25)), (expected - 0.5) / 0.25, rtol=1e-5, atol=1e-6)
    pipeline = data.ToTensor() >> data.Normalize(mean=mean, std=std)
    np.testing.assert_allclose(arr(pipeline(img)), want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError):
        data.Normalize(mean=[0.5, 0.5], std=[1.0, 1.0])(t)


def test_resize_and_color(img):
    const = np.full((4, 6, 3), 77, np.uint8)
    np.testing.assert_array_equal(arr(data.Resize(height=2, width=3)(const)), np.full((2, 3, 3), 77))
    np.testing.assert_array_equal(arr(F.resize(img, 6, 8)), img)
    assert data.Resize(shorter_side=3)(img).shape == (3, 4, 3)
    # 2x downscale of a float image = mean of each 2x2 block (bilinear, align_corners=False).
    f = np.arange(16, dtype=np.float32).reshape(1, 4, 4)
    np.testing.assert_allclose(arr(F.resize(f, 2, 2)), f.reshape(1, 2, 2, 2, 2).mean(axis=(2, 4)), rtol=1e-6)
    fl = img.transpose(2, 0, 1).astype(np.float32) / 255
    np.testing.assert_allclose(arr(F.adjust_brightness(fl, 0.5)), fl * 0.5, rtol=1e-6)
    np.testing.assert_allclose(arr(F.adjust_saturation(fl, 1.0)), fl, atol=1e-6)
    np.testing.assert_array_equal(arr(data.ColorJitter()(img)), img)
    jit = data.ColorJitter(brightness=0.5, contrast=0.5, saturation=0.5, hue=0.1)
    a, b = jit(img, ember.Generator(4)), jit(img, ember.Generator(4))
    np.testing.assert_array_equal(arr(a), arr(b))


def test_random_affine_family(img):
    np.testing.assert_array_equal(arr(data.RandomAffine()(img)), img)
    np.testing.assert_array_equal(arr(F.affine(img)), img)
    sq = (np.arange(5 * 5) * 11 % 256).astype(np.uint8).reshape(5, 5, 1)
    rot = data.RandomRotation(degrees=(90, 90))
    np.testing.assert_array_equal(arr(rot(sq)), np.rot90(sq))  # positive: counter-clockwise
    np.testing.assert_array_equal(arr(F.affine(sq, angle=90)), np.rot90(sq))
    shifted = arr(F.affine(sq, translate_x=1))
    np.testing.assert_array_equal(shifted[:, 1:], sq[:, :-1])
    assert not shifted[:, 0].any()
    p = data.RandomAffine(degrees=10, translate=(0.1, 0.2), scale=(0.9, 1.1), shear=5).get_params(10, 20, ember.Generator(0))
    assert -10 <= p.angle <= 10 and abs(p.translate_x) <= 2 and abs(p.translate_y) <= 2
    assert 0.9 <= p.scale_x <= 1.1 and p.scale_x == p.scale_y and -5 <= p.shear_x <= 5
    inv = F.inverse_affine_matrix(F.AffineParams(translate_x=2.0), 5, 5)
    assert inv.c == pytest.approx(-2.0) and inv.a == pytest.approx(1.0)
    for t in [data.RandomShear(shear=10), data.RandomZoom(scale=(0.8, 1.2)), data.RandomTranslate(translate=(0.2, 0.2)),
              data.RandomRotation(degrees=15, fill=255)]:
        out1, out2 = t(img, ember.Generator(9)), t(img, ember.Generator(9))
        assert out1.shape == img.shape and out1.dtype == ember.uint8
        np.testing.assert_array_equal(arr(out1), arr(out2))
    assert "RandomZoom" in repr(data.RandomZoom(scale=(0.8, 1.2)))


def test_image_transformers_in_loader(img):
    images = np.stack([np.roll(img, i, axis=1) for i in range(6)])
    ds = data.ArrayDataSet(images, np.arange(6, dtype=np.int64))
    pipeline = data.HorizontalFlip() >> data.ToTensor()
    batches = collect(data.DataLoader(ds, batch_size=3, shuffle=False, num_workers=2, transform=pipeline))
    xs = np.concatenate([b[0] for b in batches])
    np.testing.assert_allclose(xs, images[:, :, ::-1].transpose(0, 3, 1, 2).astype(np.float32) / 255, rtol=1e-6)


# ---- codecs, ImageFolder, readers ------------------------------------------------------------------------------


def test_png_round_trip_exact(img, tmp_path):
    for image in [img, img[:, :, 0], img[:, :, :1], np.ascontiguousarray(img[:, ::-1])]:
        png = data.encode_png(image)
        assert isinstance(png, bytes) and data.detect_image_format(png) == "png"
        back = arr(data.decode_image(png))
        want = image if image.ndim == 3 else image[:, :, None]
        np.testing.assert_array_equal(back, want)
    path = tmp_path / "x.png"
    data.write_png(path, img)
    np.testing.assert_array_equal(arr(data.read_image(path)), img)
    np.testing.assert_array_equal(arr(data.decode_image(str(path))), img)
    np.testing.assert_array_equal(arr(data.decode_image(path.read_bytes())), img)
    np.testing.assert_array_equal(arr(data.decode_image(np.frombuffer(path.read_bytes(), np.uint8))), img)
    gray = arr(data.decode_image(path, channels=1))
    assert gray.shape == (6, 8, 1)
    with pytest.raises(ember.FormatError):
        data.decode_image(b"not an image at all")
    with pytest.raises(OSError):
        data.read_image(tmp_path / "missing.png")


def test_jpeg_round_trip_is_close(tmp_path):
    smooth = np.tile(np.linspace(0, 255, 32, dtype=np.float32), (32, 1))
    image = np.stack([smooth, smooth.T, np.full_like(smooth, 128)], axis=2).astype(np.uint8)
    jpg = data.encode_jpeg(image, quality=95)
    assert data.detect_image_format(jpg) == "jpeg"
    back = arr(data.decode_image(jpg))
    assert back.shape == image.shape
    assert np.abs(back.astype(int) - image.astype(int)).mean() < 3
    data.write_jpeg(tmp_path / "a.jpg", image, quality=90)
    assert data.read_image(tmp_path / "a.jpg").shape == (32, 32, 3)


def test_image_folder(tmp_path, img):
    for cls, n in [("cat", 2), ("dog", 3)]:
        (tmp_path / cls).mkdir()
        for i in range(n):
            data.write_png(tmp_path / cls / f"{i}.png", np.roll(img, i, axis=0))
    (tmp_path / "empty").mkdir()
    ds = data.ImageFolder(tmp_path)
    assert len(ds) == 5 and ds.classes == ["cat", "dog"] and ds.targets == [0, 0, 1, 1, 1]
    s = ds[3]
    assert s.label.item() == 1
    np.testing.assert_array_equal(arr(s.feature), np.roll(img, 1, axis=0))
    gray = data.ImageFolder(str(tmp_path), channels=1)
    assert gray[0].feature.shape == (6, 8, 1)
    loader = data.DataLoader(ds, batch_size=5, shuffle=False, num_workers=2, transform=data.ToTensor())
    x, y = next(iter(loader))
    assert x.shape == (5, 3, 6, 8) and y.tolist() == [0, 0, 1, 1, 1]
    with pytest.raises(OSError):
        data.ImageFolder(tmp_path / "nope")


def test_read_idx(tmp_path):
    values = (np.arange(2 * 3 * 4) % 256).astype(np.uint8).reshape(2, 3, 4)
    raw = struct.pack(">BBBB", 0, 0, 0x08, 3) + struct.pack(">III", 2, 3, 4) + values.tobytes()
    (tmp_path / "a-idx3-ubyte").write_bytes(raw)
    with gzip.open(tmp_path / "a.gz", "wb") as f:
        f.write(raw)
    for name in ["a-idx3-ubyte", "a.gz"]:
        t = data.read_idx(tmp_path / name)
        assert t.dtype == ember.uint8
        np.testing.assert_array_equal(arr(t), values)
    (tmp_path / "bad").write_bytes(raw[:-3])
    with pytest.raises(ember.FormatError):
        data.read_idx(tmp_path / "bad")
    with pytest.raises(OSError):
        data.load_mnist(tmp_path)
    np.testing.assert_array_equal(arr(data.read_idx(str(tmp_path / "a.gz").encode())), values)  # bytes path
    with pytest.raises(TypeError, match=r"\[data.read_idx\] path: expected a str, bytes or os.PathLike, got int"):
        data.read_idx(3)
    with pytest.raises(TypeError, match=r"\[data.load_fashion_mnist\] dir: expected a str, bytes or os.PathLike"):
        data.load_fashion_mnist(None)


def _check_mnist_like(load, directory, mean, std):
    train = load(directory)
    test = load(directory, train=False, normalize=False)
    assert len(train) == 60000 and len(test) == 10000
    assert isinstance(train, data.ArrayDataSet) and train.features.shape == (60000, 1, 28, 28)
    assert train.features.dtype == ember.float32 and train.labels.dtype == ember.int64
    for ds in (train, test):
        labels = np.asarray(ds.labels)
        assert labels.min() == 0 and labels.max() == 9 and len(np.unique(labels)) == 10
    raw = np.asarray(test.features)
    assert raw.min() == 0.0 and raw.max() == 1.0
    x = np.asarray(train.features)
    assert abs(float(x.mean())) < 0.02 and abs(float(x.std()) - 1.0) < 0.02  # normalized with the data set's constants
    np.testing.assert_allclose(x[:2], (np.asarray(load(directory, normalize=False).features[:2]) - mean) / std,
                               rtol=1e-5, atol=1e-5)


def test_load_mnist(mnist_dir):
    _check_mnist_like(data.load_mnist, mnist_dir, data.MNIST_MEAN, data.MNIST_STD)


def test_load_fashion_mnist(fashion_mnist_dir):
    _check_mnist_like(data.load_fashion_mnist, fashion_mnist_dir, data.FASHION_MNIST_MEAN, data.FASHION_MNIST_STD)


def test_load_cifar10():
    d = pathlib.Path(__file__).resolve().parents[2] / "data" / "cifar-10-batches-bin"
    if not (d / "test_batch.bin").exists():
        pytest.skip("CIFAR-10 not fetched")
    test = data.load_cifar10(d, train=False)
    assert len(test) == 10000 and test.features.shape == (10000, 3, 32, 32)
    assert set(np.unique(np.asarray(test.labels)).tolist()) == set(range(10))


def test_loader_with_python_transformer_can_be_dropped_mid_epoch():
    x, y = make_xy(400, 2)
    for _ in range(3):
        loader = data.DataLoader(data.ArrayDataSet(x, y), batch_size=4, num_workers=2, prefetch=8, transform=Affine())
        it = iter(loader)
        next(it)
        del it, loader  # joins workers that may be waiting for the GIL
        gc.collect()
    loader = data.DataLoader(data.ArrayDataSet(x, y), batch_size=4, num_workers=2, transform=Affine())
    next(iter(loader))
    loader.close()
    with pytest.raises(ValueError, match="closed"):
        next(loader)


def test_interpreter_exit_with_a_running_loader(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "exit.py"
    script.write_text(
        "import numpy as np\n"
        "from ember import data\n"
        "x = np.zeros((1000, 2), np.float32)\n"
        "loader = data.DataLoader(data.ArrayDataSet(x), batch_size=2, num_workers=2, prefetch=16,\n"
        "                         transform=data.Lambda('Id', lambda s: s))\n"
        "next(iter(loader))\n"
        "print('done')\n")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "done", r.stderr
