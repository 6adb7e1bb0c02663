// SPDX-License-Identifier: GPL-3.0-or-later
#include "opendatadialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace quantlab::ui {

namespace {

QString listText(const std::vector<float>& v) {
  QStringList parts;
  for (float x : v) parts << QString::number(static_cast<double>(x));
  return parts.join(QStringLiteral(", "));
}

}  // namespace

OpenDataDialog::OpenDataDialog(ModelSession* ms, QWidget* parent)
    : QDialog(parent),
      path_(new QLineEdit),
      fit_(new QComboBox),
      scale_(new QLineEdit),
      mean_(new QLineEdit),
      std_(new QLineEdit),
      problem_(new QLabel),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel)) {
  setObjectName("OpenDataDialog");
  setWindowTitle(tr("Open data"));
  auto* lay = new QVBoxLayout(this);
  const auto snap = ms->loaded();
  auto* intro = new QLabel(
      tr("A data set for the open model (input %1): a .npz with inputs x and optional integer "
         "labels y, a .npy of inputs, an IDX images file, an MNIST-style folder, or a folder "
         "with one sub-folder of PNG/JPEG images per class. The first quarter (at most 256 "
         "samples) calibrates the int8 model; the rest is the test set. Without labels, the "
         "accuracies are the agreement with fp32.")
          .arg(snap ? ModelSession::shapeText(snap->fp32.inputShape) : QStringLiteral("?")));
  intro->setWordWrap(true);
  lay->addWidget(intro);

  auto* form = new QFormLayout;
  auto* pathRow = new QHBoxLayout;
  path_->setObjectName("dataPath");
  auto* file = new QPushButton(tr("File…"));
  auto* folder = new QPushButton(tr("Folder…"));
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(file);
  pathRow->addWidget(folder);
  form->addRow(tr("Data:"), pathRow);
  fit_->setObjectName("dataFit");
  fit_->addItem(tr("exact size only"), static_cast<int>(quant::ImageFit::Exact));
  fit_->addItem(tr("stretch to the input"), static_cast<int>(quant::ImageFit::Stretch));
  fit_->addItem(tr("resize and crop the centre"), static_cast<int>(quant::ImageFit::Crop));
  fit_->setToolTip(
      tr("How images of another size reach the model's input. Grey and RGB images "
         "are converted to the model's channel count."));
  form->addRow(tr("Images:"), fit_);
  scale_->setObjectName("dataScale");
  scale_->setPlaceholderText(tr("auto: 1/255 for 8-bit data, else 1"));
  form->addRow(tr("Scale:"), scale_);
  mean_->setObjectName("dataMean");
  mean_->setPlaceholderText(tr("none, or one value per channel: 0.49, 0.48, 0.45"));
  form->addRow(tr("Mean:"), mean_);
  std_->setObjectName("dataStd");
  std_->setPlaceholderText(tr("none, or one value per channel: 0.25, 0.24, 0.26"));
  form->addRow(tr("Std:"), std_);
  lay->addLayout(form);
  auto* formula = new QLabel(tr("Each value becomes (x · scale − mean) / std, per channel."));
  lay->addWidget(formula);

  QString error;
  const quant::Normalization beside = ms->normalizationBesideModel(&error);
  if (beside.divisor) scale_->setText(QStringLiteral("1/%1").arg(*beside.divisor));
  mean_->setText(listText(beside.mean));
  std_->setText(listText(beside.std));
  if (snap && (!error.isEmpty() || beside != quant::Normalization{})) {
    auto* note =
        new QLabel(error.isEmpty() ? tr("Filled in from %1.")
                                         .arg(QString::fromStdString(
                                             quant::normalizationPathFor(snap->path.toStdString())))
                                   : error);
    note->setWordWrap(true);
    lay->addWidget(note);
  }
  problem_->setObjectName("dataProblem");
  problem_->setWordWrap(true);
  problem_->setStyleSheet(QStringLiteral("color: #a04000;"));
  problem_->hide();
  lay->addWidget(problem_);
  lay->addWidget(buttons_);

  connect(file, &QPushButton::clicked, this, [this] {
    const QString p = QFileDialog::getOpenFileName(
        this, tr("Open a data file"), QString(),
        tr("Data sets (*.npz *.npy *-ubyte *-ubyte.gz *.idx);;All files (*)"));
    if (!p.isEmpty()) path_->setText(p);
  });
  connect(folder, &QPushButton::clicked, this, [this] {
    const QString p = QFileDialog::getExistingDirectory(this, tr("Open a data folder"));
    if (!p.isEmpty()) path_->setText(p);
  });
  connect(buttons_, &QDialogButtonBox::accepted, this, [this] {
    if (validate()) accept();
  });
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void OpenDataDialog::setPath(const QString& path) { path_->setText(path); }

bool OpenDataDialog::validate() {
  ModelSession::DataSettings s;
  s.path = path_->text().trimmed();
  s.fit = static_cast<quant::ImageFit>(fit_->currentData().toInt());
  QString problem;
  // Runs parse() on a non-empty field; a quant::Error becomes "<field>: <why>".
  auto field = [&](QLineEdit* edit, const QString& name, const auto& parse) {
    const std::string text = edit->text().trimmed().toStdString();
    if (text.empty() || !problem.isEmpty()) return;
    try {
      parse(text);
    } catch (const quant::Error& e) {
      problem = name + QStringLiteral(": ") + QString::fromStdString(e.what());
    }
  };
  if (s.path.isEmpty()) problem = tr("Choose a data file or folder.");
  field(scale_, tr("Scale"),
        [&](const std::string& t) { s.norm.divisor = quant::parseScaleDivisor(t); });
  field(mean_, tr("Mean"), [&](const std::string& t) { s.norm.mean = quant::parseFloatList(t); });
  field(std_, tr("Std"), [&](const std::string& t) {
    s.norm.std = quant::parseFloatList(t);
    for (float v : s.norm.std)
      if (!(v > 0)) throw quant::Error("the values must be positive");
  });
  problem_->setText(problem);
  problem_->setVisible(!problem.isEmpty());
  if (!problem.isEmpty()) return false;
  settings_ = s;
  return true;
}

}  // namespace quantlab::ui
