// SPDX-License-Identifier: GPL-3.0-or-later
#include "lessonplayer.h"

#include <QAction>
#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMouseEvent>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QTimer>
#include <QTranslator>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "lessonactions.h"
#include "mainwindow.h"
#include "presenter.h"
#include "quant/base/resources.h"
#include "quant/base/tensor.h"
#include "translations.h"
#include "workspaces.h"

namespace quantlab::ui {

namespace {

QString languageName(const QString& code) {
  if (code == QLatin1String("en")) return QStringLiteral("English");
  if (code == QLatin1String("es")) return QStringLiteral("Español");
  if (code == QLatin1String("vi")) return QStringLiteral("Tiếng Việt");
  return code;
}

// Accepts "0.5", "0,5", "−3" (the Unicode minus the lessons print) and "1e-3".
bool parseNumber(QString text, double& out) {
  text = text.trimmed();
  text.replace(QChar(0x2212), QLatin1Char('-'));
  if (!text.contains(QLatin1Char('.')) && text.count(QLatin1Char(',')) == 1)
    text.replace(QLatin1Char(','), QLatin1Char('.'));
  bool ok = false;
  out = QLocale::c().toDouble(text, &ok);
  return ok && std::isfinite(out);
}

// The text of one choice: wraps, and a click on it picks the choice.
class ChoiceLabel : public QLabel {
 public:
  ChoiceLabel(const QString& text, QRadioButton* button) : QLabel(text), button_(button) {
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setBuddy(button);
  }

 protected:
  void mouseReleaseEvent(QMouseEvent* e) override {
    QLabel::mouseReleaseEvent(e);
    if (e->button() == Qt::LeftButton && rect().contains(e->position().toPoint())) {
      button_->setChecked(true);
      button_->setFocus(Qt::MouseFocusReason);
    }
  }

