// SPDX-License-Identifier: GPL-3.0-or-later
// The lessons dock: every action of every shipped lesson (all languages) applies to a fresh
// window without an error, the player's navigation keys and progress, questions with feedback
// and saved answers, highlights, and presenter mode toggling back to exactly the previous state.
#include <QApplication>
#include <QButtonGroup>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTranslator>
#include <QtTest>

#include "lessonactions.h"
#include "lessonplayer.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "numberformatview.h"
#include "presenter.h"
#include "quant/base/resources.h"
#include "quant/course/lesson.h"
#include "session.h"
#include "settings.h"
#include "translations.h"

using namespace quantlab::ui;

namespace {
// The open step's first numeric question box (by kind, not by position: steps may open with a
// multiple-choice warm-up), or nullptr.
QWidget* firstNumericQuestion(LessonPlayer* player) {
  for (int i = 0;; ++i) {
    auto* box = player->findChild<QWidget*>(QStringLiteral("lessonQuestion%1").arg(i));
    if (!box) return nullptr;
    if (box->findChild<QLineEdit*>("numberAnswer")) return box;
  }
}
}  // namespace

class TestGuiLessons : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void everyActionApplies_data();
  void everyActionApplies();
  void actionsSetTheSession();
  void playerNavigation();
  void questions();
  void gradingFollowsPrintedPrecision();
  void playerSpeaksLessonLanguage();
  void highlight();
  void presenterToggles();
  // Only when QUANTLAB_SCREENSHOT_DIR is set: PNGs of the player and of presenter mode.
  void screenshots();

 private:
  QTemporaryDir tmp_;
};

void TestGuiLessons::initTestCase() {
  QVERIFY(tmp_.isValid());
  QVERIFY2(!quant::lessonsDir().empty(), "no lessons directory");
}

void TestGuiLessons::everyActionApplies_data() {
  // The actions blocks of es and vi are identical to en (tst_lessons compares them), so the
  // English tree covers every shipped action; a translation is checked on one lesson too.
  QTest::addColumn<QString>("language");
  QTest::addRow("en") << QStringLiteral("en");
}

void TestGuiLessons::everyActionApplies() {
  QFETCH(QString, language);
  const auto lessons = quant::loadLessons(quant::lessonsDir(), language.toStdString());
  QCOMPARE(lessons.size(), std::size_t(15));
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(1280, 720);
  window.show();
  int applied = 0;
  for (const quant::Lesson& lesson : lessons) {
    for (std::size_t s = 0; s < lesson.steps.size(); ++s) {
      const QStringList notes = applyLessonActions(&window, lesson.steps[s].actions);
      // Notes may only say that a view / model is not part of this build, never "Skipped".
      for (const QString& n : notes)
        QVERIFY2(!n.startsWith(QLatin1String("Skipped")),
                 qPrintable(QStringLiteral("%1 step %2: %3")
                                .arg(QString::fromStdString(lesson.where)).arg(s + 1).arg(n)));
      window.session()->flush();
      QVERIFY2(window.session()->lastError().isEmpty(),
               qPrintable(QStringLiteral("%1 step %2: %3")
                              .arg(QString::fromStdString(lesson.where))
                              .arg(s + 1)
                              .arg(window.session()->lastError())));
      applied += static_cast<int>(lesson.steps[s].actions.size());
    }
  }
  QVERIFY(applied > 50);
  window.modelSession()->waitForIdle();
}

