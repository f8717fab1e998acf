"""BigDL's Python LeNet-5 tutorial (pyspark/bigdl/models/lenet/lenet5.py), ported by changing imports.

What changed from BigDL's code, and only this:
- imports: ``bigdl.nn.layer``/``bigdl.nn.criterion`` -> ``ember.nn``, ``bigdl.optim.optimizer`` -> ``ember.optim``;
- data: BigDL built an RDD of ``Sample.from_ndarray((features - mean) / std, label + 1)``; Ember trains
  from a ``(features, labels)`` pair of NumPy arrays on one machine, with 0-based labels (``label``, not
  ``label + 1``);
- the run is shortened (a 20000-image subset, 3 epochs) to keep the suite fast.
Everything else -- build_model, Optimizer(...) with BigDL's keywords, set_validation, set_checkpoint,
optimize, evaluate -- is BigDL's code as written.
"""

import numpy as np

from ember.data import load_mnist
from ember.nn import *  # noqa: F401,F403  (BigDL: from bigdl.nn.layer import *; from bigdl.nn.criterion import *)
from ember.optim import *  # noqa: F401,F403  (BigDL: from bigdl.optim.optimizer import *)

# BigDL's constants (lenet5.py / mnist.py).
mnist_mean = 0.13066047740239506 * 255
mnist_std = 0.3081078 * 255


def build_model(class_num):
    model = Sequential()  # noqa: F405
    model.add(Reshape([1, 28, 28]))  # noqa: F405
    model.add(SpatialConvolution(1, 6, 5, 5))  # noqa: F405
    model.add(Tanh())  # noqa: F405
    model.add(SpatialMaxPooling(2, 2, 2, 2))  # noqa: F405
    model.add(Tanh())  # noqa: F405
    model.add(SpatialConvolution(6, 12, 5, 5))  # noqa: F405
    model.add(SpatialMaxPooling(2, 2, 2, 2))  # noqa: F405
    model.add(Reshape([12 * 4 * 4]))  # noqa: F405
    model.add(Linear(12 * 4 * 4, 100))  # noqa: F405
    model.add(Tanh())  # noqa: F405
    model.add(Linear(100, class_num))  # noqa: F405
    model.add(LogSoftMax())  # noqa: F405
    return model


def get_mnist(mnist_dir, data_type, n):
    """Raw uint8 images [n, 28, 28, 1] and 0-based labels, as BigDL's mnist.read_data_sets gave them."""
    ds = load_mnist(mnist_dir, data_type == "train", mean=0.0, std=1.0)  # [0, 1] floats
    x = np.asarray(ds.features)[:n].reshape(-1, 28, 28, 1) * 255.0
    y = np.asarray(ds.labels)[:n]
    return x, y


def test_bigdl_lenet_tutorial_trains(mnist_dir, tmp_path):
    (train_images, train_labels) = get_mnist(mnist_dir, "train", 20000)
    (test_images, test_labels) = get_mnist(mnist_dir, "test", 2000)
    train_data = (((train_images - mnist_mean) / mnist_std).astype(np.float32), train_labels)
    test_data = (((test_images - mnist_mean) / mnist_std).astype(np.float32), test_labels)

    # BigDL's code from here on.
    optimizer = Optimizer(  # noqa: F405
        model=build_model(10),
        training_rdd=train_data,
        criterion=ClassNLLCriterion(),  # noqa: F405
        optim_method=SGD(learningrate=0.4, learningrate_decay=0.0002),  # noqa: F405
        end_trigger=MaxEpoch(3),  # noqa: F405
        batch_size=128)
    optimizer.set_validation(
        batch_size=128,
        val_rdd=test_data,
        trigger=EveryEpoch(),  # noqa: F405
        val_method=[Top1Accuracy()]  # noqa: F405
    )
    optimizer.set_checkpoint(EveryEpoch(), str(tmp_path))  # noqa: F405
    trained_model = optimizer.optimize()
    parameters = trained_model.parameters()
    results = trained_model.evaluate(test_data, 128, [Top1Accuracy()])  # noqa: F405

    # What the port must give: a trained LeNet-5, BigDL's results, a checkpoint per epoch.
    assert sum(int(np.asarray(p).size) for p in parameters) == 6 * 25 + 6 + 12 * 6 * 25 + 12 + 192 * 100 + 100 + 1010
    assert results[0].name == "Top1Accuracy"
    assert results[0].count == 2000
    assert results[0].value > 0.92, results
    history = optimizer.validation_history()
    assert len(history) == 3
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) >= 2
