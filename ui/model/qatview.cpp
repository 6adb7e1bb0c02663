// SPDX-License-Identifier: GPL-3.0-or-later
#include "qatview.h"

#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QMessageBox>
#include <QPen>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "chartstyle.h"
#include "modelview.h"

namespace quantlab::ui {

namespace cs = chartstyle;

namespace {

QChartView* makeChartView(const QString& name) {
  auto* v = new QChartView(new QChart);
  v->setObjectName(name);
  v->setRenderHint(QPainter::Antialiasing);
  v->setMinimumSize(320, 240);
  cs::applyChartStyle(v->chart());
  return v;
}

QLineSeries* makeSeries(QChart* chart, const QString& name, const QColor& color, bool dashed) {
  auto* s = new QLineSeries;
  s->setName(name);
  QPen pen(color);
  pen.setWidthF(dashed ? 1.5 : 2.5);
  if (dashed) pen.setStyle(Qt::DashLine);
  s->setPen(pen);
  chart->addSeries(s);
  return s;
}

}  // namespace

QatView::QatView(ModelSession* ms, QWidget* parent)
    : QWidget(parent),
      ms_(ms),
      wBits_(new QSpinBox),
      aBits_(new QSpinBox),
      epochs_(new QSpinBox),
      lr_(new QComboBox),
      trainImages_(new QSpinBox),
      lsq_(new QCheckBox(tr("LSQ"))),
      start_(new QPushButton(tr("Train"))),
      save_(new QPushButton(tr("Save as ONNX…"))),
      status_(new QLabel),
      lossView_(makeChartView(QStringLiteral("qatLossChart"))),
      accView_(makeChartView(QStringLiteral("qatAccuracyChart"))),
      result_(new QLabel),
      explain_(new QLabel),
      redrawTimer_(new QTimer(this)) {
  setObjectName("QatView");
  auto* lay = new QVBoxLayout(this);

  auto* controls = new QHBoxLayout;
  wBits_->setObjectName("qatWeightBits");
  wBits_->setRange(2, 8);
  wBits_->setValue(4);
  wBits_->setToolTip(
      tr("Weight width. Weights are rounded symmetrically, one scale per output channel "
         "(scale = max|w| / (2^(b−1) − 1)). At 4 bits each weight has only 15 possible values."));
  aBits_->setObjectName("qatActBits");
  aBits_->setRange(2, 8);
  aBits_->setValue(4);
  aBits_->setToolTip(
      tr("Activation width: the input and every layer output (after its ReLU) are rounded to "
         "2^b levels between a calibrated minimum and maximum. The logits stay in float."));
  epochs_->setObjectName("qatEpochs");
  epochs_->setRange(1, 10);
  epochs_->setValue(2);
  epochs_->setToolTip(
      tr("Passes over the training images. One pass on the MLP already recovers most of what "
         "PTQ lost; the test accuracy is measured after each pass."));
  lr_->setObjectName("qatLearningRate");
  for (double v : {1e-5, 3e-5, 1e-4, 3e-4, 1e-3}) lr_->addItem(QString::number(v, 'g', 2), v);
  lr_->setCurrentIndex(2);
  lr_->setToolTip(
      tr("Adam's learning rate. Fine-tuning starts from a trained model, so it is small (1e-4): "
         "large steps would undo the fp32 training instead of adjusting it to the grid."));
  trainImages_->setObjectName("qatTrainImages");
  trainImages_->setRange(500, 60000);
  trainImages_->setSingleStep(5000);
  trainImages_->setValue(60000);
  trainImages_->setToolTip(
      tr("How many Fashion-MNIST training images one pass uses (the first N). Fewer = faster, "
         "less recovered. The CNN needs ~20× more time per image than the MLP, so it starts "
         "with 5000."));
  lsq_->setObjectName("qatLsq");
  lsq_->setToolTip(
      tr("Learned Step Size Quantization (Esser et al. 2020): the scales themselves become "
         "trainable, so training also chooses how wide each grid is. Off: weight scales follow "
         "max|w| and activation ranges follow a running min/max (EMA)."));
  start_->setObjectName("qatStart");
  start_->setToolTip(
      tr("Fine-tune the model with fake quantization in every forward pass (in the background)."));
  save_->setObjectName("qatSave");
  save_->setToolTip(tr(
      "Write the trained model as ONNX. Its weights are already on the trained grid (every "
      "weight = scale × integer), stored as float32, so any ONNX runtime can check the result."));
  // Three short rows rather than one long one: the view lives in a dock that is ~450 px wide
  // on a 1280x720 projector.
  auto* grid = new QGridLayout;
  auto addLabeled = [&](int row, int col, const QString& text, QWidget* w) {
    auto* l = new QLabel(text);
    l->setBuddy(w);
    l->setToolTip(w->toolTip());
    grid->addWidget(l, row, 2 * col);
    grid->addWidget(w, row, 2 * col + 1);
  };
  addLabeled(0, 0, tr("W bits"), wBits_);
  addLabeled(0, 1, tr("A bits"), aBits_);
  addLabeled(0, 2, tr("Epochs"), epochs_);
  addLabeled(1, 0, tr("LR"), lr_);
  addLabeled(1, 1, tr("Images"), trainImages_);
  grid->addWidget(lsq_, 1, 4, 1, 2);
  grid->setColumnStretch(6, 1);
  controls->addWidget(start_);
  controls->addWidget(save_);
  controls->addStretch(1);
  lay->addLayout(grid);
  lay->addLayout(controls);
  lay->addWidget(new ModelJobBar(ms_));
  status_->setObjectName("qatStatus");
  status_->setWordWrap(true);
  lay->addWidget(status_);

  // Loss chart.
  QChart* lc = lossView_->chart();
  loss_ = makeSeries(lc, tr("training loss"), cs::kBlue, false);
  lossX_ = new QValueAxis;
  lossY_ = new QValueAxis;
  cs::styleAxis(lossX_, tr("minibatch"));
  cs::styleAxis(lossY_, tr("cross-entropy"));
  lc->addAxis(lossX_, Qt::AlignBottom);
  lc->addAxis(lossY_, Qt::AlignLeft);
  loss_->attachAxis(lossX_);
  loss_->attachAxis(lossY_);
  lc->legend()->hide();
  lc->setTitle(tr("Training loss (with fake quantization)"));
  lossView_->setToolTip(
      tr("Cross-entropy of the training minibatches, computed with the weights and activations "
         "rounded to the grid. It falls as the float weights learn to sit where rounding hurts "
         "least."));

  // Accuracy chart with the fp32 and PTQ references.
  QChart* ac = accView_->chart();
  fp32Line_ = makeSeries(ac, tr("fp32"), cs::kBlack, true);
  ptqLine_ = makeSeries(ac, tr("PTQ"), cs::kVermillion, true);
  acc_ = makeSeries(ac, tr("QAT"), cs::kGreen, false);
  acc_->setPointsVisible(true);
  accX_ = new QValueAxis;
  accY_ = new QValueAxis;
  cs::styleAxis(accX_, tr("minibatch"));
  cs::styleAxis(accY_, tr("test accuracy (%)"));
  ac->addAxis(accX_, Qt::AlignBottom);
  ac->addAxis(accY_, Qt::AlignLeft);
  for (QLineSeries* s : {fp32Line_, ptqLine_, acc_}) {
    s->attachAxis(accX_);
    s->attachAxis(accY_);
  }
  ac->legend()->setAlignment(Qt::AlignBottom);
  ac->setTitle(tr("Quantized test accuracy"));
  accView_->setToolTip(
      tr("Accuracy on the first 2000 test images with the model rounded to the grid: at "
         "minibatch 0 it is the PTQ model (rounded without training), then after each epoch, "
         "as soon as the epoch ends. Dashed: fp32 (the goal) "
         "and PTQ (the starting point)."));

  charts_ = new QBoxLayout(QBoxLayout::LeftToRight);
  charts_->addWidget(lossView_, 1);
  charts_->addWidget(accView_, 1);
  lay->addLayout(charts_, 1);

  result_->setObjectName("qatResult");
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  result_->setToolTip(
      tr("fp32: the original model. PTQ (post-training quantization): the same model rounded to "
         "the grid, ranges calibrated on 2048 training images, no training. QAT: fine-tuned with "
         "the rounding in the loop, then rounded the same way."));
  lay->addWidget(result_);
  explain_->setObjectName("qatExplain");
  explain_->setWordWrap(true);
  explain_->setText(
      tr("<b>How QAT works.</b> Every forward pass rounds the weights and activations to the "
         "low-bit grid (fake quantization), so the loss feels the rounding error. Rounding has no "
         "useful gradient (it is flat almost everywhere), so the backward pass uses the "
         "<i>straight-through estimator</i>: it pretends rounding is the identity (and passes "
         "nothing where a value was clipped). The float weights behind the grid keep learning and "
         "move to where their rounded values work well — QAT recovers much of the accuracy PTQ "
         "loses, at the cost of a training run."));
  lay->addWidget(explain_);

  redrawTimer_->setSingleShot(true);
  redrawTimer_->setInterval(200);
  connect(redrawTimer_, &QTimer::timeout, this, &QatView::redraw);
  connect(start_, &QPushButton::clicked, this, &QatView::start);
  connect(save_, &QPushButton::clicked, this, &QatView::saveModel);
  connect(ms_, &ModelSession::qatPoint, this, &QatView::scheduleRedraw);
  connect(ms_, &ModelSession::qatStarted, this, [this] {
    redraw();
    rebuildResult();
  });
  connect(ms_, &ModelSession::qatFinished, this, [this] {
    redraw();
    rebuildResult();
  });
  connect(ms_, &ModelSession::jobCancelled, this, [this] {
    redraw();
    rebuildResult();
  });
  connect(ms_, &ModelSession::modelLoaded, this, [this] {
    // Defaults that finish in seconds: the MLP does 2 epochs over all 60000 images in about
    // 10 s on one core; a convolutional model costs ~20x more per image.
    const bool heavy = ms_->loaded()->fp32.macsPerSample() > 1000000;
    trainImages_->setValue(heavy ? 5000 : 60000);
    epochs_->setValue(heavy ? 1 : 2);
    redraw();
    rebuildResult();
  });
  connect(ms_, &ModelSession::busyChanged, this, &QatView::syncEnabled);
  redraw();
  rebuildResult();
}

void QatView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // Side by side when there is room for two readable charts, else one above the other.
  const auto dir = width() >= 760 ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
  if (charts_ && charts_->direction() != dir) charts_->setDirection(dir);
}