void TestGuiLessons::actionsSetTheSession() {
  MainWindow window(std::unique_ptr<Settings>{});
  auto act = [](const char* verb, std::vector<std::string> args) {
    quant::LessonAction a;
    a.verb = verb;
    a.args = std::move(args);
    return a;
  };
  const QStringList notes = applyLessonActions(
      &window, {act("values", {"0.5,-1,2"}), act("spec", {"bits=4", "scheme=asymmetric"}),
                act("calibration", {"percentile:99.5"}), act("range", {"-1.5", "2.5"}),
                act("probe", {"0.3"}), act("format", {"bf16"})});
  QVERIFY2(notes.isEmpty(), qPrintable(notes.join('\n')));
  Session* s = window.session();
  QCOMPARE(s->tensor().data, (std::vector<float>{0.5f, -1.0f, 2.0f}));
  QCOMPARE(s->spec().bits, 4);
  QCOMPARE(int(s->spec().scheme), int(quant::Scheme::Asymmetric));
  QCOMPARE(s->spec().isSigned, false);  // the format's default for asymmetric
  QCOMPARE(int(s->calibration().method), int(quant::CalibrationMethod::Percentile));
  QCOMPARE(s->calibration().percentile, 99.5);
  QVERIFY(s->manualRange().has_value());
  QCOMPARE(s->manualRange()->lo, -1.5f);
  QCOMPARE(s->probeValue(), 0.3);
  auto* formats = qobject_cast<NumberFormatView*>(window.view("formats"));
  QVERIFY(formats);
  QCOMPARE(QString::fromStdString(formats->formatAt(formats->selectedRow()).name),
           QStringLiteral("bf16"));
  applyLessonActions(&window, {act("range", {"auto"})});
  QVERIFY(!s->manualRange().has_value());
  // An invalid action is skipped with a note; the following ones still run.
  const QStringList bad =
      applyLessonActions(&window, {act("spec", {"bits=99"}), act("probe", {"0.75"})});
  QCOMPARE(bad.size(), 1);
  QVERIFY(bad[0].contains("spec bits=99"));
  QCOMPARE(s->probeValue(), 0.75);
}

void TestGuiLessons::playerNavigation() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(1280, 720);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  // Window shortcuts need the active window (a real X11 window under Xvfb has to be activated).
  window.activateWindow();
  if (!QTest::qWaitForWindowActive(&window))
    QSKIP("this platform cannot activate windows; shortcuts need an active window");
  LessonPlayer* player = window.lessonPlayer();
  QVERIFY(player);
  player->setAnswersFile(tmp_.filePath("nav.json"));
  player->setLanguage("en");
  QCOMPARE(player->lessons().size(), std::size_t(15));
  QVERIFY(!player->openLesson("no-such-lesson"));
  QVERIFY(player->openLesson("uniform-affine"));
  QCOMPARE(player->currentStep(), 0);
  auto* progress = player->findChild<QLabel*>("lessonProgress");
  const int n = player->stepCount();
  QVERIFY(n >= 2);
  QCOMPARE(progress->text(), QStringLiteral("Step 1 of %1").arg(n));
  auto* text = player->findChild<QTextBrowser*>("lessonText");
  QVERIFY(text->toPlainText().contains(
      QString::fromStdString(player->lessons()[3].steps[0].title)));
  // The fonts of the lesson text are larger than the application font.
  QVERIFY(text->font().pointSizeF() > QApplication::font().pointSizeF() * 1.2);

  QSignalSpy shown(player, &LessonPlayer::stepShown);
  QTest::keyClick(&window, Qt::Key_PageDown);
  QCOMPARE(player->currentStep(), 1);
  QTest::keyClick(&window, Qt::Key_Right, Qt::AltModifier);
  QCOMPARE(player->currentStep(), 2);
  QTest::keyClick(&window, Qt::Key_PageUp);
  QCOMPARE(player->currentStep(), 1);
  QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier);
  QCOMPARE(player->currentStep(), 0);
  QCOMPARE(shown.count(), 4);
  QTest::keyClick(&window, Qt::Key_PageUp);  // clamps at the first step
  QCOMPARE(player->currentStep(), 0);
  player->goToStep(1000);
  QCOMPARE(player->currentStep(), n - 1);
  QCOMPARE(progress->text(), QStringLiteral("Step %1 of %1").arg(n));
  QVERIFY(!player->findChild<QPushButton*>("lessonNextButton")->isEnabled());

  // Reset re-applies the step's actions after the student changed things.
  player->goToStep(0);
  const quant::QuantSpec stepSpec = window.session()->spec();
  quant::QuantSpec other = stepSpec;
  other.bits = stepSpec.bits == 3 ? 5 : 3;
  window.session()->setSpec(other, "student");
  QTest::mouseClick(player->findChild<QPushButton*>("lessonResetButton"), Qt::LeftButton);
  QCOMPARE(window.session()->spec().bits, stepSpec.bits);

  // Switching language keeps the lesson and the step.
  player->goToStep(2);
  player->setLanguage("vi");
  QCOMPARE(player->lessonId(), QStringLiteral("uniform-affine"));
  QCOMPARE(player->currentStep(), 2);
  QVERIFY(player->findChild<QLabel*>("lessonTitle")->text() !=
          QStringLiteral("4. Uniform affine quantization"));
  // Back to the browser: the keys do nothing there.
  player->closeLesson();
  QTest::keyClick(&window, Qt::Key_PageDown);
  QVERIFY(player->lessonId().isEmpty());
}

