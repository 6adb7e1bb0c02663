// SPDX-License-Identifier: GPL-3.0-or-later
#include "generatordialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace quantlab::ui {

namespace {
QDoubleSpinBox* makeDouble(QWidget* parent, double lo, double hi, double value,
                           const QString& tip) {
  auto* box = new QDoubleSpinBox(parent);
  box->setRange(lo, hi);
  box->setDecimals(4);
  box->setSingleStep(0.01);
  box->setValue(value);
  box->setToolTip(tip);
  return box;
}
}  // namespace

GeneratorDialog::GeneratorDialog(QWidget* parent)
    : QDialog(parent), form_(new QFormLayout), error_(new QLabel(this)) {
  setObjectName("GeneratorDialog");
  setWindowTitle(tr("Generate a synthetic tensor"));

  distribution_ = new QComboBox(this);
  const std::pair<quant::Distribution, QString> dists[] = {
      {quant::Distribution::Normal, tr("Normal (Gaussian) — typical weights")},
      {quant::Distribution::Laplace, tr("Laplace — peaked weights with heavier tails")},
      {quant::Distribution::Uniform, tr("Uniform — every value equally likely")},
      {quant::Distribution::HalfNormal, tr("Half-normal — positive only")},
      {quant::Distribution::Relu, tr("ReLU output — half exact zeros")},
      {quant::Distribution::Bimodal, tr("Bimodal — two clusters")},
  };
  for (const auto& [d, text] : dists) distribution_->addItem(text, static_cast<int>(d));
  distribution_->setToolTip(
      tr("The shape of the value distribution. Heavy tails and outliers stretch the min-max "
         "range, which wastes quantization levels on values that rarely occur."));

  shape_ = new QLineEdit(QStringLiteral("16, 256"), this);
  shape_->setToolTip(
      tr("Dimensions separated by commas or 'x', e.g. 64, 3, 3, 3 for a conv "
         "weight (out channels first)."));
  mean_ = makeDouble(this, -1e6, 1e6, 0.0, tr("Centre of the distribution."));
  stddev_ = makeDouble(this, 0.0, 1e6, 0.05, tr("Standard deviation (spread)."));
  low_ = makeDouble(this, -1e6, 1e6, -1.0, tr("Smallest value (inclusive)."));
  high_ = makeDouble(this, -1e6, 1e6, 1.0, tr("Largest value (exclusive)."));
  loc_ = makeDouble(this, -1e6, 1e6, 0.0, tr("Centre (peak) of the Laplace distribution."));
  scale_ = makeDouble(this, 1e-6, 1e6, 0.05,
                      tr("Laplace scale b: the mean absolute distance from the centre."));
  separation_ = makeDouble(this, 0.0, 1e6, 3.0,
                           tr("Distance of each mode from the centre (in value units)."));
  outliers_ = new QSpinBox(this);
  outliers_->setRange(0, 1000000);
  outliers_->setValue(4);
  outliers_->setToolTip(
      tr("How many values are replaced by ±magnitude. A handful of outliers "
         "is enough to ruin per-tensor min-max quantization."));
  magnitude_ = makeDouble(this, 0.0, 1e6, 1.0, tr("Absolute value of the outliers."));
  seed_ = new QSpinBox(this);
  seed_->setRange(0, 2147483647);
  seed_->setValue(2024);
  seed_->setToolTip(tr("The same seed always gives the same tensor, on every machine."));
  name_ = new QLineEdit(QStringLiteral("synthetic"), this);
  name_->setToolTip(tr("A name for the tensor, shown in the status bar."));

  form_->addRow(tr("&Distribution:"), distribution_);
  form_->addRow(tr("S&hape:"), shape_);
  form_->addRow(tr("&Mean:"), mean_);
  form_->addRow(tr("&Std. deviation:"), stddev_);
  form_->addRow(tr("&Low:"), low_);
  form_->addRow(tr("&High:"), high_);
  form_->addRow(tr("L&ocation:"), loc_);
  form_->addRow(tr("Sc&ale:"), scale_);
  form_->addRow(tr("Se&paration:"), separation_);
  form_->addRow(tr("&Outliers:"), outliers_);
  form_->addRow(tr("Outlier ma&gnitude:"), magnitude_);
  form_->addRow(tr("S&eed:"), seed_);
  form_->addRow(tr("&Name:"), name_);

  error_->setStyleSheet(QStringLiteral("color: #b00020;"));
  error_->setWordWrap(true);
  error_->hide();
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("&Generate"));
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form_);
  layout->addWidget(error_);
  layout->addWidget(buttons);

  connect(distribution_, &QComboBox::currentIndexChanged, this, &GeneratorDialog::updateRows);
  connect(buttons, &QDialogButtonBox::accepted, this, &GeneratorDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  distribution_->setCurrentIndex(1);  // Laplace: the interesting default
  updateRows();
}

