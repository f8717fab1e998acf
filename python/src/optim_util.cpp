// Python objects -> triggers, validation methods and data sets (see optim_util.h).
#include "optim_util.h"

#include "ember/core/error.h"

namespace ember::python {

optim::Trigger to_trigger(py::handle obj, std::string_view where, const char* what) {
  if (py::isinstance<optim::Trigger>(obj)) return obj.cast<optim::Trigger>();
  throw TypeError(detail::str_cat("[", where, "] ", what, ": expected an ember.optim.Trigger (e.g. max_epoch(10), ",
                                  "every_epoch()), got ", py_type_name(obj)));
}

std::vector<optim::ValidationMethodPtr> to_validation_methods(py::handle obj, std::string_view where,
                                                              nn::CriterionPtr criterion) {
  auto one = [&](py::handle x) -> optim::ValidationMethodPtr {
    if (py::isinstance<optim::ValidationMethod>(x)) return x.cast<optim::ValidationMethodPtr>();
    if (py::isinstance<py::str>(x)) return optim::make_validation_method(x.cast<std::string>(), criterion);
    throw TypeError(detail::str_cat("[", where, "] validation methods: expected ember.optim.ValidationMethod objects ",
                                    "(Top1Accuracy(), Loss(criterion), ...) or names ('top1'), got ", py_type_name(x)));
  };
  std::vector<optim::ValidationMethodPtr> out;
  if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj)) {
    for (py::handle x : obj) out.push_back(one(x));
  } else {
    out.push_back(one(obj));
  }
  if (out.empty()) throw ValueError(detail::str_cat("[", where, "] needs at least one validation method"));
  return out;
}

std::shared_ptr<const data::DataSet> to_dataset(py::handle obj, std::string_view where, const char* what) {
  if ((py::isinstance<py::tuple>(obj) || py::isinstance<py::list>(obj)) && py::len(obj) == 2) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(obj);
    Tensor features = to_tensor(seq[0], "features");
    Tensor labels = seq[1].is_none() ? Tensor() : to_tensor(seq[1], "labels");
    return std::make_shared<data::ArrayDataSet>(std::move(features), std::move(labels));
  }
  try {
    if (auto ds = obj.cast<std::shared_ptr<data::DataSet>>()) return ds;
  } catch (const py::cast_error&) {
  }
  throw TypeError(detail::str_cat("[", where, "] ", what,
                                  ": expected a (features, labels) pair of NumPy arrays or an ember.data.DataSet, got ",
                                  py_type_name(obj)));
}

}  // namespace ember::python
