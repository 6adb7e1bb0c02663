// SPDX-License-Identifier: GPL-3.0-or-later
// "Open data…" of the model workspace: which data set (file or folder), how images fit the
// model's input, and the normalisation (prefilled from MODEL.normalization.json beside the
// model). It only collects the choice; ModelSession::openData loads it in the background.
#pragma once

#include <QDialog>

#include "modelsession.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace quantlab::ui {

class OpenDataDialog : public QDialog {
  Q_OBJECT
 public:
  explicit OpenDataDialog(ModelSession* ms, QWidget* parent = nullptr);
  // The choice; valid when the dialog was accepted.
  ModelSession::DataSettings settings() const { return settings_; }
  // For tests and callers that know the path already.
  void setPath(const QString& path);

 private:
  // Parses the fields into settings_; false (and the reason shown) when one is not valid.
  bool validate();

  QLineEdit* path_;
  QComboBox* fit_;
  QLineEdit* scale_;
  QLineEdit* mean_;
  QLineEdit* std_;
  QLabel* problem_;
  QDialogButtonBox* buttons_;
  ModelSession::DataSettings settings_;
};

}  // namespace quantlab::ui
