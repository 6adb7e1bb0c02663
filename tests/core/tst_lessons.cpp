// SPDX-License-Identifier: GPL-3.0-or-later
// Lessons: every shipped lesson parses, drives the app only with valid actions, states answers the
// engine agrees with, and exists in es and vi with the same structure; the parser and the
// check evaluator reject malformed input with file:line messages.
// Over 700 lines: every check of the lesson format and of its evaluator is a named table of
// malformed inputs with the exact file:line message each must give.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/course/lesson.h"
#include "quant/numeric/formats.h"
#include "quant/numeric/metrics.h"

namespace {

const std::string kLessonDir = QUANTLAB_TEST_DATA "/../../lessons";

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += "\n  " + x;
  return s;
}

// A small valid lesson; tests break it in one place at a time.
const char* const kValid =
    "---\n"
    "id: demo\n"
    "number: 7\n"
    "title: Demo\n"
    "summary: A demo.\n"
    "minutes: 5\n"
    "---\n"
    "\n"
    "# First\n"
    "\n"
    "Some **text** with x < 0.\n"
    "\n"
    "```actions\n"
    "values 0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2\n"
    "spec bits=8 scheme=symmetric\n"
    "view mapping\n"
    "```\n"
    "\n"
    "```question\n"
    "kind: numeric\n"
    "prompt: Code of 3/10?\n"
    "answer: 48\n"
    "tolerance: 0\n"
    "check: code values=0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2 index=0\n"
    "explanation: 3/10 divided by the step 8/1270 is 381/8, which rounds to 48.\n"
    "```\n"
    "\n"
    "# Second\n"
    "\n"
    "More text.\n"
    "\n"
    "```question\n"
    "kind: choice\n"
    "prompt: Pick one.\n"
    "choices:\n"
    "- a\n"
    "- b\n"
    "answer: 2\n"
    "explanation: b.\n"
    "```\n";

std::string replaced(const std::string& from, const std::string& to) {
  std::string s = kValid;
  const auto pos = s.find(from);
  if (pos == std::string::npos) return "MARKER NOT FOUND: " + from;
  s.replace(pos, from.size(), to);
  return s;
}

void writeFile(const QString& path, const std::string& text) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(text.data(), static_cast<qint64>(text.size()));
}

}  // namespace

class TestLessons : public QObject {
  Q_OBJECT

 private slots:
  // ----- the shipped course ---------------------------------------------------------------------
  void shippedLessonsValid_data() {
    QTest::addColumn<QString>("path");
    int n = 0;
    for (const auto& lang : quant::lessonLanguages()) {
      for (const auto& f : quant::listLessonFiles(kLessonDir, lang)) {
        QTest::addRow("%s", f.substr(kLessonDir.size() + 1).c_str()) << QString::fromStdString(f);
        ++n;
      }
    }
    QVERIFY2(n >= 3, "no lessons found under lessons/");
  }
  void shippedLessonsValid() {
    QFETCH(QString, path);
    quant::Lesson l;
    try {
      l = quant::loadLessonFile(path.toStdString());
    } catch (const quant::Error& e) {
      QFAIL(e.what());
    }
    QVERIFY(l.steps.size() >= 2);
    QVERIFY2(l.questionCount() >= 1, "a lesson should ask at least one question");
    const auto problems = quant::checkLesson(l);
    QVERIFY2(problems.empty(), join(problems).c_str());
    // Choice answers in range and every question explained (parseLesson enforces it; keep the
    // guarantee visible here).
    for (const auto& s : l.steps) {
      for (const auto& q : s.questions) {
        QVERIFY(!q.explanation.empty());
        if (q.kind == quant::QuestionKind::Choice) {
          QVERIFY(q.answer >= 1 && q.answer <= static_cast<double>(q.choices.size()));
        } else {
          QVERIFY(!q.check.empty());
        }
      }
    }
  }

  void translationsComplete_data() {
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("lang");
    for (const auto& f : quant::listLessonFiles(kLessonDir, "en")) {
      const std::string name = QFileInfo(QString::fromStdString(f)).fileName().toStdString();
      for (const char* lang : {"es", "vi"}) {
        QTest::addRow("%s/%s", lang, name.c_str()) << QString::fromStdString(f) << lang;
      }
    }
  }
  void translationsComplete() {
    QFETCH(QString, english);
    QFETCH(QString, lang);
    const QString name = QFileInfo(english).fileName();
    const QString path = QString::fromStdString(kLessonDir) + "/" + lang + "/" + name;
    QVERIFY2(QFile::exists(path), qPrintable("missing translation: " + path));
    try {
      const quant::Lesson en = quant::loadLessonFile(english.toStdString());
      const quant::Lesson tr = quant::loadLessonFile(path.toStdString());
      const auto problems = quant::compareTranslation(en, tr);
      QVERIFY2(problems.empty(), join(problems).c_str());
      QVERIFY2(tr.title != en.title || lang == "en", qPrintable(path + ": title not translated"));
    } catch (const quant::Error& e) {
      QFAIL(e.what());
    }
  }

