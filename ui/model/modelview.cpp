// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelview.h"

#include <QColor>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "benchview.h"
#include "chartstyle.h"
#include "modelsession.h"
#include "opendatadialog.h"
#include "predictionsview.h"
#include "qatview.h"
#include "quant/base/resources.h"
#include "requantview.h"
#include "sampleimage.h"
#include "sensitivityview.h"

namespace quantlab::ui {

ModelJobBar::ModelJobBar(ModelSession* ms, QWidget* parent)
    : QWidget(parent),
      ms_(ms),
      bar_(new QProgressBar),
      cancel_(new QPushButton(tr("Cancel"))),
      cancelled_(new QLabel),
      cancelledTimer_(new QTimer(this)) {
  setObjectName("ModelJobBar");
  auto* lay = new QHBoxLayout(this);
  lay->setContentsMargins(0, 0, 0, 0);
  bar_->setObjectName("jobProgress");
  bar_->setRange(0, 1000);
  bar_->setTextVisible(true);
  cancel_->setObjectName("jobCancel");
  cancel_->setToolTip(tr("Stop the running job. Its partial results are thrown away."));
  cancelled_->setObjectName("jobCancelledMessage");
  cancelled_->setWordWrap(true);
  lay->addWidget(bar_, 1);
  lay->addWidget(cancelled_, 1);
  lay->addWidget(cancel_);
  cancelledTimer_->setSingleShot(true);
  cancelledTimer_->setInterval(kCancelledMessageMs);
  connect(cancelledTimer_, &QTimer::timeout, this, &ModelJobBar::sync);
  connect(cancel_, &QPushButton::clicked, ms_, &ModelSession::cancel);
  connect(ms_, &ModelSession::busyChanged, this, [this](bool busy) {
    if (busy) {
      what_.clear();
      cancelledTimer_->stop();
    }
    sync();
  });
  connect(ms_, &ModelSession::progress, this, [this](double f, const QString& what) {
    what_ = what;
    bar_->setValue(static_cast<int>(f * 1000.0));
    bar_->setFormat(tr("%1 — %p%").arg(what));
  });
  connect(ms_, &ModelSession::jobCancelled, this, [this] {
    cancelled_->setText(
        what_.isEmpty() ? tr("Cancelled. The partial results were thrown away.")
                        : tr("Cancelled: %1. The partial results were thrown away.").arg(what_));
    cancelledTimer_->start();
    sync();
  });
  sync();
}

void ModelJobBar::sync() {
  const bool busy = ms_->busy();
  const bool cancelled = !busy && cancelledTimer_->isActive();
  bar_->setVisible(busy);
  cancel_->setVisible(busy);
  cancelled_->setVisible(cancelled);
  setVisible(busy || cancelled);
}

namespace {

enum Column {
  kName,
  kType,
  kShape,
  kParams,
  kMacs,
  kFp32Bytes,
  kInt8Bytes,
  kInt8Out,
  kPrecision,
  kColumns
};

QString bytesText(std::int64_t b) {
  return QLocale().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat);
}

}  // namespace

