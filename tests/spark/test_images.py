"""Images on the real standalone cluster: read_images (folder tree -> labelled DataFrame), Spark's image
struct read like the encoded bytes, feature transforms on the executors, and an image pipeline that trains
(ember.spark.ml.Classifier with augmentation) on Fashion-MNIST PNG folders."""

import pathlib

import numpy as np
import pytest

pytest.importorskip("pyspark")

import ember  # noqa: E402
from ember import data, nn  # noqa: E402
from ember.data import image  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
FASHION_IMAGES = ROOT / "data" / "fashion-mnist-images"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """root/{cat,dog,emu}/ with RGB PNGs and JPEGs of two sizes, plus files read_images must leave out."""
    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(4)
    expected = {}
    for k, cls in enumerate(["dog", "cat", "emu"]):  # created out of order: classes are sorted
        (root / cls / "nested").mkdir(parents=True)
        for i in range(4):
            img = rng.integers(0, 256, size=(6 + i % 2, 5, 3), dtype=np.uint8)
            img[..., k] = 255  # a class-coloured channel
            sub = "nested/" if i == 3 else ""
            name = f"{cls}/{sub}{i}.{'PNG' if i == 2 else 'png'}"
            image.write_png(str(root / name), img)
            expected[name] = img
    image.write_jpeg(str(root / "cat" / "photo.jpg"), np.full((6, 5, 3), 128, np.uint8))
    (root / "cat" / "notes.txt").write_text("not an image")
    image.write_png(str(root / "stray.png"), np.zeros((6, 5, 3), np.uint8))  # no class folder
    (root / ".hidden").mkdir()
    image.write_png(str(root / ".hidden" / "x.png"), np.zeros((6, 5, 3), np.uint8))
    return root, expected


def test_read_images_labels_by_sorted_class_folder(spark, folder):
    from ember.spark.ml import image_classes, read_images

    root, expected = folder
    df = read_images(str(root), spark)
    assert df.columns == ["path", "image", "class", "label"]
    assert image_classes(df) == ["cat", "dog", "emu"]
    rows = df.collect()
    rel = {r.path.split(str(root) + "/", 1)[1]: r for r in rows}
    assert sorted(rel) == sorted(list(expected) + ["cat/photo.jpg"])
    for name, r in rel.items():
        assert r["class"] == name.split("/")[0]
        assert r.label == ["cat", "dog", "emu"].index(r["class"])
    for name, img in expected.items():  # the bytes are the files' own: PNG is lossless
        np.testing.assert_array_equal(np.asarray(image.decode_image(np.frombuffer(rel[name].image, np.uint8))), img)
    # The metadata survives later stages, as StringIndexer's does.
    from pyspark.ml.feature import IndexToString
    back = IndexToString(inputCol="label", outputCol="name").transform(df).select("class", "name").collect()
    assert all(r["class"] == r["name"] for r in back)


def test_read_images_extensions_and_errors(spark, folder, tmp_path):
    from ember.spark.ml import read_images

    root, expected = folder
    only_jpg = read_images(str(root), spark, extensions=["jpg"]).collect()
    assert [r.path.rsplit("/", 1)[1] for r in only_jpg] == ["photo.jpg"]
    with pytest.raises(FileNotFoundError, match=r"read_images\] .*nowhere not found: expected a folder of class "
                                                r"folders"):
        read_images(str(tmp_path / "nowhere"), spark)
    (tmp_path / "flat").mkdir()
    image.write_png(str(tmp_path / "flat" / "a.png"), np.zeros((2, 2, 3), np.uint8))
    with pytest.raises(ValueError, match="has no class folders: expected root/<class>/<image>"):
        read_images(str(tmp_path / "flat"), spark)


def test_image_struct_reads_like_the_encoded_bytes(spark, folder):
    """Spark's image source (BGR structs) and Ember's decoding of the same files give the same features, in
    color and converted to gray, with and without a transform."""
    from ember.spark import to_numpy
    from ember.spark.ml import read_images

    root, _ = folder
    png = read_images(str(root), spark, extensions=["png"]).orderBy("path")
    structs = read_images(str(root), spark, decoded=True, extensions=["png"]).orderBy("path")
    assert [r.path for r in png.select("path").collect()] == [r.path for r in structs.select("path").collect()]
    a_table, b_table = png.select("image").toArrow(), structs.select("image").toArrow()
    t = data.Resize(4, 4) >> data.ToTensor()
    for shape in ((3, 4, 4), (1, 4, 4)):
        a, _ = to_numpy(a_table, "image", feature_shape=shape, transform=t)
        b, _ = to_numpy(b_table, "image", feature_shape=shape, transform=t)
        assert a.shape == (12, *shape)
        np.testing.assert_array_equal(a, b)
    # Without a transform every image must have the same size: the rows of 7 x 5 are named.
    with pytest.raises(ValueError, match=r"column 'image' row 1 \(file:/.*/cat/1.png\): image decodes to \[C, H, W\] = "
                                         r"\[3, 7, 5\], expected \[3, 6, 5\] \(resize the images"):
        to_numpy(b_table, "image")


