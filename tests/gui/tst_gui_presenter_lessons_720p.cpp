// SPDX-License-Identifier: GPL-3.0-or-later
// Presenter mode on a 1280x720 projector: the window stays 1280x720, the mapping view draws its
// mapping (compact or one panel) instead of asking to be enlarged, the histogram legend (full on
// the stage, compact when smaller) is never squeezed under the chart, and every step of three
// lessons (in English, and one in Spanish and Vietnamese, whose sentences are longer) shows its
// text and questions without horizontal cuts, with the explanation after a wrong answer fully
// readable. With QUANTLAB_SCREENSHOT_DIR set, every step is also saved as a PNG there.
#include <QAbstractButton>
#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtCharts/QChartView>
#include <QtTest>

#include "histogramview.h"
#include "lessonplayer.h"
#include "mainwindow.h"
#include "mappingview.h"
#include "modelsession.h"
#include "presenter.h"
#include "presentertesting.h"
#include "quant/base/resources.h"
#include "quant/course/lesson.h"
#include "quant/numeric/generate.h"
#include "session.h"
#include "settings.h"

using namespace quantlab::ui;
using namespace quantlab::ui::testing;

namespace {

// Pixels of exactly `color` in `image` (the mapping view's reachable-code band is opaque).
int countColor(const QImage& image, QRgb color) {
  int n = 0;
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  for (int y = 0; y < img.height(); ++y) {
    const auto* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
    for (int x = 0; x < img.width(); ++x) n += (line[x] & 0xFFFFFF) == (color & 0xFFFFFF);
  }
  return n;
}

// A visible word-wrapped label shows all of its text: as tall as its text needs at its width.
// Returns "" or what is wrong.
QString labelCut(const QLabel* label) {
  if (!label->isVisible() || label->text().isEmpty()) return {};
  if (!label->wordWrap())
    return QStringLiteral("label '%1' does not wrap").arg(label->text().left(40));
  const int need = label->heightForWidth(label->width());
  if (label->height() < need)
    return QStringLiteral("label '%1' is %2 px tall, needs %3 at width %4")
        .arg(label->text().left(40))
        .arg(label->height())
        .arg(need)
        .arg(label->width());
  return {};
}

const std::vector<quant::LessonStep>& lessonSteps(const std::vector<quant::Lesson>& lessons,
                                                  const QString& id) {
  for (const quant::Lesson& l : lessons)
    if (QString::fromStdString(l.id) == id) return l.steps;
  return lessons.front().steps;
}

}  // namespace

class TestGuiPresenterLessons720p : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanup();
  void mappingDetailBySize();
  void windowFitsTheProjector();
  void walkLessons_data();
  void walkLessons();
  void presenterRestores();

 private:
  QTemporaryDir tmp_;
  QFont font_;
  QPalette palette_;
};

void TestGuiPresenterLessons720p::initTestCase() {
  QVERIFY(tmp_.isValid());
  QVERIFY2(!quant::lessonsDir().empty(), "no lessons directory");
  font_ = QApplication::font();
  palette_ = QApplication::palette();
}

void TestGuiPresenterLessons720p::cleanup() {
  // A failed test function must not leave presenter fonts to the next one.
  QApplication::setFont(font_);
  QApplication::setPalette(palette_);
}