void TestGuiLessons::questions() {
  const QString answers = tmp_.filePath("answers.json");
  MainWindow window(std::unique_ptr<Settings>{});
  window.show();
  LessonPlayer* player = window.lessonPlayer();
  player->setAnswersFile(answers);
  player->setLanguage("en");
  // Find a numeric and a choice question anywhere in the English lessons.
  bool numericDone = false, choiceDone = false;
  for (const quant::Lesson& l : player->lessons()) {
    for (std::size_t s = 0; s < l.steps.size(); ++s) {
      const auto& qs = l.steps[s].questions;
      if (qs.empty() || qs.size() > 1) continue;
      const quant::LessonQuestion& q = qs[0];
      if (q.kind == quant::QuestionKind::Numeric ? numericDone : choiceDone) continue;
      QVERIFY(player->openLesson(QString::fromStdString(l.id), int(s), false));
      QWidget* box = player->findChild<QWidget*>("lessonQuestion0");
      QVERIFY(box);
      QTRY_VERIFY(box->isVisible());  // widgets added to a shown layout appear one turn later
      auto* check = box->findChild<QPushButton*>("checkButton");
      auto* feedback = box->findChild<QLabel*>("feedback");
      if (q.kind == quant::QuestionKind::Numeric) {
        auto* edit = box->findChild<QLineEdit*>("numberAnswer");
        edit->clear();
        QTest::keyClicks(edit, QString::number(q.answer + q.tolerance + 1000.0));
        QTest::mouseClick(check, Qt::LeftButton);
        QVERIFY(feedback->isVisibleTo(player));
        QCOMPARE(feedback->property("correct").toBool(), false);
        // The first wrong answer gets a hint and another try, not the solution.
        QCOMPARE(feedback->property("solutionShown").toBool(), false);
        QVERIFY(!feedback->text().contains(QString::fromStdString(q.explanation)));
        edit->clear();
        QTest::keyClicks(edit, QString::number(q.answer + q.tolerance + 2000.0));
        QTest::mouseClick(check, Qt::LeftButton);
        QCOMPARE(feedback->property("solutionShown").toBool(), true);
        QVERIFY(feedback->text().contains(QString::fromStdString(q.explanation)));
        edit->clear();
        QTest::keyClicks(edit, QString::number(q.answer, 'g', 12).replace('.', ','));
        QTest::mouseClick(check, Qt::LeftButton);
        QCOMPARE(feedback->property("correct").toBool(), true);
        numericDone = true;
      } else {
        const int wrong = int(q.answer) == 1 ? 2 : 1;
        QTest::mouseClick(box->findChild<QRadioButton*>(QStringLiteral("choice%1").arg(wrong)),
                          Qt::LeftButton);
        QTest::mouseClick(check, Qt::LeftButton);
        QCOMPARE(feedback->property("correct").toBool(), false);
        QCOMPARE(feedback->property("solutionShown").toBool(), false);
        QTest::mouseClick(
            box->findChild<QRadioButton*>(QStringLiteral("choice%1").arg(int(q.answer))),
            Qt::LeftButton);
        QTest::mouseClick(check, Qt::LeftButton);
        QCOMPARE(feedback->property("correct").toBool(), true);
        choiceDone = true;
      }
      // The answer is on disk and comes back in a new player.
      QVERIFY(QFile::exists(answers));
      MainWindow other(std::unique_ptr<Settings>{});
      other.lessonPlayer()->setAnswersFile(answers);
      other.lessonPlayer()->setLanguage("en");
      QVERIFY(other.lessonPlayer()->openLesson(QString::fromStdString(l.id), int(s), false));
      auto* fb = other.lessonPlayer()
                     ->findChild<QWidget*>("lessonQuestion0")
                     ->findChild<QLabel*>("feedback");
      QCOMPARE(fb->property("correct").toBool(), true);
    }
  }
  QVERIFY(numericDone);
  QVERIFY(choiceDone);
}

