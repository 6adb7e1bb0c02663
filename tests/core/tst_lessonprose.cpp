// SPDX-License-Identifier: GPL-3.0-or-later
// The prose checks of lessons: {{CHECK | D}} numbers expanded with the engine and formatted per
// language, translations keeping the same templates, the Spanish and Vietnamese number style and
// the glossary's forbidden variants.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <string>

#include "quant/base/tensor.h"
#include "quant/course/lesson.h"

namespace {

std::string lessonWith(const std::string& text) {
  return "---\nid: demo\nnumber: 7\ntitle: Demo\nsummary: S.\nminutes: 5\n---\n\n# First\n\n" +
         text + "\n\n# Second\n\nMore text.\n";
}

quant::Lesson expanded(const std::string& text, const std::string& language) {
  quant::Lesson l = quant::parseLesson(lessonWith(text), language + "/07-demo.md");
  quant::expandLessonTemplates(l, language);
  return l;
}

bool anyContains(const std::vector<std::string>& problems, const std::string& what) {
  for (const auto& p : problems) {
    if (p.find(what) != std::string::npos) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

}  // namespace

class TestLessonProse : public QObject {
  Q_OBJECT

 private slots:
  void numbersFollowTheLanguage() {
    QCOMPARE(quant::formatLessonNumber(131071, 0, "en"), std::string("131,071"));
    QCOMPARE(quant::formatLessonNumber(131071, 0, "es"), std::string("131\u00A0071"));
    QCOMPARE(quant::formatLessonNumber(131071, 0, "vi"), std::string("131.071"));
    QCOMPARE(quant::formatLessonNumber(4096, 0, "vi"), std::string("4096"));
    QCOMPARE(quant::formatLessonNumber(-0.50394, 3, "en"), std::string("\u2212"
                                                                       "0.504"));
    QCOMPARE(quant::formatLessonNumber(-0.50394, 3, "es"), std::string("\u2212"
                                                                       "0,504"));
    QCOMPARE(quant::formatLessonNumber(-0.0001, 2, "en"), std::string("0.00"));
    QCOMPARE(quant::formatLessonNumber(12345.5, 1, "es"), std::string("12\u00A0345,5"));
  }

  void templatesAreEngineValues() {
    // Lesson 09's example: s = 1/127 sends 0.75 to 95 (not 96) and −0.5 to −64 (a tie to even).
    const std::string v = "values=0.75,-0.5 range=-1,1";
    quant::Lesson l = expanded("Code {{code " + v + " index=0}} is {{dequant " + v +
                                   " index=0 | 3}}; {{code " + v + " index=1}}.",
                               "en");
    QCOMPARE(l.steps[0].text, std::string("Code 95 is 0.748; \u2212"
                                          "64."));
    QCOMPARE(l.steps[0].templates.size(), std::size_t(3));
    l = expanded("{{dequant " + v + " index=0 | 3}}", "es");
    QCOMPARE(l.steps[0].text, std::string("0,748"));
    // The SQNR of a generated tensor: NF4 beats uniform 4-bit at equal blocks of 64, which beats
    // one scale for the whole tensor (lesson 13).
    const std::string g = "sqnr-generated dist=normal n=4096 seed=7 stddev=0.02 bits=4 ";
    l = expanded("{{" + g + "scheme=nf4 | 2}} {{" + g +
                     "scheme=symmetric granularity=group:0:64 | 2}} {{" + g +
                     "scheme=symmetric | 2}}",
                 "en");
    const QStringList dbs = QString::fromStdString(l.steps[0].text).split(' ');
    QCOMPARE(dbs.size(), 3);
    QVERIFY(dbs[0].toDouble() > dbs[1].toDouble());
    QVERIFY(dbs[1].toDouble() > dbs[2].toDouble());
  }

  void q31SplitsTheMultiplier() {
    // M = m * 2^-31 * 2^shift with m in [2^30, 2^31): lesson 09's M = 0.0124 has shift -6.
    for (const std::string text : {"0.0124", "0.3", "0.75", "0.333333"}) {
      const double m = std::stod(text);
      const std::string args = " multiplier=" + text;
      const double mantissa = quant::evaluateCheck("q31" + args + " part=mantissa");
      const double shift = quant::evaluateCheck("q31" + args + " part=shift");
      QVERIFY(mantissa >= std::ldexp(1.0, 30) && mantissa < std::ldexp(1.0, 31));
      QVERIFY(std::fabs(std::ldexp(mantissa, static_cast<int>(shift) - 31) - m) <=
              std::ldexp(m, -31));
    }
    QCOMPARE(quant::evaluateCheck("q31 multiplier=0.0124 part=shift"), -6.0);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::evaluateCheck("q31 multiplier=0.3 part=m"));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::evaluateCheck("q31 multiplier=-1 part=shift"));
  }

