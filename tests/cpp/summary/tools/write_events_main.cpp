// Writes a known set of summaries for tests/python/check_tensorboard_events.py, which reads them with
// TensorBoard's own EventAccumulator. Usage: ember_write_events <log_dir>
//   <log_dir>/app/train:      "Loss" = float32(1 / step) and "LearningRate" = float32(0.1 * 0.5^step)
//                             for steps 1..20; histogram "fc.weight" at step 20 of (i - 50) / 8,
//                             i = 0..99, as float32.
//   <log_dir>/app/validation: "Top1Accuracy" = float32(0.5 + 0.01 * step) for steps 5, 10, 15, 20.
#include <cstdio>
#include <exception>
#include <vector>

#include "ember/summary/summary.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <log_dir>\n", argv[0]);
    return 2;
  }
  try {
    ember::summary::TrainSummary train(argv[1], "app");
    ember::summary::ValidationSummary val(argv[1], "app");
    for (int step = 1; step <= 20; ++step) {
      train.add_scalar("Loss", static_cast<float>(1.0 / step), step);
      double lr = 0.1;
      for (int i = 0; i < step; ++i) lr *= 0.5;
      train.add_scalar("LearningRate", static_cast<float>(lr), step);
      if (step % 5 == 0) val.add_scalar("Top1Accuracy", static_cast<float>(0.5 + 0.01 * step), step);
    }
    std::vector<float> w(100);
    for (int i = 0; i < 100; ++i) w[i] = static_cast<float>((i - 50) / 8.0);
    train.add_histogram("fc.weight", ember::Tensor::from_vector(w, {10, 10}), 20);
    train.close();
    val.close();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember_write_events: %s\n", e.what());
    return 1;
  }
  return 0;
}
