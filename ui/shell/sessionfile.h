// SPDX-License-Identifier: GPL-3.0-or-later
// The window side of .qlab session files (the format itself is quant/course/sessionfile.h): what the
// window shows becomes a quant::SessionState and back. The Session does not know where its
// tensor came from, so a small tracker attached to the window remembers the last source (a file
// opened through the TensorLoader, a lesson's generate/values); a tensor of unknown origin is
// saved as literal values.
#pragma once

#include <QString>

#include "quant/course/sessionfile.h"

namespace quantlab::ui {

class MainWindow;

// Starts tracking where the window's tensor comes from (idempotent; MainWindow calls it once).
void trackTensorSource(MainWindow* window);
// Records the source of the tensor just set (lesson actions, session files).
void setTensorSource(MainWindow* window, const quant::SessionTensorSource& source);
// The source of the current tensor; kind Values with the data when it is not known.
quant::SessionTensorSource tensorSource(MainWindow* window);

// The window's state as a session file (tensor source, spec, calibration, range, probe, the
// raised view, the selected number format, the lesson and step the player shows).
quant::SessionState captureSession(MainWindow* window);

// Writes atomically (QSaveFile), a tensor file's path relative to the session file, and marks
// the window's undo stack clean. Returns "" on success, else one line naming the file.
QString saveSessionFile(MainWindow* window, const QString& path);
// Reads, validates and builds the tensor first; only then changes the window, so a broken or
// newer file leaves it exactly as it was. A tensor file that is not where the session says is
// looked for beside the session file. Returns "" on success, else one line naming the file.
QString openSessionFile(MainWindow* window, const QString& path);

}  // namespace quantlab::ui
