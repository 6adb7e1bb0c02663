// SPDX-License-Identifier: GPL-3.0-or-later
// Presenter mode at 1280x720: a lesson's highlight frame follows its target when
// presenter mode moves it (and hides with it), the controls dock grows with the presenter font so
// no row is cut, and the error and requantization views reflow instead of cutting their numbers
// and code lists, in presenter mode and in normal mode.
// With QUANTLAB_SCREENSHOT_DIR set, the window is also saved as PNGs there (polish-*.png).
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QtTest>

#include "controlspanel.h"
#include "errorview.h"
#include "lessonactions.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "presenter.h"
#include "presentertesting.h"
#include "quant/course/lesson.h"
#include "requantview.h"
#include "session.h"
#include "settings.h"

using namespace quantlab::ui;
using namespace quantlab::ui::testing;

namespace {

QRect globalRect(const QWidget* w) { return QRect(w->mapToGlobal(QPoint(0, 0)), w->size()); }

// The part of `w` its ancestors (scroll areas, docks) show, in global coordinates.
QRect shownRect(const QWidget* w) {
  QRect r = globalRect(w);
  for (const QWidget* a = w->parentWidget(); a; a = a->parentWidget()) r &= globalRect(a);
  return r;
}

// The frame covers the shown part of the target with its 4 px margin.
bool frameOnTarget(const QWidget* frame, const QWidget* target) {
  return frame && target && frame->isVisible() &&
         globalRect(frame) == shownRect(target).adjusted(-4, -4, 4, 4);
}

QString rectText(const QRect& r) {
  return QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// "" or how `w` is cut: a horizontal scroll bar in its dock, or wider than what shows it.
QString horizontalCut(QWidget* view, const QString& dockScroll, MainWindow& window) {
  auto* scroll = window.findChild<QScrollArea*>(dockScroll);
  if (!scroll) return QStringLiteral("no %1").arg(dockScroll);
  if (scroll->horizontalScrollBar()->isVisible())
    return QStringLiteral("%1 scrolls sideways (view %2 px, viewport %3 px)")
        .arg(dockScroll)
        .arg(view->width())
        .arg(scroll->viewport()->width());
  if (view->width() > scroll->viewport()->width())
    return QStringLiteral("view %1 px wider than viewport %2 px")
        .arg(view->width())
        .arg(scroll->viewport()->width());
  return {};
}

void settle() {
  for (int i = 0; i < 5; ++i) QTest::qWait(10);
}

void shot(MainWindow& window, const QString& name) {
  const QString dir = qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR");
  if (dir.isEmpty()) return;
  QDir().mkpath(dir);
  window.grab().save(QStringLiteral("%1/polish-%2.png").arg(dir, name));
}

}  // namespace

class TestGuiPresenterReflow : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanup();
  void highlightFollowsTarget_data();
  void highlightFollowsTarget();
  void highlightHidesWithTarget();
  void controlsDockFitsPresenterFont();
  void errorViewNotCut();
  void requantViewNotCut();

 private:
  QFont font_;
  QPalette palette_;
};

void TestGuiPresenterReflow::initTestCase() {
  font_ = QApplication::font();
  palette_ = QApplication::palette();
}

void TestGuiPresenterReflow::cleanup() {
  QApplication::setFont(font_);
  QApplication::setPalette(palette_);
}

void TestGuiPresenterReflow::highlightFollowsTarget_data() {
  QTest::addColumn<QString>("target");
  QTest::addRow("calibration combo") << "calibrationCombo";
  QTest::addRow("bits slider") << "bitsSlider";
  QTest::addRow("granularity combo") << "granularityCombo";
  QTest::addRow("high spin") << "rangeHighSpin";
}