void QatView::setSettings(const ModelSession::QatSettings& s) {
  wBits_->setValue(s.weightBits);
  aBits_->setValue(s.actBits);
  epochs_->setValue(s.epochs);
  int best = 0;
  for (int i = 1; i < lr_->count(); ++i)
    if (std::abs(std::log(lr_->itemData(i).toDouble() / s.lr)) <
        std::abs(std::log(lr_->itemData(best).toDouble() / s.lr)))
      best = i;
  lr_->setCurrentIndex(best);
  trainImages_->setValue(static_cast<int>(s.trainImages));
  lsq_->setChecked(s.lsq);
}

ModelSession::QatSettings QatView::settings() const {
  ModelSession::QatSettings s;
  s.weightBits = wBits_->value();
  s.actBits = aBits_->value();
  s.epochs = epochs_->value();
  s.lr = lr_->currentData().toDouble();
  s.lsq = lsq_->isChecked();
  s.trainImages = trainImages_->value();
  return s;
}

int QatView::lossPointsDrawn() const { return loss_->count(); }
int QatView::accuracyPointsDrawn() const { return acc_->count(); }
QString QatView::resultText() const { return result_->text(); }

void QatView::start() { ms_->runQat(settings()); }

void QatView::saveModel() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Save the QAT model"), QStringLiteral("qat.onnx"), tr("ONNX models (*.onnx)"));
  if (path.isEmpty()) return;
  const QString err = ms_->saveQatModel(path);
  if (!err.isEmpty()) QMessageBox::warning(this, tr("Could not save"), err);
}

