// SPDX-License-Identifier: GPL-3.0-or-later
// The window on a 1280x720 projector in English, Spanish and Vietnamese: in every workspace and
// in presenter mode no dock tab title is elided or scrolled out of its tab bar, no one-line label
// of a shown view or of the status bar (the metrics) is narrower than its text, and a lesson
// step's question stays whole on screen with room left for the step's text.
// With QUANTLAB_SCREENSHOT_DIR set, it also saves the screenshot set (tools/screenshots.sh):
// every workspace and every view, normal and presenter, at 1280x720 and 1920x1080.
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include "lessonplayer.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "elidedlabel.h"
#include "presenter.h"
#include "presentertesting.h"
#include "session.h"
#include "settings.h"
#include "translations.h"
#include "workspaces.h"

using namespace quantlab::ui;
using namespace quantlab::ui::testing;

namespace {

// Every tab of the window's dock tab bars shows its whole title inside the bar's visible part.
// Returns "" or what is wrong.
QString tabsCut(const MainWindow& window) {
  QStringList problems;
  for (QTabBar* bar : window.findChildren<QTabBar*>(QString(), Qt::FindDirectChildrenOnly)) {
    if (!bar->isVisible()) continue;
    for (int i = 0; i < bar->count(); ++i) {
      const QString text = bar->tabText(i);
      const QRect r = bar->tabRect(i);
      // The style's text rectangle leaves a margin on each side of the title.
      const int need = bar->fontMetrics().horizontalAdvance(text);
      if (r.width() < need + 8)
        problems << QStringLiteral("tab '%1' is %2 px wide, its title needs %3")
                        .arg(text)
                        .arg(r.width())
                        .arg(need);
      else if (!bar->rect().contains(r))
        problems << QStringLiteral("tab '%1' is scrolled out of its bar").arg(text);
    }
  }
  return problems.join(QStringLiteral("; "));
}

// A shown one-line label is as wide as its text, and its own dock or the window does not cut it
// off at the side.
QString labelCut(const QLabel* label) {
  if (!label->isVisible() || label->wordWrap() || label->text().isEmpty()) return {};
  if (const auto* e = qobject_cast<const ElidedLabel*>(label); e && e->elided())
    return QStringLiteral("label '%1' is shortened").arg(label->text().left(50));
  if (label->objectName() == QLatin1String("qt_scrollarea_viewport")) return {};
  if (label->width() < label->minimumSizeHint().width())
    return QStringLiteral("label '%1' is %2 px wide, needs %3")
        .arg(label->text().left(50))
        .arg(label->width())
        .arg(label->minimumSizeHint().width());
  const QRect visible = label->visibleRegion().boundingRect();
  if (!visible.isEmpty() && visible.width() < label->width())
    return QStringLiteral("label '%1' shows %2 of its %3 px")
        .arg(label->text().left(50))
        .arg(visible.width())
        .arg(label->width());
  return {};
}

QString labelsCut(const MainWindow& window) {
  QStringList problems;
  QList<QWidget*> roots{window.statusBar()};
  for (QDockWidget* d : window.findChildren<QDockWidget*>())
    if (d->isVisible() && d->objectName() != QLatin1String("lessonsDock")) roots << d->widget();
  roots << window.centralWidget();
  for (QWidget* root : roots)
    for (QLabel* l : root->findChildren<QLabel*>())
      if (const QString p = labelCut(l); !p.isEmpty()) problems << p;
  return problems.join(QStringLiteral("; "));
}

void settle(MainWindow& window) {
  for (int i = 0; i < 4; ++i) {
    QApplication::processEvents();
    window.session()->flush();
    window.modelSession()->waitForIdle();
  }
  QTest::qWait(60);
}

// A window without saved settings, its lessons in `language` with answers kept in `answers`,
// shown at `size` (the caller waits for it to be exposed).
std::unique_ptr<MainWindow> showWindow(const QString& language, const QString& answers,
                                       QSize size = kProjector) {
  auto window = std::make_unique<MainWindow>(std::unique_ptr<Settings>{});
  window->lessonPlayer()->setAnswersFile(answers);
  window->lessonPlayer()->setLanguage(language);
  window->resize(size);
  window->show();
  return window;
}

bool saveShot(QWidget& w, const QString& name) {
  const QString dir = qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR");
  return dir.isEmpty() || w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

const Workspaces::Kind kKinds[] = {Workspaces::Kind::Tensor, Workspaces::Kind::Model,
                                   Workspaces::Kind::Lesson};

const char* kindName(Workspaces::Kind k) {
  return k == Workspaces::Kind::Tensor  ? "tensor"
         : k == Workspaces::Kind::Model ? "model"
                                        : "lesson";
}

}  // namespace

class TestGuiLayout720p : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanup();
  void workspaces_data();
  void workspaces();
  void presenter_data() { workspaces_data(); }
  void presenter();
  void lessonQuestionVisible_data() { workspaces_data(); }
  void lessonQuestionVisible();
  void lessonDocksComeAndGo();
  void screenshots_data() { workspaces_data(); }
  void screenshots();