void TestGuiPresenterReflow::highlightFollowsTarget() {
  QFETCH(QString, target);
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QWidget* w = lessonTarget(&window, target);
  QVERIFY2(w, qPrintable(target));

  // The lesson action itself places a frame on the target...
  quant::LessonAction a;
  a.verb = "highlight";
  a.args = {target.toStdString()};
  QVERIFY(applyLessonActions(&window, {a}).isEmpty());
  QWidget* lessonFrame = window.findChild<QWidget*>("lessonHighlight");
  QVERIFY(lessonFrame);
  QTRY_VERIFY(frameOnTarget(lessonFrame, w));
  delete lessonFrame;

  // ...and a frame (long-lived here, so the check does not race its fade-out) stays on it while
  // presenter mode changes fonts, hides rows, and resizes the docks, and when it ends.
  flashWidget(w, 600000);
  QWidget* frame = window.findChild<QWidget*>("lessonHighlight");
  QVERIFY(frame);
  QTRY_VERIFY(frameOnTarget(frame, w));
  const QRect before = globalRect(w);
  QVERIFY(enterPresenter(window));
  settle();
  QTRY_VERIFY2(
      frameOnTarget(frame, w),
      qPrintable(QStringLiteral("frame %1, target %2 (was %3)")
                     .arg(rectText(globalRect(frame)), rectText(globalRect(w)), rectText(before))));
  // The controls are whole in presenter mode, so the frame is around the whole control.
  QCOMPARE(shownRect(w), globalRect(w));
  if (target == QLatin1String("calibrationCombo")) shot(window, "highlight-presenter");
  QVERIFY(leavePresenter(window));
  settle();
  QTRY_VERIFY2(frameOnTarget(frame, w),
               qPrintable(QStringLiteral("frame %1, target %2")
                              .arg(rectText(globalRect(frame)), rectText(globalRect(w)))));
  delete frame;
}

void TestGuiPresenterReflow::highlightHidesWithTarget() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  // The percentile box is an advanced control: presenter mode hides it, and its frame with it.
  auto* combo = window.findChild<QComboBox*>("calibrationCombo");
  QVERIFY(combo);
  QWidget* percentile = lessonTarget(&window, "percentileSpin");
  QVERIFY(percentile);
  combo->setCurrentIndex(combo->findText(QStringLiteral("percentile"), Qt::MatchStartsWith));
  window.session()->flush();
  QTRY_VERIFY(percentile->isVisible());
  flashWidget(percentile, 600000);
  QPointer<QWidget> frame = window.findChild<QWidget*>("lessonHighlight");
  QVERIFY(frame);
  QTRY_VERIFY(frameOnTarget(frame, percentile));
  QVERIFY(enterPresenter(window));
  QTRY_VERIFY(!percentile->isVisible());
  QTRY_VERIFY(!frame->isVisible());
  QVERIFY(leavePresenter(window));
  QTRY_VERIFY(percentile->isVisible());
  QTRY_VERIFY(frameOnTarget(frame, percentile));
  // A view whose dock is closed: no frame floating over the views that take its place.
  QWidget* channels = window.view("channels");
  QVERIFY(channels);
  raiseView(&window, channels);
  QTRY_VERIFY(channels->isVisible());
  flashWidget(channels, 600000);
  QList<QWidget*> frames = window.findChildren<QWidget*>("lessonHighlight");
  QCOMPARE(frames.size(), 2);
  QWidget* channelFrame = frames.front() == frame ? frames.back() : frames.front();
  QTRY_VERIFY(frameOnTarget(channelFrame, channels));
  auto* channelsDock = window.findChild<QDockWidget*>("channelsDock");
  QVERIFY(channelsDock);
  channelsDock->hide();
  QTRY_VERIFY(!channelFrame->isVisible());
  raiseView(&window, channels);
  QTRY_VERIFY(frameOnTarget(channelFrame, channels));
  delete channelFrame;
  delete frame;
  // A view taller than its dock: the frame covers only what the dock shows.
  QWidget* requant = window.view("requant");
  QVERIFY(requant);
  raiseView(&window, requant);
  QTRY_VERIFY(requant->isVisible());
  auto* requantScroll = window.findChild<QScrollArea*>("requantDockScroll");
  QVERIFY(requantScroll);
  requant->setMinimumHeight(requantScroll->viewport()->height() + 300);
  QTRY_VERIFY(requantScroll->verticalScrollBar()->maximum() > 0);
  flashWidget(requant, 600000);
  QPointer<QWidget> requantFrame = window.findChild<QWidget*>("lessonHighlight");
  QVERIFY(requantFrame);
  const QRect shown = globalRect(requantScroll->viewport());
  QTRY_VERIFY2(
      requantFrame->isVisible() && globalRect(requantFrame) == shown.adjusted(-4, -4, 4, 4),
      qPrintable(QStringLiteral("frame %1, viewport %2")
                     .arg(rectText(globalRect(requantFrame)), rectText(shown))));
  delete requantFrame;
}