 private:
  QRadioButton* button_;
};

}  // namespace

LessonPlayer::LessonPlayer(MainWindow* window, QWidget* parent)
    : QWidget(parent), window_(window) {
  setObjectName(QStringLiteral("LessonPlayer"));
  answersFile_ = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                     .filePath(QStringLiteral("lesson-answers.json"));
  dir_ = QString::fromStdString(quant::lessonsDir());
  language_ = defaultLanguage(dir_);
  lessonTranslator_ = new QTranslator(this);

  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(6, 6, 6, 6);
  stack_ = new QStackedWidget(this);
  outer->addWidget(stack_);

  // ---- browser ----
  auto* browser = new QWidget;
  auto* bl = new QVBoxLayout(browser);
  bl->setContentsMargins(0, 0, 0, 0);
  auto* langRow = new QHBoxLayout;
  langLabel_ = new QLabel;
  auto* langLabel = langLabel_;
  languageCombo_ = new QComboBox;
  languageCombo_->setObjectName(QStringLiteral("lessonLanguageCombo"));
  langLabel->setBuddy(languageCombo_);
  for (const std::string& l : quant::lessonLanguages()) {
    const QString code = QString::fromStdString(l);
    languageCombo_->addItem(languageName(code), code);
  }
  langRow->addWidget(langLabel);
  langRow->addWidget(languageCombo_, 1);
  bl->addLayout(langRow);
  list_ = new QListWidget;
  list_->setObjectName(QStringLiteral("lessonList"));
  list_->setWordWrap(true);
  list_->setAlternatingRowColors(true);
  bl->addWidget(list_, 1);
  start_ = new QPushButton;
  auto* start = start_;
  start->setObjectName(QStringLiteral("lessonStartButton"));
  bl->addWidget(start);
  stack_->addWidget(browser);

  // ---- player ----
  auto* player = new QWidget;
  auto* pl = new QVBoxLayout(player);
  pl->setContentsMargins(0, 0, 0, 0);
  auto* top = new QHBoxLayout;
  back_ = new QPushButton;
  auto* back = back_;
  back->setObjectName(QStringLiteral("lessonBackButton"));
  lessonTitle_ = new QLabel;
  lessonTitle_->setObjectName(QStringLiteral("lessonTitle"));
  lessonTitle_->setWordWrap(true);
  QFont bold = lessonTitle_->font();
  bold.setBold(true);
  lessonTitle_->setFont(bold);
  top->addWidget(back);
  top->addWidget(lessonTitle_, 1);
  pl->addLayout(top);
  progress_ = new QLabel;
  progress_->setObjectName(QStringLiteral("lessonProgress"));
  pl->addWidget(progress_);
  text_ = new QTextBrowser;
  text_->setObjectName(QStringLiteral("lessonText"));
  text_->setOpenExternalLinks(true);
  text_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the text wraps
  text_->setLineWrapMode(QTextEdit::WidgetWidth);
  pl->addWidget(text_, 1);
  notesLabel_ = new QLabel;
  notesLabel_->setObjectName(QStringLiteral("lessonNotes"));
  notesLabel_->setWordWrap(true);
  notesLabel_->setStyleSheet(QStringLiteral("color: palette(mid); font-style: italic;"));
  notesLabel_->hide();
  pl->addWidget(notesLabel_);
  auto* qscroll = new QScrollArea;
  qscroll->setObjectName(QStringLiteral("lessonQuestionsScroll"));
  qscroll->setWidgetResizable(true);
  qscroll->setFrameShape(QFrame::NoFrame);
  qscroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  questionsBox_ = new QWidget;
  questionsBox_->setObjectName(QStringLiteral("lessonQuestions"));
  questionsLayout_ = new QVBoxLayout(questionsBox_);
  questionsLayout_->setContentsMargins(0, 0, 0, 0);
  qscroll->setWidget(questionsBox_);
  questionsScroll_ = qscroll;
  // New question widgets show one event-loop turn after they are added; their layout asks for
  // a relayout then, and the area is sized again.
  questionsBox_->installEventFilter(this);
  pl->addWidget(qscroll, 0);
  auto* nav = new QHBoxLayout;
  prev_ = new QPushButton;
  prev_->setObjectName(QStringLiteral("lessonPrevButton"));
  reset_ = new QPushButton;
  reset_->setObjectName(QStringLiteral("lessonResetButton"));
  next_ = new QPushButton;
  next_->setObjectName(QStringLiteral("lessonNextButton"));
  nav->addWidget(prev_);
  nav->addStretch(1);
  nav->addWidget(reset_);
  nav->addStretch(1);
  nav->addWidget(next_);
  pl->addLayout(nav);
  stack_->addWidget(player);

  // Window-wide keys, so a presentation clicker (Page Up/Down) works wherever the focus is;
  // active only while a lesson is open.
  auto addKeys = [this](const QString& name, QList<QKeySequence> keys, void (LessonPlayer::*fn)()) {
    auto* a = new QAction(this);
    a->setObjectName(name);
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::WindowShortcut);
    a->setEnabled(false);
    connect(a, &QAction::triggered, this, fn);
    addAction(a);
  };
  addKeys(QStringLiteral("lessonNextAction"),
          {QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::ALT | Qt::Key_Right)},
          &LessonPlayer::next);
  addKeys(QStringLiteral("lessonPrevAction"),
          {QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::ALT | Qt::Key_Left)},
          &LessonPlayer::previous);

  connect(languageCombo_, &QComboBox::currentIndexChanged, this,
          [this](int i) { setLanguage(languageCombo_->itemData(i).toString()); });
  auto startSelected = [this] {
    const int row = list_->currentRow();
    if (row >= 0 && row < static_cast<int>(lessons_.size()))
      openLesson(QString::fromStdString(lessons_[static_cast<std::size_t>(row)].id));
  };
  connect(list_, &QListWidget::itemActivated, this, startSelected);
  connect(start, &QPushButton::clicked, this, startSelected);
  connect(back, &QPushButton::clicked, this, &LessonPlayer::closeLesson);
  connect(prev_, &QPushButton::clicked, this, &LessonPlayer::previous);
  connect(next_, &QPushButton::clicked, this, &LessonPlayer::next);
  connect(reset_, &QPushButton::clicked, this, &LessonPlayer::resetStep);

  updateFonts();
  loadAnswers();
  reload();
}

QString LessonPlayer::defaultLanguage(const QString& lessonsDir) {
  const QString ui = QLocale().name().section(QLatin1Char('_'), 0, 0);
  if ((ui == QLatin1String("es") || ui == QLatin1String("vi")) &&
      QDir(lessonsDir).exists(ui))
    return ui;
  return QStringLiteral("en");
}

