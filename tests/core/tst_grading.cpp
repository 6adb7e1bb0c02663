// SPDX-License-Identifier: GPL-3.0-or-later
// Grading lesson answers: the precision the step prints widens the tolerance (never narrows it),
// wrong answers get the right hint, and `lessons check` flags a tolerance tighter than the
// printed answer.
#include <QtTest>
#include <string>

#include "quant/course/grading.h"
#include "quant/course/lesson.h"

namespace {

quant::LessonQuestion numeric(double answer, double tolerance, const char* explanation = "") {
  quant::LessonQuestion q;
  q.kind = quant::QuestionKind::Numeric;
  q.answer = answer;
  q.answerText = std::to_string(answer);
  q.tolerance = tolerance;
  q.hasTolerance = true;
  q.explanation = explanation;
  q.line = 9;
  return q;
}

// Lesson 6's step: the text prints 99 / 127 ≈ 0.78, the answer is 0.7795 with tolerance 0.0001.
const char* const kLesson6 = "Symmetric int8 now needs s = 99 / 127 ≈ 0.78.";

}  // namespace

class TestGrading : public QObject {
  Q_OBJECT
 private slots:
  void printedAnswers_data();
  void printedAnswers();
  void grade_data();
  void grade();
  void choice();
  void lessonCheck();
};

void TestGrading::printedAnswers_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<double>("answer");
  QTest::addColumn<int>("decimals");  // -1: no printed answer
  QTest::addRow("lesson 6: ≈ 0.78") << QString(kLesson6) << 0.7795 << 2;
  QTest::addRow("decimal comma") << "s ≈ 0,78" << 0.7795 << 2;
  QTest::addRow("bold and U+2212") << "x ≈ **−0.0122**" << -0.012157 << 4;
  QTest::addRow("tilde") << "about ~0.6 here" << 0.5984 << 1;
  QTest::addRow("input value, no ≈") << "values 0.3, 0.6, −0.3" << 0.5984 << -1;
  QTest::addRow("wrongly rounded") << "s ≈ 0.77" << 0.7795 << -1;
  QTest::addRow("integer never counts") << "rounds to ≈ 48" << 47.6 << -1;
  QTest::addRow("exact answer in full") << "step ≈ 8.5" << 8.5 << -1;
  QTest::addRow("inside a word") << "fc1.5 ≈x1.5" << 1.46 << -1;
}

void TestGrading::printedAnswers() {
  QFETCH(QString, text);
  QFETCH(double, answer);
  QFETCH(int, decimals);
  const auto found = quant::findPrintedAnswers(text.toStdString(), answer);
  if (decimals < 0) {
    QVERIFY2(found.empty(), found.empty() ? "" : found[0].text.c_str());
  } else {
    QCOMPARE(found.size(), std::size_t{1});
    QCOMPARE(found[0].decimals, decimals);
  }
}

void TestGrading::grade_data() {
  QTest::addColumn<double>("answer");
  QTest::addColumn<double>("tolerance");
  QTest::addColumn<QString>("context");
  QTest::addColumn<double>("given");
  QTest::addColumn<bool>("correct");
  QTest::addColumn<int>("hint");
  using H = quant::AnswerHint;
  const QString l6(kLesson6);
  // The rows: 0.78, 0.779 and 0.7795 pass, 0.77 fails.
  QTest::addRow("0.78 as printed") << 0.7795 << 0.0001 << l6 << 0.78 << true << int(H::None);
  QTest::addRow("0.779") << 0.7795 << 0.0001 << l6 << 0.779 << true << int(H::None);
  QTest::addRow("0.7795") << 0.7795 << 0.0001 << l6 << 0.7795 << true << int(H::None);
  QTest::addRow("0.77 fails") << 0.7795 << 0.0001 << l6 << 0.77 << false << int(H::Close);
  QTest::addRow("without the print") << 0.7795 << 0.0001 << "" << 0.78 << false << int(H::Close);
  QTest::addRow("tolerance looser than print")
      << 0.7795 << 0.01 << l6 << 0.771 << true << int(H::None);
  QTest::addRow("wrong sign") << 0.7795 << 0.0001 << l6 << -0.78 << false << int(H::WrongSign);
  QTest::addRow("decimal point") << 0.7795 << 0.0001 << l6 << 7.795 << false
                                 << int(H::DecimalPoint);
  QTest::addRow("far too high") << 0.7795 << 0.0001 << l6 << 3.0 << false << int(H::TooHigh);
  QTest::addRow("far too low") << 0.7795 << 0.0001 << l6 << 0.2 << false << int(H::TooLow);
  QTest::addRow("code one off") << 48.0 << 0.0 << "47.6 rounds to 48" << 47.0 << false
                                << int(H::Close);
  QTest::addRow("code exact") << 48.0 << 0.0 << "47.6 rounds to 48" << 48.0 << true << int(H::None);
  QTest::addRow("zero answer") << 0.0 << 0.0 << "" << 0.0 << true << int(H::None);
}

void TestGrading::grade() {
  QFETCH(double, answer);
  QFETCH(double, tolerance);
  QFETCH(QString, context);
  QFETCH(double, given);
  QFETCH(bool, correct);
  QFETCH(int, hint);
  const quant::Grade g =
      quant::gradeNumeric(numeric(answer, tolerance), context.toStdString(), given);
  QCOMPARE(g.correct, correct);
  QCOMPARE(int(g.hint), hint);
}

void TestGrading::choice() {
  quant::LessonQuestion q;
  q.kind = quant::QuestionKind::Choice;
  q.choices = {"a", "b", "c"};
  q.answer = 2;
  QVERIFY(quant::gradeChoice(q, 2).correct);
  const quant::Grade g = quant::gradeChoice(q, 3);
  QVERIFY(!g.correct);
  QCOMPARE(g.hint, quant::AnswerHint::OtherChoice);
}

void TestGrading::lessonCheck() {
  quant::Lesson lesson;
  lesson.where = "demo.md";
  quant::LessonStep step;
  step.text = kLesson6;
  step.questions.push_back(numeric(0.7795, 0.0001));
  lesson.steps.push_back(step);
  const auto problems = quant::checkPrintedAnswers(lesson);
  QCOMPARE(problems.size(), std::size_t{1});
  QVERIFY2(problems[0].rfind("demo.md:9: ", 0) == 0, problems[0].c_str());
  QVERIFY2(problems[0].find("as 0.78 (2 decimals)") != std::string::npos, problems[0].c_str());
  QVERIFY2(problems[0].find("use tolerance: 0.005") != std::string::npos, problems[0].c_str());
  // The tolerance the print implies is consistent; a print in full precision asks for nothing.
  lesson.steps[0].questions[0].tolerance = 0.005;
  QVERIFY(quant::checkPrintedAnswers(lesson).empty());
  lesson.steps[0].questions[0].tolerance = 0.0001;
  lesson.steps[0].questions[0].explanation = "s ≈ 0.7795, so 0.78 is a step.";
  lesson.steps[0].text = "No rounded value here.";
  QVERIFY(quant::checkPrintedAnswers(lesson).empty());
}

QTEST_APPLESS_MAIN(TestGrading)
#include "tst_grading.moc"
