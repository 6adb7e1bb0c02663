// SPDX-License-Identifier: GPL-3.0-or-later
#include "sensitivityview.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLegend>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "chartstyle.h"
#include "modelsession.h"
#include "modelview.h"

namespace quantlab::ui {

namespace cs = chartstyle;

SensitivityView::SensitivityView(ModelSession* ms, QWidget* parent)
    : QWidget(parent),
      ms_(ms),
      bits_(new QSpinBox),
      mode_(new QComboBox),
      images_(new QSpinBox),
      budget_(new QDoubleSpinBox),
      run_(new QPushButton(tr("Analyze"))),
      summary_(new QLabel),
      mixed_(new QLabel),
      apply_(new QPushButton(tr("Apply proposal"))),
      clearPlan_(new QPushButton(tr("Clear plan"))),
      plan_(new QLabel),
      chart_(new QChartView(new QChart)) {
  setObjectName("SensitivityView");
  auto* lay = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout;
  bits_->setObjectName("sensitivityBits");
  bits_->setRange(2, 8);
  bits_->setValue(4);
  bits_->setToolTip(
      tr("Width of the quantized layers (weights symmetric per channel, outputs asymmetric per "
         "tensor). At 8 bits the MLP hardly moves; 4 bits shows which layers are fragile."));
  mode_->setObjectName("sensitivityMode");
  mode_->addItem(tr("propagated"));
  mode_->addItem(tr("isolated"));
  mode_->setToolTip(
      tr("propagated: quantize only this layer and measure the SQNR of the model OUTPUT — its "
         "error carried through the rest of the network.\nisolated: feed the layer the exact "
         "fp32 input and measure the SQNR of its own output — the layer's error alone."));
  images_->setObjectName("sensitivityImages");
  images_->setRange(100, 10000);
  images_->setSingleStep(500);
  images_->setValue(2000);
  images_->setToolTip(tr("Test images used for the measurements (fewer = faster)."));
  budget_->setObjectName("sensitivityBudget");
  budget_->setRange(0.0, 20.0);
  budget_->setSingleStep(0.25);
  budget_->setValue(1.0);
  budget_->setSuffix(tr(" pts"));
  budget_->setToolTip(
      tr("Accuracy drop you accept, in percentage points. The mixed-precision search keeps "
         "layers in fp32, one at a time, until the drop fits. 0 = no proposal."));
  run_->setObjectName("sensitivityRun");
  run_->setToolTip(
      tr("Run the analysis in the background (the model is run 2 × layers + 1 "
         "times)."));
  // Two short rows rather than one long one, and the applied plan under its buttons: the view
  // lives in a dock about 430 px wide at 1280x720, where one long row pushed the summaries out
  // of sight to the right.
  controls->addWidget(new QLabel(tr("Bits")));
  controls->addWidget(bits_);
  controls->addWidget(mode_);
  controls->addWidget(new QLabel(tr("Images")));
  controls->addWidget(images_);
  controls->addStretch(1);
  auto* budgetRow = new QHBoxLayout;
  budgetRow->addWidget(new QLabel(tr("Budget")));
  budgetRow->addWidget(budget_);
  budgetRow->addWidget(run_);
  budgetRow->addStretch(1);
  lay->addLayout(controls);
  lay->addLayout(budgetRow);
  lay->addWidget(new ModelJobBar(ms_));
  summary_->setObjectName("sensitivitySummary");
  summary_->setWordWrap(true);
  lay->addWidget(summary_);
  chart_->setObjectName("sensitivityChart");
  chart_->setRenderHint(QPainter::Antialiasing);
  cs::applyChartStyle(chart_->chart());
  chart_->setToolTip(
      tr("One bar per Linear/Conv2d layer, most damaging at the top. SQNR (signal-to-quantization"
         "-noise ratio, dB): lower means more damage; each bit is worth about 6 dB.\n'alone': "
         "accuracy cost of quantizing only this layer. 'kept fp32': what leaving only this layer "
         "in fp32 gives back compared with quantizing all."));
  lay->addWidget(chart_, 1);
  mixed_->setObjectName("mixedProposal");
  mixed_->setWordWrap(true);
  mixed_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  mixed_->setToolTip(
      tr("Greedy mixed precision: start with every layer at the chosen width and keep the layer "
         "that buys back the most accuracy per byte in fp32 until the validation accuracy (1000 "
         "training images the model never calibrated on) is within the budget; then checked on "
         "the test images."));
  lay->addWidget(mixed_);
  auto* planRow = new QHBoxLayout;
  apply_->setObjectName("applyProposal");
  apply_->setToolTip(
      tr("Make this proposal the model's precision plan: the layer table shows each layer's "
         "width, and the plan is evaluated on all 10000 test images. Simulated with fake "
         "quantization (float math on rounded values): the int8 engine runs uniform int8 only."));
  clearPlan_->setObjectName("clearPlan");
  clearPlan_->setToolTip(tr("Forget the applied plan (back to the uniform int8 model)."));
  plan_->setObjectName("activePlan");
  plan_->setWordWrap(true);
  plan_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  plan_->setToolTip(
      tr("Accuracy of the applied plan on the whole test set, and its size: quantized weights "
         "take bits/8 bytes each plus one 4-byte scale per output channel; fp32 layers 4 bytes "
         "per parameter."));
  planRow->addWidget(apply_);
  planRow->addWidget(clearPlan_);
  planRow->addStretch(1);
  lay->addLayout(planRow);
  lay->addWidget(plan_);

  connect(run_, &QPushButton::clicked, this, &SensitivityView::run);
  connect(mode_, &QComboBox::currentIndexChanged, this, &SensitivityView::rebuild);
  connect(ms_, &ModelSession::sensitivityFinished, this, &SensitivityView::rebuild);
  connect(ms_, &ModelSession::modelLoaded, this, &SensitivityView::rebuild);
  connect(ms_, &ModelSession::busyChanged, this, &SensitivityView::syncEnabled);
  connect(apply_, &QPushButton::clicked, ms_, &ModelSession::applyProposal);
  connect(clearPlan_, &QPushButton::clicked, ms_, &ModelSession::clearPlan);
  connect(ms_, &ModelSession::activePlanChanged, this, &SensitivityView::rebuildPlan);
  rebuild();
  rebuildPlan();
}

void SensitivityView::setParameters(int bits, int images, double budgetPoints) {
  bits_->setValue(bits);
  images_->setValue(images);
  budget_->setValue(budgetPoints);
}

void SensitivityView::syncEnabled() {
  run_->setEnabled(ms_->hasModel() && !ms_->busy() && ms_->loaded()->test);
  const auto& s = ms_->sensitivity();
  apply_->setEnabled(s && s->mixed && !ms_->busy());
  clearPlan_->setEnabled(ms_->activePlan().has_value());
}

QString SensitivityView::planText() const { return plan_->text(); }

void SensitivityView::rebuildPlan() {
  syncEnabled();
  const auto& p = ms_->activePlan();
  if (!p) {
    plan_->setText(tr("No plan applied: the model runs as uniform int8."));
    return;
  }
  QStringList parts;
  for (int k = 0; k < p->layerNames.size() && k < static_cast<int>(p->plan.size()); ++k)
    parts << QStringLiteral("%1 %2").arg(p->layerNames[k],
                                         QString::fromStdString(quant::precisionName(
                                             p->plan[static_cast<std::size_t>(k)].weightBits)));
  if (!p->evaluated) {
    plan_->setText(tr("<b>Applied:</b> %1 — evaluating on the test set…")
                       .arg(parts.join(QStringLiteral(", "))));
    return;
  }
  const QLocale loc;
  const double ratio = p->result.sizeBytes > 0 ? static_cast<double>(p->fp32SizeBytes) /
                                                     static_cast<double>(p->result.sizeBytes)
                                               : 0.0;
  plan_->setText(
      tr("<b>Applied:</b> %1 — accuracy %2 on %3 test images (fp32 %4, %5 pts); size %6 vs %7 "
         "in fp32 (%8× smaller). <i>Simulated with fake quantization: the int8 engine runs "
         "uniform int8 only.</i>")
          .arg(parts.join(QStringLiteral(", ")), cs::formatPercent(p->result.accuracy))
          .arg(p->images)
          .arg(cs::formatPercent(p->fp32Accuracy),
               cs::formatPointsDelta(100.0 * (p->result.accuracy - p->fp32Accuracy)),
               loc.formattedDataSize(p->result.sizeBytes, 1, QLocale::DataSizeTraditionalFormat),
               loc.formattedDataSize(p->fp32SizeBytes, 1, QLocale::DataSizeTraditionalFormat),
               QString::number(ratio, 'f', 1)));
}

void SensitivityView::run() {
  ms_->runSensitivity(bits_->value(), images_->value(), budget_->value());
}

void SensitivityView::rebuild() {
  syncEnabled();
  QChart* chart = chart_->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* a : chart->axes()) {
    chart->removeAxis(a);
    delete a;
  }
  barRows_ = 0;
  const auto& s = ms_->sensitivity();
  if (!s) {
    summary_->setText(ms_->hasModel() ? tr("Press <b>Analyze</b> to rank the layers.")
                                      : tr("Open a model first (Model layers view)."));
    summary_->setToolTip(QString());
    mixed_->clear();
    chart->setTitle(QString());
    return;
  }
  const quant::SensitivityReport& rep = s->report;
  const bool isolated = mode_->currentIndex() == 1;
  summary_->setText(
      tr("int%1 on %2 test images: fp32 accuracy %3, all layers quantized %4 (%5 points).")
          .arg(rep.bits)
          .arg(s->images)
          .arg(cs::formatPercent(rep.fp32Accuracy), cs::formatPercent(rep.all.accuracy),
               cs::formatPointsDelta(100.0 * (rep.all.accuracy - rep.fp32Accuracy))));
  summary_->setToolTip(
      tr("Quantization recipe: %1").arg(QString::fromStdString(s->recipe.describe())));
  const std::vector<std::size_t> order = quant::rankByDamage(
      rep, isolated ? quant::SensitivityMode::Isolated : quant::SensitivityMode::Propagated);
  auto* set = new QBarSet(isolated ? tr("isolated SQNR") : tr("propagated SQNR"));
  set->setColor(isolated ? cs::kGreen : cs::kBlue);
  set->setLabelColor(Qt::white);
  QStringList cats;
  double maxDb = 1.0;
  // A horizontal bar chart draws category 0 at the bottom: the most damaging goes last.
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const quant::LayerSensitivity& l = rep.layers[*it];
    double db = isolated ? l.isolatedDamageSqnrDb : l.propagatedDamageSqnrDb;
    if (!std::isfinite(db)) db = 0.0;  // exact: nothing to draw
    maxDb = std::max(maxDb, db);
    set->append(db);
    cats << tr("%1  (alone %2 pts, kept fp32 %3 pts)")
                .arg(QString::fromStdString(l.layer.name))
                .arg(cs::formatPointsDelta(100.0 * (l.only.accuracy - rep.fp32Accuracy)))
                .arg(cs::formatPointsDelta(100.0 * (l.allBut.accuracy - rep.all.accuracy)));
  }
  barRows_ = static_cast<int>(order.size());
  auto* series = new QHorizontalBarSeries;
  series->append(set);
  series->setLabelsVisible(true);
  series->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
  series->setLabelsFormat(QStringLiteral("@value dB"));
  series->setLabelsPrecision(3);
  chart->addSeries(series);
  auto* ay = new QBarCategoryAxis;
  ay->append(cats);
  cs::styleAxis(ay, QString());
  auto* ax = new QValueAxis;
  cs::styleAxis(ax, tr("SQNR (dB) — shorter bar = more damage"));
  chart->addAxis(ay, Qt::AlignLeft);
  chart->addAxis(ax, Qt::AlignBottom);
  series->attachAxis(ay);
  series->attachAxis(ax);
  cs::setAxisRange(ax, 0.0, maxDb * 1.08);
  cs::setNiceTicks(ax, 0.0, maxDb * 1.08, 6);
  chart->legend()->hide();
  chart->setTitle(tr("Most damaging first (%1)").arg(isolated ? tr("isolated") : tr("propagated")));

  if (!s->mixed) {
    mixed_->setText(tr("No mixed-precision proposal (budget 0)."));
    return;
  }
  const quant::MixedResult& m = *s->mixed;
  QStringList parts;
  for (std::size_t k = 0; k < m.plan.size() && k < rep.layers.size(); ++k)
    parts << QStringLiteral("%1 %2").arg(
        QString::fromStdString(rep.layers[k].layer.name),
        QString::fromStdString(quant::precisionName(m.plan[k].weightBits)));
  const QLocale loc;
  mixed_->setText(
      tr("<b>Mixed precision within %1 points:</b> %2 — test accuracy %3 (all int%4: %5, fp32: "
         "%6), size %7 vs %8 in fp32%9")
          .arg(s->budgetPoints, 0, 'f', 2)
          .arg(parts.join(QStringLiteral(", ")), cs::formatPercent(m.proposalTest.accuracy))
          .arg(rep.bits)
          .arg(cs::formatPercent(m.allLowTest.accuracy), cs::formatPercent(m.fp32TestAccuracy),
               loc.formattedDataSize(m.proposalTest.sizeBytes, 1,
                                     QLocale::DataSizeTraditionalFormat),
               loc.formattedDataSize(m.fp32SizeBytes, 1, QLocale::DataSizeTraditionalFormat),
               m.budgetMetTest ? QString() : tr(" — the budget is NOT met on the test images")));
}

}  // namespace quantlab::ui
