// SPDX-License-Identifier: GPL-3.0-or-later
// One source of truth per number: under per-channel / per-group granularity the histogram's grid,
// clipping lines and legend, the mapping's panels and the Low / High boxes all show the one slot
// the mapping's picker selects, with the same range; calibration that fell back to min-max on
// small slots says so; a figure export has no control hints; opening another model replaces the
// old model's layer in the tensor views.
#include <QDoubleSpinBox>
#include <QFile>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "chartstyle.h"
#include "controlspanel.h"
#include "exporter.h"
#include "histogramview.h"
#include "mappingview.h"
#include "modelsession.h"
#include "session.h"

using namespace quantlab::ui;
namespace cs = quantlab::ui::chartstyle;

namespace {

// [channels, per] values; channel c spans about +-(c + 1) with a different asymmetry each.
quant::Tensor channels(std::int64_t count, std::int64_t per) {
  quant::Tensor t{std::string("w"), std::string("float32"), {count, per}, {}};
  for (std::int64_t c = 0; c < count; ++c)
    for (std::int64_t i = 0; i < per; ++i)
      t.data.push_back(static_cast<float>((c + 1) * std::sin(0.37 * static_cast<double>(i)) +
                                          0.1 * static_cast<double>(c)));
  return t;
}

void setGranularity(Session& s, const char* text) {
  quant::QuantSpec spec = s.spec();
  quant::parseGranularity(text, spec);
  s.setSpec(spec, QStringLiteral("test"));
  s.flush();
}

}  // namespace

class TestGuiViewConsistency : public QObject {
  Q_OBJECT
 private slots:
  void perChannelViewsShowTheSelectedChannel();
  void perGroupNamesTheGroup();
  void smallSlicesWarnAndFallBack();
  void exportsCarryNoHints();
  void openingAnotherModelReplacesItsLayer();

 private:
  QTemporaryDir tmp_;
};

void TestGuiViewConsistency::perChannelViewsShowTheSelectedChannel() {
  Session s;
  s.setTensor(channels(4, 300), QStringLiteral("w"));
  setGranularity(s, "channel:0");
  HistogramView histogram(&s);
  MappingView mapping(&s);
  ControlsPanel controls(&s);
  mapping.resize(900, 560);
  QSpinBox* picker = mapping.slotPicker();
  QVERIFY(!picker->isHidden());
  QCOMPARE(picker->maximum(), 3);

  for (int slot : {2, 0, 3}) {
    picker->setValue(slot);
    QCOMPARE(s.selectedSlot(), slot);
    QApplication::processEvents();
    const quant::QuantParams& p = s.params();
    const quant::Range r = p.ranges[std::size_t(slot)];
    // The mapping's panel of the scheme in force is that channel's scale, not a per-tensor one.
    QCOMPARE(mapping.scale(MappingView::Symmetric), p.scales[std::size_t(slot)]);
    QCOMPARE(s.symmetricParams().scales, p.scales);
    // The histogram's grid names the channel and uses its step.
    const QString label = QStringLiteral("channel %1").arg(slot);
    QVERIFY2(histogram.levelsText().contains(label), qPrintable(histogram.levelsText()));
    QVERIFY2(histogram.levelsText().contains(cs::formatValue(p.scales[std::size_t(slot)])),
             qPrintable(histogram.levelsText()));
    // One range: the clipping lines, the legend and Low / High.
    QCOMPARE(histogram.lowerLineValue(), double(r.lo));
    QCOMPARE(histogram.upperLineValue(), double(r.hi));
    const QString legend = histogram.legendText();
    QVERIFY2(
        legend.contains(QStringLiteral("clipping&nbsp;range&nbsp;of&nbsp;%1&nbsp;[%2,&nbsp;%3]")
                            .arg(QString(label).replace(' ', QStringLiteral("&nbsp;")),
                                 cs::formatValue(r.lo), cs::formatValue(r.hi))),
        qPrintable(legend));
    auto* lo = controls.findChild<QDoubleSpinBox*>(QStringLiteral("rangeLowSpin"));
    auto* hi = controls.findChild<QDoubleSpinBox*>(QStringLiteral("rangeHighSpin"));
    QVERIFY(std::fabs(lo->value() - r.lo) < 1e-5 && std::fabs(hi->value() - r.hi) < 1e-5);
  }
  // The channels differ, so the test could tell them apart.
  QVERIFY(s.params().scales[0] != s.params().scales[3]);

  // Per tensor the picker goes away and the selection falls back to the one slot.
  setGranularity(s, "tensor");
  QApplication::processEvents();
  QVERIFY(picker->isHidden());
  QCOMPARE(s.selectedSlot(), 0);
  QVERIFY(!histogram.levelsText().contains(QStringLiteral("channel")));
}