 private:
  QTemporaryDir tmp_;
  QFont font_;
  QPalette palette_;
};

void TestGuiLayout720p::initTestCase() {
  QVERIFY(tmp_.isValid());
  // A desktop's default font (11 pt), not the offscreen platform's smaller one: the classroom
  // laptop is where titles get elided.
  QFont desktop = QApplication::font();
  desktop.setPointSizeF(11.0);
  QApplication::setFont(desktop);
  font_ = QApplication::font();
  palette_ = QApplication::palette();
}

void TestGuiLayout720p::cleanup() {
  QApplication::setFont(font_);
  QApplication::setPalette(palette_);
  installUiLanguage(QStringLiteral("en"));
}

void TestGuiLayout720p::workspaces_data() {
  QTest::addColumn<QString>("language");
  for (const char* l : {"en", "es", "vi"}) QTest::addRow("%s", l) << QString::fromLatin1(l);
}

void TestGuiLayout720p::workspaces() {
  QFETCH(QString, language);
  QString error;
  QVERIFY2(installUiLanguage(language, &error), qPrintable(error));
  const auto shown = showWindow(language, tmp_.filePath(QStringLiteral("answers.json")));
  MainWindow& window = *shown;
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  settle(window);
  // First start: the Tensor workspace with the Error tab in its bar.
  QCOMPARE(window.workspaces()->current(), Workspaces::Kind::Tensor);
  auto* errorDock = window.findChild<QDockWidget*>(QStringLiteral("errorDock"));
  QVERIFY(errorDock->isVisible() || !window.tabifiedDockWidgets(errorDock).isEmpty());
  bool errorTab = false;
  for (QTabBar* bar : window.findChildren<QTabBar*>(QString(), Qt::FindDirectChildrenOnly))
    for (int i = 0; bar->isVisible() && i < bar->count(); ++i)
      errorTab = errorTab || bar->tabText(i) == viewTitle(QStringLiteral("error"));
  QVERIFY(errorTab);
  for (Workspaces::Kind kind : kKinds) {
    window.workspaces()->setCurrent(kind);
    settle(window);
    const QString where = QStringLiteral("%1 %2: ").arg(language, kindName(kind));
    const QString tabs = tabsCut(window);
    QVERIFY2(tabs.isEmpty(), qPrintable(where + tabs));
    const QString labels = labelsCut(window);
    QVERIFY2(labels.isEmpty(), qPrintable(where + labels));
    // The histogram is the centre of the Tensor and Lesson workspaces: large enough to read.
    if (kind != Workspaces::Kind::Model) {
      QVERIFY2(window.centralWidget()->width() >= 500, qPrintable(where));
      QVERIFY2(window.centralWidget()->height() >= 280, qPrintable(where));
    }
  }
}