  void wholeTreeChecks() {
    const auto problems = quant::checkLessonTree(kLessonDir);
    QVERIFY2(problems.empty(), join(problems).c_str());
  }

  // The course's worked example: symmetric int8 of these eight values.
  void workedExampleInLessonFour() {
    const std::string values = "0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2";
    const int expected[8] = {48, 95, -48, -79, 0, 111, -127, 32};
    for (int i = 0; i < 8; ++i) {
      const double v = quant::evaluateCheck("code values=" + values +
                                            " bits=8 scheme=symmetric index=" + std::to_string(i));
      QCOMPARE(v, double(expected[i]));
    }
    QCOMPARE(quant::evaluateCheck("scale values=" + values), double(0.8f / 127.0f));
    // Lesson 4 (en) shows the example and asks about it through checks.
    const auto files = quant::listLessonFiles(kLessonDir, "en");
    const quant::Lesson* four = nullptr;
    std::vector<quant::Lesson> lessons;
    for (const auto& f : files) lessons.push_back(quant::loadLessonFile(f));
    for (const auto& l : lessons) {
      if (l.number == 4) four = &l;
    }
    QVERIFY2(four != nullptr, "lesson 4 missing");
    bool shown = false, checked = false, actionLoads = false;
    for (const auto& s : four->steps) {
      if (s.text.find("48") != std::string::npos && s.text.find("111") != std::string::npos &&
          s.text.find("127") != std::string::npos) {
        shown = true;
      }
      for (const auto& a : s.actions) {
        if (a.verb == "values" && a.args.size() == 1 && a.args[0] == values) actionLoads = true;
      }
      for (const auto& q : s.questions) {
        if (q.check.find("values=" + values) != std::string::npos &&
            q.check.rfind("code ", 0) == 0) {
          checked = true;
        }
      }
    }
    QVERIFY2(shown, "lesson 4 does not show the codes 48 ... 111 ... -127");
    QVERIFY2(actionLoads, "lesson 4 does not load the worked example with a values action");
    QVERIFY2(checked, "lesson 4 has no code check on the worked example");
  }

  // ----- parser ---------------------------------------------------------------------------------
  void parseValid() {
    const quant::Lesson l = quant::parseLesson(kValid, "demo.md");
    QCOMPARE(l.id, std::string("demo"));
    QCOMPARE(l.number, 7);
    QCOMPARE(l.minutes, 5);
    QCOMPARE(l.steps.size(), std::size_t(2));
    QCOMPARE(l.steps[0].title, std::string("First"));
    QCOMPARE(l.steps[0].text, std::string("Some **text** with x < 0."));
    QCOMPARE(l.steps[0].actions.size(), std::size_t(3));
    QCOMPARE(l.steps[0].actions[1].verb, std::string("spec"));
    QCOMPARE(l.steps[0].actions[1].line, 15);
    QCOMPARE(l.steps[0].questions.size(), std::size_t(1));
    QCOMPARE(l.steps[0].questions[0].answer, 48.0);
    QCOMPARE(l.steps[1].questions[0].kind, quant::QuestionKind::Choice);
    QCOMPARE(l.steps[1].questions[0].choices.size(), std::size_t(2));
    QCOMPARE(l.steps[1].questions[0].answer, 2.0);
    QCOMPARE(l.questionCount(), 2);
    QVERIFY(quant::checkLesson(l).empty());
  }