void TestGuiViewConsistency::perGroupNamesTheGroup() {
  Session s;
  s.setTensor(channels(3, 256), QStringLiteral("w"));
  setGranularity(s, "group:1:64");
  HistogramView histogram(&s);
  MappingView mapping(&s);
  mapping.resize(900, 560);
  QCOMPARE(mapping.slotPicker()->maximum(), 11);
  QCOMPARE(mapping.slotPicker()->prefix(), QStringLiteral("Group "));
  mapping.slotPicker()->setValue(5);
  QApplication::processEvents();
  QVERIFY2(histogram.levelsText().contains(QStringLiteral("group 5")),
           qPrintable(histogram.levelsText()));
  QVERIFY(!histogram.levelsText().contains(QStringLiteral("channel")));
  QCOMPARE(mapping.scale(MappingView::Symmetric), s.params().scales[5]);
}

void TestGuiViewConsistency::smallSlicesWarnAndFallBack() {
  // Conv weights [16, 3, 3, 3]: 27 values per output channel.
  Session s;
  quant::Tensor conv = channels(16, 27);
  conv.shape = {16, 3, 3, 3};
  s.setTensor(conv, QStringLiteral("conv"));
  setGranularity(s, "channel:0");
  HistogramView histogram(&s);
  s.setCalibration(quant::parseCalibration("entropy"));
  s.flush();
  QCOMPARE(s.calibrationFallback().count, std::int64_t{16});
  QVERIFY(s.slotFellBack(7));
  QVERIFY2(histogram.calibrationWarningText().contains(QStringLiteral("16 of 16 channels")),
           qPrintable(histogram.calibrationWarningText()));
  // Entropy on these slots is min-max: the same scales.
  const std::vector<float> entropyScales = s.params().scales;
  s.setCalibration(quant::parseCalibration("minmax"));
  s.flush();
  QCOMPARE(s.params().scales, entropyScales);
  QCOMPARE(s.calibrationFallback().count, std::int64_t{0});
  QVERIFY(histogram.calibrationWarningText().isEmpty());
}

void TestGuiViewConsistency::exportsCarryNoHints() {
  Session s;
  s.setTensor(channels(4, 300), QStringLiteral("w"));
  setGranularity(s, "channel:0");
  s.setProbeValue(0.5);
  HistogramView histogram(&s);
  MappingView mapping(&s);
  histogram.resize(900, 520);
  mapping.resize(900, 560);
  mapping.slotPicker()->setValue(2);
  QApplication::processEvents();
  for (QWidget* view : {static_cast<QWidget*>(&histogram), static_cast<QWidget*>(&mapping)}) {
    const QString path = tmp_.filePath(view->objectName() + ".svg");
    QCOMPARE(exporter::saveSvg(view, path), QString());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(f.readAll());
    for (const char* hint : {"(drag)", "click a bar", "Log counts", "Channel 2 of"})
      QVERIFY2(!svg.contains(QLatin1String(hint)),
               qPrintable(view->objectName() + QStringLiteral(": ") + QLatin1String(hint)));
    // Still there: the picker after the export, and the channel named in the figure itself.
    QVERIFY(!mapping.slotPicker()->isHidden());
    QVERIFY(svg.contains(QLatin1String("channel 2")));
  }
}

void TestGuiViewConsistency::openingAnotherModelReplacesItsLayer() {
  Session s;
  ModelSession models(&s);
  QSignalSpy loaded(&models, &ModelSession::modelLoaded);
  models.openModel(QStringLiteral("mlp"));
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
  QVERIFY(models.selectLayerByName(QStringLiteral("fc1")));
  QCOMPARE(s.tensorLabel(), QStringLiteral("mlp:fc1 weights"));
  models.openModel(QStringLiteral("cnn"));
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 60000);
  // The CNN has an fc1 too: the same layer of the new model.
  QCOMPARE(s.tensorLabel(), QStringLiteral("cnn:fc1 weights"));
  QCOMPARE(models.loaded()->fp32.layers[std::size_t(models.selectedLayer())].name,
           std::string("fc1"));
  QVERIFY(models.selectLayerByName(QStringLiteral("conv1")));
  models.openModel(QStringLiteral("mlp"));
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, 60000);
  // The MLP has no conv1: its first layer with weights.
  QVERIFY2(s.tensorLabel().startsWith(QStringLiteral("mlp:")), qPrintable(s.tensorLabel()));
  // A tensor from elsewhere stays when a model opens.
  s.setTensor(channels(2, 8), QStringLiteral("mine"));
  models.openModel(QStringLiteral("cnn"));
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 4, 60000);
  QCOMPARE(s.tensorLabel(), QStringLiteral("mine"));
}

QTEST_MAIN(TestGuiViewConsistency)
#include "tst_gui_view_consistency.moc"
