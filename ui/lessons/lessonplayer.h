// SPDX-License-Identifier: GPL-3.0-or-later
// The Lessons dock: a browser (the lessons of one language, with a language selector) and a
// player (one step at a time: its Markdown text, previous/next, "step 3 of 6", reset, and its
// questions with a Check button: a wrong answer gets a hint and another try, the second shows the
// answer and its explanation; quant::gradeNumeric decides). Entering a step applies its actions
// to the window (lessonactions.h). Answers are kept in a small JSON file in the application data
// folder, written atomically with QSaveFile.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "quant/course/grading.h"
#include "quant/course/lesson.h"

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QTextBrowser;
class QTranslator;
class QVBoxLayout;

namespace quantlab::ui {

class MainWindow;

class LessonPlayer : public QWidget {
  Q_OBJECT
 public:
  explicit LessonPlayer(MainWindow* window, QWidget* parent = nullptr);

  // The questions area is as tall as its content, up to this share of the player; then it
  // scrolls.
  static constexpr double kQuestionsShare = 0.45;
  // Wrong answers (each with a hint) before the solution and explanation are shown.
  static constexpr int kTriesBeforeSolution = 2;

  // The folder holding <lang>/NN-slug.md (default quant::lessonsDir()); reloads the list.
  void setLessonsDir(const QString& dir);
  // Where answers are kept (default <AppDataLocation>/lesson-answers.json).
  void setAnswersFile(const QString& path);
  QString answersFile() const { return answersFile_; }

  // "en", "es", "vi"; a language without lessons falls back to en. Keeps the open lesson (same
  // id and step) in the new language.
  void setLanguage(const QString& language);
  QString language() const { return language_; }
  // The language the UI locale asks for when lessons exist in it, else "en".
  static QString defaultLanguage(const QString& lessonsDir);

  const std::vector<quant::Lesson>& lessons() const { return lessons_; }
  // Opens a lesson of the current language at `step` (0-based, clamped). False if no such id.
  bool openLesson(const QString& id, int step = 0, bool applyActions = true);
  void closeLesson();        // back to the browser
  QString lessonId() const;  // "" in the browser
  int currentStep() const { return step_; }
  int stepCount() const;
  void goToStep(int step);
  void next();
  void previous();
  void resetStep();  // re-applies the step's actions
  // Notes of the last applied step (actions that could not apply in this build).
  QStringList notes() const { return notes_; }
  // The scroll area holding the questions (sized to its content, capped; for layout tests).
  QScrollArea* questionsArea() const { return questionsScroll_; }
  // Errors loading the lessons folder ("" when fine).
  QString loadError() const { return loadError_; }
  // The view docks (objectNames) the open lesson's steps showed and that are still open: a step
  // whose actions show views closes the ones earlier steps opened, leaving a lesson closes all.
  QStringList openedDocks() const { return openedDocks_; }
  // "Questions right: 3/5" for lesson `index` of lessons(), from the saved answers.
  QString progressText(int index) const;

 signals:
  void stepShown(const QString& lessonId, int step);

 protected:
  void changeEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void reload();
  void updateFonts();
  void showStep(bool applyActions);
  void buildQuestions();
  // Sizes the questions area to its content (see kQuestionsShare).
  void fitQuestions();
  // Grades question `index`; `replay` shows a saved answer again without counting a try.
  void checkAnswer(int index, bool replay = false);
  QString hintText(quant::AnswerHint hint) const;
  // The player's own text (buttons, feedback, hints) in the lessons' language; the sources are
  // marked with QT_TR_NOOP so lupdate files them under LessonPlayer.
  QString say(const char* source) const;
  void retranslate();
  void loadAnswers();
  void saveAnswers();
  // Re-labels the lesson list with each lesson's progress.
  void refreshList();
  // Hides the docks in openedDocks_ except `keep` (no-op on the stage of presenter mode).
  void closeOpenedDocks(const QStringList& keep = {});
  QString answerKey(int question) const;

  MainWindow* window_;
  QString dir_, language_, answersFile_, loadError_;
  std::vector<quant::Lesson> lessons_;
  int lesson_ = -1, step_ = 0;
  QStringList notes_;
  QStringList openedDocks_;
  QJsonObject answers_;

  QStackedWidget* stack_ = nullptr;
  QComboBox* languageCombo_ = nullptr;
  QListWidget* list_ = nullptr;
  QLabel* lessonTitle_ = nullptr;
  QLabel* progress_ = nullptr;
  QTextBrowser* text_ = nullptr;
  QLabel* notesLabel_ = nullptr;
  QWidget* questionsBox_ = nullptr;
  QScrollArea* questionsScroll_ = nullptr;
  QVBoxLayout* questionsLayout_ = nullptr;
  QTranslator* lessonTranslator_ = nullptr;
  QLabel* langLabel_ = nullptr;
  QPushButton* start_ = nullptr;
  QPushButton* back_ = nullptr;
  QPushButton* prev_ = nullptr;
  QPushButton* next_ = nullptr;
  QPushButton* reset_ = nullptr;
  struct QuestionUi {
    QButtonGroup* choices = nullptr;
    QLineEdit* number = nullptr;
    QLabel* feedback = nullptr;
  };
  std::vector<QuestionUi> questionUi_;
};

}  // namespace quantlab::ui
