// SPDX-License-Identifier: GPL-3.0-or-later
#include "benchview.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLegend>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

#include "chartstyle.h"
#include "modelsession.h"
#include "modelview.h"

namespace quantlab::ui {

namespace {

namespace cs = chartstyle;

QChartView* makeChartView(const char* name, const QString& title) {
  auto* chart = new QChart;
  cs::applyChartStyle(chart);
  chart->setTitle(title);
  auto* view = new QChartView(chart);
  view->setObjectName(QLatin1String(name));
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(130);
  return view;
}

// Removes every series and axis of a chart.
void clearChart(QChart* chart) {
  chart->removeAllSeries();
  for (QAbstractAxis* a : chart->axes()) {
    chart->removeAxis(a);
    delete a;
  }
}

// Seconds in the unit that suits the largest value: {factor, "ms"} or {factor, "µs"}.
std::pair<double, QString> timeUnit(double maxSeconds) {
  if (maxSeconds >= 1.0) return {1.0, QStringLiteral("s")};
  if (maxSeconds >= 1e-3) return {1e3, QStringLiteral("ms")};
  return {1e6, QStringLiteral("µs")};
}

}  // namespace

BenchView::BenchView(ModelSession* ms, QWidget* parent)
    : QWidget(parent),
      ms_(ms),
      batch_(new QSpinBox),
      threads_(new QSpinBox),
      repeats_(new QSpinBox),
      run_(new QPushButton(tr("Run benchmark"))),
      summary_(new QLabel),
      layerView_(makeChartView("benchLayerChart", tr("Latency per layer and end to end"))),
      roofView_(makeChartView("benchRooflineChart", tr("Share of the attainable peak (roofline)"))),
      sizeView_(makeChartView("benchSizeChart", tr("Model size"))) {
  setObjectName("BenchView");
  auto* lay = new QVBoxLayout(this);

  auto* controls = new QHBoxLayout;
  batch_->setObjectName("benchBatch");
  batch_->setRange(1, 10000);
  batch_->setValue(256);
  batch_->setToolTip(
      tr("Images per forward pass. Small batches are dominated by per-call overhead; large "
         "batches show the kernels' real throughput."));
  threads_->setObjectName("benchThreads");
  threads_->setRange(1, std::max(1, QThread::idealThreadCount()));
  threads_->setValue(1);
  threads_->setToolTip(
      tr("Threads the batch is split over (same for fp32 and int8). More threads than images "
         "leaves threads idle."));
  repeats_->setObjectName("benchRepeats");
  repeats_->setRange(1, 200);
  repeats_->setValue(5);
  repeats_->setToolTip(
      tr("Timed runs after one warm-up run. The view shows the median, which ignores the odd "
         "run slowed down by something else on the machine."));
  run_->setObjectName("benchRun");
  run_->setToolTip(tr("Time fp32 and int8 on the same test images, in the background."));
  controls->addWidget(new QLabel(tr("Batch")));
  controls->addWidget(batch_);
  controls->addWidget(new QLabel(tr("Threads")));
  controls->addWidget(threads_);
  controls->addWidget(new QLabel(tr("Repeats")));
  controls->addWidget(repeats_);
  controls->addWidget(run_);
  controls->addStretch(1);
  lay->addLayout(controls);
  lay->addWidget(new ModelJobBar(ms_));

  summary_->setObjectName("benchSummary");
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_->setToolTip(
      tr("ISA: the instruction set of the int8 matrix kernel picked at run time for this CPU "
         "(reference = portable C++, avx2, avx512vnni). Speed-up = fp32 time / int8 time, end to "
         "end."));
  lay->addWidget(summary_);

  layerView_->setToolTip(
      tr("Wall-clock time of each layer for the whole batch, from the timed run whose total is "
         "the median, so the bars are parts of one real run. An int8 Linear/Conv2d row includes "
         "its fused ReLU; the fp32 row adds the separate ReLU layer's time."));
  roofView_->setToolTip(
      tr("How close each Linear/Conv2d layer came to what this core could do for it. The peaks "
         "are measured in the same run by tiny loops of one instruction: the fp32 fused "
         "multiply-add and the int8 kernel's multiply-add, plus the read bandwidth of the L2 and "
         "L3 caches and main memory. A layer's roof is the lower of its peak and its arithmetic "
         "intensity (operations per byte it must move) times the bandwidth of the memory that "
         "holds it. A low share of a compute roof means the kernel is the limit: a short dot "
         "product K, a small matrix, im2col."));
  sizeView_->setToolTip(
      tr("Stored parameters: 4 bytes each in fp32; in int8 1 byte per weight plus int32 biases "
         "and the scales / zero points (counted as quantlab-cli eval and bench count them)."));
  lay->addWidget(layerView_, 3);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(roofView_, 3);
  bottom->addWidget(sizeView_, 2);
  lay->addLayout(bottom, 2);

  connect(run_, &QPushButton::clicked, this, &BenchView::run);
  connect(ms_, &ModelSession::benchmarkFinished, this, &BenchView::rebuild);
  connect(ms_, &ModelSession::modelLoaded, this, &BenchView::rebuild);
  connect(ms_, &ModelSession::busyChanged, this, &BenchView::syncEnabled);
  rebuild();
  syncEnabled();
}

void BenchView::setParameters(int batch, int threads, int repeats) {
  batch_->setValue(batch);
  threads_->setValue(threads);
  repeats_->setValue(repeats);
}

void BenchView::syncEnabled() { run_->setEnabled(ms_->hasModel() && !ms_->busy()); }

void BenchView::run() { ms_->runBenchmark(batch_->value(), threads_->value(), repeats_->value()); }

void BenchView::rebuild() {
  syncEnabled();
  QChart* lc = layerView_->chart();
  QChart* sc = roofView_->chart();
  QChart* zc = sizeView_->chart();
  clearChart(lc);
  clearChart(sc);
  clearChart(zc);
  barRows_ = 0;
  roofRows_ = 0;
  const auto& r = ms_->bench();
  if (!r) {
    summary_->setText(ms_->hasModel()
                          ? tr("Press <b>Run benchmark</b> to time fp32 and int8 on this CPU.")
                          : tr("Open a model first (Model layers view)."));
    return;
  }
  const quant::BenchReport& b = r->report;
  const double speedup = b.int8 > 0 ? b.fp32 / b.int8 : 0.0;
  const auto [f, unit] = timeUnit(std::max(b.fp32, b.int8));
  QString text =
      tr("Kernels fp32 <b>%3</b>, int8 <b>%1</b> · batch %2 · %n thread(s) · median of %4 · "
         "fp32 %5 %6, int8 %7 %6 · speed-up <b>×%8</b>",
         nullptr, r->threads)
          .arg(r->isa)
          .arg(r->batch)
          .arg(r->fp32Kernel)
          .arg(r->repeats)
          .arg(QString::number(b.fp32 * f, 'f', 2), unit, QString::number(b.int8 * f, 'f', 2),
               QString::number(speedup, 'f', 2));
  if (!r->isaNote.isEmpty()) text += QStringLiteral("<br>") + r->isaNote.toHtmlEscaped();
  if (r->randomInput) text += tr("<br>Random input images (Fashion-MNIST is not installed).");
  const quant::roofline::Peaks& pk = b.peaks;
  QStringList memory;
  for (const quant::roofline::MemoryLevel& m : pk.memory)
    memory << tr("%1 %2 GB/s").arg(QString::fromStdString(m.name)).arg(m.gbPerSecond, 0, 'f', 0);
  text += tr("<br>This core's peaks (measured now): fp32 %1 GFLOPS (%2), int8 %3 GOPS (%4); "
             "read bandwidth %5")
              .arg(pk.fp32Gops, 0, 'f', 0)
              .arg(QString::fromStdString(pk.fp32Instruction))
              .arg(pk.int8Gops, 0, 'f', 0)
              .arg(QString::fromStdString(pk.int8Instruction), memory.join(QStringLiteral(", ")));
  text += tr("<br>The layer bars add up to %1% (fp32) and %2% (int8) of the end-to-end time.")
              .arg(b.fp32 > 0 ? 100.0 * b.fp32LayerSum / b.fp32 : 0.0, 0, 'f', 0)
              .arg(b.int8 > 0 ? 100.0 * b.int8StageSum / b.int8 : 0.0, 0, 'f', 0);
  summary_->setText(text);

  // Per layer (model order top to bottom: a horizontal bar chart draws category 0 at the
  // bottom, so the categories go in reverse) plus the end-to-end total.
  auto* fpSet = new QBarSet(tr("fp32"));
  auto* qSet = new QBarSet(tr("int8"));
  fpSet->setColor(cs::kSkyBlue);
  qSet->setColor(cs::kVermillion);
  QStringList cats;
  double maxT = std::max(b.fp32, b.int8);
  fpSet->append(b.fp32 * f);
  qSet->append(b.int8 * f);
  cats << tr("end to end");
  for (auto it = b.layers.rbegin(); it != b.layers.rend(); ++it) {
    fpSet->append(it->fp32 * f);
    qSet->append(it->int8 * f);
    // A stalled profiled run can make one layer outlast the end-to-end median: keep it on screen.
    maxT = std::max({maxT, it->fp32, it->int8});
    QString label = QString::fromStdString(it->name);
    if (!it->fusedActivation.empty())
      label += QStringLiteral("+") + QString::fromStdString(it->fusedActivation);
    cats << label;
  }
  // The int8 input quantization has no fp32 counterpart; it runs before the first layer.
  fpSet->append(0.0);
  qSet->append(b.quantizeInput * f);
  maxT = std::max(maxT, b.quantizeInput);
  cats << tr("quantize input");
  barRows_ = static_cast<int>(b.layers.size()) + 2;
  // Room for every layer's label (a CNN has twice the MLP's rows); the dock scrolls.
  layerView_->setMinimumHeight(std::max(130, 110 + 26 * barRows_));
  auto* series = new QHorizontalBarSeries;
  series->append(fpSet);
  series->append(qSet);
  lc->addSeries(series);
  auto* ay = new QBarCategoryAxis;
  ay->append(cats);
  cs::styleAxis(ay, QString());
  auto* ax = new QValueAxis;
  cs::styleAxis(ax, tr("time per batch (%1)").arg(unit));
  lc->addAxis(ay, Qt::AlignLeft);
  lc->addAxis(ax, Qt::AlignBottom);
  series->attachAxis(ay);
  series->attachAxis(ax);
  cs::setAxisRange(ax, 0.0, maxT * f * 1.05);
  cs::setNiceTicks(ax, 0.0, maxT * f * 1.05, 6);
  lc->legend()->setAlignment(Qt::AlignTop);

  // Each Linear/Conv2d layer's share of its roof, model order top to bottom.
  auto* fpRoof = new QBarSet(tr("fp32"));
  auto* qRoof = new QBarSet(tr("int8"));
  fpRoof->setColor(cs::kSkyBlue);
  qRoof->setColor(cs::kVermillion);
  fpRoof->setLabelColor(palette().color(QPalette::WindowText));
  qRoof->setLabelColor(palette().color(QPalette::WindowText));
  QStringList roofCats;
  double maxPct = 100.0;
  for (auto it = b.layers.rbegin(); it != b.layers.rend(); ++it) {
    if (it->macs == 0) continue;
    fpRoof->append(it->fp32Roof.percent);
    qRoof->append(it->int8Roof.percent);
    maxPct = std::max({maxPct, it->fp32Roof.percent, it->int8Roof.percent});
    roofCats << tr("%1 (K %2)").arg(QString::fromStdString(it->name)).arg(it->k);
    ++roofRows_;
  }
  auto* roofSeries = new QHorizontalBarSeries;
  roofSeries->append(fpRoof);
  roofSeries->append(qRoof);
  roofSeries->setLabelsVisible(true);
  // Outside the bar end and to two digits: inside, the two thin bars of a row drew their labels
  // over each other.
  roofSeries->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
  roofSeries->setLabelsFormat(QStringLiteral("@value %"));
  roofSeries->setLabelsPrecision(2);
  roofSeries->setBarWidth(0.9);
  sc->addSeries(roofSeries);
  auto* sy = new QBarCategoryAxis;
  sy->append(roofCats);
  cs::styleAxis(sy, QString());
  auto* sx = new QValueAxis;
  cs::styleAxis(sx, tr("% of the attainable peak"));
  sc->addAxis(sy, Qt::AlignLeft);
  sc->addAxis(sx, Qt::AlignBottom);
  roofSeries->attachAxis(sy);
  roofSeries->attachAxis(sx);
  sx->setLabelFormat(QStringLiteral("%.0f"));
  // Room right of the longest bar for its label.
  cs::setAxisRange(sx, 0.0, maxPct * 1.2);
  cs::setNiceTicks(sx, 0.0, maxPct * 1.2, 5);
  sc->legend()->setAlignment(Qt::AlignTop);
  roofView_->setMinimumHeight(std::max(130, 110 + 34 * roofRows_));

  // Model size.
  auto* sizeSet = new QBarSet(tr("size"));
  sizeSet->setColor(cs::kBlue);
  const double kib = 1024.0;
  const auto fpBytes = static_cast<double>(b.fp32Bytes.total());
  const auto qBytes = static_cast<double>(b.int8Bytes.total());
  sizeSet->append(qBytes / kib);
  sizeSet->append(fpBytes / kib);
  sizeSet->setLabelColor(Qt::white);
  auto* sizeSeries = new QHorizontalBarSeries;
  sizeSeries->append(sizeSet);
  sizeSeries->setLabelsVisible(true);
  sizeSeries->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
  sizeSeries->setLabelsFormat(QStringLiteral("@value"));
  sizeSeries->setLabelsPrecision(4);
  zc->addSeries(sizeSeries);
  auto* zy = new QBarCategoryAxis;
  zy->append({tr("int8"), tr("fp32")});
  cs::styleAxis(zy, QString());
  auto* zx = new QValueAxis;
  cs::styleAxis(zx, tr("stored bytes (KiB)"));
  zc->addAxis(zy, Qt::AlignLeft);
  zc->addAxis(zx, Qt::AlignBottom);
  sizeSeries->attachAxis(zy);
  sizeSeries->attachAxis(zx);
  const double maxKib = std::max(fpBytes, qBytes) / kib * 1.05;
  cs::setAxisRange(zx, 0.0, maxKib);
  zx->setLabelFormat(QStringLiteral("%.0f"));
  cs::setNiceTicks(zx, 0.0, maxKib, 3);
  zc->legend()->hide();
  if (qBytes > 0) zc->setTitle(tr("Model size: ×%1 smaller").arg(fpBytes / qBytes, 0, 'f', 1));
}

}  // namespace quantlab::ui
