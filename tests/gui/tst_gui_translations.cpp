// SPDX-License-Identifier: GPL-3.0-or-later
// The interface translations (translations/quantlab_<lang>.ts) are complete and current, and the
// window really speaks them:
//  - every message of every .ts file has a finished, non-empty translation (every plural form of a
//    %n message) that keeps the source's placeholders (%1, %n), keyboard mnemonic (&) and HTML
//    tags;
//  - the .ts files hold exactly the tr() strings of the sources (lupdate is re-run into a
//    temporary file and compared): a string added to the code without a translation fails here;
//  - the compiled catalogues load, and a main window built after installing one shows no English
//    string that has a different translation (catches tr() in the wrong context, strings
//    translated before the translator was installed, and stale catalogues).
#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>
#include <memory>

#include "mainwindow.h"
#include "session.h"
#include "settings.h"
#include "translations.h"

using namespace quantlab::ui;

namespace {

struct Message {
  QString context, source, translation;
  bool finished = false;
  QStringList forms;  // plural forms of a %n message (numerus="yes"); else just `translation`
};

// Reads a Qt Linguist .ts file; *error is set when it is not well-formed.
QList<Message> readTs(const QString& path, QString* error) {
  QList<Message> out;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = path + ": cannot open";
    return out;
  }
  QXmlStreamReader xml(&f);
  QString context;
  Message m;
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    const auto name = xml.name();
    if (name == QLatin1String("name")) {
      context = xml.readElementText();
    } else if (name == QLatin1String("message")) {
      m = Message{context, {}, {}, false, {}};
    } else if (name == QLatin1String("source")) {
      m.source = xml.readElementText();
    } else if (name == QLatin1String("translation")) {
      // No type attribute = finished; "unfinished", "vanished" and "obsolete" are not.
      m.finished = xml.attributes().value(QLatin1String("type")).isEmpty();
      // A plural message holds one <numerusform> per plural form of the language.
      while (!xml.atEnd() && !(xml.isEndElement() && xml.name() == QLatin1String("translation"))) {
        xml.readNext();
        if (xml.isCharacters()) m.translation += xml.text();
        if (xml.isStartElement() && xml.name() == QLatin1String("numerusform"))
          m.forms << xml.readElementText();
      }
      if (!m.forms.isEmpty())
        m.translation = m.forms.join(QLatin1Char('\n'));
      else
        m.forms << m.translation;
      out.append(m);
    }
  }
  if (xml.hasError()) *error = path + ": " + xml.errorString();
  return out;
}

QStringList placeholders(const QString& s) {
  QStringList out;
  auto it = QRegularExpression(QStringLiteral("%L?\\d+")).globalMatch(s);
  while (it.hasNext()) out << it.next().captured();
  out.sort();
  return out;
}

// '&x' marks a mnemonic; '&&' is a literal ampersand and '&name;' an HTML entity.
int mnemonics(QString s) {
  s.remove(QStringLiteral("&&"));
  s.remove(QRegularExpression(QStringLiteral("&[a-zA-Z]+;|&#\\d+;")));
  return static_cast<int>(s.count(QRegularExpression(QStringLiteral("&\\S"))));
}

QStringList tags(const QString& s) {
  QStringList out;
  auto it = QRegularExpression(QStringLiteral("</?[a-zA-Z][a-zA-Z0-9]*")).globalMatch(s);
  while (it.hasNext()) out << it.next().captured();
  out.sort();
  return out;
}

QString tsPath(const QString& lang) {
  return QStringLiteral(QUANTLAB_SOURCE_DIR "/translations/quantlab_%1.ts").arg(lang);
}

QStringList translatedLanguages() {
  QStringList out;
  for (const UiLanguage& l : uiLanguages())
    if (l.code != QLatin1String("en")) out << l.code;
  return out;
}

// Every user-visible text of a widget tree: labels, buttons, group boxes, tooltips, dock and
// window titles, menus and their actions.
QStringList visibleTexts(QWidget* root) {
  QStringList out;
  auto add = [&out](const QString& s) {
    if (!s.isEmpty()) out << s;
  };
  QList<QWidget*> widgets = root->findChildren<QWidget*>();
  widgets.prepend(root);
  for (QWidget* w : widgets) {
    add(w->toolTip());
    add(w->windowTitle());
    if (auto* l = qobject_cast<QLabel*>(w)) add(l->text());
    if (auto* b = qobject_cast<QAbstractButton*>(w)) add(b->text());
    if (auto* g = qobject_cast<QGroupBox*>(w)) add(g->title());
    if (auto* m = qobject_cast<QMenu*>(w)) add(m->title());
  }
  for (QAction* a : root->findChildren<QAction*>()) {
    add(a->text());
    add(a->toolTip() == QString(a->text()).remove(QLatin1Char('&')) ? QString() : a->toolTip());
  }
  return out;
}

}  // namespace