void TestGuiPresenterReflow::controlsDockFitsPresenterFont() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* controls = window.findChild<ControlsPanel*>("ControlsPanel");
  auto* scroll = window.findChild<QScrollArea*>("controlsScroll");
  QVERIFY(controls && scroll);
  // The longest texts the rows show: the asymmetric scheme and unsigned codes.
  auto* scheme = window.findChild<QComboBox*>("schemeCombo");
  auto* sign = window.findChild<QComboBox*>("signedCombo");
  QVERIFY(scheme && sign);
  quant::QuantSpec spec = window.session()->spec();
  spec.scheme = quant::Scheme::Asymmetric;
  spec.isSigned = false;
  window.session()->setSpec(spec, "test");
  window.session()->flush();
  auto* levels = window.findChild<QLabel*>("levelsLabel");
  QVERIFY(levels);
  for (bool presenter : {false, true, false}) {
    if (presenter)
      QVERIFY(enterPresenter(window));
    else if (window.presenter()->isActive())
      QVERIFY(leavePresenter(window));
    settle();
    const QString where = presenter ? QStringLiteral("presenter") : QStringLiteral("normal");
    if (presenter) shot(window, "controls-presenter");
    QTRY_VERIFY2(controls->width() >= controls->sizeHint().width(),
                 qPrintable(QStringLiteral("%1: panel %2 px, needs %3")
                                .arg(where)
                                .arg(controls->width())
                                .arg(controls->sizeHint().width())));
    QVERIFY2(controls->width() <= scroll->viewport()->width(), qPrintable(where));
    // Every row's text is whole: the combo boxes and the levels label have their size hint.
    for (QWidget* w : std::initializer_list<QWidget*>{scheme, sign, levels}) {
      QVERIFY2(w->width() >= w->sizeHint().width(),
               qPrintable(QStringLiteral("%1: %2 %3 px, needs %4")
                              .arg(where, w->objectName())
                              .arg(w->width())
                              .arg(w->sizeHint().width())));
      QVERIFY2(
          w->mapTo(scroll->viewport(), QPoint(w->width(), 0)).x() <= scroll->viewport()->width(),
          qPrintable(where + " " + w->objectName()));
    }
  }
}