void TestGuiLessons::gradingFollowsPrintedPrecision() {
  // Lesson 6 prints s = 99 / 127 ≈ 0.78 for the answer 0.7795: two decimals are right, a
  // wrong second decimal is not and gets a hint; the second wrong answer shows the solution.
  MainWindow window(std::unique_ptr<Settings>{});
  window.show();
  LessonPlayer* player = window.lessonPlayer();
  player->setAnswersFile(tmp_.filePath("precision.json"));
  player->setLanguage("en");
  QVERIFY(player->openLesson("calibration-outliers", 0, false));
  QWidget* box = firstNumericQuestion(player);
  QVERIFY(box);
  auto* edit = box->findChild<QLineEdit*>("numberAnswer");
  auto* check = box->findChild<QPushButton*>("checkButton");
  auto* feedback = box->findChild<QLabel*>("feedback");
  QVERIFY(edit && check && feedback);
  const auto answer = [&](const QString& text) {
    edit->clear();
    QTest::keyClicks(edit, text);
    QTest::mouseClick(check, Qt::LeftButton);
    return feedback->property("correct").toBool();
  };
  QVERIFY(answer("0.78"));
  QVERIFY(answer("0.779"));
  QVERIFY(answer("0,7795"));
  QVERIFY(!answer("0.77"));
  QVERIFY(feedback->text().contains(LessonPlayer::tr("Close — check the rounding.")));
  QCOMPARE(feedback->property("solutionShown").toBool(), false);
  QVERIFY(!feedback->text().contains("0.7795"));
  QVERIFY(!answer("-0.78"));
  QCOMPARE(feedback->property("solutionShown").toBool(), true);
  QVERIFY(feedback->text().contains("0.7795"));
}

void TestGuiLessons::playerSpeaksLessonLanguage() {
  // An English interface showing Spanish and Vietnamese lessons: the player's buttons and
  // feedback follow the lessons, so no step mixes two languages.
  MainWindow window(std::unique_ptr<Settings>{});
  window.show();
  LessonPlayer* player = window.lessonPlayer();
  player->setAnswersFile(tmp_.filePath("language.json"));
  for (const QString lang : {"es", "vi"}) {
    QTranslator catalogue;
    QVERIFY(catalogue.load(translationFile(lang)));
    const auto expect = [&](const char* source) {
      const QString t = catalogue.translate("quantlab::ui::LessonPlayer", source);
      return t.isEmpty() ? QString(source) : t;
    };
    player->setLanguage(lang);
    QVERIFY(player->openLesson("calibration-outliers", 0, false));
    QCOMPARE(window.findChild<QPushButton*>("lessonNextButton")->text(), expect("&Next ▶"));
    QCOMPARE(window.findChild<QPushButton*>("lessonBackButton")->text(), expect("◀ Lessons"));
    QWidget* box = firstNumericQuestion(player);
    QVERIFY(box);
    auto* check = box->findChild<QPushButton*>("checkButton");
    QCOMPARE(check->text(), expect("Check"));
    QVERIFY(check->text() != QLatin1String("Check"));
    auto* edit = box->findChild<QLineEdit*>("numberAnswer");
    QVERIFY(edit);
    auto* feedback = box->findChild<QLabel*>("feedback");
    for (const char* wrong : {"0.5", "0.4"}) {
      edit->clear();
      QTest::keyClicks(edit, wrong);
      QTest::mouseClick(check, Qt::LeftButton);
    }
    const QString prefix = expect("✘ Not quite — the answer is %1.").section("%1", 0, 0);
    QVERIFY2(feedback->text().startsWith(prefix), qPrintable(feedback->text()));
    QVERIFY(!feedback->text().contains("Not quite"));
  }
}

