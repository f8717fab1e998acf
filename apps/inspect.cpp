// `ember evaluate`, `ember predict` and `ember info`: use a saved model file.
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include "args.h"
#include "datasets.h"
#include "ember/core/parallel.h"
#include "ember/data/data_loader.h"
#include "ember/data/image/decode.h"
#include "ember/data/image/transforms.h"
#include "ember/io/model_file.h"
#include "ember/nn/criteria/class_nll_criterion.h"
#include "ember/optim/validation.h"
#include "ember/tensor/ops.h"
#include "ember/train/optimizer.h"

namespace ember::apps {

namespace {
std::vector<int64_t> parse_shape(const Args& args, const std::string& flag) {
  std::vector<int64_t> out;
  std::stringstream ss(args.str(flag));
  std::string part;
  while (std::getline(ss, part, ',')) {
    char* end = nullptr;
    const long long v = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || *end != '\0' || v < 1) args.fail("--" + flag + " expects C,H,W with positive integers, got '" + args.str(flag) + "'");
    out.push_back(v);
  }
  if (out.size() != 3) args.fail("--" + flag + " expects C,H,W, got '" + args.str(flag) + "'");
  return out;
}

std::shared_ptr<nn::Module> load_model_arg(const Args& args) {
  if (args.positionals().empty()) args.fail("missing MODEL_FILE");
  args.require_file(args.positionals()[0], "model file");
  auto model = io::load_module(args.positionals()[0]);
  model->evaluate();
  return model;
}
}  // namespace

int run_evaluate(int argc, char** argv) {
  Args args("evaluate", "Reports Top1Accuracy, Top5Accuracy and Loss of a saved classifier on a data set's test split.",
            "MODEL_FILE");
  args.flag("data", "mnist", std::string("data set: ") + data_kinds())
      .flag("data-dir", "", "where the data set is")
      .flag("input-shape", "1,28,28", "C,H,W images from a folder are resized to")
      .flag("batch-size", "256", "samples per forward pass")
      .flag("threads", "0", "compute threads");
  args.parse(argc, argv);
  if (args.integer("threads") > 0) set_num_threads(static_cast<int>(args.integer("threads")));
  auto model = load_model_arg(args);
  DataSpec data = load_data(args.str("data"), args.str("data-dir"), parse_shape(args, "input-shape"), false, false);
  auto results = train::Optimizer::evaluate(
      *model, data.test,
      {optim::make_validation_method("top1"), optim::make_validation_method("top5"),
       std::make_shared<optim::Loss>(std::make_shared<nn::ClassNLLCriterion>())},
      args.integer("batch-size"), data.test_transform);
  for (const auto& r : results) std::printf("%s\n", r.repr().c_str());
  return 0;
}