void GeneratorDialog::updateRows() {
  const auto d = static_cast<quant::Distribution>(distribution_->currentData().toInt());
  using D = quant::Distribution;
  const bool normalish = d == D::Normal || d == D::HalfNormal || d == D::Relu || d == D::Bimodal;
  form_->setRowVisible(mean_, normalish);
  form_->setRowVisible(stddev_, normalish);
  form_->setRowVisible(low_, d == D::Uniform);
  form_->setRowVisible(high_, d == D::Uniform);
  form_->setRowVisible(loc_, d == D::Laplace);
  form_->setRowVisible(scale_, d == D::Laplace);
  form_->setRowVisible(separation_, d == D::Bimodal);
  adjustSize();
}

std::optional<std::vector<std::int64_t>> GeneratorDialog::parseShape(const QString& text) {
  QString t = text.trimmed();
  if (t.startsWith(QLatin1Char('[')) || t.startsWith(QLatin1Char('('))) t = t.mid(1);
  if (t.endsWith(QLatin1Char(']')) || t.endsWith(QLatin1Char(')'))) t.chop(1);
  const QStringList parts =
      t.split(QRegularExpression(QStringLiteral("[\\s,xX×]+")), Qt::SkipEmptyParts);
  if (parts.isEmpty() || parts.size() > 8) return std::nullopt;
  std::vector<std::int64_t> shape;
  for (const QString& p : parts) {
    bool ok = false;
    const qlonglong v = p.toLongLong(&ok);
    if (!ok || v < 1) return std::nullopt;
    shape.push_back(v);
  }
  return shape;
}

quant::GeneratorSpec GeneratorDialog::spec() const {
  quant::GeneratorSpec g;
  g.distribution = static_cast<quant::Distribution>(distribution_->currentData().toInt());
  g.shape = parseShape(shape_->text()).value_or(std::vector<std::int64_t>{1024});
  g.mean = mean_->value();
  g.stddev = stddev_->value();
  g.low = low_->value();
  g.high = high_->value();
  g.loc = loc_->value();
  g.scale = scale_->value();
  g.separation = separation_->value();
  g.outlierCount = outliers_->value();
  g.outlierMagnitude = magnitude_->value();
  g.seed = static_cast<std::uint64_t>(seed_->value());
  g.name = name_->text().trimmed().isEmpty() ? std::string("synthetic")
                                             : name_->text().trimmed().toStdString();
  return g;
}

void GeneratorDialog::setSpec(const quant::GeneratorSpec& g) {
  const int i = distribution_->findData(static_cast<int>(g.distribution));
  if (i >= 0) distribution_->setCurrentIndex(i);
  QStringList dims;
  for (auto d : g.shape) dims << QString::number(d);
  shape_->setText(dims.join(QStringLiteral(", ")));
  mean_->setValue(g.mean);
  stddev_->setValue(g.stddev);
  low_->setValue(g.low);
  high_->setValue(g.high);
  loc_->setValue(g.loc);
  scale_->setValue(g.scale);
  separation_->setValue(g.separation);
  outliers_->setValue(static_cast<int>(std::min<std::int64_t>(g.outlierCount, 1000000)));
  magnitude_->setValue(g.outlierMagnitude);
  seed_->setValue(static_cast<int>(g.seed % 2147483648ULL));
  name_->setText(QString::fromStdString(g.name));
}

void GeneratorDialog::accept() {
  const auto shape = parseShape(shape_->text());
  QString problem;
  if (!shape) {
    problem = tr("The shape must be positive integers separated by commas, e.g. 16, 256.");
  } else {
    // Check the size here so the dialog can say so before anything is allocated.
    long double n = 1;
    for (auto d : *shape) n *= static_cast<long double>(d);
    if (n > static_cast<long double>(quant::kMaxGeneratedElements))
      problem = tr("That shape has too many elements (the limit is %1).")
                    .arg(quant::kMaxGeneratedElements);
    else if (outliers_->value() > n)
      problem = tr("More outliers than elements.");
  }
  if (distribution_->currentData().toInt() == static_cast<int>(quant::Distribution::Uniform) &&
      !(high_->value() > low_->value()))
    problem = tr("High must be larger than low.");
  if (!problem.isEmpty()) {
    error_->setText(problem);
    error_->show();
    return;
  }
  QDialog::accept();
}

}  // namespace quantlab::ui