ModelView::ModelView(ModelSession* ms, QWidget* parent)
    : QWidget(parent),
      ms_(ms),
      modelCombo_(new QComboBox),
      source_(new QComboBox),
      summary_(new QLabel),
      dataNote_(new QLabel),
      data_(new QWidget),
      dataInfo_(new QLabel),
      table_(new QTableWidget) {
  setObjectName("ModelView");
  auto* lay = new QVBoxLayout(this);

  auto* top = new QHBoxLayout;
  auto* label = new QLabel(tr("Model:"));
  modelCombo_->setObjectName("modelCombo");
  for (const std::string& n : quant::builtinModelNames())
    modelCombo_->addItem(QString::fromStdString(n).toUpper(), QString::fromStdString(n));
  modelCombo_->setToolTip(
      tr("The built-in Fashion-MNIST classifiers: MLP (784-256-128-10, fully connected) and CNN "
         "(two 3×3 convolutions). Choosing one loads it, the data set, and builds its int8 "
         "version (activations calibrated on 256 training images with min-max, one weight "
         "scale per output channel)."));
  auto* openFile = new QPushButton(tr("Open ONNX…"));
  openFile->setObjectName("openOnnx");
  openFile->setToolTip(tr("Open your own ONNX classifier. Any image [C, H, W] or feature [F] "
                          "input: give it its data with Open data…"));
  auto* openData = new QPushButton(tr("Open data…"));
  openData->setObjectName("openData");
  openData->setToolTip(tr("Run the open model on your own data set (.npz, .npy, IDX, or a "
                          "folder of images per class), with its normalisation."));
  top->addWidget(label);
  top->addWidget(modelCombo_);
  top->addWidget(openFile);
  top->addWidget(openData);
  top->addSpacing(16);
  auto* sourceLabel = new QLabel(tr("Selecting a layer loads:"));
  source_->setObjectName("layerSource");
  source_->addItem(tr("its weights"));
  source_->addItem(tr("its outputs (activations)"));
  source_->setToolTip(
      tr("Weights: the fixed numbers of a Linear/Conv2d layer — centred on 0, so a symmetric "
         "grid fits them.\nActivations: what a layer outputs for the 256 calibration images "
         "(any layer). After a ReLU they are all ≥ 0 with a long tail: an asymmetric grid and a "
         "careful range (calibration) matter here, and the range can only be known from data."));
  sourceLabel->setToolTip(source_->toolTip());
  top->addWidget(sourceLabel);
  top->addWidget(source_);
  top->addStretch(1);
  lay->addLayout(top);

  summary_->setObjectName("modelSummary");
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  lay->addWidget(summary_);
  dataNote_->setObjectName("dataNote");
  dataNote_->setWordWrap(true);
  dataNote_->setStyleSheet(QStringLiteral("color: #a04000;"));
  dataNote_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  lay->addWidget(dataNote_);
  data_->setObjectName("dataPreview");
  auto* dataLay = new QHBoxLayout(data_);
  dataLay->setContentsMargins(0, 0, 0, 0);
  dataInfo_->setObjectName("dataInfo");
  dataInfo_->setWordWrap(true);
  dataInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  dataLay->addWidget(dataInfo_, 1);
  for (int i = 0; i < kPreviewSamples; ++i) {
    auto* l = new QLabel;
    l->setObjectName(QStringLiteral("dataSample%1").arg(i));
    l->setFixedSize(kPreviewSize, kPreviewSize);
    samples_.push_back(l);
    dataLay->addWidget(l);
  }
  data_->hide();
  lay->addWidget(data_);
  lay->addWidget(new ModelJobBar(ms_));

  table_->setObjectName("layerTable");
  table_->setColumnCount(kColumns);
  table_->setHorizontalHeaderLabels({tr("Layer"), tr("Type"), tr("Output"), tr("Parameters"),
                                     tr("MACs"), tr("fp32"), tr("int8"), tr("int8 out s / z"),
                                     tr("Precision plan")});
  const QStringList tips = {
      tr("The layer's name in the ONNX graph."),
      tr("What the layer computes. Linear and Conv2d hold the weights that get quantized; ReLU "
         "after them is fused into the int8 layer (it becomes a clamp at the zero point)."),
      tr("Shape of the layer's output for one image (the batch dimension left out)."),
      tr("Stored numbers: weights and biases."),
      tr("Multiply-accumulates per image: the work an int8 kernel does with integer "
         "instructions instead of float ones."),
      tr("Storage in float32: 4 bytes per parameter."),
      tr("Storage in int8: 1 byte per weight, a 4-byte int32 per bias, a 4-byte scale per "
         "output channel and 8 bytes (scale, zero point) for the layer's output."),
      tr("The int8 output tensor's scale s and zero point z: real ≈ s·(q − z). Each Linear/Conv2d "
         "output gets its own, calibrated on training images."),
      tr("The applied mixed-precision plan (Sensitivity view → Apply proposal): the width of "
         "each layer's weights (W) and output (A), or fp32 where the layer is kept in float. "
         "Simulated with fake quantization; empty when no plan is applied.")};
  for (int c = 0; c < kColumns; ++c) table_->horizontalHeaderItem(c)->setToolTip(tips[c]);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setAlternatingRowColors(true);
  table_->setToolTip(
      tr("Click a Linear or Conv2d layer to load its weights (or any layer's outputs, see "
         "above) into the quantization views."));
  lay->addWidget(table_, 1);

  connect(modelCombo_, &QComboBox::activated, this,
          [this](int i) { ms_->openModel(modelCombo_->itemData(i).toString()); });
  connect(openFile, &QPushButton::clicked, this, &ModelView::openFileDialog);
  connect(openData, &QPushButton::clicked, this, &ModelView::openDataDialog);
  connect(ms_, &ModelSession::dataFailed, this, [this](const QString& m) {
    dataNote_->setText(tr("Could not open the data: %1").arg(m));
    dataNote_->show();
  });
  connect(source_, &QComboBox::currentIndexChanged, this, [this](int i) {
    ms_->setLayerSource(i == 1 ? ModelSession::LayerSource::Activations
                               : ModelSession::LayerSource::Weights);
  });
  connect(ms_, &ModelSession::layerSourceChanged, this, [this] {
    const QSignalBlocker b(source_);
    source_->setCurrentIndex(ms_->layerSource() == ModelSession::LayerSource::Activations ? 1 : 0);
  });
  connect(ms_, &ModelSession::modelLoaded, this, &ModelView::rebuild);
  connect(ms_, &ModelSession::activePlanChanged, this, &ModelView::rebuild);
  connect(ms_, &ModelSession::loadFailed, this, [this](const QString& m) {
    dataNote_->setText(tr("Could not open the model: %1").arg(m));
    dataNote_->show();
  });
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    const auto rows = table_->selectionModel()->selectedRows();
    if (!rows.isEmpty()) ms_->selectLayer(rows.first().row());
  });
  connect(ms_, &ModelSession::selectedLayerChanged, this, [this](int index) {
    const QSignalBlocker block(table_);
    if (index < 0)
      table_->clearSelection();
    else
      table_->selectRow(index);
  });
  rebuild();
}

