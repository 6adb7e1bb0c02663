// SPDX-License-Identifier: GPL-3.0-or-later
#include "high.h"

#include "low.h"
int highValue() { return lowValue() + 1; }