int run_predict(int argc, char** argv) {
  Args args("predict",
            "Prints the predicted class and its probability for each sample of a data set's test split, or for "
            "image files given after the model (CSV: index,prediction,probability[,label]).",
            "MODEL_FILE [IMAGE ...]");
  args.flag("data", "mnist", std::string("data set when no images are given: ") + data_kinds())
      .flag("data-dir", "", "where the data set is")
      .flag("input-shape", "1,28,28", "C,H,W images are resized to, then scaled to [0, 1] and normalized")
      .flag("mean", "0.5", "image normalization mean (0.5: as `ember train --data folder`; MNIST: 0.1307)")
      .flag("std", "0.5", "image normalization std (MNIST: 0.3081)")
      .flag("limit", "0", "predict only the first N samples (0: all)")
      .flag("batch-size", "256", "samples per forward pass")
      .flag("output", "", "write the CSV to this file instead of stdout");
  args.parse(argc, argv);
  auto model = load_model_arg(args);
  std::shared_ptr<const data::DataSet> set;
  data::TransformerPtr transform;
  const std::vector<int64_t> shape = parse_shape(args, "input-shape");
  const std::vector<std::string> images(args.positionals().begin() + 1, args.positionals().end());
  if (!images.empty()) {
    // The folder pipeline of `ember train --data folder`: the same resize and normalization.
    const data::TransformerPtr transform_image = image_transform(shape, args.real("mean"), args.real("std"));
    std::vector<Tensor> xs;
    for (const auto& path : images) {
      args.require_file(path, "image");
      Generator g;
      xs.push_back(transform_image->apply(data::Sample(data::read_image(path, {.channels = shape[0]})), g).feature());
    }
    Tensor x = stack(xs, 0);
    set = std::make_shared<data::ArrayDataSet>(x, Tensor::zeros({x.size(0)}, DType::Int64));
  } else {
    DataSpec d = load_data(args.str("data"), args.str("data-dir"), shape, false, false);
    set = d.test;
    transform = d.test_transform;
  }
  std::FILE* out = stdout;
  if (!args.str("output").empty()) {
    out = std::fopen(args.str("output").c_str(), "w");
    if (out == nullptr) args.fail("cannot write --output '" + args.str("output") + "'");
  }
  std::fprintf(out, images.empty() ? "index,prediction,probability,label\n" : "file,prediction,probability\n");
  data::DataLoader loader(set, {.batch_size = args.integer("batch-size"), .shuffle = false, .transform = transform});
  loader.start_epoch(1);
  data::MiniBatch batch;
  int64_t index = 0;
  const int64_t limit = args.integer("limit");
  while (loader.next(batch) && (limit <= 0 || index < limit)) {
    const Tensor scores = model->forward(batch.input).tensor().contiguous().to(DType::Float64);
    const Tensor labels = batch.target.tensor().contiguous().to(DType::Int64);
    const int64_t classes = scores.size(1);
    for (int64_t i = 0; i < batch.size && (limit <= 0 || index < limit); ++i, ++index) {
      const double* row = scores.data<double>() + i * classes;
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c)
        if (row[c] > row[best]) best = c;
      // LogSoftMax outputs are log-probabilities; other outputs are shown as they are.
      const double p = row[best] <= 0 ? std::exp(row[best]) : row[best];
      if (images.empty()) {
        std::fprintf(out, "%lld,%lld,%.6f,%lld\n", static_cast<long long>(index), static_cast<long long>(best), p,
                     static_cast<long long>(labels.data<int64_t>()[i]));
      } else {
        std::fprintf(out, "%s,%lld,%.6f\n", images[index].c_str(), static_cast<long long>(best), p);
      }
    }
  }
  if (out != stdout) std::fclose(out);
  return 0;
}

int run_info(int argc, char** argv) {
  Args args("info", "Prints a model file's summary: format version, module tree, parameters and size.", "MODEL_FILE");
  args.parse(argc, argv);
  if (args.positionals().size() != 1) args.fail("expected exactly one MODEL_FILE");
  args.require_file(args.positionals()[0], "model file");
  const io::ModelInfo info = io::read_model_info(args.positionals()[0]);
  std::printf("file: %s (%llu bytes, Ember %s file, format version %u)\n", info.path.c_str(),
              static_cast<unsigned long long>(info.file_bytes), info.kind.c_str(), info.format_version);
  std::printf("parameters: %lld (%llu bytes); tensors: %zu (%llu bytes)\n", static_cast<long long>(info.num_parameters),
              static_cast<unsigned long long>(info.parameter_bytes), info.tensors.size(),
              static_cast<unsigned long long>(info.tensor_bytes));
  if (!info.tree.empty()) std::printf("%s\n", info.tree.c_str());
  std::printf("%-40s %-8s %s\n", "tensor", "dtype", "shape");
  for (const auto& t : info.tensors) {
    std::ostringstream shape;
    shape << t.shape;
    std::printf("%-40s %-8s %s\n", t.name.c_str(), std::string(dtype_name(t.dtype)).c_str(), shape.str().c_str());
  }
  return 0;
}

}  // namespace ember::apps