  void badTemplatesAreErrors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an integer") << "{{dequant values=0.75 range=-1,1 index=0}}"
                                    << "not an integer: add '| D'";
    QTest::newRow("unclosed") << "{{code values=1 index=0"
                              << "'{{' without '}}'";
    QTest::newRow("bad decimals") << "{{scale values=1 | x}}"
                                  << "needs one digit";
    QTest::newRow("unknown check") << "{{nothing x=1}}"
                                   << "unknown check 'nothing'";
    QTest::newRow("unknown key") << "{{sqnr-generated n=64 seed=1 colour=red}}"
                                 << "unknown argument 'colour'";
  }
  void badTemplatesAreErrors() {
    QFETCH(QString, text);
    QFETCH(QString, message);
    try {
      (void)expanded(text.toStdString(), "en");
      QFAIL("no error");
    } catch (const quant::Error& e) {
      const std::string what = e.what();
      QVERIFY2(what.rfind("en/07-demo.md:9: ", 0) == 0, what.c_str());
      QVERIFY2(what.find(message.toStdString()) != std::string::npos, what.c_str());
    }
  }

  void translationsKeepTheirTemplates() {
    const quant::Lesson en = expanded("Code {{code values=0.3,0.8 index=0}} here.", "en");
    QVERIFY(quant::compareLessonTemplates(
                en, expanded("Aquí el código {{code values=0.3,0.8 index=0}}.", "es"))
                .empty());
    const auto p = quant::compareLessonTemplates(
        en, expanded("Aquí el código {{code values=0.3,0.8 index=1}}.", "es"));
    QCOMPARE(p.size(), std::size_t(1));
    QVERIFY2(p[0].find("step 1: its {{...}} numbers differ") != std::string::npos, p[0].c_str());
  }

  void numberStyle_data() {
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::newRow("es comma") << "es"
                              << "La escala es 0,0063 y hay 131 071 productos." << true;
    QTest::newRow("es point") << "es"
                              << "La escala es 0.0063." << false;
    QTest::newRow("es code") << "es"
                             << "Ejecuta `quantize --std 0.02`." << true;
    QTest::newRow("es fenced") << "es"
                               << "Mira:\n\n```\nx = 0.5\n```\n"
                               << true;
    QTest::newRow("es format name") << "es"
                                    << "El formato Q1.7 guarda 0,3 como 38." << true;
    QTest::newRow("es commas group") << "es"
                                     << "Son 2,147,483,647." << false;
    QTest::newRow("vi thousands") << "vi"
                                  << "Có 4.096 trọng số và 235.146 phép nhân." << true;
    QTest::newRow("vi sentence end") << "vi"
                                     << "Tổng là 4.096." << true;
    QTest::newRow("vi decimal point") << "vi"
                                      << "Giá trị 0.5 và 1,5." << false;
    QTest::newRow("vi short group") << "vi"
                                    << "Khoảng 12.8 triệu." << false;
    QTest::newRow("en points") << "en"
                               << "Scale 0.0063, 4,096 weights." << true;
  }
  void numberStyle() {
    QFETCH(QString, language);
    QFETCH(QString, text);
    QFETCH(bool, ok);
    const quant::Lesson l = expanded(text.toStdString(), language.toStdString());
    const auto p = quant::checkLessonProse({&l}, language.toStdString(), "/nonexistent/GLOSSARY");
    QVERIFY2(p.empty() == ok, joined(p).c_str());
    if (!ok) QVERIFY2(p[0].rfind(language.toStdString() + "/07-demo.md:9: ", 0) == 0, p[0].c_str());
  }

  void glossaryForbidsVariants() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("GLOSSARY");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        "# test glossary\n"
        "quantization = cuantización | cuantificación\n"
        "exponent bias = desplazamiento del exponente | sesgo del exponente\n");
    f.close();
    const std::string g = path.toStdString();
    auto problems = [&](const std::string& text) {
      const quant::Lesson l = expanded(text, "es");
      return quant::checkLessonProse({&l}, "es", g);
    };
    QVERIFY(problems("La cuantización reduce la memoria.").empty());
    auto p = problems("La Cuantificación reduce la memoria.");
    QCOMPARE(p.size(), std::size_t(1));
    QVERIFY2(p[0].find("'Cuantificación' is not the glossary's word for 'quantization': write "
                       "'cuantización' (GLOSSARY line 2)") != std::string::npos,
             p[0].c_str());
    // Whole words only; the preferred term itself is fine; code is machine text.
    QCOMPARE(problems("El sesgo de la capa y el sesgo del exponente.").size(), std::size_t(1));
    QVERIFY(problems("El sesgo de la capa y el desplazamiento del exponente.").empty());
    QVERIFY(problems("Los sesgos del exponentes.").empty());
    QVERIFY(problems("El parámetro `sesgo del exponente` del código.").empty());
    // A malformed line and an entry that forbids its own term are reported.
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("quantization cuantización\nbias = sesgo | sesgo\n");
    f.close();
    p = problems("Texto.");
    QVERIFY2(anyContains(p, "GLOSSARY:1: expected 'english = term | forbidden"), joined(p).c_str());
    QVERIFY2(anyContains(p, "GLOSSARY:2: the term 'sesgo' contains its own forbidden variant"),
             joined(p).c_str());
  }

  void shippedGlossariesAreEnforced() {
    // The shipped glossaries parse and forbid the variants the translations used to mix.
    const std::string dir = QUANTLAB_TEST_DATA "/../../lessons";
    auto problems = [&](const std::string& language, const std::string& text) {
      const quant::Lesson l = expanded(text, language);
      return quant::checkLessonProse({&l}, language, dir + "/" + language + "/GLOSSARY");
    };
    QVERIFY(problems("es", "La cuantización falsa y la exactitud del modelo.").empty());
    QVERIFY(anyContains(problems("es", "La cuantización simulada."), "'fake quantization'"));
    QVERIFY(anyContains(problems("es", "Un exponente con sesgo 127."), "'exponent bias'"));
    QVERIFY(problems("vi", "Lượng hóa đều, không đối xứng.").empty());
    QVERIFY(anyContains(problems("vi", "Lượng tử hóa bất đối xứng."), "'quantization'"));
    QVERIFY(anyContains(problems("vi", "Lượng tử hóa bất đối xứng."), "'asymmetric'"));
  }

  void shippedLanguagesAreFolderNames() {
    QCOMPARE(quant::lessonLanguageOf("lessons/vi/04-uniform-affine.md"), std::string("vi"));
    QCOMPARE(quant::lessonLanguageOf("lessons/es/04-uniform-affine.md"), std::string("es"));
    QCOMPARE(quant::lessonLanguageOf("x.md"), std::string("en"));
  }
};

QTEST_GUILESS_MAIN(TestLessonProse)
#include "tst_lessonprose.moc"