void TestGuiPresenterLessons720p::mappingDetailBySize() {
  // Presenter fonts on a bare view: full, compact, one panel, placeholder as it gets lower,
  // and the code band is really drawn in every case but the last.
  const QFont saved = QApplication::font();
  QFont big = saved;
  big.setPointSizeF(saved.pointSizeF() * PresenterMode::kFontScale);
  QApplication::setFont(big);
  Session session;
  quant::GeneratorSpec gen;
  gen.shape = {4096};
  gen.seed = 7;
  gen.stddev = 0.5;
  session.setTensor(quant::generate(gen), QStringLiteral("normal"));
  session.flush();
  MappingView view(&session);
  QVERIFY(view.hasData(MappingView::Symmetric));
  // The view's minimum is one compact panel, so a dock can always show the mapping.
  QCOMPARE(view.detailFor(view.minimumSizeHint()), MappingView::Detail::Single);
  QVERIFY(view.minimumSizeHint().height() < 200);
  const QRgb band = qRgb(0x56, 0xB4, 0xE9);
  struct Case {
    QSize size;
    MappingView::Detail detail;
  };
  const Case cases[] = {{{900, 700}, MappingView::Detail::Full},
                        {{600, 300}, MappingView::Detail::Compact},
                        {{600, 160}, MappingView::Detail::Single},
                        {{600, 60}, MappingView::Detail::Placeholder},
                        {{120, 500}, MappingView::Detail::Placeholder}};
  for (const Case& c : cases) {
    view.resize(c.size);
    QCOMPARE(view.detail(), c.detail);
    const int bandPixels = countColor(view.grab().toImage(), band);
    if (c.detail == MappingView::Detail::Placeholder)
      QCOMPARE(bandPixels, 0);
    else
      QVERIFY2(bandPixels > c.size.width() / 2, qPrintable(QString::number(bandPixels)));
  }
  // Single shows the scheme in force.
  view.resize(600, 160);
  quant::QuantSpec spec = session.spec();
  spec.scheme = quant::Scheme::Asymmetric;
  spec.isSigned = false;
  session.setSpec(spec, "test");
  session.flush();
  QCOMPARE(view.currentPanel(), MappingView::Asymmetric);
  QApplication::setFont(saved);
}