void QatView::syncEnabled() {
  const bool ready = ms_->hasModel() && ms_->loaded()->test;
  start_->setEnabled(ready && !ms_->busy());
  save_->setEnabled(ms_->qatOutcome().has_value() && !ms_->busy());
}

void QatView::scheduleRedraw() {
  if (!redrawTimer_->isActive()) redrawTimer_->start();
}

void QatView::redraw() {
  redrawTimer_->stop();
  syncEnabled();
  const auto& curve = ms_->qatCurve();
  QList<QPointF> lossPts, accPts;
  double lossMax = 0.1, accLo = 1.0, accHi = 0.0;
  for (const ModelSession::QatPoint& p : curve) {
    if (!std::isnan(p.loss) && std::isfinite(p.loss)) {
      lossPts << QPointF(p.step, p.loss);
      lossMax = std::max(lossMax, p.loss);
    }
    if (!std::isnan(p.accuracy)) {
      accPts << QPointF(p.step, 100.0 * p.accuracy);
      accLo = std::min(accLo, p.accuracy);
      accHi = std::max(accHi, p.accuracy);
    }
  }
  loss_->replace(lossPts);
  acc_->replace(accPts);
  const double steps = std::max(1, ms_->qatTotalSteps());
  const auto& out = ms_->qatOutcome();
  // The references: fp32 from the finished run; PTQ is the curve's first accuracy point.
  QList<QPointF> fp32Pts, ptqPts;
  if (!accPts.isEmpty()) {
    ptqPts << QPointF(0, accPts.first().y()) << QPointF(steps, accPts.first().y());
  }
  if (out && !curve.empty() && out->curve.size() == curve.size()) {
    fp32Pts << QPointF(0, 100.0 * out->fp32Accuracy) << QPointF(steps, 100.0 * out->fp32Accuracy);
    accLo = std::min(accLo, out->fp32Accuracy);
    accHi = std::max(accHi, out->fp32Accuracy);
  }
  fp32Line_->replace(fp32Pts);
  ptqLine_->replace(ptqPts);
  cs::setAxisRange(lossX_, 0, steps);
  cs::setNiceTicks(lossX_, 0, steps, 5, 1);
  cs::setAxisRange(accX_, 0, steps);
  cs::setNiceTicks(accX_, 0, steps, 5, 1);
  cs::setAxisRange(lossY_, 0, lossMax * 1.1);
  cs::setNiceTicks(lossY_, 0, lossMax * 1.1, 5);
  if (accLo > accHi) {
    accLo = 0.0;
    accHi = 1.0;
  }
  // Padding around the values, so the PTQ-to-fp32 gap fills the chart instead of 0-100 %.
  const double pad = std::max(0.5, 100.0 * (accHi - accLo) * 0.25);
  const double lo = std::max(0.0, 100.0 * accLo - pad), hi = std::min(100.0, 100.0 * accHi + pad);
  cs::setAxisRange(accY_, lo, hi);
  cs::setNiceTicks(accY_, lo, hi, 5);
}