void LessonPlayer::setLessonsDir(const QString& dir) {
  dir_ = dir;
  reload();
}

void LessonPlayer::setAnswersFile(const QString& path) {
  answersFile_ = path;
  loadAnswers();
}

void LessonPlayer::setLanguage(const QString& language) {
  const QString id = lessonId();
  const int step = step_;
  language_ = language;
  reload();
  if (!id.isEmpty()) openLesson(id, step, /*applyActions=*/false);
}

void LessonPlayer::retranslate() {
  langLabel_->setText(say(QT_TR_NOOP("&Language:")));
  languageCombo_->setToolTip(say(QT_TR_NOOP("The language the lessons are shown in.")));
  list_->setToolTip(say(QT_TR_NOOP("Double-click (or press Enter on) a lesson to start it.")));
  start_->setText(say(QT_TR_NOOP("&Start lesson")));
  back_->setText(say(QT_TR_NOOP("◀ Lessons")));
  back_->setToolTip(say(QT_TR_NOOP("Back to the list of lessons")));
  prev_->setText(say(QT_TR_NOOP("◀ &Previous")));
  prev_->setToolTip(say(QT_TR_NOOP("The previous step (Page Up, Alt+Left)")));
  reset_->setText(say(QT_TR_NOOP("&Reset step")));
  reset_->setToolTip(say(QT_TR_NOOP("Apply this step's settings again (after you experimented)")));
  next_->setText(say(QT_TR_NOOP("&Next ▶")));
  next_->setToolTip(say(QT_TR_NOOP("The next step (Page Down, Alt+Right)")));
}

QString LessonPlayer::say(const char* source) const {
  if (language_ != QLatin1String("en")) {
    const QString t = lessonTranslator_->translate("quantlab::ui::LessonPlayer", source);
    if (!t.isEmpty()) return t;
  }
  return QString::fromUtf8(source);
}

void LessonPlayer::reload() {
  // The player's own words speak the lessons' language, not necessarily the interface's: a
  // Spanish lesson under an English interface would otherwise mix the two.
  // A missing catalogue leaves the translator empty (load() discards the old one): English.
  if (language_ != QLatin1String("en")) (void)lessonTranslator_->load(translationFile(language_));
  retranslate();
  {
    const QSignalBlocker block(languageCombo_);
    languageCombo_->setCurrentIndex(std::max(0, languageCombo_->findData(language_)));
  }
  lessons_.clear();
  loadError_.clear();
  try {
    if (!dir_.isEmpty()) lessons_ = quant::loadLessons(dir_.toStdString(), language_.toStdString());
  } catch (const std::exception& e) {
    loadError_ = QString::fromUtf8(e.what());
  }
  list_->clear();
  for (const quant::Lesson& l : lessons_) {
    auto* item = new QListWidgetItem;
    item->setToolTip(QString::fromStdString(l.summary));
    list_->addItem(item);
  }
  refreshList();
  if (!loadError_.isEmpty())
    list_->addItem(say(QT_TR_NOOP("Cannot read the lessons: %1")).arg(loadError_));
  else if (lessons_.empty())
    list_->addItem(say(QT_TR_NOOP("No lessons found in “%1”.")).arg(dir_));
  lesson_ = -1;
  step_ = 0;
  stack_->setCurrentIndex(0);
  for (QAction* a : actions()) a->setEnabled(false);
}

QString LessonPlayer::lessonId() const {
  return lesson_ < 0 ? QString()
                     : QString::fromStdString(lessons_[static_cast<std::size_t>(lesson_)].id);
}

int LessonPlayer::stepCount() const {
  return lesson_ < 0 ? 0 : static_cast<int>(lessons_[static_cast<std::size_t>(lesson_)].steps.size());
}

