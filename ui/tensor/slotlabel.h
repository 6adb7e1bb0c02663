// SPDX-License-Identifier: GPL-3.0-or-later
// How the tensor views name one parameter slot of the spec in force ("channel 3", "group 12") and
// say that calibration fell back to min-max on slots too small for the chosen method, so that the
// histogram, the mapping and the controls use the same words for the same slot.
#pragma once

#include <QString>

namespace quantlab::ui {

class Session;

// "channel 3" / "group 12" for the session's params (empty per tensor).
QString slotLabel(const Session& session, int slot);
// One line for the views when calibration fell back on some slots (empty otherwise):
// "entropy: 32 of 32 channels have fewer than 128 values, so they use min-max".
QString fallbackWarning(const Session& session);

}  // namespace quantlab::ui
