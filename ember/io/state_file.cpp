#include "ember/io/state_file.h"

#include <set>

#include "ember/io/container_format.h"

namespace ember::io {

using namespace detail;  // NOLINT: the file's internals

namespace {


StateDict read_state(const ContainerReader& r) {
  const std::string kind = get_string(r, field(r, r.header(), "kind", "the header"), "the header's 'kind'");
  EMBER_CHECK_FORMAT(kind == "state", r.where(), "the file holds '", kind,
                     "', not a state dict. Hint: read model files with io::load_module");
  StateDict out;
  std::set<std::string> keys;
  std::vector<bool> used(r.entries().size(), false);
  for (const Json& e : get_array(r, field(r, r.header(), "state", "the header"), "the header's 'state'")) {
    const std::string key = get_string(r, field(r, e, "key", "state entry"), "state entry 'key'");
    const std::string w = "state '" + key + "'";
    EMBER_CHECK_FORMAT(keys.insert(key).second, r.where(), "the key '", key, "' appears twice");
    const std::string type = get_string(r, field(r, e, "type", w), w + " 'type'");
    if (type == "tensor") {
      const Json& t = field(r, e, "tensor", w);
      if (t.is_null()) {
        out.set(key, Tensor());
        continue;
      }
      const uint64_t i = get_uint(r, t, w + " 'tensor'");
      EMBER_CHECK_FORMAT(i < r.entries().size(), r.where(), w, " refers to tensor ", i, ", but the file lists ",
                         r.entries().size(), " tensors");
      EMBER_CHECK_FORMAT(!used[i] && r.entries()[i].name == key, r.where(), w, " refers to tensor '",
                         r.entries()[i].name, "'", used[i] ? ", which another key uses" : "",
                         ": expected its own tensor named '", key, "'");
      used[i] = true;
      out.set(key, r.tensor(i));
    } else if (type == "int") {
      out.set(key, get_int(r, field(r, e, "value", w), w));
    } else if (type == "float") {
      out.set(key, get_real(r, field(r, e, "value", w), w));
    } else if (type == "string") {
      out.set(key, get_string(r, field(r, e, "value", w), w));
    } else {
      throw FormatError(ember::detail::str_cat(r.where(), w, " has unknown type '", type,
                                               "': expected tensor, int, float or string"));
    }
  }
  for (size_t i = 0; i < used.size(); ++i)
    EMBER_CHECK_FORMAT(used[i], r.where(), "tensor '", r.entries()[i].name, "' is not referred to by any key");
  return out;
}

}  // namespace

void detail::write_state(const StateDict& state, FileWriter& out) {
  TensorTable tensors;
  Json entries = Json::array();
  for (const auto& [key, value] : state.items()) {
    Json e = {{"key", key}};
    if (const Tensor* t = std::get_if<Tensor>(&value)) {
      e["type"] = "tensor";
      e["tensor"] = t->defined() ? Json(tensors.add(key, *t)) : Json(nullptr);
    } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
      e["type"] = "int";
      e["value"] = *i;
    } else if (const double* d = std::get_if<double>(&value)) {
      e["type"] = "float";
      e["value"] = real_to_json(*d);
    } else {
      e["type"] = "string";
      e["value"] = std::get<std::string>(value);
    }
    entries.push_back(std::move(e));
  }
  write_container({{"kind", "state"}, {"state", std::move(entries)}}, tensors, out);
}

void save_state(const StateDict& state, const std::string& path) {
  atomic_write_file(path, [&](FileWriter& w) { write_state(state, w); });
}

std::string save_state_to_bytes(const StateDict& state) {
  std::string out;
  StringWriter w(out);
  write_state(state, w);
  return out;
}

StateDict load_state(const std::string& path) {
  auto src = ByteSource::open_file(path);
  return read_state(ContainerReader(*src));
}

StateDict load_state_from_bytes(std::string_view bytes, std::string_view name_for_errors) {
  auto src = ByteSource::from_bytes(bytes, std::string(name_for_errors));
  return read_state(ContainerReader(*src));
}

}  // namespace ember::io