bool LessonPlayer::openLesson(const QString& id, int step, bool applyActions) {
  for (std::size_t i = 0; i < lessons_.size(); ++i) {
    if (QString::fromStdString(lessons_[i].id) != id) continue;
    // Another lesson's views (an empty Benchmark panel in lesson 5) would only distract.
    if (applyActions && id != lessonId()) closeOpenedDocks();
    if (window_ && window_->workspaces() && (applyActions || id != lessonId()))
      window_->workspaces()->setCurrent(Workspaces::Kind::Lesson);
    // In front of the controls (presenter mode's side panel tabs them).
    if (window_) raiseView(window_, this);
    lesson_ = static_cast<int>(i);
    step_ = std::clamp(step, 0, stepCount() - 1);
    list_->setCurrentRow(lesson_);
    stack_->setCurrentIndex(1);
    for (QAction* a : actions()) a->setEnabled(true);
    showStep(applyActions);
    return true;
  }
  return false;
}

void LessonPlayer::closeLesson() {
  closeOpenedDocks();
  lesson_ = -1;
  stack_->setCurrentIndex(0);
  for (QAction* a : actions()) a->setEnabled(false);
  list_->setFocus();
}

void LessonPlayer::goToStep(int step) {
  if (lesson_ < 0) return;
  const int s = std::clamp(step, 0, stepCount() - 1);
  if (s == step_) return;
  step_ = s;
  showStep(true);
}

void LessonPlayer::next() { goToStep(step_ + 1); }
void LessonPlayer::previous() { goToStep(step_ - 1); }
void LessonPlayer::resetStep() {
  if (lesson_ >= 0) showStep(true);
}

void LessonPlayer::showStep(bool applyActions) {
  const quant::Lesson& l = lessons_[static_cast<std::size_t>(lesson_)];
  const quant::LessonStep& s = l.steps[static_cast<std::size_t>(step_)];
  lessonTitle_->setText(
      say(QT_TR_NOOP("%1. %2")).arg(l.number).arg(QString::fromStdString(l.title)));
  progress_->setText(say(QT_TR_NOOP("Step %1 of %2")).arg(step_ + 1).arg(stepCount()));
  // A level-3 heading: the text is already large, a level-2 one wraps over three lines.
  text_->setMarkdown(QStringLiteral("### ") + QString::fromStdString(s.title) +
                     QStringLiteral("\n\n") + QString::fromStdString(s.text));
  prev_->setEnabled(step_ > 0);
  next_->setEnabled(step_ + 1 < stepCount());
  reset_->setEnabled(!s.actions.empty());
  if (applyActions) {
    QStringList shown;
    notes_ = applyLessonActions(window_, s.actions, &shown);
    // The controls and the player belong to the Lesson workspace; only views come and go.
    for (const QString& base : Workspaces::dockNames(Workspaces::Kind::Lesson))
      shown.removeAll(base);
    // A step that names its views replaces the earlier steps' ones; a step that names none
    // talks about what is already on screen.
    if (!shown.isEmpty()) closeOpenedDocks(shown);
    for (const QString& name : shown)
      if (!openedDocks_.contains(name)) openedDocks_ << name;
  } else {
    notes_.clear();
  }
  notesLabel_->setText(notes_.join(QLatin1Char('\n')));
  notesLabel_->setVisible(!notes_.isEmpty());
  buildQuestions();
  emit stepShown(lessonId(), step_);
}

