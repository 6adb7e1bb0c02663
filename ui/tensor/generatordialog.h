// SPDX-License-Identifier: GPL-3.0-or-later
// Asks for the parameters of a synthetic tensor (quant::GeneratorSpec): distribution and its
// parameters, shape, outliers (count and magnitude) and the random seed.
#pragma once

#include <QDialog>
#include <optional>
#include <vector>

#include "quant/numeric/generate.h"

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace quantlab::ui {

class GeneratorDialog : public QDialog {
  Q_OBJECT
 public:
  explicit GeneratorDialog(QWidget* parent = nullptr);

  // The spec the dialog describes (valid after accept; the shape must parse).
  quant::GeneratorSpec spec() const;
  void setSpec(const quant::GeneratorSpec& spec);

  // "16, 256", "16x256" or "[16 256]" -> {16, 256}; nullopt for anything else (or a dimension < 1).
  static std::optional<std::vector<std::int64_t>> parseShape(const QString& text);

  void accept() override;

 private:
  void updateRows();

  QFormLayout* form_;
  QComboBox* distribution_;
  QLineEdit* shape_;
  QDoubleSpinBox *mean_, *stddev_, *low_, *high_, *loc_, *scale_, *separation_;
  QSpinBox* outliers_;
  QDoubleSpinBox* magnitude_;
  QSpinBox* seed_;
  QLineEdit* name_;
  QLabel* error_;
};

}  // namespace quantlab::ui
