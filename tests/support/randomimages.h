// SPDX-License-Identifier: GPL-3.0-or-later
// A labelled data set of uniform random images for tests that need a model's input but not
// Fashion-MNIST's numbers (sizes, recipes, evaluation and benchmark plumbing).
#pragma once

#include <random>

#include "quant/io/dataset.h"
#include "quant/nn/model.h"

// n images of the model's input shape, values uniform in [0, 1), labels uniform in 0..9; the same
// seed gives the same set.
inline quant::Dataset randomImages(const quant::Model& m, std::int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  quant::Dataset d;
  d.images.shape = {n};
  d.images.shape.insert(d.images.shape.end(), m.inputShape.begin(), m.inputShape.end());
  d.images.data.resize(static_cast<std::size_t>(d.images.numel()));
  for (float& v : d.images.data) v = u(rng);
  for (std::int64_t i = 0; i < n; ++i) d.labels.push_back(static_cast<std::uint8_t>(rng() % 10));
  return d;
}