void TestGuiPresenterLessons720p::windowFitsTheProjector() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(enterPresenter(window));
  window.session()->flush();
  QTRY_VERIFY(!window.session()->markersPending());
  QCoreApplication::processEvents();
  const QSize min = window.minimumSizeHint();
  QVERIFY2(min.width() <= kProjector.width() && min.height() <= kProjector.height(),
           qPrintable(QStringLiteral("minimum %1x%2").arg(min.width()).arg(min.height())));
  QCOMPARE(window.size(), kProjector);

  // The histogram, alone on presenter mode's stage: its legend (full or compact, as the stage
  // allows) is whole, nothing squeezed or overlapping.
  auto* hist = qobject_cast<HistogramView*>(window.view("histogram"));
  QVERIFY(hist);
  QTRY_VERIFY(hist->chartView()->width() >= kProjector.width() / 2);
  QLabel* legend = hist->legendLabel();
  QVERIFY(legend->isVisible());
  QVERIFY2(labelCut(legend).isEmpty(), qPrintable(labelCut(legend)));
  if (!qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR").isEmpty())
    window.grab().save(qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR") + "/presenter-window.png");
  QVERIFY2(!legend->geometry().intersects(hist->chartView()->geometry()),
           qPrintable(QStringLiteral("legend y %1 h %2, chart y %3 h %4")
                          .arg(legend->y())
                          .arg(legend->height())
                          .arg(hist->chartView()->y())
                          .arg(hist->chartView()->height())));
  QVERIFY(hist->chartView()->height() >= 150);
  // The full legend (with the ranges) is shown, or one hover away when compact.
  QVERIFY(
      (hist->compactLegend() ? legend->toolTip() : legend->text()).contains(QStringLiteral("[")));

  // The mapping view, on the stage, draws the mapping without scrolling.
  auto* mapping = qobject_cast<MappingView*>(window.view("mapping"));
  QVERIFY(mapping);
  window.presenter()->showView(QStringLiteral("mapping"));
  QTRY_VERIFY(mapping->isVisible());
  QVERIFY2(mapping->detail() != MappingView::Detail::Placeholder,
           qPrintable(QStringLiteral("%1x%2").arg(mapping->width()).arg(mapping->height())));
  auto* scroll = qobject_cast<QScrollArea*>(mapping->parentWidget()->parentWidget());
  QVERIFY(scroll);
  QVERIFY(!scroll->verticalScrollBar()->isVisible());

  // Back to normal: the full legend returns in a roomy window.
  window.presenter()->setActive(false);
  window.setWindowState(Qt::WindowNoState);
  window.resize(1600, 1000);
  QTRY_VERIFY(!hist->compactLegend());
  QVERIFY(legend->text().contains(QStringLiteral("[")));
}

void TestGuiPresenterLessons720p::walkLessons_data() {
  QTest::addColumn<QString>("language");
  QTest::addColumn<QString>("lesson");
  QTest::addRow("en uniform-affine") << "en"
                                     << "uniform-affine";
  QTest::addRow("en calibration-outliers") << "en"
                                           << "calibration-outliers";
  QTest::addRow("en integer-only") << "en"
                                   << "integer-only";
  QTest::addRow("vi calibration-outliers") << "vi"
                                           << "calibration-outliers";
  QTest::addRow("es uniform-affine") << "es"
                                     << "uniform-affine";
  // Lesson 05 carries the conventions box, the longest step of the course.
  QTest::addRow("es symmetric-asymmetric") << "es"
                                           << "symmetric-asymmetric";
  QTest::addRow("vi symmetric-asymmetric") << "vi"
                                           << "symmetric-asymmetric";
  // Lesson 13 quotes engine SQNRs inside its choices.
  QTest::addRow("vi nonuniform-llm-formats") << "vi"
                                             << "nonuniform-llm-formats";
  // Lesson 15's toolkit map is a four-column table.
  QTest::addRow("es beyond-this-lab") << "es"
                                      << "beyond-this-lab";
}

void TestGuiPresenterLessons720p::walkLessons() {
  QFETCH(QString, language);
  QFETCH(QString, lesson);
  const QString shots = qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR");
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(enterPresenter(window));
  LessonPlayer* player = window.lessonPlayer();
  player->setAnswersFile(tmp_.filePath(QStringLiteral("%1-%2.json").arg(language, lesson)));
  player->setLanguage(language);
  QVERIFY(player->openLesson(lesson, 0));
  const int steps = player->stepCount();
  QVERIFY(steps >= 2);
  auto* text = player->findChild<QTextBrowser*>("lessonText");
  QScrollArea* questions = player->questionsArea();
  QVERIFY(text && questions);
  for (int step = 0; step < steps; ++step) {
    player->goToStep(step);
    window.session()->flush();
    window.modelSession()->waitForIdle();
    QTRY_VERIFY(!window.session()->markersPending());
    const quant::LessonStep& s =
        lessonSteps(player->lessons(), lesson)[static_cast<std::size_t>(step)];
    // Answer every question wrongly: the longest text (verdict + explanation) shows.
    for (std::size_t qi = 0; qi < s.questions.size(); ++qi) {
      QWidget* box = player->findChild<QWidget*>(QStringLiteral("lessonQuestion%1").arg(qi));
      QVERIFY(box);
      const quant::LessonQuestion& q = s.questions[qi];
      if (q.kind == quant::QuestionKind::Numeric) {
        auto* edit = box->findChild<QLineEdit*>("numberAnswer");
        edit->setText(QString::number(q.answer + q.tolerance + 1000.0));
      } else {
        const int wrong = int(q.answer) == 1 ? 2 : 1;
        box->findChild<QRadioButton*>(QStringLiteral("choice%1").arg(wrong))->setChecked(true);
      }
      box->findChild<QPushButton*>("checkButton")->click();
    }
    QTRY_VERIFY(s.questions.empty() || questions->isVisible());
    for (int i = 0; i < 5; ++i) QTest::qWait(10);  // layouts and the scroll-into-view settle
    const QString where = QStringLiteral("%1 %2 step %3").arg(language, lesson).arg(step + 1);
    if (!shots.isEmpty()) {
      QDir().mkpath(shots);
      QVERIFY(window.grab().save(
          QStringLiteral("%1/%2-%3-step%4.png").arg(shots, language, lesson).arg(step + 1)));
    }

    // The window never grows past the projector, the player lies inside it.
    QVERIFY2(window.size() == kProjector, qPrintable(QStringLiteral("%1: window %2x%3")
                                                         .arg(where)
                                                         .arg(window.width())
                                                         .arg(window.height())));
    const QRect playerRect(player->mapTo(&window, QPoint(0, 0)), player->size());
    QVERIFY2(window.rect().contains(playerRect), qPrintable(where));
    // The step text wraps (never a horizontal scroll bar) and has a readable height.
    QVERIFY2(!text->horizontalScrollBar()->isVisible(), qPrintable(where));
    QVERIFY2(text->height() >= 3 * text->fontMetrics().height(), qPrintable(where));
    if (!s.questions.empty()) {
      // Questions: no horizontal cut, every label as tall as its wrapped text...
      QWidget* content = questions->widget();
      QVERIFY2(content->width() <= questions->viewport()->width(), qPrintable(where));
      for (QLabel* label : content->findChildren<QLabel*>()) {
        if (!label->isVisibleTo(player)) continue;
        const QString cut = labelCut(label);
        QVERIFY2(cut.isEmpty(), qPrintable(where + ": " + cut));
        QVERIFY2(label->mapTo(content, QPoint(label->width(), 0)).x() <= content->width(),
                 qPrintable(where));
      }
      // ...the explanations are there, and the area holds them all unless they need more than
      // its share of the player; then it scrolls (and the last one is scrolled into view).
      QList<QLabel*> feedback = content->findChildren<QLabel*>("feedback");
      QCOMPARE(feedback.size(), static_cast<qsizetype>(s.questions.size()));
      for (QLabel* fb : feedback) QVERIFY2(fb->isVisibleTo(player), qPrintable(where));
      const int need = content->heightForWidth(questions->viewport()->width());
      if (need <= player->height() * LessonPlayer::kQuestionsShare - 4)
        QVERIFY2(questions->verticalScrollBar()->maximum() == 0,
                 qPrintable(QStringLiteral("%1: questions need %2 px, area %3 px, player %4")
                                .arg(where)
                                .arg(need)
                                .arg(questions->viewport()->height())
                                .arg(player->height())));
    }
    // The mapping view, when the step shows it, draws the mapping.
    auto* mapping = qobject_cast<MappingView*>(window.view("mapping"));
    if (mapping->isVisible())
      QVERIFY2(mapping->detail() != MappingView::Detail::Placeholder, qPrintable(where));
    auto* hist = qobject_cast<HistogramView*>(window.view("histogram"));
    QVERIFY2(labelCut(hist->legendLabel()).isEmpty(),
             qPrintable(where + ": " + labelCut(hist->legendLabel())));
  }
  window.modelSession()->waitForIdle();
}

void TestGuiPresenterLessons720p::presenterRestores() {
  // The lessons dock is widened in presenter mode and gets its width back afterwards.
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(kProjector);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* dock = window.findChild<QDockWidget*>("lessonsDock");
  QVERIFY(dock);
  QTRY_VERIFY(dock->width() > 0);
  const int before = dock->width();
  const QFont font = QApplication::font();
  QVERIFY(enterPresenter(window));
  QTRY_VERIFY2(dock->width() >= int(kProjector.width() * PresenterMode::kLessonsShare) - 8,
               qPrintable(QStringLiteral("before %1, now %2").arg(before).arg(dock->width())));
  window.presenter()->setActive(false);
  window.setWindowState(Qt::WindowNoState);
  window.resize(kProjector);
  QTRY_VERIFY(std::abs(dock->width() - before) <= 8);
  QCOMPARE(QApplication::font(), font);
}

QTEST_MAIN(TestGuiPresenterLessons720p)
#include "tst_gui_presenter_lessons_720p.moc"