void ModelView::openFileDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open an ONNX model"), QString(),
                                                    tr("ONNX models (*.onnx)"));
  if (!path.isEmpty()) ms_->openModel(path);
}

void ModelView::openDataDialog() {
  if (!ms_->hasModel()) {
    dataNote_->setText(tr("Open a model first: the data is fitted to its input."));
    dataNote_->show();
    return;
  }
  OpenDataDialog dialog(ms_, this);
  if (dialog.exec() == QDialog::Accepted) ms_->openData(dialog.settings());
}

void ModelView::showData() {
  const auto snap = ms_->loaded();
  const bool user = snap && snap->test && !snap->dataSummary.isEmpty();
  data_->setVisible(user);
  if (!user) return;
  const quant::Dataset& test = *snap->test;
  QStringList classes;
  for (std::size_t k = 0; k < test.classNames.size() && k < 12; ++k)
    classes << QString::fromStdString(test.classNames[k]);
  if (test.classNames.size() > 12) classes << QStringLiteral("…");
  dataInfo_->setText(
      tr("<b>Data</b>: %1.<br>Calibration: %2 samples; test set: %3 samples. %4")
          .arg(snap->dataSummary.toHtmlEscaped())
          .arg(snap->calibration.labels.size())
          .arg(test.labels.size())
          .arg(snap->labelled
                   ? tr("Classes: %1.").arg(classes.join(QStringLiteral(", ")).toHtmlEscaped())
                   : tr("No labels: every accuracy is the top-1 agreement with fp32.")));
  for (int i = 0; i < kPreviewSamples; ++i) {
    QLabel* l = samples_[static_cast<std::size_t>(i)];
    const QImage im = i < static_cast<int>(test.labels.size()) ? sampleImage(test, i) : QImage();
    l->setVisible(!im.isNull());
    if (im.isNull()) continue;
    l->setPixmap(QPixmap::fromImage(
        im.scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio, Qt::FastTransformation)));
    const int y = test.labels[static_cast<std::size_t>(i)];
    l->setToolTip(tr("Test sample %1: %2")
                      .arg(i)
                      .arg(y < static_cast<int>(test.classNames.size())
                               ? QString::fromStdString(test.classNames[static_cast<std::size_t>(y)])
                               : QString::number(y)));
  }
}

