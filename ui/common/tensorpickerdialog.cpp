// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorpickerdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace quantlab::ui {

namespace {
enum Column { kName, kDtype, kShape, kSize, kColumns };
}

TensorPickerDialog::TensorPickerDialog(const QString& fileName,
                                       const std::vector<quant::TensorInfo>& infos, QWidget* parent)
    : QDialog(parent),
      filter_(new QLineEdit(this)),
      view_(new QTreeView(this)),
      model_(new QStandardItemModel(0, kColumns, this)),
      proxy_(new QSortFilterProxyModel(this)) {
  setObjectName("TensorPickerDialog");
  setWindowTitle(tr("Choose a tensor — %1").arg(fileName));
  auto* intro =
      new QLabel(tr("%1 holds %2 tensors. Pick the one to quantize (double-click opens it):")
                     .arg(fileName)
                     .arg(infos.size()),
                 this);
  intro->setWordWrap(true);
  filter_->setPlaceholderText(tr("Filter by name (e.g. weight, conv1, attn)"));
  filter_->setClearButtonEnabled(true);
  filter_->setToolTip(tr("Type part of a tensor name to narrow the list."));

  model_->setHorizontalHeaderLabels({tr("Name"), tr("dtype"), tr("Shape"), tr("Size")});
  for (const auto& info : infos) {
    QList<QStandardItem*> row;
    auto* name = new QStandardItem(QString::fromStdString(info.name));
    name->setToolTip(name->text());
    row << name << new QStandardItem(QString::fromStdString(info.dtype));
    QStringList dims;
    for (auto d : info.shape) dims << QString::number(d);
    row << new QStandardItem(QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']'));
    auto* size = new QStandardItem(humanSize(info.byteSize));
    size->setData(QVariant::fromValue<qulonglong>(info.byteSize), Qt::UserRole);
    size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    row << size;
    for (auto* item : row) item->setEditable(false);
    model_->appendRow(row);
  }
  proxy_->setSourceModel(model_);
  proxy_->setFilterKeyColumn(kName);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setSortRole(Qt::UserRole);
  view_->setModel(proxy_);
  view_->setRootIsDecorated(false);
  view_->setUniformRowHeights(true);
  view_->setAlternatingRowColors(true);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->header()->setSectionResizeMode(kName, QHeaderView::Stretch);
  view_->header()->setStretchLastSection(false);
  for (int c = kDtype; c < kColumns; ++c)
    view_->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  if (proxy_->rowCount() > 0) view_->setCurrentIndex(proxy_->index(0, 0));

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(filter_);
  layout->addWidget(view_, 1);
  layout->addWidget(buttons);
  resize(720, 440);

  connect(filter_, &QLineEdit::textChanged, this, &TensorPickerDialog::setFilter);
  connect(view_, &QTreeView::doubleClicked, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  filter_->setFocus();
}

void TensorPickerDialog::setFilter(const QString& text) {
  if (filter_->text() != text) filter_->setText(text);  // re-enters once via textChanged
  proxy_->setFilterFixedString(text);
  if (!view_->currentIndex().isValid() && proxy_->rowCount() > 0)
    view_->setCurrentIndex(proxy_->index(0, 0));
}

int TensorPickerDialog::visibleCount() const { return proxy_->rowCount(); }

QString TensorPickerDialog::selectedName() const {
  const QModelIndex index = view_->currentIndex();
  if (!index.isValid()) return {};
  return proxy_->index(index.row(), kName).data().toString();
}

QString TensorPickerDialog::humanSize(quint64 bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  return u == 0 ? QStringLiteral("%1 B").arg(bytes)
                : QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[u]));
}

}  // namespace quantlab::ui
