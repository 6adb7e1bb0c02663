// SPDX-License-Identifier: GPL-3.0-or-later
#include "low.h"
#ifdef DEMO_INCLUDE_HIGH
#include "high.h"  // not on the low layer's include path: this must not compile
#endif
int lowValue() { return 1; }