def test_wrapped_model_transforms_images_of_any_size(spark, folder):
    """A pretrained module as a transformer over an image column, resized on the executors; equal to the module
    run locally on the same resized images."""
    from ember.spark.ml import ClassificationModel, read_images

    root, _ = folder
    ember.manual_seed(2)
    net = nn.Sequential().add(nn.Flatten()).add(nn.Linear(3 * 4 * 4, 3)).add(nn.LogSoftMax())
    t = data.Resize(4, 4) >> data.ToTensor()
    df = read_images(str(root), spark).orderBy("path")
    out = ClassificationModel(net, featuresCol="image", featureTransform=t).transform(df)
    rows = out.select("image", "rawPrediction", "prediction").collect()
    x = np.stack([np.asarray(t(image.decode_image(np.frombuffer(r.image, np.uint8), 3))) for r in rows])
    expected = np.asarray(net.evaluate().predict(x))
    np.testing.assert_allclose(np.array([r.rawPrediction.toArray() for r in rows]), expected, rtol=1e-5, atol=1e-6)
    assert [r.prediction for r in rows] == expected.argmax(axis=1).astype(float).tolist()


def test_image_errors_before_training(spark, folder, tmp_path):
    from ember.spark.ml import Classifier, read_images

    root, _ = folder
    df = read_images(str(root), spark)
    net = nn.Sequential().add(nn.Flatten()).add(nn.Linear(3 * 4 * 4, 3)).add(nn.LogSoftMax())
    # No transform: the first image's shape is [3, 6, 5], which the module does not take.
    with pytest.raises(ValueError, match=r"the module does not take features of shape \[3, 6, 5\]"):
        Classifier(net, featuresCol="image", maxEpoch=1, batchSize=4).fit(df)
    # A file that is not an image among the images (Spark leaves empty files out by itself).
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "broken.png").write_bytes(b"not a png")
    image.write_png(str(tmp_path / "a" / "ok.png"), np.zeros((4, 4, 3), np.uint8))
    image.write_png(str(tmp_path / "a" / "ok2.png"), np.zeros((4, 4, 3), np.uint8))
    clf = Classifier(net, featuresCol="image", maxEpoch=1, batchSize=2, featureShape=[3, 4, 4])
    with pytest.raises(ValueError, match=r"features column 'image' holds 1 rows that are not JPEG or PNG files in the "
                                         r"training data: expected an image in every row"):
        clf.fit(read_images(str(tmp_path), spark))
    with pytest.raises(ValueError, match=r"features column 'image' holds 1 invalid images \(files Spark's image "
                                         r"source could not decode\) in the training data"):
        clf.fit(read_images(str(tmp_path), spark, decoded=True))
    # A truncated PNG keeps its signature: the rank that decodes it names the row.
    from ember.spark import TrainingError
    whole = bytes(image.encode_png(np.arange(48, dtype=np.uint8).reshape(4, 4, 3)))
    (tmp_path / "a" / "broken.png").write_bytes(whole[:len(whole) // 2])
    with pytest.raises(TrainingError, match=r"training failed on rank [01] of 2: .*column 'image' row \d+: "):
        clf.fit(read_images(str(tmp_path), spark))
    # A transform that is not an ember.data.Transformer.
    with pytest.raises(TypeError, match="param featureTransform: expected an ember.data.Transformer, got function"):
        Classifier(net, featureTransform=lambda x: x)


@pytest.fixture(scope="module")
def fashion_images():
    if not (FASHION_IMAGES / "test").is_dir():
        pytest.skip("Fashion-MNIST image folders not made (scripts/fetch-data)")
    return FASHION_IMAGES


def test_image_pipeline_trains_with_augmentation(spark, fashion_images, tmp_path):
    """The image example, shortened: 3000 PNGs, 2 epochs, validated on the 1000 test PNGs every epoch."""
    import sys
    sys.path.insert(0, str(ROOT / "examples" / "spark"))
    try:
        import pipeline_images
    finally:
        sys.path.pop(0)
    lines = []
    result = pipeline_images.run(spark, str(fashion_images / "train"), str(fashion_images / "test"), str(tmp_path),
                                 epochs=2, say=lines.append)
    assert result["classes"][:3] == ["ankle-boot", "bag", "coat"]
    assert [v["epoch"] for v in result["validation"]] == [1, 2]
    # 10 classes: chance is 10%; two short epochs on 3000 images reach well above 60%.
    assert result["accuracy"] > 0.6, lines
    # Validation ran the final weights over the same 1000 rows (batches of another size may flip a near tie).
    assert result["validation"][-1]["Top1Accuracy"] == pytest.approx(result["accuracy"], abs=0.003)
    assert result["history"][-1]["loss"] < result["history"][0]["loss"]
    assert any(p.name.startswith("events.out.tfevents") for p in (tmp_path / "tb").rglob("*"))
