// SPDX-License-Identifier: GPL-3.0-or-later
// One sample of a data set as a picture, for the model views (predictions grid, data preview).
#pragma once

#include <QImage>

#include "quant/io/dataset.h"

namespace quantlab::ui {

// Sample `index` of `data` ([n, C, H, W] with C 1 or 3, or [n, F] with F a square number, shown
// as a square). Grey samples are drawn dark on white, as printed; colour ones as they are.
// Values in [0, 1] map to 0..255 directly (so Fashion-MNIST looks as it always did); any other
// range (normalised data) is stretched from the sample's minimum to its maximum. A null image for
// shapes that are no picture.
QImage sampleImage(const quant::Dataset& data, std::int64_t index);

}  // namespace quantlab::ui