void LessonPlayer::buildQuestions() {
  while (QLayoutItem* item = questionsLayout_->takeAt(0)) {
    delete item->widget();  // now, so no stale question is found or painted
    delete item;
  }
  questionUi_.clear();
  const quant::LessonStep& s =
      lessons_[static_cast<std::size_t>(lesson_)].steps[static_cast<std::size_t>(step_)];
  questionsScroll_->setVisible(!s.questions.empty());
  for (std::size_t qi = 0; qi < s.questions.size(); ++qi) {
    const quant::LessonQuestion& q = s.questions[qi];
    const int index = static_cast<int>(qi);
    auto* box = new QFrame;
    box->setObjectName(QStringLiteral("lessonQuestion%1").arg(index));
    box->setFrameShape(QFrame::StyledPanel);
    auto* v = new QVBoxLayout(box);
    auto* prompt = new QLabel(QString::fromStdString(q.prompt));
    prompt->setWordWrap(true);
    prompt->setTextFormat(Qt::PlainText);
    QFont pf = prompt->font();
    pf.setBold(true);
    prompt->setFont(pf);
    v->addWidget(prompt);
    QuestionUi ui;
    const QJsonObject saved = answers_.value(answerKey(index)).toObject();
    if (q.kind == quant::QuestionKind::Choice) {
      ui.choices = new QButtonGroup(box);
      for (std::size_t c = 0; c < q.choices.size(); ++c) {
        // A radio button's own text never wraps (a long Vietnamese choice would be cut), so
        // the text is a word-wrapped label next to it that selects it when clicked.
        const QString text = QString::fromStdString(q.choices[c]);
        auto* r = new QRadioButton;
        r->setObjectName(QStringLiteral("choice%1").arg(c + 1));
        r->setAccessibleName(text);
        r->setToolTip(text);
        auto* label = new ChoiceLabel(text, r);
        label->setObjectName(QStringLiteral("choiceText%1").arg(c + 1));
        ui.choices->addButton(r, static_cast<int>(c + 1));
        auto* line = new QHBoxLayout;
        line->addWidget(r, 0, Qt::AlignTop);
        line->addWidget(label, 1);
        v->addLayout(line);
      }
      if (auto* b = ui.choices->button(saved.value(QStringLiteral("answer")).toString().toInt()))
        b->setChecked(true);
    } else {
      ui.number = new QLineEdit;
      ui.number->setObjectName(QStringLiteral("numberAnswer"));
      ui.number->setPlaceholderText(say(QT_TR_NOOP("Your answer (a number)")));
      ui.number->setText(saved.value(QStringLiteral("answer")).toString());
      v->addWidget(ui.number);
      connect(ui.number, &QLineEdit::returnPressed, this, [this, index] { checkAnswer(index); });
    }
    auto* check = new QPushButton(say(QT_TR_NOOP("Check")));
    check->setObjectName(QStringLiteral("checkButton"));
    connect(check, &QPushButton::clicked, this, [this, index] { checkAnswer(index); });
    auto* row = new QHBoxLayout;
    row->addWidget(check);
    row->addStretch(1);
    v->addLayout(row);
    ui.feedback = new QLabel;
    ui.feedback->setObjectName(QStringLiteral("feedback"));
    ui.feedback->setWordWrap(true);
    ui.feedback->setTextFormat(Qt::PlainText);
    ui.feedback->hide();
    v->addWidget(ui.feedback);
    questionsLayout_->addWidget(box);
    questionUi_.push_back(ui);
    if (!saved.isEmpty()) checkAnswer(index, true);  // show the earlier result again
  }
  questionsLayout_->addStretch(1);
  fitQuestions();
}

void LessonPlayer::fitQuestions() {
  // As tall as the wrapped questions need at the current width (no empty band under a short
  // question, no cut explanation under a long one), but at most kQuestionsShare of the player
  // so the step text keeps room; beyond that the questions scroll.
  if (!questionsScroll_ || questionsScroll_->isHidden()) return;
  // The player's width, not the area's: a hidden area has a stale geometry (outer margins 6).
  // Measured as if the vertical scroll bar were there: text wrapped at the full width would be
  // a line short once a scroll bar appears and narrows it, and the question would scroll away.
  const int w = std::max(1, width() - 12 - 2 * questionsScroll_->frameWidth() -
                                questionsScroll_->verticalScrollBar()->sizeHint().width());
  // Summed over the question boxes: the container's own height-for-width is cached from before
  // the new boxes were shown.
  int need = 0;
  for (int i = 0; i < questionsLayout_->count(); ++i) {
    QWidget* box = questionsLayout_->itemAt(i)->widget();
    if (!box) continue;  // the closing stretch
    const int bh = box->hasHeightForWidth() ? box->heightForWidth(w) : box->sizeHint().height();
    need += bh + (need > 0 ? questionsLayout_->spacing() : 0);
  }
  const int cap = static_cast<int>(height() * kQuestionsShare);
  const int h = std::min(need, cap) + 2 * questionsScroll_->frameWidth();
  if (questionsScroll_->minimumHeight() != h || questionsScroll_->maximumHeight() != h)
    questionsScroll_->setFixedHeight(h);
}

bool LessonPlayer::eventFilter(QObject* watched, QEvent* event) {
  if (watched == questionsBox_ && event->type() == QEvent::LayoutRequest)
    QTimer::singleShot(0, this, &LessonPlayer::fitQuestions);
  return QWidget::eventFilter(watched, event);
}

void LessonPlayer::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitQuestions();
}

