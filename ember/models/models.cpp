#include "ember/models/models.h"

#include "ember/core/error.h"
#include "ember/nn/all.h"

namespace ember::models {

using namespace nn;

namespace {

ModulePtr conv(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, bool bias = true) {
  return std::make_shared<Conv2d>(Conv2dOptions{
      .in_channels = in, .out_channels = out, .kernel_size = k, .stride = stride, .padding = pad, .bias = bias});
}
ModulePtr max_pool(int64_t k, bool ceil = false) {
  return std::make_shared<MaxPool2d>(MaxPool2dOptions{.kernel_size = k, .ceil_mode = ceil});
}
ModulePtr linear(int64_t in, int64_t out) {
  return std::make_shared<Linear>(LinearOptions{.in_features = in, .out_features = out});
}
ModulePtr bn2d(int64_t c) { return std::make_shared<BatchNorm2d>(BatchNormOptions{.num_features = c}); }
int64_t channels(const ModelOptions& o, int64_t usual) { return o.in_channels > 0 ? o.in_channels : usual; }
void check(const ModelOptions& o, const char* model) {
  EMBER_CHECK(o.num_classes >= 1, "[models.", model, "] num_classes must be >= 1, got ", o.num_classes);
}

// conv3x3 - BN - ReLU - conv3x3 - BN, plus the shortcut, added, then ReLU.
ModulePtr basic_block(int64_t cin, int64_t cout, int64_t stride) {
  auto body = std::make_shared<Sequential>(std::vector<ModulePtr>{
      conv(cin, cout, 3, stride, 1, false), bn2d(cout), std::make_shared<ReLU>(),
      conv(cout, cout, 3, 1, 1, false), bn2d(cout)});
  ModulePtr shortcut;
  if (stride == 1 && cin == cout) {
    shortcut = std::make_shared<Identity>();
  } else {
    // Option A: a 1x1 window with stride 2 is x[:, :, ::2, ::2]; channels are zero-padded evenly.
    const int64_t pad = cout - cin;
    shortcut = std::make_shared<Sequential>(std::vector<ModulePtr>{
        std::make_shared<MaxPool2d>(MaxPool2dOptions{.kernel_size = 1, .stride = stride}),
        std::make_shared<Padding>(PaddingOptions{.dim = 1, .pad_before = pad / 2, .pad_after = pad - pad / 2})});
  }
  auto branches = std::make_shared<ConcatTable>();
  branches->add(body);
  branches->add(shortcut);
  return std::make_shared<Sequential>(
      std::vector<ModulePtr>{branches, std::make_shared<CAddTable>(), std::make_shared<ReLU>()});
}

}  // namespace

ModulePtr lenet5(const ModelOptions& o) {
  check(o, "lenet5");
  return std::make_shared<Sequential>(std::vector<ModulePtr>{
      conv(channels(o, 1), 6, 5, 1, 0), std::make_shared<Tanh>(), max_pool(2),
      conv(6, 12, 5, 1, 0), std::make_shared<Tanh>(), max_pool(2),
      std::make_shared<Flatten>(), linear(192, 100), std::make_shared<Tanh>(), linear(100, o.num_classes),
      std::make_shared<LogSoftMax>()});
}

ModulePtr bigdl_cnn(const ModelOptions& o) {
  check(o, "bigdl_cnn");
  auto m = std::make_shared<Sequential>();
  const int64_t chans[] = {channels(o, 3), 32, 64, 128, 128};
  for (int i = 0; i < 4; ++i) {
    m->add(conv(chans[i], chans[i + 1], 3, 1, 1));
    m->add(std::make_shared<ReLU>());
    m->add(max_pool(2, true));
  }
  m->add(std::make_shared<Flatten>());
  m->add(std::make_shared<Dropout>(DropoutOptions{.p = 0.4}));
  m->add(linear(128 * 7 * 7, 512));
  m->add(std::make_shared<ReLU>());
  m->add(linear(512, o.num_classes));
  m->add(std::make_shared<LogSoftMax>());
  return m;
}

ModulePtr vgg16_cifar(const ModelOptions& o) {
  check(o, "vgg16_cifar");
  auto m = std::make_shared<Sequential>();
  int64_t cin = channels(o, 3);
  // (channels, dropout after the ReLU; 0 = max pool follows instead), as in BigDL's VggForCifar10.
  const std::vector<std::vector<std::pair<int64_t, double>>> stages = {
      {{64, 0.3}, {64, 0}},
      {{128, 0.4}, {128, 0}},
      {{256, 0.4}, {256, 0.4}, {256, 0}},
      {{512, 0.4}, {512, 0.4}, {512, 0}},
      {{512, 0.4}, {512, 0.4}, {512, 0}}};
  for (const auto& stage : stages) {
    for (auto [cout, p] : stage) {
      m->add(conv(cin, cout, 3, 1, 1));
      m->add(bn2d(cout));
      m->add(std::make_shared<ReLU>());
      if (p > 0) m->add(std::make_shared<Dropout>(DropoutOptions{.p = p}));
      cin = cout;
    }
    m->add(max_pool(2));
  }
  m->add(std::make_shared<Flatten>());
  m->add(std::make_shared<Dropout>(DropoutOptions{.p = 0.5}));
  m->add(linear(512, 512));
  m->add(std::make_shared<BatchNorm1d>(BatchNormOptions{.num_features = 512}));
  m->add(std::make_shared<ReLU>());
  m->add(std::make_shared<Dropout>(DropoutOptions{.p = 0.5}));
  m->add(linear(512, o.num_classes));
  m->add(std::make_shared<LogSoftMax>());
  return m;
}

ModulePtr resnet20_cifar(const ModelOptions& o) {
  check(o, "resnet20_cifar");
  auto m = std::make_shared<Sequential>();
  m->add(conv(channels(o, 3), 16, 3, 1, 1, false));
  m->add(bn2d(16));
  m->add(std::make_shared<ReLU>());
  int64_t cin = 16;
  for (auto [cout, stride] : {std::pair<int64_t, int64_t>{16, 1}, {32, 2}, {64, 2}}) {
    for (int i = 0; i < 3; ++i) {
      m->add(basic_block(cin, cout, i == 0 ? stride : 1));
      cin = cout;
    }
  }
  m->add(std::make_shared<GlobalAvgPool2d>());
  m->add(std::make_shared<Flatten>());
  m->add(linear(64, o.num_classes));
  m->add(std::make_shared<LogSoftMax>());
  return m;
}

std::vector<std::string> model_names() { return {"lenet5", "bigdl-cnn", "vgg16-cifar", "resnet20-cifar"}; }

ModulePtr make_model(std::string_view name, const ModelOptions& options) {
  if (name == "lenet5") return lenet5(options);
  if (name == "bigdl-cnn") return bigdl_cnn(options);
  if (name == "vgg16-cifar") return vgg16_cifar(options);
  if (name == "resnet20-cifar") return resnet20_cifar(options);
  throw ValueError(ember::detail::str_cat("[models] unknown model '", name,
                                   "': expected one of lenet5, bigdl-cnn, vgg16-cifar, resnet20-cifar"));
}

std::vector<int64_t> model_input_shape(std::string_view name) {
  if (name == "lenet5") return {1, 28, 28};
  if (name == "bigdl-cnn") return {3, 112, 112};
  make_model(name);  // throws for an unknown name
  return {3, 32, 32};
}

}  // namespace ember::models