void TestGuiPresenterReflow::errorViewNotCut() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* view = qobject_cast<ErrorView*>(window.view("error"));
  QVERIFY(view);
  raiseView(&window, view);
  window.session()->flush();
  for (bool presenter : {false, true, false}) {
    if (presenter)
      QVERIFY(enterPresenter(window));
    else if (window.presenter()->isActive())
      QVERIFY(leavePresenter(window));
    raiseView(&window, view);
    QTRY_VERIFY(view->isVisible());
    settle();
    const QString where = presenter ? QStringLiteral("presenter") : QStringLiteral("normal");
    if (presenter)
      shot(window, "error-presenter");
    else if (!window.presenter()->isActive())
      shot(window, "error-normal");
    QTRY_VERIFY2(horizontalCut(view, "errorDockScroll", window).isEmpty(),
                 qPrintable(where + ": " + horizontalCut(view, "errorDockScroll", window)));
    QScrollArea* metrics = view->metricsArea();
    QVERIFY(metrics);
    QVERIFY(!view->sqnrText().isEmpty());
    // Every value (SQNR "19.3 dB" ...) is whole and inside the visible part of its column.
    for (QLabel* label : metrics->widget()->findChildren<QLabel*>()) {
      if (!label->isVisibleTo(view) || label->wordWrap()) continue;
      const int right = label->mapTo(metrics->viewport(), QPoint(label->width(), 0)).x();
      QVERIFY2(right <= metrics->viewport()->width() &&
                   label->width() >= label->minimumSizeHint().width(),
               qPrintable(QStringLiteral("%1: '%2' ends at %3, viewport %4")
                              .arg(where, label->text())
                              .arg(right)
                              .arg(metrics->viewport()->width())));
    }
  }
  // A very narrow view stacks the metrics above the charts; a wide one puts them beside.
  // (In a scroll area, as in its dock: a top-level window would take its layout's minimum.)
  QScrollArea area;
  area.setWidgetResizable(true);
  auto* bare = new ErrorView(window.session());
  area.setWidget(bare);
  area.resize(bare->minimumSizeHint().width() + 40, 700);
  area.show();
  QVERIFY(QTest::qWaitForWindowExposed(&area));
  QTRY_VERIFY(!bare->metricsBesideCharts());
  QVERIFY(!area.horizontalScrollBar()->isVisible());
  area.resize(1200, 500);
  QTRY_VERIFY(bare->metricsBesideCharts());
}

void TestGuiPresenterReflow::requantViewNotCut() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* view = qobject_cast<RequantView*>(window.view("requant"));
  QVERIFY(view);
  raiseView(&window, view);
  window.modelSession()->openModel(QStringLiteral("mlp"));
  window.modelSession()->waitForIdle();
  QTRY_VERIFY(window.modelSession()->hasModel());
  QTRY_VERIFY(view->walkthroughText().contains(QStringLiteral("int8")));
  for (bool presenter : {false, true, false}) {
    if (presenter)
      QVERIFY(enterPresenter(window));
    else if (window.presenter()->isActive())
      QVERIFY(leavePresenter(window));
    raiseView(&window, view);
    QTRY_VERIFY(view->isVisible());
    window.modelSession()->waitForIdle();
    settle();
    const QString where = presenter ? QStringLiteral("presenter") : QStringLiteral("normal");
    if (presenter)
      shot(window, "requant-presenter");
    else if (!window.presenter()->isActive())
      shot(window, "requant-normal");
    QTRY_VERIFY2(horizontalCut(view, "requantDockScroll", window).isEmpty(),
                 qPrintable(where + ": " + horizontalCut(view, "requantDockScroll", window)));
    // The selectors all inside the view.
    for (const char* name : {"requantLayer", "requantSample", "requantPixel", "requantColumn"}) {
      auto* w = view->findChild<QWidget*>(name);
      QVERIFY(w);
      QVERIFY2(w->mapTo(view, QPoint(w->width(), 0)).x() <= view->width(),
               qPrintable(QStringLiteral("%1: %2 cut (%3 pairs per row)")
                              .arg(where, name)
                              .arg(view->selectorPairsPerRow())));
    }
    // The walkthrough wraps: no sideways scrolling, the text as wide as what shows it.
    QScrollArea* area = view->walkthroughArea();
    QTRY_VERIFY2(!area->horizontalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("%1: text needs %2 px, viewport %3 (stacked %4)")
                                .arg(where)
                                .arg(view->walkthroughLabel()->minimumSizeHint().width())
                                .arg(area->viewport()->width())
                                .arg(view->stackedSteps())));
    QVERIFY(view->walkthroughLabel()->width() <= area->viewport()->width());
  }
  window.modelSession()->waitForIdle();
}

QTEST_MAIN(TestGuiPresenterReflow)
#include "tst_gui_presenter_reflow.moc"
