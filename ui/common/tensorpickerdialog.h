// SPDX-License-Identifier: GPL-3.0-or-later
// Chooses one tensor of a multi-tensor file (.npz, .safetensors): a filterable table of name,
// dtype, shape and size. Double-click or Enter opens the highlighted tensor.
#pragma once

#include <QDialog>
#include <vector>

#include "quant/io/tensorio.h"

class QLineEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;

namespace quantlab::ui {

class TensorPickerDialog : public QDialog {
  Q_OBJECT
 public:
  TensorPickerDialog(const QString& fileName, const std::vector<quant::TensorInfo>& infos,
                     QWidget* parent = nullptr);
  // The chosen tensor's name (empty when nothing is selected).
  QString selectedName() const;
  // Shows only names containing `text` (case-insensitive).
  void setFilter(const QString& text);
  int visibleCount() const;

  // "1.5 MiB"
  static QString humanSize(quint64 bytes);

 private:
  QLineEdit* filter_;
  QTreeView* view_;
  QStandardItemModel* model_;
  QSortFilterProxyModel* proxy_;
};

}  // namespace quantlab::ui