  void parseMalformed_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");  // expected substring, including the line
    auto row = [](const char* name, const std::string& text, const char* msg) {
      QTest::addRow("%s", name) << QByteArray(text.data(), static_cast<qsizetype>(text.size()))
                                << QString(msg);
    };
    row("empty file", "", "x.md:1: missing front matter");
    row("no front matter", "# Step\n\ntext\n", "x.md:1: missing front matter");
    row("unclosed front matter", "---\nid: a\n", "front matter not closed");
    row("unknown front key", replaced("minutes: 5\n", "minutes: 5\nauthor: me\n"),
        "x.md:7: unknown front-matter key 'author'");
    row("missing title", replaced("title: Demo\n", ""), "x.md:6: front matter without 'title:'");
    row("duplicate key", replaced("title: Demo\n", "title: Demo\ntitle: Again\n"),
        "x.md:5: duplicate front-matter key 'title'");
    row("bad number", replaced("number: 7", "number: seven"), "x.md:3: number must be");
    row("number zero", replaced("number: 7", "number: 0"), "x.md:3: number must be");
    row("bad minutes", replaced("minutes: 5", "minutes: -1"), "x.md:6: minutes must be");
    row("bad id", replaced("id: demo", "id: Demo Lesson"), "x.md:2: id must be");
    row("text before first step", replaced("\n# First\n", "\nstray\n# First\n"),
        "x.md:9: text before the first step");
    row("one step only", std::string(kValid).substr(0, std::string(kValid).find("# Second")),
        "at least 2 steps");
    row("empty step title", replaced("# Second", "# "), "x.md:28: empty step title");
    row("step without text", replaced("More text.\n", ""), "x.md:28: step 'Second' has no text");
    row("unknown action", replaced("view mapping", "foo bar"), "x.md:16: unknown action 'foo'");
    row("second actions block",
        replaced("More text.\n",
                 "More text.\n```actions\nview error\n```\n```actions\nview error\n```\n"),
        "x.md:34: second ```actions block");
    row("unclosed fence",
        replaced("```question\nkind: choice", "```question\nkind: choice\n```actions"),
        "x.md:32: code block not closed by ``` (line 34 starts another)");
    row("unclosed block at end", std::string(kValid) + "```actions\nview error\n",
        "x.md:41: code block not closed");
    row("question key unknown", replaced("prompt: Pick one.", "promt: Pick one."),
        "x.md:34: unknown question key 'promt'");
    row("question without prompt", replaced("prompt: Pick one.\n", ""),
        "x.md:32: question without 'prompt:'");
    row("question without explanation", replaced("explanation: b.\n", ""),
        "x.md:32: question without 'explanation:'");
    row("duplicate question key", replaced("answer: 2\n", "answer: 2\nanswer: 1\n"),
        "x.md:39: duplicate key 'answer'");
    row("bad kind", replaced("kind: choice", "kind: essay"), "x.md:33: kind must be");
    row("choice answer out of range", replaced("answer: 2", "answer: 3"),
        "x.md:38: answer must be the 1-based index");
    row("choice answer zero", replaced("answer: 2", "answer: 0"), "x.md:38: answer must be");
    row("choice answer not integer", replaced("answer: 2", "answer: 1.5"),
        "x.md:38: answer must be");
    row("one choice only", replaced("- b\n", ""), "x.md:35: a choice question needs 2 to 6");
    row("seven choices", replaced("- b\n", "- b\n- c\n- d\n- e\n- f\n- g\n"),
        "x.md:42: more than 6 choices");
    row("dash outside choices", replaced("answer: 2\n", "answer: 2\n- c\n"),
        "x.md:39: a '- ' line outside");
    row("choices with inline value", replaced("choices:", "choices: a, b"),
        "x.md:35: 'choices:' takes");
    row("numeric without tolerance", replaced("tolerance: 0\n", ""),
        "x.md:19: numeric question without 'tolerance:'");
    row("numeric without check",
        replaced("check: code values=0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2 index=0\n", ""),
        "x.md:19: numeric question without 'check:'");
    row("numeric answer not a number", replaced("answer: 48", "answer: forty"),
        "x.md:22: answer of a numeric question");
    row("numeric answer inf", replaced("answer: 48", "answer: inf"),
        "x.md:22: answer of a numeric");
    row("negative tolerance", replaced("tolerance: 0", "tolerance: -1"),
        "x.md:23: tolerance must be");
    row("numeric with choices", replaced("tolerance: 0\n", "tolerance: 0\nchoices:\n- a\n- b\n"),
        "numeric question with choices");
    row("key without colon", replaced("prompt: Code of 3/10?", "prompt Code of 3/10?"),
        "x.md:21: expected 'key: value'");
    row("empty value", replaced("prompt: Code of 3/10?", "prompt:"),
        "x.md:21: empty value for 'prompt'");
    row("raw html", replaced("More text.", "More <b>text</b>."), "x.md:30: raw HTML");
    row("html comment", replaced("More text.", "<!-- note -->"), "x.md:30: raw HTML");
    row("image", replaced("More text.", "![plot](a.png)"), "x.md:30: images are not allowed");
    row("carriage return", replaced("More text.\n", "More text.\r\n"), "x.md:30: carriage return");
    row("invalid utf8", replaced("More text.", "More \xC3\x28 text."), "x.md:30: invalid UTF-8");
    row("overlong utf8", replaced("More text.", "\xC0\xAF"), "x.md:30: invalid UTF-8");
    row("surrogate utf8", replaced("More text.", "\xED\xA0\x80"), "x.md:30: invalid UTF-8");
    row("byte order mark", "\xEF\xBB\xBF" + std::string(kValid), "x.md:1: byte-order mark");
    row("nul byte", replaced("More text.", std::string("a\0b", 3)), "x.md:30: NUL byte");
    row("actions before step", replaced("\n# First\n", "\n```actions\nview error\n```\n# First\n"),
        "x.md:9: ```actions before the first step");
    row("too large", std::string(kValid) + std::string(quant::kLessonMaxBytes, 'a'), "larger than");
    row("line too long", replaced("More text.", std::string(quant::kLessonMaxLineBytes + 1, 'a')),
        "x.md:30: line longer than");
    std::string manySteps = kValid;
    for (std::size_t i = 0; i < quant::kLessonMaxSteps; ++i) manySteps += "# S\n\nt\n";
    row("too many steps", manySteps, "more than 40 steps");
    std::string manyActions = "```actions\n";
    for (std::size_t i = 0; i <= quant::kLessonMaxActionsPerStep; ++i)
      manyActions += "view error\n";
    row("too many actions", replaced("More text.\n", "More text.\n" + manyActions + "```\n"),
        "more than 64 actions");
  }
  void parseMalformed() {
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const std::string t(text.constData(), static_cast<std::size_t>(text.size()));
    try {
      (void)quant::parseLesson(t, "x.md");
      QFAIL(qPrintable("parsed without error; expected: " + message));
    } catch (const quant::Error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains(message),
               qPrintable(QString("got '%1', expected '%2'").arg(e.what(), message)));
    }
  }

  void parseTolerant() {
    // Ordinary code blocks stay step text, and a heading inside them does not start a step.
    const quant::Lesson l = quant::parseLesson(
        replaced("More text.\n", "More text.\n\n```\n# not a step\n```\n\n## Sub heading\n"),
        "x.md");
    QCOMPARE(l.steps.size(), std::size_t(2));
    QVERIFY(l.steps[1].text.find("# not a step") != std::string::npos);
    QVERIFY(l.steps[1].text.find("## Sub heading") != std::string::npos);
    // UTF-8 text (Vietnamese diacritics, Unicode minus) is accepted.
    const quant::Lesson v =
        quant::parseLesson(replaced("More text.", "Lượng tử hóa −0,5 ñ"), "x.md");
    QCOMPARE(v.steps[1].text, std::string("Lượng tử hóa −0,5 ñ"));
  }

  // ----- actions --------------------------------------------------------------------------------
  void actionsValid_data() {
    QTest::addColumn<QString>("lines");
    auto row = [](const char* name, const char* lines) { QTest::addRow("%s", name) << lines; };
    row("values", "values 1,2,-3.5e-2");
    row("generate normal", "generate normal n=4096 seed=1 stddev=0.5");
    row("generate shape", "generate laplace seed=2 shape=64x16 scale=0.1 outliers=3 magnitude=8");
    row("generate uniform", "generate uniform n=100 seed=0 low=-1 high=3");
    row("generate bimodal", "generate bimodal n=100 seed=0 mean=1 stddev=0.2 separation=2");
    row("generate relu", "generate relu n=10 seed=5");
    row("spec full", "spec bits=4 scheme=asymmetric signed=true narrow=true granularity=tensor");
    row("spec channel", "generate normal seed=1 shape=8x4\nspec granularity=channel:0");
    row("spec channel negative axis",
        "generate normal seed=1 shape=8x4\nspec granularity=channel:-1");
    row("spec group", "generate normal seed=1 shape=8x64\nspec granularity=group:1:32");
    row("calibration percentile", "calibration percentile:99.9");
    row("calibration mse", "calibration mse");
    row("range", "range -1 2.5");
    row("range auto", "range auto");
    row("probe", "probe 0.1");
    row("format", "format e4m3");
    row("view", "view requant");
    row("model and layer", "model mlp\nlayer fc2");
    row("cnn layer", "model cnn\nlayer conv1");
    row("highlight control", "highlight percentileSpin");
    row("highlight view", "highlight histogram");
  }
  void actionsValid() {
    QFETCH(QString, lines);
    quant::ActionContext ctx;
    int n = 0;
    for (const QString& line : lines.split('\n')) {
      quant::LessonAction a;
      const QStringList parts = line.split(' ');
      a.verb = parts[0].toStdString();
      for (int i = 1; i < parts.size(); ++i) a.args.push_back(parts[i].toStdString());
      a.line = ++n;
      try {
        quant::validateAction(a, ctx, "x.md");
      } catch (const quant::Error& e) {
        QFAIL(e.what());
      }
    }
  }

  void actionsInvalid_data() {
    QTest::addColumn<QString>("lines");
    QTest::addColumn<QString>("message");
    auto row = [](const char* name, const char* lines, const char* msg) {
      QTest::addRow("%s", name) << lines << msg;
    };
    row("values empty list", "values ", "values");
    row("values not a number", "values 1,x", "is not a finite float32");
    row("values nan", "values 1,nan", "is not a finite float32");
    row("values overflow float", "values 1e39", "is not a finite float32");
    row("values empty entry", "values 1,,2", "is not a finite float32");
    row("values two args", "values 1 2", "usage: values");
    row("generate unknown distribution", "generate cauchy n=10 seed=1", "distribution");
    row("generate without seed", "generate normal n=10", "missing argument seed=");
    row("generate without n", "generate normal seed=1", "needs n=N");
    row("generate huge", "generate normal n=100000000 seed=1", "n must be in 1..4194304");
    row("generate huge shape", "generate normal shape=4096x4096 seed=1", "more than 4194304");
    row("generate n vs shape", "generate normal n=10 shape=2x4 seed=1", "does not match shape");
    row("generate negative stddev", "generate normal n=10 seed=1 stddev=-1", "stddev");
    row("generate high below low", "generate uniform n=10 seed=1 low=2 high=1", "");
    row("generate param not applicable", "generate normal n=10 seed=1 low=0",
        "low= does not apply");
    row("generate too many outliers", "generate normal n=10 seed=1 outliers=11 magnitude=3",
        "outliers must be in 0..10");
    row("generate outliers without magnitude", "generate normal n=10 seed=1 outliers=2",
        "needs magnitude");
    row("generate typo", "generate normal n=10 seed=1 stdev=2", "unknown argument 'stdev'");
    row("generate huge parameter", "generate normal n=10 seed=1 mean=1e300", "within -1e6..1e6");
    row("generate no key", "generate normal n=10 seed=1 7", "expected key=value");
    row("spec bits too many", "spec bits=17", "bits must be in 2..16");
    row("spec bits one", "spec bits=1", "bits must be in 2..16");
    row("spec bad scheme", "spec scheme=affine", "scheme must be");
    row("spec bad bool", "spec signed=yes", "signed must be true or false");
    row("spec bad granularity", "spec granularity=row", "invalid granularity");
    row("spec axis out of range", "values 1,2\nspec granularity=channel:1", "out of range");
    row("spec group zero", "spec granularity=group:0:0", "SIZE must be >= 1");
    row("spec duplicate", "spec bits=4 bits=8", "duplicate argument 'bits'");
    row("calibration unknown", "calibration magic", "unknown calibration");
    row("calibration not in lessons", "calibration histogram", "calibration must be");
    row("percentile too low", "calibration percentile:50", "(50, 100]");
    row("percentile without P", "calibration percentile", "needs :P");
    row("range reversed", "range 2 1", "LO < HI");
    row("range text", "range a b", "not a finite");
    row("range one arg", "range 1", "usage: range");
    row("probe missing", "probe", "usage: probe");
    row("probe inf", "probe inf", "not a finite");
    row("format unknown", "format fp64", "format must be one of");
    row("view unknown", "view magic", "unknown view 'magic'");
    row("model unknown", "model resnet", "unknown model 'resnet'");
    row("layer before model", "layer fc1", "layer before any model");
    row("layer unknown", "model mlp\nlayer conv1", "model mlp has no layer 'conv1'");
    row("highlight unknown", "highlight okButton", "unknown control 'okButton'");
  }
  void actionsInvalid() {
    QFETCH(QString, lines);
    QFETCH(QString, message);
    quant::ActionContext ctx;
    const QStringList all = lines.split('\n');
    for (int n = 0; n < all.size(); ++n) {
      quant::LessonAction a;
      const QStringList parts = all[n].split(' ');
      a.verb = parts[0].toStdString();
      for (int i = 1; i < parts.size(); ++i) a.args.push_back(parts[i].toStdString());
      a.line = n + 10;
      const bool last = n + 1 == all.size();
      try {
        quant::validateAction(a, ctx, "x.md");
        QVERIFY2(!last, qPrintable("accepted; expected: " + message));
      } catch (const quant::Error& e) {
        QVERIFY2(last, e.what());
        const QString got = QString::fromUtf8(e.what());
        QVERIFY2(got.startsWith(QString("x.md:%1: ").arg(n + 10)), e.what());
        QVERIFY2(got.contains(message), qPrintable(got + " / expected " + message));
      }
    }
  }

  // ----- checks ---------------------------------------------------------------------------------
  void checksEvaluate_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");
    const char* v = "values=0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2";
    auto row = [](const char* name, const std::string& e, double x, double tol = 0) {
      QTest::addRow("%s", name) << QString::fromStdString(e) << x << tol;
    };
    using std::string;
    row("code -0.8 saturates at -127", string("code ") + v + " index=6", -127);
    row("code 0.2 rounds up", string("code ") + v + " index=7", 32);
    row("dequant 0.6", string("dequant ") + v + " index=1", 95.0 * double(0.8f / 127.0f), 1e-6);
    row("asymmetric int8 zero point (course: -8 with q = x/s - z)",
        string("zeropoint ") + v + " scheme=asymmetric signed=true", 8);
    row("asymmetric int8 code of 0.7",
        string("code ") + v + " scheme=asymmetric signed=true index=5", 127);
    row("asymmetric int8 code of 0.3",
        string("code ") + v + " scheme=asymmetric signed=true index=0", 59);
    row("uint8 zero point", string("zeropoint ") + v + " scheme=asymmetric", 136);
    row("asymmetric scale", string("scale ") + v + " scheme=asymmetric", 1.5 / 255, 1e-8);
    row("manual range", "code values=0.5,3 range=-1,1 index=1", 127);
    row("narrow", "code values=-1,1 narrow=true index=0", -127);
    row("4 bit tie to even up", "code values=3.5,7 bits=4 index=0", 4);
    row("4 bit tie to even down", "code values=2.5,7 bits=4 index=0", 2);
    row("max error", string("error ") + v + " metric=max", 0.00236220, 1e-7);
    row("sqnr of outlier", "error values=0.3,0.6,-0.3,-0.5,0.0,0.7,-99,0.2 metric=sqnr", 0.0, 100);
    row("decode fp16 one", "decode format=fp16 bits=0x3C00", 1);
    row("decode bf16", "decode format=bf16 bits=0x3F80", 1);
    row("decode e4m3 max", "decode format=e4m3 bits=0x7E", 448);
    row("decode fp32 pi", "decode format=fp32 bits=0x40490FDB", 3.1415927410125732);
    row("encode fp16 0.1", "encode format=fp16 value=0.1", 0.0999755859375);
    row("encode bf16 ties to even", "encode format=bf16 value=1.01171875", 1.015625);
    row("maxfinite fp16", "maxfinite format=fp16", 65504);
    row("maxfinite e4m3", "maxfinite format=e4m3", 448);
    row("maxfinite e5m2", "maxfinite format=e5m2", 57344);
    row("maxfinite bf16", "maxfinite format=bf16", 3.3895313892515355e38, 1e25);
    row("epsilon bf16", "epsilon format=bf16", 0.0078125);
    row("epsilon fp16", "epsilon format=fp16", 0.0009765625);
    row("minnormal fp16", "minnormal format=fp16", 6.103515625e-05);
    row("levels", "levels bits=4", 16);
    row("int minus one", "int bits=8 pattern=11111111", -1);
    row("int min", "int bits=8 pattern=10000000", -128);
    row("uint", "int bits=8 pattern=11111111 signed=false", 255);
    row("int six", "int bits=3 pattern=110 signed=false", 6);
    row("memory fp32 70B", "memory params=70e9 bits=32", 280);
    row("memory int4 70B", "memory params=70e9 bits=4", 35);
    row("sqnr ideal", "sqnr-ideal bits=8", 49.92, 1e-9);
    row("gemm int8", "gemm-int8 a=1,2,3 b=4,-5,6 za=0", 12);
    row("gemm zero point", "gemm-int8 a=1,2,3 b=4,-5,6 za=1", 0 * 4 + 1 * -5 + 2 * 6);
    row("gemm uint8", "gemm-int8 a=200,10 b=1,1 za=128", 72 - 118);
    row("requant", "requant acc=1000 multiplier=0.05 zero=3", 53);
    row("requant saturates", "requant acc=100000 multiplier=0.05 zero=0", 127);
    row("requant high-mul tie rounds up", "requant acc=-5 multiplier=0.5 zero=0", -2);
    row("requant shift tie away from zero", "requant acc=-10 multiplier=0.25 zero=0", -3);
    row("nf4 one", "nf4 value=1", 1);
    row("nf4 zero", "nf4 value=0.01", 0);
    row("nf4 clamps", "nf4 value=-7", -1);
    row("bpw q8_0", "bpw scheme=q8_0", 8.5);
    row("bpw q4_0", "bpw scheme=q4_0 block=32", 4.5);
    row("bpw nf4", "bpw scheme=nf4 block=64", 4.5);
  }
  void checksEvaluate() {
    QFETCH(QString, expr);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    double v = 0;
    try {
      v = quant::evaluateCheck(expr.toStdString());
    } catch (const quant::Error& e) {
      QFAIL(e.what());
    }
    QVERIFY2(
        std::fabs(v - expected) <= tolerance,
        qPrintable(QString("%1 = %2, expected %3").arg(expr).arg(v, 0, 'g', 17).arg(expected)));
  }

  void checksInvalid_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("message");
    auto row = [](const char* name, const char* e, const char* msg) {
      QTest::addRow("%s", name) << e << msg;
    };
    row("empty", "", "empty check");
    row("unknown verb", "sqrt x=2", "unknown check 'sqrt'");
    row("missing values", "code index=0", "missing argument values=");
    row("missing index", "code values=1,2", "missing argument index=");
    row("index out of range", "code values=1,2 index=2", "index must be in 0..1");
    row("unknown key", "code values=1 index=0 bitz=8", "unknown argument 'bitz'");
    row("bad metric", "error values=1,2 metric=psnr", "metric must be");
    row("bad bits", "code values=1 index=0 bits=40", "bits must be in 2..16");
    row("range reversed", "code values=1 index=0 range=1,-1", "LO < HI");
    row("decode no hex", "decode format=fp16 bits=15360", "hexadecimal");
    row("decode too wide", "decode format=fp16 bits=0x10000", "");
    row("unknown format", "maxfinite format=fp64", "");
    row("pattern length", "int bits=8 pattern=101", "exactly 8 binary digits");
    row("pattern digits", "int bits=3 pattern=102", "binary digits");
    row("gemm length", "gemm-int8 a=1,2 b=1 za=0", "same length");
    row("gemm weight -128", "gemm-int8 a=1 b=-128 za=0", "b must be in -127..127");
    row("gemm mixed", "gemm-int8 a=-1,200 b=1,1 za=0", "int8");
    row("requant negative", "requant acc=1 multiplier=-1 zero=0", "");
    row("requant acc overflow", "requant acc=3000000000 multiplier=0.5", "acc must be in");
    row("bpw q8_0 block", "bpw scheme=q8_0 block=64", "");
    row("bpw unknown", "bpw scheme=q2_k", "scheme must be");
    row("too many values", "", "");  // replaced in the test body
  }
  void checksInvalid() {
    QFETCH(QString, expr);
    QFETCH(QString, message);
    std::string e = expr.toStdString();
    if (QString(QTest::currentDataTag()) == "too many values") {
      e = "code index=0 values=0";
      for (std::size_t i = 0; i < quant::kLessonMaxValues; ++i) e += ",1";
      message = "more than 4096 values";
    }
    try {
      const double v = quant::evaluateCheck(e);
      QFAIL(qPrintable(QString("evaluated to %1; expected an error").arg(v)));
    } catch (const quant::Error& err) {
      QVERIFY2(QString::fromUtf8(err.what()).contains(message),
               qPrintable(QString("got '%1', expected '%2'").arg(err.what(), message)));
    }
  }

  // Property: through the check syntax, min-max calibrated codes stay in [qmin, qmax] and the
  // reconstruction error never exceeds half a step, for random data, bits and schemes.
  void checksProperty() {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    for (int trial = 0; trial < 60; ++trial) {
      const int n = 1 + static_cast<int>(rng() % 20);
      std::string values = "values=";
      for (int i = 0; i < n; ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.6g", i ? "," : "", u(rng) * (trial % 5 + 1));
        values += buf;
      }
      const int bits = 2 + static_cast<int>(rng() % 7);
      const bool asym = trial % 2 == 1;
      const std::string args = values + " bits=" + std::to_string(bits) +
                               (asym ? " scheme=asymmetric" : " scheme=symmetric");
      const double scale = quant::evaluateCheck("scale " + args);
      const double maxErr = quant::evaluateCheck("error " + args + " metric=max");
      QVERIFY2(scale > 0, args.c_str());
      QVERIFY2(maxErr <= scale / 2 * (1 + 1e-5) + 1e-7,
               qPrintable(QString("%1: max error %2 > scale/2 %3")
                              .arg(args.c_str())
                              .arg(maxErr)
                              .arg(scale / 2)));
      const double lo = asym ? 0 : -(std::ldexp(1.0, bits - 1) - 1) - 1;
      const double hi = asym ? std::ldexp(1.0, bits) - 1 : std::ldexp(1.0, bits - 1) - 1;
      for (int i = 0; i < n; ++i) {
        const double q = quant::evaluateCheck("code " + args + " index=" + std::to_string(i));
        QVERIFY2(q >= lo && q <= hi, args.c_str());
        QCOMPARE(q, std::nearbyint(q));
      }
      // MSE and RMSE agree.
      const double mse = quant::evaluateCheck("error " + args + " metric=mse");
      const double rmse = quant::evaluateCheck("error " + args + " metric=rmse");
      QVERIFY(std::fabs(std::sqrt(mse) - rmse) <= 1e-9 + 1e-6 * rmse);
    }
    // Property: encode returns a representable value, i.e. decode(encode(x)) round-trips, and it is
    // within half an ulp-ish of x for fp16 inside the range.
    for (int trial = 0; trial < 200; ++trial) {
      const double x = u(rng) * 1000;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", x);
      const double y = quant::evaluateCheck(std::string("encode format=fp16 value=") + buf);
      const quant::FloatFormat f = quant::FloatFormat::fp16();
      QCOMPARE(quant::roundToFormat(f, y), y);
      QVERIFY(std::fabs(y - x) <= std::fabs(x) * f.epsilon() / 2 + 1e-7);
    }
  }

  void checkLessonReportsWrongAnswer() {
    quant::Lesson l = quant::parseLesson(replaced("answer: 48", "answer: 47"), "x.md");
    auto p = quant::checkLesson(l);
    QCOMPARE(p.size(), std::size_t(1));
    QVERIFY2(p[0].rfind("x.md:19: check 'code", 0) == 0, p[0].c_str());
    QVERIFY2(p[0].find("engine gives 48") != std::string::npos, p[0].c_str());
    // Within tolerance passes.
    l = quant::parseLesson(replaced("answer: 48\ntolerance: 0", "answer: 47\ntolerance: 1"),
                           "x.md");
    QVERIFY(quant::checkLesson(l).empty());
    // An invalid action is reported with its line, and a broken check too.
    l = quant::parseLesson(replaced("view mapping", "view nothing"), "x.md");
    p = quant::checkLesson(l);
    QCOMPARE(p.size(), std::size_t(1));
    QVERIFY2(p[0].rfind("x.md:16: view: unknown view", 0) == 0, p[0].c_str());
    l = quant::parseLesson(replaced("index=0", "index=9"), "x.md");
    p = quant::checkLesson(l);
    QCOMPARE(p.size(), std::size_t(1));
    QVERIFY2(p[0].find("index must be in 0..7") != std::string::npos, p[0].c_str());
    // A choice question with a check compares with the number in the chosen text.
    std::string withCheck = replaced("- a\n- b\n", "- 0.5\n- 448\n");
    withCheck.insert(withCheck.find("explanation: b."), "check: maxfinite format=e4m3\n");
    l = quant::parseLesson(withCheck, "x.md");
    QVERIFY2(quant::checkLesson(l).empty(), join(quant::checkLesson(l)).c_str());
  }

  // ----- translations and the tree --------------------------------------------------------------
  void translationDifferences() {
    const quant::Lesson en = quant::parseLesson(kValid, "en/07-demo.md");
    auto expectProblem = [&](const std::string& text, const char* what) {
      const quant::Lesson tr = quant::parseLesson(text, "es/07-demo.md");
      const auto p = quant::compareTranslation(en, tr);
      QVERIFY2(!p.empty(), what);
      QVERIFY2(p[0].rfind("es/07-demo.md:", 0) == 0, p[0].c_str());
      QVERIFY2(p[0].find(what) != std::string::npos, p[0].c_str());
    };
    // Only human text changed: no problem.
    std::string ok = replaced("title: Demo", "title: Demostración");
    QVERIFY(quant::compareTranslation(en, quant::parseLesson(ok, "es/07-demo.md")).empty());
    expectProblem(replaced("id: demo", "id: demo-es"), "id 'demo-es' differs");
    expectProblem(replaced("minutes: 5", "minutes: 6"), "minutes differ");
    expectProblem(replaced("view mapping", "view error"), "action 'view error' differs");
    expectProblem(replaced("view mapping\n", ""), "2 actions, the English step has 3");
    expectProblem(replaced("answer: 48", "answer: 49"), "answer 49 differs from 48");
    expectProblem(replaced("tolerance: 0", "tolerance: 1"), "tolerance differs");
    expectProblem(replaced("index=0", "index=1"), "check differs");
    expectProblem(replaced("answer: 2", "answer: 1"), "answer 1 differs");
    expectProblem(replaced("- b\n", "- b\n- c\n"), "number of choices differs");
    expectProblem(std::string(kValid) + "# Third\n\nx\n", "3 steps, the English lesson has 2");
  }

  void treeMissingAndOrdered() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString d = dir.path();
    const std::string lesson = kValid;
    std::string l10 = replaced("number: 7", "number: 10");
    l10.replace(l10.find("id: demo"), 8, "id: later");
    writeFile(d + "/en/07-demo.md", lesson);
    writeFile(d + "/en/10-later.md", l10);
    writeFile(d + "/en/notes.txt", "ignored");
    writeFile(d + "/es/07-demo.md", replaced("title: Demo", "title: Demostración"));
    writeFile(d + "/es/10-later.md", l10);
    writeFile(d + "/vi/07-demo.md", lesson);
    writeFile(d + "/vi/11-extra.md", lesson);
    const auto files = quant::listLessonFiles(d.toStdString(), "en");
    QCOMPARE(files.size(), std::size_t(2));
    QVERIFY(files[0].find("07-demo.md") != std::string::npos);
    QVERIFY(files[1].find("10-later.md") != std::string::npos);
    QCOMPARE(quant::loadLessons(d.toStdString(), "es").size(), std::size_t(2));
    QVERIFY(quant::listLessonFiles(d.toStdString(), "fr").empty());
    const auto p = quant::checkLessonTree(d.toStdString());
    const std::string all = join(p);
    QVERIFY2(all.find("vi/10-later.md: missing translation") != std::string::npos, all.c_str());
    QVERIFY2(all.find("vi/11-extra.md: no English lesson") != std::string::npos, all.c_str());
    // vi/11-extra.md carries number 7 and id demo: both mismatch its name.
    QVERIFY2(all.find("11-extra.md:1: front-matter number 7") != std::string::npos, all.c_str());
    QVERIFY2(all.find("id 'demo' does not match the file name's 'extra'") != std::string::npos,
             all.c_str());
    QCOMPARE(p.size(), std::size_t(4));
    // A translation that fails to parse is reported with its own file and line.
    writeFile(d + "/es/10-later.md", replaced("view mapping", "fly away"));
    const std::string all2 = join(quant::checkLessonTree(d.toStdString(), {"es"}));
    QVERIFY2(all2.find("es/10-later.md:16: unknown action 'fly'") != std::string::npos,
             all2.c_str());
  }
};

QTEST_GUILESS_MAIN(TestLessons)
#include "tst_lessons.moc"
