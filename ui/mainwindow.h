// SPDX-License-Identifier: GPL-3.0-or-later
// The QuantLab main window. It only assembles docks and actions; each view lives in its own class.
#pragma once

#include <QMainWindow>

namespace quantlab::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace quantlab::ui
