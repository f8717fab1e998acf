#pragma once
/// Convenience include: every module, container and criterion.
#include "ember/nn/container.h"
#include "ember/nn/containers/sequential.h"
#include "ember/nn/criteria/class_nll_criterion.h"
#include "ember/nn/criterion.h"
#include "ember/nn/init.h"
#include "ember/nn/layers/linear.h"
#include "ember/nn/module.h"
#include "ember/nn/layers/conv1d.h"
#include "ember/nn/layers/conv2d.h"
#include "ember/nn/layers/conv_transpose2d.h"