void ModelView::rebuild() {
  showData();
  const auto snap = ms_->loaded();
  const QSignalBlocker block(table_);
  table_->setRowCount(0);
  if (!snap) {
    summary_->setText(tr("No model open yet: choose one above."));
    dataNote_->hide();
    return;
  }
  {
    const QSignalBlocker b2(modelCombo_);
    const int i = modelCombo_->findData(snap->name);
    if (i >= 0) modelCombo_->setCurrentIndex(i);
  }
  const quant::Model& m = snap->fp32;
  const QLocale loc;
  const quant::ModelBytes fpBytes = ms_->modelBytes(false), qBytes = ms_->modelBytes(true);
  summary_->setText(tr("<b>%1</b> — input %2, %3 parameters, %4 MACs per image; stored size %5 "
                       "in fp32, %6 in int8 (%7 bytes).")
                        .arg(snap->name.toHtmlEscaped(), ModelSession::shapeText(m.inputShape),
                             loc.toString(static_cast<qlonglong>(m.parameterCount())),
                             loc.toString(static_cast<qlonglong>(m.macsPerSample())),
                             bytesText(fpBytes.total()), bytesText(qBytes.total()),
                             loc.toString(static_cast<qlonglong>(qBytes.total()))));
  summary_->setToolTip(
      tr("Quantization recipe: %1.\nint8 bytes: %2 weights, %3 bias, %4 weight scales, %5 "
         "activation parameters, %6 other parameters (counted as quantlab-cli eval and bench "
         "count them).")
          .arg(QString::fromStdString(snap->recipe.describe()))
          .arg(qBytes.weights)
          .arg(qBytes.bias)
          .arg(qBytes.weightScales)
          .arg(qBytes.activationParams)
          .arg(qBytes.other));
  if (const auto& plan = ms_->activePlan()) {
    summary_->setText(
        summary_->text() + QStringLiteral("<br>") +
        (plan->evaluated
             ? tr("<b>Precision plan applied</b> (last column; simulated with fake quantization): "
                  "test accuracy %1 (fp32 %2), size %3.")
                   .arg(chartstyle::formatPercent(plan->result.accuracy),
                        chartstyle::formatPercent(plan->fp32Accuracy),
                        bytesText(plan->result.sizeBytes))
             : tr("<b>Precision plan applied</b> (last column): evaluating…")));
  }
  QStringList notes;
  if (!snap->dataError.isEmpty()) notes << snap->dataError;
  if (!snap->hasInt8) notes << tr("No int8 model: %1").arg(snap->int8Error);
  if (snap->int8FromFile)
    notes << tr(
        "A quantized ONNX model: int8 runs with the file's own scales and zero points "
        "(shown for every int8 layer), float32 with its dequantized weights.");
  dataNote_->setText(notes.join(QLatin1Char('\n')));
  dataNote_->setVisible(!notes.isEmpty());

  table_->setRowCount(static_cast<int>(m.layers.size()));
  for (int r = 0; r < static_cast<int>(m.layers.size()); ++r) {
    const quant::Layer& l = m.layers[static_cast<std::size_t>(r)];
    const bool quantizable =
        l.type == quant::LayerType::Linear || l.type == quant::LayerType::Conv2d;
    auto set = [&](int c, const QString& text, bool right = false) {
      auto* item = new QTableWidgetItem(text);
      if (right) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (quantizable) {
        QFont f = item->font();
        f.setBold(c == kName);
        item->setFont(f);
        item->setToolTip(tr("Click to load %1's weights into the quantization views.")
                             .arg(QString::fromStdString(l.name)));
      }
      table_->setItem(r, c, item);
    };
    set(kName, QString::fromStdString(l.name));
    set(kType, QString::fromLatin1(quant::layerTypeName(l.type)));
    set(kShape, ModelSession::shapeText(l.outShape));
    set(kParams, l.params ? loc.toString(static_cast<qlonglong>(l.params)) : QString(), true);
    set(kMacs, l.macs ? loc.toString(static_cast<qlonglong>(l.macs)) : QString(), true);
    set(kFp32Bytes, l.params ? bytesText(ms_->layerBytes(r, false).total()) : QString(), true);
    set(kInt8Bytes, l.params ? bytesText(ms_->layerBytes(r, true).total()) : QString(), true);
    QString out;
    const int qi = ms_->int8IndexOf(r);
    const quant::Int8Layer* L = qi >= 0 && (quantizable || snap->int8FromFile)
                                    ? &snap->int8.layers[static_cast<std::size_t>(qi)]
                                    : nullptr;
    if (qi >= 0 && !snap->int8.layers[static_cast<std::size_t>(qi)].floatReason.empty()) {
      // Core's reason stays in English, as the error texts do; the label around it translates.
      out = tr("float32: %1")
                .arg(QString::fromStdString(
                    snap->int8.layers[static_cast<std::size_t>(qi)].floatReason));
    } else if (L != nullptr) {
      out = QStringLiteral("%1 / %2").arg(QString::number(L->outScale, 'g', 4)).arg(L->outZero);
      if (!L->fusedActivation.empty())
        out += tr("  (+%1 fused)").arg(QString::fromStdString(L->fusedActivation));
    }
    set(kInt8Out, out);
    if (L != nullptr && snap->int8FromFile) {
      QString tip = tr("From the file: input scale %1, zero point %2; output scale %3, zero "
                       "point %4.")
                        .arg(QString::number(L->inScale, 'g', 9))
                        .arg(L->inZero)
                        .arg(QString::number(L->outScale, 'g', 9))
                        .arg(L->outZero);
      if (!L->weightScales.empty()) {
        const auto [lo, hi] = std::minmax_element(L->weightScales.begin(), L->weightScales.end());
        tip += QLatin1Char('\n') + tr("Weight scales: %1, from %2 to %3; zero point 0.")
                                       .arg(L->weightScales.size())
                                       .arg(QString::number(*lo, 'g', 4))
                                       .arg(QString::number(*hi, 'g', 4));
      }
      table_->item(r, kInt8Out)->setToolTip(tip);
    }
    const QString plan = ms_->planText(r);
    set(kPrecision, plan);
    if (!plan.isEmpty()) {
      QTableWidgetItem* item = table_->item(r, kPrecision);
      QFont f = item->font();
      f.setBold(true);
      item->setFont(f);
      if (plan == ms_->tr("fp32 (kept)")) item->setForeground(QColor(0, 114, 178));
    }
  }
  table_->resizeColumnsToContents();
}

