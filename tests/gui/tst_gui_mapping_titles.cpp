// SPDX-License-Identifier: GPL-3.0-or-later
// The mapping view's panel titles at every width from the view's minimum up to 900 px, with
// normal and presenter (1.5x) fonts, for int8 and uint8: the painted title always holds the
// scale and the zero point in full (no "…" anywhere) and fits the width it is drawn in, and a
// wide view still gets the long title. With QUANTLAB_SCREENSHOT_DIR set, narrow and wide
// presenter-mode views are saved there as PNGs.
#include <QApplication>
#include <QFontMetrics>
#include <QtTest>

#include "mappingview.h"
#include "presenter.h"
#include "quant/numeric/generate.h"
#include "session.h"

using namespace quantlab::ui;

namespace {

// The view's number format: 4 significant digits, a real minus sign.
QString shown(double v) {
  return QString::number(v, 'g', 4).replace(QLatin1Char('-'), QChar(0x2212));
}

// The lowest height (at a comfortable width) that gives `detail`.
int heightFor(const MappingView& view, MappingView::Detail detail) {
  for (int h = 20; h < 2000; ++h)
    if (view.detailFor(QSize(900, h)) == detail) return h;
  return -1;
}

}  // namespace

class TestGuiMappingTitles : public QObject {
  Q_OBJECT
 private slots:
  void init() { font_ = QApplication::font(); }
  void cleanup() { QApplication::setFont(font_); }
  void titlesKeepTheNumbersWhole_data();
  void titlesKeepTheNumbersWhole();

 private:
  QFont font_;
};

void TestGuiMappingTitles::titlesKeepTheNumbersWhole_data() {
  QTest::addColumn<double>("fontScale");
  QTest::addColumn<bool>("isSigned");
  QTest::addRow("normal font, int8") << 1.0 << true;
  QTest::addRow("normal font, uint8") << 1.0 << false;
  QTest::addRow("presenter font, int8") << double(PresenterMode::kFontScale) << true;
  QTest::addRow("presenter font, uint8") << double(PresenterMode::kFontScale) << false;
}

void TestGuiMappingTitles::titlesKeepTheNumbersWhole() {
  QFETCH(double, fontScale);
  QFETCH(bool, isSigned);
  QFont f = font_;
  f.setPointSizeF(font_.pointSizeF() * fontScale);
  QApplication::setFont(f);

  Session session;
  quant::GeneratorSpec gen;
  gen.shape = {4096};
  gen.seed = 11;
  gen.stddev = 0.5;
  session.setTensor(quant::generate(gen), QStringLiteral("normal"));
  quant::QuantSpec spec = session.spec();
  spec.isSigned = isSigned;
  session.setSpec(spec, "test");
  session.flush();

  MappingView view(&session);
  QVERIFY(view.hasData(MappingView::Symmetric) && view.hasData(MappingView::Asymmetric));
  QFont bold = view.font();
  bold.setBold(true);
  const QFontMetrics bfm(bold);

  const int minW = view.minimumSizeHint().width();
  const int compactH = heightFor(view, MappingView::Detail::Compact);
  const int singleH = heightFor(view, MappingView::Detail::Single);
  QVERIFY(compactH > 0 && singleH > 0);
  QCOMPARE(view.detailFor(QSize(minW, compactH)), MappingView::Detail::Compact);
  QCOMPARE(view.detailFor(QSize(minW - 1, compactH)), MappingView::Detail::Placeholder);

  const QString ellipsis(QChar(0x2026));
  struct Look {
    int height;
    MappingView::Detail detail;
    int panels;
  };
  const Look looks[] = {{compactH, MappingView::Detail::Compact, 2},
                        {singleH, MappingView::Detail::Single, 1}};
  for (const Look& look : looks) {
    for (int w = minW; w <= 900; ++w) {
      view.resize(w, look.height);
      QCOMPARE(view.detail(), look.detail);
      view.grab();  // paints
      const QStringList titles = view.panelTitles();
      QCOMPARE(titles.size(), look.panels);
      const int room = view.panelTitleRoom();
      QVERIFY(room > 0);
      for (int i = 0; i < titles.size(); ++i) {
        const MappingView::Panel panel =
            look.panels == 2 ? MappingView::Panel(i) : view.currentPanel();
        const QString& t = titles[i];
        const QString where = QStringLiteral("width %1: \"%2\"").arg(w).arg(t);
        QVERIFY2(t.contains(QStringLiteral("s = ") + shown(view.scale(panel))) ||
                     t.contains(QStringLiteral("scale ") + shown(view.scale(panel))),
                 qPrintable(where));
        QVERIFY2(t.contains(QStringLiteral("z = ") + shown(view.zeroPoint(panel))) ||
                     t.contains(QStringLiteral("zero point ") + shown(view.zeroPoint(panel))),
                 qPrintable(where));
        QVERIFY2(!t.contains(ellipsis), qPrintable(where));
        QVERIFY2(bfm.horizontalAdvance(t) <= room,
                 qPrintable(
                     where +
                     QStringLiteral(" is %1 px in %2 px").arg(bfm.horizontalAdvance(t)).arg(room)));
      }
    }
  }
  // A wide view spells the words out.
  view.resize(900, compactH);
  view.grab();
  QVERIFY2(view.panelTitles().value(0).contains(QStringLiteral("Symmetric")),
           qPrintable(view.panelTitles().value(0)));

  const QString shots = qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR");
  if (!shots.isEmpty() && fontScale > 1.0 && !isSigned) {
    for (int w : {minW, 360, 480, 900}) {
      view.resize(w, compactH);
      view.grab().save(shots + QStringLiteral("/mapping-titles-presenter-%1.png").arg(w));
    }
  }
}

QTEST_MAIN(TestGuiMappingTitles)
#include "tst_gui_mapping_titles.moc"