void TestGuiLayout720p::presenter() {
  QFETCH(QString, language);
  QVERIFY(installUiLanguage(language));
  const auto shown = showWindow(language, tmp_.filePath(QStringLiteral("answers.json")));
  MainWindow& window = *shown;
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(window.lessonPlayer()->openLesson(QStringLiteral("calibration-outliers")));
  QVERIFY(enterPresenter(window));
  PresenterMode* p = window.presenter();
  QVERIFY(p->viewSwitcher());
  QCOMPARE(p->viewSwitcher()->count(), MainWindow::viewNames().size());
  for (const QString& name : MainWindow::viewNames()) {
    p->showView(name);
    settle(window);
    QCOMPARE(p->stageView(), name);
    const QString where = QStringLiteral("%1 presenter %2: ").arg(language, name);
    // The switcher names the view in full.
    QCOMPARE(p->viewSwitcher()->currentText(), viewTitle(name));
    QVERIFY2(p->viewSwitcher()->isVisible(), qPrintable(where + "switcher in the overflow"));
    QVERIFY2(p->viewSwitcher()->width() >= p->viewSwitcher()->minimumSizeHint().width(),
             qPrintable(where));
    const QString tabs = tabsCut(window);
    QVERIFY2(tabs.isEmpty(), qPrintable(where + tabs));
    // One large view: at least 55% of the window's width and most of its height.
    QWidget* view = window.view(name);
    QWidget* stage = view == window.centralWidget() ? view : view->parentWidget();
    while (stage && !qobject_cast<QDockWidget*>(stage) && stage != window.centralWidget())
      stage = stage->parentWidget();
    QVERIFY2(stage && stage->width() >= kProjector.width() * 55 / 100,
             qPrintable(where + QString::number(stage ? stage->width() : 0)));
    QVERIFY2(stage->height() >= kProjector.height() / 2, qPrintable(where));
    // The lesson stays in front of the side panel.
    QVERIFY2(window.lessonPlayer()->isVisible(), qPrintable(where));
    // The status bar's labels sit side by side: the tensor description may be shortened, the
    // scale and the SQNR are whole, and none is drawn over another.
    QList<const QLabel*> status;
    for (const char* n : {"statusTensor", "statusParams", "statusSqnr"})
      status << window.statusBar()->findChild<QLabel*>(QLatin1String(n));
    QVERIFY(!status.contains(nullptr));
    QVERIFY2(status[0]->width() >= status[0]->minimumSizeHint().width(),
             qPrintable(where + "the tensor description is cut, not shortened"));
    for (int i = 1; i < status.size(); ++i) {
      QVERIFY2(labelCut(status[i]).isEmpty(), qPrintable(where + labelCut(status[i])));
      QVERIFY2(!status[i - 1]->geometry().intersects(status[i]->geometry()),
               qPrintable(where + status[i - 1]->objectName() + " overlaps " +
                          status[i]->objectName()));
    }
  }
  QVERIFY2(
      leavePresenter(window),
      qPrintable(
          QStringLiteral("%1x%2 after presenter mode").arg(window.width()).arg(window.height())));
  QVERIFY(!window.findChild<QWidget*>(QStringLiteral("presenterBar")));
  QVERIFY(window.centralWidget()->isVisible());
}

void TestGuiLayout720p::lessonQuestionVisible() {
  QFETCH(QString, language);
  QVERIFY(installUiLanguage(language));
  const auto shown = showWindow(language, tmp_.filePath(QStringLiteral("q-%1.json").arg(language)));
  MainWindow& window = *shown;
  LessonPlayer* player = window.lessonPlayer();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  for (const QString& lesson :
       {QStringLiteral("why-quantize"), QStringLiteral("calibration-outliers"),
        QStringLiteral("symmetric-asymmetric")}) {
    QVERIFY(player->openLesson(lesson));
    QCOMPARE(window.workspaces()->current(), Workspaces::Kind::Lesson);
    for (int step = 0; step < player->stepCount(); ++step) {
      player->goToStep(step);
      settle(window);
      const QString where = QStringLiteral("%1 %2 step %3: ").arg(language, lesson).arg(step + 1);
      auto* text = player->findChild<QTextBrowser*>(QStringLiteral("lessonText"));
      // The step's text keeps at least eight lines of its own.
      const int lines = text->viewport()->height() / QFontMetrics(text->font()).lineSpacing();
      QVERIFY2(lines >= 8, qPrintable(where + QStringLiteral("%1 lines of text").arg(lines)));
      // The first question's prompt is whole on screen, not scrolled or cut.
      auto* box = player->findChild<QWidget*>(QStringLiteral("lessonQuestion0"));
      if (!box) continue;
      auto* prompt = box->findChild<QLabel*>();
      QVERIFY(prompt);
      QVERIFY2(prompt->isVisible(), qPrintable(where));
      QCOMPARE(prompt->visibleRegion().boundingRect(), prompt->rect());
      QVERIFY2(prompt->height() >= prompt->heightForWidth(prompt->width()),
               qPrintable(where + prompt->text()));
    }
  }
}

