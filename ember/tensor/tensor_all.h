#pragma once
/// Convenience include for the tensor floor.
#include "ember/tensor/ops.h"
#include "ember/tensor/random.h"
#include "ember/tensor/tensor.h"