QStringList modelViewNames() {
  return {QStringLiteral("model"),       QStringLiteral("bench"),   QStringLiteral("predictions"),
          QStringLiteral("sensitivity"), QStringLiteral("requant"), QStringLiteral("qat")};
}

QString modelViewTitle(const QString& name) {
  if (name == QLatin1String("model")) return QObject::tr("Model layers");
  if (name == QLatin1String("bench")) return QObject::tr("Benchmark");
  if (name == QLatin1String("predictions")) return QObject::tr("Predictions");
  if (name == QLatin1String("sensitivity")) return QObject::tr("Sensitivity");
  if (name == QLatin1String("requant")) return QObject::tr("Requantization");
  if (name == QLatin1String("qat")) return QObject::tr("QAT");
  return name;
}

QWidget* createModelView(const QString& name, ModelSession* ms, QWidget* parent) {
  if (name == QLatin1String("model")) return new ModelView(ms, parent);
  if (name == QLatin1String("bench")) return new BenchView(ms, parent);
  if (name == QLatin1String("predictions")) return new PredictionsView(ms, parent);
  if (name == QLatin1String("sensitivity")) return new SensitivityView(ms, parent);
  if (name == QLatin1String("requant")) return new RequantView(ms, parent);
  if (name == QLatin1String("qat")) return new QatView(ms, parent);
  return nullptr;
}

std::vector<std::pair<QString, QWidget*>> createModelViews(ModelSession* ms) {
  std::vector<std::pair<QString, QWidget*>> views;
  for (const QString& name : modelViewNames()) views.emplace_back(name, createModelView(name, ms));
  return views;
}

}  // namespace quantlab::ui