void LessonPlayer::checkAnswer(int index, bool replay) {
  const quant::LessonStep& step =
      lessons_[static_cast<std::size_t>(lesson_)].steps[static_cast<std::size_t>(step_)];
  const quant::LessonQuestion& q = step.questions[static_cast<std::size_t>(index)];
  QuestionUi& ui = questionUi_[static_cast<std::size_t>(index)];
  QString given;
  quant::Grade grade;
  if (ui.choices) {
    const int id = ui.choices->checkedId();
    if (id < 1) {
      ui.feedback->setText(say(QT_TR_NOOP("Pick one of the answers first.")));
      ui.feedback->setPalette(QPalette());
      ui.feedback->show();
      return;
    }
    given = QString::number(id);
    grade = quant::gradeChoice(q, id);
  } else {
    double value = 0;
    if (!parseNumber(ui.number->text(), value)) {
      ui.feedback->setText(say(QT_TR_NOOP("Type a number, e.g. 0.25 or -3.")));
      ui.feedback->setPalette(QPalette());
      ui.feedback->show();
      return;
    }
    given = ui.number->text().trimmed();
    grade = quant::gradeNumeric(q, quant::questionContext(step, q), value);
  }
  const QJsonObject saved = answers_.value(answerKey(index)).toObject();
  int wrongTries = saved.value(QStringLiteral("wrongTries")).toInt();
  // Checking the same wrong answer twice is not another try.
  if (!replay && !grade.correct && given != saved.value(QStringLiteral("answer")).toString())
    ++wrongTries;
  QString verdict;
  if (grade.correct) {
    verdict =
        say(QT_TR_NOOP("✔ Right.")) + QLatin1Char(' ') + QString::fromStdString(q.explanation);
  } else if (wrongTries < kTriesBeforeSolution) {
    verdict = say(QT_TR_NOOP("✘ Not quite.")) + QLatin1Char(' ') + hintText(grade.hint) +
              QLatin1Char(' ') + say(QT_TR_NOOP("Try again."));
  } else {
    const QString answer = q.kind == quant::QuestionKind::Choice
                               ? QString::fromStdString(q.choices[static_cast<std::size_t>(
                                     std::clamp<double>(q.answer, 1, q.choices.size()) - 1)])
                               : QString::fromStdString(q.answerText);
    verdict = say(QT_TR_NOOP("✘ Not quite — the answer is %1.")).arg(answer) + QLatin1Char(' ') +
              QString::fromStdString(q.explanation);
  }
  ui.feedback->setText(verdict);
  // Green / red that stay readable on light and high-contrast palettes, set through the palette:
  // a style-sheeted label drops the larger font the questions inherit (the explanation came out
  // smaller than its question in presenter mode).
  QPalette pal;
  pal.setColor(QPalette::WindowText,
               grade.correct ? QColor(0x1b, 0x7a, 0x2e) : QColor(0xb3, 0x26, 0x1e));
  ui.feedback->setPalette(pal);
  ui.feedback->setProperty("correct", grade.correct);
  ui.feedback->setProperty("solutionShown", grade.correct || wrongTries >= kTriesBeforeSolution);
  ui.feedback->show();
  // The area grows for the explanation (up to its cap) and scrolls it into view.
  fitQuestions();
  QTimer::singleShot(0, this, [this, fb = QPointer<QLabel>(ui.feedback)] {
    if (fb) questionsScroll_->ensureWidgetVisible(fb, 0, 0);
  });
  QJsonObject a;
  a.insert(QStringLiteral("answer"), given);
  a.insert(QStringLiteral("correct"), grade.correct);
  a.insert(QStringLiteral("wrongTries"), wrongTries);
  if (saved != a) {
    answers_.insert(answerKey(index), a);
    saveAnswers();
    refreshList();
  }
}

QString LessonPlayer::hintText(quant::AnswerHint hint) const {
  switch (hint) {
    case quant::AnswerHint::WrongSign:
      return say(QT_TR_NOOP("Check the sign."));
    case quant::AnswerHint::DecimalPoint:
      return say(QT_TR_NOOP("Check the decimal point: the answer is off by a power of ten."));
    case quant::AnswerHint::Close:
      return say(QT_TR_NOOP("Close — check the rounding."));
    case quant::AnswerHint::TooHigh:
      return say(QT_TR_NOOP("That is too high."));
    case quant::AnswerHint::TooLow:
      return say(QT_TR_NOOP("That is too low."));
    case quant::AnswerHint::OtherChoice:
      return say(QT_TR_NOOP("Read the step again and pick another answer."));
    case quant::AnswerHint::None:
      break;
  }
  return {};
}

