// Every registered layer and criterion as a Python class named like the C++ class, constructed from
// positional and keyword arguments named and ordered as the C++ options fields
// (`nn.Conv2d(1, 6, kernel_size=5)`); the docstrings list the options with their defaults.
#include "ember/nn/all.h"
#include "nn_util.h"

namespace ember::python {

namespace {

// A layer (Base nn::Module) or criterion (nn::Criterion) class; its specs also serve create() and
// unpickling by type name.
template <class T, class Base = nn::Module>
py::classh<T, Base> bind_layer(py::module_& m, const char* name, const char* doc) {
  register_specs(std::string(T::kTypeName), name, &option_specs<typename T::Options>());
  return bind_options_class<T, Base>(m, name, doc);
}

template <class T>
py::classh<T, nn::Criterion> bind_criterion(py::module_& m, const char* name, const char* doc) {
  return bind_layer<T, nn::Criterion>(m, name, doc);
}

template <class T>
void add_children_methods(py::classh<T, nn::Criterion>& cls) {
  cls.def(
         "add",
         [](py::object self, nn::CriterionPtr criterion, double weight) {
           self.cast<T&>().add(std::move(criterion), weight);
           return self;
         },
         py::arg("criterion"), py::arg("weight") = 1.0, "Appends a criterion with its weight; returns self.")
      .def("__len__", &T::size)
      .def("criterion", &T::criterion, py::arg("i"))
      .def("weight", &T::weight, py::arg("i"));
}

}  // namespace

void bind_nn_layers(py::module_& m) {
  using namespace nn;
  // ---- layers with parameters ------------------------------------------------------------------
  bind_layer<Linear>(m, "Linear",
                     "y = x W^T + b. Input [N, in_features] (or [in_features]) -> [N, out_features]. Weight "
                     "[out_features, in_features], bias [out_features]. BigDL: Linear. Example: nn.Linear(784, 10).");
  bind_layer<Conv1d>(m, "Conv1d",
                     "1-d convolution over [N, C_in, L] (or [C_in, L]) -> [N, C_out, L_out]. Weight [C_out, "
                     "C_in/groups, kernel_size]. Example: nn.Conv1d(4, 8, 3).");
  bind_layer<Conv2d>(m, "Conv2d",
                     "2-d convolution (cross-correlation) over NCHW input [N, C_in, H, W] (or [C_in, H, W]) -> "
                     "[N, C_out, OH, OW], OH = (H + 2*padding - dilation*(kH-1) - 1) // stride + 1. Weight [C_out, "
                     "C_in/groups, kH, kW]. BigDL: SpatialConvolution. Example: nn.Conv2d(1, 6, kernel_size=5).");
  bind_layer<ConvTranspose2d>(m, "ConvTranspose2d",
                              "2-d transposed convolution (deconvolution) [N, C_in, H, W] -> [N, C_out, OH, OW], "
                              "OH = (H-1)*stride - 2*padding + dilation*(kH-1) + output_padding + 1. Weight [C_in, "
                              "C_out/groups, kH, kW]. BigDL: SpatialFullConvolution.");
  bind_layer<BatchNorm1d>(m, "BatchNorm1d",
                          "Batch normalization over [N, C] or [N, C, L] per channel C; running statistics in "
                          "buffers running_mean/running_var. BigDL: BatchNormalization.");
  bind_layer<BatchNorm2d>(m, "BatchNorm2d",
                          "Batch normalization over [N, C, H, W] per channel. BigDL: SpatialBatchNormalization. "
                          "Example: nn.BatchNorm2d(64).");
  bind_layer<LayerNorm>(m, "LayerNorm",
                        "Layer normalization over the trailing dims given by normalized_shape; same shape out. "
                        "Example: nn.LayerNorm([64]).");
  bind_layer<Embedding>(m, "Embedding",
                        "Looks up rows of a [num_embeddings, embedding_dim] table: integer indices [...] (0-based) "
                        "-> [..., embedding_dim]. BigDL: LookupTable (1-based there).");
  bind_layer<PReLU>(m, "PReLU",
                    "y = max(0, x) + a * min(0, x) with a learned slope a (one, or one per channel when "
                    "num_parameters > 1). Same shape out.");
  bind_layer<Add>(m, "Add", "y = x + b with a learned bias b [input_size] over the last dim. BigDL: Add.");
  bind_layer<Mul>(m, "Mul", "y = a * x with one learned scalar a. BigDL: Mul.");
  bind_layer<CAdd>(m, "CAdd", "y = x + b with a learned b of shape `size`, broadcast over the input. BigDL: CAdd.");
  bind_layer<CMul>(m, "CMul", "y = x * w with a learned w of shape `size`, broadcast over the input. BigDL: CMul.");
  // ---- pooling, normalization without parameters -------------------------------------------------
  bind_layer<MaxPool2d>(m, "MaxPool2d",
                        "2-d max pooling over [N, C, H, W] (or [C, H, W]); stride 0 means kernel_size. BigDL: "
                        "SpatialMaxPooling. Example: nn.MaxPool2d(2).");
  bind_layer<AvgPool2d>(m, "AvgPool2d",
                        "2-d average pooling over [N, C, H, W] (or [C, H, W]); stride 0 means kernel_size. BigDL: "
                        "SpatialAveragePooling. Example: nn.AvgPool2d(2).");
  bind_layer<AdaptiveAvgPool2d>(m, "AdaptiveAvgPool2d",
                                "Average pooling to a fixed output_size: [N, C, H, W] -> [N, C, oH, oW].");
  bind_layer<GlobalAvgPool2d>(m, "GlobalAvgPool2d", "Mean over H and W: [N, C, H, W] -> [N, C, 1, 1].");
  bind_layer<SpatialCrossMapLRN>(m, "SpatialCrossMapLRN",
                                 "Local response normalization across channels (AlexNet): [N, C, H, W], same shape "
                                 "out. BigDL: SpatialCrossMapLRN.");
  bind_layer<Dropout>(m, "Dropout",
                      "In training mode zeroes each element with probability p and scales the rest by 1/(1-p); "
                      "identity in evaluation mode. BigDL: Dropout.");
  // ---- activations ------------------------------------------------------------------------------
  bind_layer<ReLU>(m, "ReLU", "y = max(0, x), element-wise; same shape out. BigDL: ReLU.");
  bind_layer<ReLU6>(m, "ReLU6", "y = min(max(0, x), 6), element-wise. BigDL: ReLU6.");
  bind_layer<LeakyReLU>(m, "LeakyReLU", "y = x for x > 0, negative_slope * x otherwise. BigDL: LeakyReLU.");
  bind_layer<ELU>(m, "ELU", "y = x for x > 0, alpha * (exp(x) - 1) otherwise. BigDL: ELU.");
  bind_layer<Tanh>(m, "Tanh", "y = tanh(x), element-wise. BigDL: Tanh.");
  bind_layer<Sigmoid>(m, "Sigmoid", "y = 1 / (1 + exp(-x)), element-wise. BigDL: Sigmoid.");
  bind_layer<HardTanh>(m, "HardTanh", "y = clamp(x, min_val, max_val), element-wise. BigDL: HardTanh.");
  bind_layer<SoftPlus>(m, "SoftPlus", "y = log(1 + exp(beta * x)) / beta (linear above threshold). BigDL: SoftPlus.");
  bind_layer<SoftSign>(m, "SoftSign", "y = x / (1 + |x|), element-wise. BigDL: SoftSign.");
  bind_layer<SoftMax>(m, "SoftMax",
                      "Softmax along dim (-1: the last; [N, C] -> [N, C] rows summing to 1). BigDL: SoftMax.");
  bind_layer<LogSoftMax>(m, "LogSoftMax",
                         "log(softmax(x)) along dim (default the last), then ClassNLLCriterion. BigDL: LogSoftMax.");
  bind_layer<AddConstant>(m, "AddConstant", "y = x + constant_scalar. BigDL: AddConstant.");
  bind_layer<MulConstant>(m, "MulConstant", "y = scalar * x. BigDL: MulConstant.");
  // ---- shape ------------------------------------------------------------------------------------
  bind_layer<Identity>(m, "Identity", "y = x (any activity). BigDL: Identity.");
  bind_layer<Reshape>(m, "Reshape",
                      "Reshapes each sample to `size` (the batch dim kept per batch_mode: -1 auto, 1 always, 0 "
                      "never): [N, 12] with size [3, 4] -> [N, 3, 4]. BigDL: Reshape. Example: nn.Reshape([1, 28, 28]).");
  bind_layer<View>(m, "View",
                   "A view with the given sizes (one may be -1); num_input_dims > 0 keeps extra leading dims as "
                   "the batch. BigDL: View.");
  bind_layer<Flatten>(m, "Flatten", "Merges dims [start_dim, end_dim]: [N, C, H, W] -> [N, C*H*W] by default.");
  bind_layer<Transpose>(m, "Transpose", "Swaps dims dim0 and dim1 (a view). BigDL: Transpose (one pair).");
  bind_layer<Squeeze>(m, "Squeeze", "Removes size-1 dims (all, or dim). BigDL: Squeeze.");
  bind_layer<Unsqueeze>(m, "Unsqueeze", "Inserts a size-1 dim at dim (0-based). BigDL: Unsqueeze (1-based there).");
  bind_layer<Narrow>(m, "Narrow",
                     "Elements [start, start + length) along dim (0-based; a view). BigDL: Narrow (1-based there).");
  bind_layer<Select>(m, "Select", "Slice `index` along dim, removing the dim (0-based). BigDL: Select (1-based there).");
  bind_layer<Padding>(m, "Padding", "Pads one dim with `value`: pad_before + S + pad_after. BigDL: Padding.");
  bind_layer<SpatialZeroPadding>(m, "SpatialZeroPadding",
                                 "Pads (or crops, when negative) the last two dims with zeros: [N, C, H, W] -> "
                                 "[N, C, H + top + bottom, W + left + right]. BigDL: SpatialZeroPadding.");
  bind_layer<UpSampling2d>(m, "UpSampling2d",
                           "Nearest-neighbour upsampling by integer factors size: [N, C, H, W] -> [N, C, H*s0, "
                           "W*s1]. BigDL: UpSampling2D.");
  // ---- tables -----------------------------------------------------------------------------------
  bind_layer<JoinTable>(m, "JoinTable",
                        "Concatenates a list of tensors along dim (0-based; torch.cat). BigDL: JoinTable (1-based "
                        "dimension there).");
  bind_layer<SplitTable>(m, "SplitTable",
                         "Splits a tensor into a list of slices along dim (torch.unbind). BigDL: SplitTable.");
  bind_layer<SelectTable>(m, "SelectTable", "Element `index` (0-based) of the input list. BigDL: SelectTable.");
  bind_layer<CAddTable>(m, "CAddTable", "Element-wise sum of a list of tensors of one shape. BigDL: CAddTable.");
  bind_layer<CMulTable>(m, "CMulTable", "Element-wise product of a list of tensors. BigDL: CMulTable.");
  bind_layer<FlattenTable>(m, "FlattenTable", "Flattens a nested list into a flat list of tensors. BigDL: FlattenTable.");

  // ---- criteria ---------------------------------------------------------------------------------
  bind_criterion<ClassNLLCriterion>(m, "ClassNLLCriterion",
                                    "Negative log likelihood: input [N, C] log-probabilities, target [N] class "
                                    "indices 0..C-1 (BigDL counted from 1). BigDL: ClassNLLCriterion.");
  bind_criterion<CrossEntropyCriterion>(m, "CrossEntropyCriterion",
                                        "LogSoftMax + ClassNLLCriterion: input [N, C] logits, target [N] class "
                                        "indices from 0. BigDL: CrossEntropyCriterion.");
  bind_criterion<MSECriterion>(m, "MSECriterion", "Mean squared error between input and target of one shape.");
  bind_criterion<AbsCriterion>(m, "AbsCriterion", "Mean absolute error between input and target of one shape.");
  bind_criterion<SmoothL1Criterion>(m, "SmoothL1Criterion", "Huber loss (quadratic below beta, linear above).");
  bind_criterion<BCECriterion>(m, "BCECriterion",
                               "Binary cross entropy on probabilities in (0, 1): input and target of one shape.");
  bind_criterion<BCEWithLogitsCriterion>(m, "BCEWithLogitsCriterion",
                                         "Sigmoid + binary cross entropy, on logits (numerically stable).");
  bind_criterion<DistKLDivCriterion>(m, "DistKLDivCriterion",
                                     "KL divergence: input log-probabilities, target probabilities, both [N, C].");
  bind_criterion<MarginCriterion>(m, "MarginCriterion",
                                  "Hinge loss max(0, margin - y * x) with targets +1/-1 (squared when squared=True).");
  bind_criterion<CosineEmbeddingCriterion>(m, "CosineEmbeddingCriterion",
                                           "Cosine embedding loss: input [a, b] (each [N, D]), target [N] of +1/-1.");
  bind_criterion<MultiLabelSoftMarginCriterion>(m, "MultiLabelSoftMarginCriterion",
                                                "Multi-label logistic loss: input logits [N, C], target multi-hot "
                                                "[N, C].");
  auto multi = bind_criterion<MultiCriterion>(m, "MultiCriterion",
                                              "Weighted sum of criteria applied to the same input and target. "
                                              "Example: nn.MultiCriterion().add(nn.MSECriterion()).add(nn.AbsCriterion(), 0.1).");
  add_children_methods(multi);
  auto parallel = bind_criterion<ParallelCriterion>(
      m, "ParallelCriterion",
      "Weighted sum of criterion i applied to input[i] and target[i] (or the whole target with repeat_target).");
  add_children_methods(parallel);
}

}  // namespace ember::python
