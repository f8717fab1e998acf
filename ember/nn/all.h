#pragma once
/// Convenience include: every module, container and criterion.
#include "ember/nn/container.h"
#include "ember/nn/containers/concat.h"
#include "ember/nn/containers/concat_table.h"
#include "ember/nn/containers/graph.h"
#include "ember/nn/containers/map_table.h"
#include "ember/nn/containers/parallel_table.h"
#include "ember/nn/containers/sequential.h"
#include "ember/nn/criteria/class_nll_criterion.h"
#include "ember/nn/criterion.h"
#include "ember/nn/init.h"
#include "ember/nn/layers/linear.h"
#include "ember/nn/module.h"