void TestGuiLessons::highlight() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(1280, 720);
  window.show();
  quant::LessonAction a;
  a.verb = "highlight";
  a.args = {"bitsSlider"};
  QVERIFY(applyLessonActions(&window, {a}).isEmpty());
  QWidget* frame = window.findChild<QWidget*>("lessonHighlight");
  QVERIFY(frame);
  QVERIFY(frame->isVisible());
  QWidget* slider = window.findChild<QWidget*>("bitsSlider");
  const QRect target(slider->mapTo(&window, QPoint(0, 0)), slider->size());
  QVERIFY(frame->geometry().contains(target));
  QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QWidget*>("lessonHighlight") == nullptr, 5000);
}

void TestGuiLessons::presenterToggles() {
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(1280, 720);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  window.activateWindow();
  if (!QTest::qWaitForWindowActive(&window))
    QSKIP("this platform cannot activate windows; shortcuts need an active window");
  PresenterMode* p = window.presenter();
  QVERIFY(p);
  const QFont font = QApplication::font();
  const QPalette palette = QApplication::palette();
  const Qt::WindowStates state = window.windowState();
  QWidget* narrow = window.findChild<QWidget*>("narrowCheck");
  QVERIFY(narrow && !narrow->isHidden());
  const bool percentileHidden = window.findChild<QWidget*>("percentileSpin")->isHidden();

  QTest::keyClick(&window, Qt::Key_F11);
  QVERIFY(p->isActive());
  QVERIFY(window.findChild<QAction*>("actionPresenter")->isChecked());
  QVERIFY(window.windowState() & Qt::WindowFullScreen);
  QCOMPARE(QApplication::font().pointSizeF(), font.pointSizeF() * PresenterMode::kFontScale);
  QVERIFY(QApplication::palette().color(QPalette::Window) != palette.color(QPalette::Window) ||
          QApplication::palette().color(QPalette::Text) == Qt::black);
  QVERIFY(narrow->isHidden());
  QVERIFY(p->pointer() && p->pointer()->isVisible());

  QTest::keyClick(&window, Qt::Key_F11);
  QVERIFY(!p->isActive());
  QVERIFY(!window.findChild<QAction*>("actionPresenter")->isChecked());
  QCOMPARE(window.windowState(), state);
  QCOMPARE(QApplication::font(), font);
  QCOMPARE(QApplication::palette().color(QPalette::Window), palette.color(QPalette::Window));
  QCOMPARE(QApplication::palette().color(QPalette::Text), palette.color(QPalette::Text));
  QVERIFY(!narrow->isHidden());
  QCOMPARE(window.findChild<QWidget*>("percentileSpin")->isHidden(), percentileHidden);
  QTRY_VERIFY(window.findChild<QWidget*>("presenterPointer") == nullptr);
}

void TestGuiLessons::screenshots() {
  const QString dir = qEnvironmentVariable("QUANTLAB_SCREENSHOT_DIR");
  if (dir.isEmpty()) QSKIP("set QUANTLAB_SCREENSHOT_DIR to write screenshots");
  MainWindow window(std::unique_ptr<Settings>{});
  window.resize(1280, 720);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  LessonPlayer* player = window.lessonPlayer();
  player->setAnswersFile(tmp_.filePath("shots.json"));
  for (const QString lang : {"en", "es", "vi"}) {
    player->setLanguage(lang);
    QVERIFY(player->openLesson("uniform-affine", 1));
    for (int i = 0; i < 10; ++i) QTest::qWait(20);
    window.session()->flush();
    QVERIFY(window.grab().save(QStringLiteral("%1/player-%2.png").arg(dir, lang)));
    QVERIFY(window.findChild<QWidget*>("lessonsDock")->grab().save(
        QStringLiteral("%1/player-dock-%2.png").arg(dir, lang)));
  }
  window.presenter()->setActive(true);
  for (int i = 0; i < 20; ++i) QTest::qWait(20);
  QCursor::setPos(window.mapToGlobal(QPoint(400, 300)));
  for (int i = 0; i < 10; ++i) QTest::qWait(20);
  QVERIFY(window.grab().save(dir + "/presenter.png"));
  window.presenter()->setActive(false);
}

QTEST_MAIN(TestGuiLessons)
#include "tst_gui_lessons.moc"