void TestGuiLayout720p::lessonDocksComeAndGo() {
  const auto shown = showWindow(QStringLiteral("en"), tmp_.filePath(QStringLiteral("docks.json")));
  MainWindow& window = *shown;
  LessonPlayer* player = window.lessonPlayer();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* bench = window.findChild<QDockWidget*>(QStringLiteral("benchDock"));
  auto* mapping = window.findChild<QDockWidget*>(QStringLiteral("mappingDock"));
  // Lesson 10 opens the benchmark; lesson 5 talks about the mapping and must not show it.
  QVERIFY(player->openLesson(QStringLiteral("speed-on-your-cpu")));
  for (int s = 0; s < player->stepCount() && !bench->isVisible(); ++s) player->goToStep(s);
  QVERIFY(bench->isVisible());
  QVERIFY(player->openedDocks().contains(QStringLiteral("benchDock")));
  QVERIFY(player->openLesson(QStringLiteral("symmetric-asymmetric")));
  QVERIFY(!bench->isVisible());
  // A step that names its views closes the ones an earlier step opened.
  bool sawMapping = false;
  for (int s = 0; s < player->stepCount(); ++s) {
    player->goToStep(s);
    sawMapping = sawMapping || mapping->isVisible();
    for (const QString& d : player->openedDocks())
      QVERIFY(window.findChild<QDockWidget*>(d)->isVisible());
  }
  QVERIFY(sawMapping);
  player->closeLesson();
  QVERIFY(player->openedDocks().isEmpty());
  QVERIFY(!mapping->isVisible());
  // The lesson list shows progress once a question has been answered.
  QCOMPARE(player->progressText(0), QStringLiteral("Not started"));
}

void TestGuiLayout720p::screenshots() {
  if (qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR").isEmpty())
    QSKIP("QUANTLAB_SCREENSHOT_DIR is not set (tools/screenshots.sh sets it)");
  QFETCH(QString, language);
  QVERIFY(installUiLanguage(language));
  for (const QSize size : {kProjector, QSize(1920, 1080)}) {
    const auto shown = showWindow(language, tmp_.filePath(QStringLiteral("shots.json")), size);
    MainWindow& window = *shown;
    LessonPlayer* player = window.lessonPlayer();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    settle(window);
    const QString tag =
        QStringLiteral("%1-%2x%3").arg(language).arg(size.width()).arg(size.height());
    for (Workspaces::Kind kind : kKinds) {
      window.workspaces()->setCurrent(kind);
      settle(window);
      QVERIFY(saveShot(window, QStringLiteral("%1-normal-%2").arg(tag, kindName(kind))));
    }
    // Every view raised in its workspace.
    window.workspaces()->setCurrent(Workspaces::Kind::Tensor);
    for (const QString& name : MainWindow::viewNames()) {
      if (name == QLatin1String("model")) window.workspaces()->setCurrent(Workspaces::Kind::Model);
      if (auto* dock = window.findChild<QDockWidget*>(name + QLatin1String("Dock"))) dock->raise();
      settle(window);
      QVERIFY(saveShot(window, QStringLiteral("%1-normal-view-%2").arg(tag, name)));
    }
    QVERIFY(player->openLesson(QStringLiteral("calibration-outliers"), 1));
    settle(window);
    QVERIFY(saveShot(window, QStringLiteral("%1-normal-lesson6").arg(tag)));
    window.presenter()->setActive(true);
    if (window.screen()->geometry().size() != size) {
      window.setWindowState(window.windowState() & ~Qt::WindowFullScreen);
      window.resize(size);
    }
    QVERIFY(QTest::qWaitFor([&] { return window.size() == size; }, 5000));
    for (const QString& name : MainWindow::viewNames()) {
      window.presenter()->showView(name);
      settle(window);
      QVERIFY(saveShot(window, QStringLiteral("%1-presenter-%2").arg(tag, name)));
    }
    window.presenter()->setActive(false);
  }
}

QTEST_MAIN(TestGuiLayout720p)
#include "tst_gui_layout_720p.moc"