QString LessonPlayer::answerKey(int question) const {
  return QStringLiteral("%1/%2/%3/%4").arg(language_, lessonId()).arg(step_).arg(question);
}

QString LessonPlayer::progressText(int index) const {
  if (index < 0 || index >= static_cast<int>(lessons_.size())) return {};
  const quant::Lesson& l = lessons_[static_cast<std::size_t>(index)];
  int total = 0, right = 0, tried = 0;
  for (std::size_t st = 0; st < l.steps.size(); ++st) {
    for (std::size_t q = 0; q < l.steps[st].questions.size(); ++q) {
      ++total;
      const QJsonObject a = answers_
                                .value(QStringLiteral("%1/%2/%3/%4")
                                           .arg(language_, QString::fromStdString(l.id))
                                           .arg(st)
                                           .arg(q))
                                .toObject();
      tried += !a.isEmpty();
      right += a.value(QStringLiteral("correct")).toBool();
    }
  }
  if (total == 0) return {};
  if (tried == 0) return say(QT_TR_NOOP("Not started"));
  if (right == total) return say(QT_TR_NOOP("✔ Done: all questions right"));
  return say(QT_TR_NOOP("Questions right: %1/%2")).arg(right).arg(total);
}

void LessonPlayer::refreshList() {
  for (int i = 0; i < static_cast<int>(lessons_.size()) && i < list_->count(); ++i) {
    const quant::Lesson& l = lessons_[static_cast<std::size_t>(i)];
    QString text = say(QT_TR_NOOP("%1. %2\n%3  (%4 min)"))
                       .arg(l.number)
                       .arg(QString::fromStdString(l.title), QString::fromStdString(l.summary))
                       .arg(l.minutes);
    const QString progress = progressText(i);
    if (!progress.isEmpty()) text += QLatin1Char('\n') + progress;
    list_->item(i)->setText(text);
  }
}

void LessonPlayer::closeOpenedDocks(const QStringList& keep) {
  const bool presenting = window_ && window_->presenter() && window_->presenter()->isActive();
  for (const QString& name : QStringList(openedDocks_)) {
    if (keep.contains(name)) continue;
    openedDocks_.removeAll(name);
    // Presenter mode shows one view at a time and restores the docks it found when it ends.
    if (presenting || !window_) continue;
    if (auto* dock = window_->findChild<QDockWidget*>(name)) dock->hide();
  }
}

void LessonPlayer::loadAnswers() {
  QFile f(answersFile_);
  answers_ = {};
  if (f.open(QIODevice::ReadOnly)) answers_ = QJsonDocument::fromJson(f.readAll()).object();
}

void LessonPlayer::saveAnswers() {
  QDir().mkpath(QFileInfo(answersFile_).absolutePath());
  QSaveFile f(answersFile_);
  if (!f.open(QIODevice::WriteOnly)) return;  // answers are a convenience; never block a lesson
  f.write(QJsonDocument(answers_).toJson(QJsonDocument::Indented));
  f.commit();
}

void LessonPlayer::updateFonts() {
  // Lesson text a good deal larger than the controls: it is read from the back of a classroom.
  // Presenter mode has already made everything 1.5x, so the step text is set off less there
  // (1.15 x 1.5 instead of 1.3 x 1.5, which left three words on a line in a 1280 px window).
  const bool presenting = window_ && window_->presenter() && window_->presenter()->isActive();
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * (presenting ? 1.15 : 1.3));
  text_->setFont(f);
  text_->document()->setDefaultFont(f);
  QFont t = font();
  t.setPointSizeF(t.pointSizeF() * 1.15);
  t.setBold(true);
  lessonTitle_->setFont(t);
  questionsBox_->setFont(f);
}

void LessonPlayer::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) {
    updateFonts();
    fitQuestions();
  }
}

}  // namespace quantlab::ui