void QatView::rebuildResult() {
  syncEnabled();
  if (!ms_->hasModel()) {
    status_->setText(tr("Open a model first (Model layers view)."));
    result_->clear();
    return;
  }
  if (!ms_->loaded()->test) {
    status_->setText(ms_->loaded()->dataError);
    result_->clear();
    return;
  }
  const auto& out = ms_->qatOutcome();
  if (ms_->qatRunning()) {
    const ModelSession::QatSettings s = settings();
    status_->setText(tr("Training %1 with W%2/A%3 fake quantization, %4 minibatches… (the "
                        "test accuracy is added after each epoch)")
                         .arg(ms_->loaded()->name)
                         .arg(s.weightBits)
                         .arg(s.actBits)
                         .arg(ms_->qatTotalSteps()));
  } else if (!out) {
    status_->setText(
        tr("Press <b>Train</b> to fine-tune %1 with quantization in the loop. Every accuracy is "
           "measured on the first 2000 test images.")
            .arg(ms_->loaded()->name));
  }
  if (!out) {
    result_->clear();
    return;
  }
  const ModelSession::QatSettings& s = out->settings;
  if (!ms_->qatRunning())
    status_->setText(tr("Last run: %n epoch(s) on %2 training images (%3 minibatches) in %4 s; "
                        "accuracies on the first %5 test images.",
                        nullptr, s.epochs)
                         .arg(out->trainImages)
                         .arg(out->steps)
                         .arg(out->seconds, 0, 'f', 1)
                         .arg(out->testImages));
  const double lost = out->fp32Accuracy - out->ptqAccuracy;
  const double back = out->qatAccuracy - out->ptqAccuracy;
  QString verdict;
  if (lost > 0.0005 && back > 0)
    verdict = tr("QAT won back %1 of the %2 points PTQ lost (%3%).")
                  .arg(100.0 * back, 0, 'f', 2)
                  .arg(100.0 * lost, 0, 'f', 2)
                  .arg(std::min(100.0, 100.0 * back / lost), 0, 'f', 0);
  else if (back <= 0)
    verdict = tr("This run did not beat PTQ: try more images or another epoch.");
  else
    verdict = tr("PTQ lost almost nothing here, so there was little to win back.");
  // The same recipe as the int8 model and the sensitivity analysis, at the QAT widths.
  result_->setToolTip(tr("Quantization recipe (PTQ and QAT): %1")
                          .arg(QString::fromStdString(out->result.params.recipe.describe())));
  const QString row = QStringLiteral(
      "<tr><td>%1&nbsp;&nbsp;</td><td align=right><b>%2</b></td>"
      "<td align=right>&nbsp;&nbsp;%3</td></tr>");
  auto delta = [&](double a) {
    return tr("%1 pts vs fp32").arg(cs::formatPointsDelta(100.0 * (a - out->fp32Accuracy)));
  };
  result_->setText(
      QStringLiteral("<table>") +
      row.arg(tr("%1 fp32").arg(cs::swatch(cs::kBlack, true)), cs::formatPercent(out->fp32Accuracy),
              QString()) +
      row.arg(tr("%1 PTQ W%2/A%3")
                  .arg(cs::swatch(cs::kVermillion, true))
                  .arg(s.weightBits)
                  .arg(s.actBits),
              cs::formatPercent(out->ptqAccuracy), delta(out->ptqAccuracy)) +
      row.arg(
          tr("%1 QAT W%2/A%3").arg(cs::swatch(cs::kGreen, true)).arg(s.weightBits).arg(s.actBits),
          cs::formatPercent(out->qatAccuracy), delta(out->qatAccuracy)) +
      QStringLiteral("</table>") + verdict);
}

}  // namespace quantlab::ui