class TestTranslations : public QObject {
  Q_OBJECT

 private slots:
  void complete_data() {
    QTest::addColumn<QString>("lang");
    for (const QString& l : translatedLanguages()) QTest::addRow("%s", qPrintable(l)) << l;
  }
  void complete() {
    QFETCH(QString, lang);
    QString error;
    const QList<Message> messages = readTs(tsPath(lang), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(messages.size() > 500, qPrintable(QString::number(messages.size())));
    QStringList problems;
    for (const Message& m : messages) {
      const QString where = m.context + QStringLiteral(": \"") + m.source.left(60) + '"';
      for (const QString& form : m.forms) {
        if (!m.finished || form.trimmed().isEmpty())
          problems << where + QStringLiteral(" is not translated");
        else if (placeholders(m.source) != placeholders(form))
          problems << where + QStringLiteral(" loses or adds a %N placeholder");
        else if (m.source.contains(QLatin1String("%n")) != form.contains(QLatin1String("%n")))
          problems << where + QStringLiteral(" loses or adds the %n count");
        else if (mnemonics(m.source) != mnemonics(form))
          problems << where + QStringLiteral(" has a different number of & mnemonics");
        else if (tags(m.source) != tags(form))
          problems << where + QStringLiteral(" has different HTML tags");
        else
          continue;
        break;
      }
    }
    QVERIFY2(problems.isEmpty(),
             qPrintable(QStringLiteral("%1 problem(s) in %2:\n").arg(problems.size()).arg(lang) +
                        problems.mid(0, 30).join('\n')));
  }

  // The .ts files must hold exactly what lupdate finds in the sources today.
  void current() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString fresh = tmp.filePath(QStringLiteral("fresh.ts"));
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(QUANTLAB_LUPDATE),
                  {QStringLiteral("-no-obsolete"), QStringLiteral("-locations"),
                   QStringLiteral("none"), QStringLiteral(QUANTLAB_SOURCE_DIR "/ui"),
                   QStringLiteral(QUANTLAB_SOURCE_DIR "/app/gui"), QStringLiteral("-ts"), fresh});
    QVERIFY2(lupdate.waitForFinished(120000), "lupdate did not finish");
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());
    QString error;
    QSet<QString> inSources;
    for (const Message& m : readTs(fresh, &error)) inSources.insert(m.context + '\n' + m.source);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(inSources.size() > 500);
    for (const QString& lang : translatedLanguages()) {
      QSet<QString> inTs;
      for (const Message& m : readTs(tsPath(lang), &error)) inTs.insert(m.context + '\n' + m.source);
      QVERIFY2(error.isEmpty(), qPrintable(error));
      QStringList missing = QSet<QString>(inSources).subtract(inTs).values();
      QStringList stale = QSet<QString>(inTs).subtract(inSources).values();
      missing.sort();
      stale.sort();
      QVERIFY2(missing.isEmpty(),
               qPrintable(QStringLiteral("%1 string(s) of the code are missing from quantlab_%2.ts "
                                         "(run the update_translations target, then translate "
                                         "them):\n")
                              .arg(missing.size())
                              .arg(lang) +
                          missing.mid(0, 20).join(QStringLiteral("\n")).replace('\n', " | ")));
      QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("%1 string(s) of quantlab_%2.ts are no "
                                                          "longer in the code:\n")
                                               .arg(stale.size())
                                               .arg(lang) +
                                           stale.mid(0, 20).join(QStringLiteral(" | "))));
    }
  }

  void resolve() {
    QCOMPARE(resolveUiLanguage(QStringLiteral("es")), QStringLiteral("es"));
    QCOMPARE(resolveUiLanguage(QStringLiteral("vi")), QStringLiteral("vi"));
    QCOMPARE(resolveUiLanguage(QStringLiteral("en")), QStringLiteral("en"));
    QCOMPARE(resolveUiLanguage(QStringLiteral("xx")), QStringLiteral("en"));
    const QString system = resolveUiLanguage(QString());
    QVERIFY(system == QLatin1String("en") || system == QLatin1String("es") ||
            system == QLatin1String("vi"));
    QString error;
    QVERIFY(!installUiLanguage(QStringLiteral("xx"), &error));
    QVERIFY2(error.contains(QLatin1String("quantlab_xx.qm")), qPrintable(error));
    QCOMPARE(currentUiLanguage(), QStringLiteral("en"));
  }

  // View > Language stores the choice and asks before restarting; "Later" keeps this window.
  void languageMenuStoresChoice() {
    QTemporaryDir dir;
    const QString ini = dir.filePath("settings.ini");
    {
      MainWindow window(std::make_unique<Settings>(ini));
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      auto* menu = window.findChild<QMenu*>(QStringLiteral("languageMenu"));
      QVERIFY(menu);
      QStringList names;
      for (QAction* a : menu->actions())
        if (!a->isSeparator()) names << a->text();
      QCOMPARE(names.size(), uiLanguages().size() + 1);  // + "System default"
      QVERIFY(names.contains(QStringLiteral("Español")));
      QVERIFY(names.contains(QStringLiteral("Tiếng Việt")));
      auto* es = window.findChild<QAction*>(QStringLiteral("actionLanguage_es"));
      QVERIFY(es);
      bool asked = false;
      QTimer::singleShot(0, &window, [&asked] {
        // The question box is modal: answer it from the event loop it runs.
        for (QWidget* w : QApplication::topLevelWidgets()) {
          auto* box = qobject_cast<QMessageBox*>(w);
          if (!box) continue;
          asked = true;
          for (QAbstractButton* b : box->buttons())
            if (box->buttonRole(b) == QMessageBox::RejectRole) b->click();
        }
      });
      es->trigger();
      QVERIFY(asked);
      QVERIFY(window.isVisible());
      QVERIFY(es->isChecked());
      QCOMPARE(currentUiLanguage(), QStringLiteral("en"));  // applies at the next start
    }
    QCOMPARE(Settings(ini).uiLanguage(), QStringLiteral("es"));
  }

  // Counts agree with their noun: one wasted code is "desperdiciado", three "desperdiciados".
  void plurals() {
    QString error;
    QVERIFY2(installUiLanguage(QStringLiteral("es"), &error), qPrintable(error));
    const char* ctx = "quantlab::ui::MappingView";
    QCOMPARE(QCoreApplication::translate(ctx, " (%n wasted)", nullptr, 1),
             QStringLiteral(" (1 desperdiciado)"));
    QCOMPARE(QCoreApplication::translate(ctx, " (%n wasted)", nullptr, 3),
             QStringLiteral(" (3 desperdiciados)"));
    QVERIFY2(installUiLanguage(QStringLiteral("vi"), &error), qPrintable(error));
    QCOMPARE(QCoreApplication::translate(ctx, " (%n wasted)", nullptr, 1),
             QStringLiteral(" (lãng phí 1)"));
    QVERIFY(installUiLanguage(QStringLiteral("en")));
    QCOMPARE(QCoreApplication::translate(ctx, " (%n wasted)", nullptr, 1),
             QStringLiteral(" (1 wasted)"));
  }

  void windowSpeaks_data() { complete_data(); }
  void windowSpeaks() {
    QFETCH(QString, lang);
    // English sources whose translation differs: seeing one of them means it was not translated.
    QString error;
    QHash<QString, QString> english;
    for (const Message& m : readTs(tsPath(lang), &error))
      if (m.translation != m.source) english.insert(m.source, m.translation);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QVERIFY2(!translationFile(lang).isEmpty(), qPrintable(lang));
    QVERIFY2(installUiLanguage(lang, &error), qPrintable(error));
    QCOMPARE(currentUiLanguage(), lang);
    QVERIFY(QCoreApplication::translate("quantlab::ui::MainWindow", "&File") !=
            QLatin1String("&File"));

    QTemporaryDir dir;
    auto window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(dir.filePath("settings.ini")));
    window->resize(1280, 720);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->session()->flush();
    QStringList untranslated;
    for (const QString& text : visibleTexts(window.get()))
      if (english.contains(text)) untranslated << text;
    untranslated.removeDuplicates();
    window.reset();
    QVERIFY(installUiLanguage(QStringLiteral("en")));
    QVERIFY2(untranslated.isEmpty(),
             qPrintable(QStringLiteral("English shown in the %1 window: ").arg(lang) +
                        untranslated.mid(0, 20).join(QStringLiteral(" | "))));
  }
};

QTEST_MAIN(TestTranslations)
#include "tst_gui_translations.moc"
