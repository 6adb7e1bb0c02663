// SPDX-License-Identifier: GPL-3.0-or-later
// The files of packaging/: the desktop entry and AppStream metadata pass their validators (when
// installed), they agree with each other and with the MIME types, and the man page documents
// every subcommand and option quantlab-cli --help prints.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString packagingDir() {
  return QDir::cleanPath(QStringLiteral(QUANTLAB_TEST_DATA) + "/../../packaging");
}

QString packagingFile(const QString& name) { return packagingDir() + "/" + name; }

QString readText(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll());
}

struct Run {
  int exitCode = -1;
  QString out;
  QString err;
};

Run run(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  Run r;
  if (!p.waitForFinished(60000)) return r;
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

// The value of `key` in the [Desktop Entry] group.
QString desktopValue(const QString& text, const QString& key) {
  const QRegularExpression re("^" + QRegularExpression::escape(key) + "=(.*)$",
                              QRegularExpression::MultilineOption);
  return re.match(text).captured(1).trimmed();
}

// The man page as plain text: roff escapes for '-' removed, font switches dropped.
QString manText() {
  QString t = readText(packagingFile("quantlab-cli.1"));
  t.replace("\\-", "-");
  t.remove(QRegularExpression("\\\\f[BIRP]"));
  return t;
}

// The subcommand names of `quantlab-cli --help` (lines "  NAME  summary" after "commands:").
QStringList cliCommands(const QString& help) {
  QStringList names;
  bool inCommands = false;
  for (const QString& line : help.split('\n')) {
    if (line.startsWith("commands:")) {
      inCommands = true;
      continue;
    }
    if (!inCommands) continue;
    if (line.trimmed().isEmpty()) break;
    const QRegularExpressionMatch m = QRegularExpression("^\\s+([a-z][a-z0-9-]*)\\s").match(line);
    if (m.hasMatch()) names << m.captured(1);
  }
  return names;
}

bool cliBuilt() { return QFile::exists(QStringLiteral(QUANTLAB_CLI)); }

}  // namespace

class TestPackaging : public QObject {
  Q_OBJECT
 private slots:
  void filesExist() {
    for (const char* f : {"quantlab.desktop", "io.github.quantlab.QuantLab.metainfo.xml",
                          "quantlab.svg", "quantlab-cli.1", "mime/quantlab.xml", "CMakeLists.txt"})
      QVERIFY2(QFile::exists(packagingFile(f)), f);
  }

  void desktopFileValidates() {
    const QString tool = QStandardPaths::findExecutable("desktop-file-validate");
    if (tool.isEmpty()) QSKIP("desktop-file-validate is not installed (desktop-file-utils)");
    // Validated under its installed name (the application id).
    QTemporaryDir dir;
    const QString installed = dir.filePath("io.github.quantlab.QuantLab.desktop");
    QVERIFY(QFile::copy(packagingFile("quantlab.desktop"), installed));
    const Run r = run(tool, {installed});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(!r.out.contains("error") && !r.err.contains("error"), qPrintable(r.out + r.err));
  }

  void metainfoValidates() {
    const QString tool = QStandardPaths::findExecutable("appstreamcli");
    if (tool.isEmpty()) QSKIP("appstreamcli is not installed (appstream)");
    const Run r = run(
        tool, {"validate", "--no-net", packagingFile("io.github.quantlab.QuantLab.metainfo.xml")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
  }

  // The id, the desktop file's installed name, the icon name and the binary agree.
  void idsAreConsistent() {
    const QString desktop = readText(packagingFile("quantlab.desktop"));
    const QString meta = readText(packagingFile("io.github.quantlab.QuantLab.metainfo.xml"));
    QVERIFY(!desktop.isEmpty() && !meta.isEmpty());
    QVERIFY(meta.contains("<id>io.github.quantlab.QuantLab</id>"));
    QVERIFY(meta.contains(
        "<launchable type=\"desktop-id\">io.github.quantlab.QuantLab.desktop</launchable>"));
    QCOMPARE(desktopValue(desktop, "Icon"), QString("io.github.quantlab.QuantLab"));
    QCOMPARE(desktopValue(desktop, "Exec").section(' ', 0, 0), QString("quantlab"));
    QCOMPARE(desktopValue(desktop, "Type"), QString("Application"));
    const QString cmake = readText(packagingFile("CMakeLists.txt"));
    QVERIFY(cmake.contains("set(QUANTLAB_APP_ID io.github.quantlab.QuantLab)"));
    // The icon is an SVG document with a view box (scalable).
    const QString svg = readText(packagingFile("quantlab.svg"));
    QVERIFY(svg.contains("<svg") && svg.contains("viewBox=\"0 0 128 128\""));
  }

  // Every MIME type the desktop file claims is declared by packaging/mime/quantlab.xml.
  void mimeTypesAreDeclared() {
    const QString desktop = readText(packagingFile("quantlab.desktop"));
    const QString mime = readText(packagingFile("mime/quantlab.xml"));
    const QStringList types = desktopValue(desktop, "MimeType").split(';', Qt::SkipEmptyParts);
    QVERIFY(types.contains("application/x-quantlab-session"));
    for (const QString& t : types)
      QVERIFY2(mime.contains("<mime-type type=\"" + t + "\">"), qPrintable(t));
  }

  // update-mime-database accepts the file and maps the globs to our types.
  void mimeDatabaseBuilds() {
    const QString tool = QStandardPaths::findExecutable("update-mime-database");
    if (tool.isEmpty()) QSKIP("update-mime-database is not installed (shared-mime-info)");
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath("packages")));
    QVERIFY(QFile::copy(packagingFile("mime/quantlab.xml"), dir.filePath("packages/quantlab.xml")));
    const Run r = run(tool, {dir.path()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(!r.err.contains("Error", Qt::CaseInsensitive), qPrintable(r.err));
    const QString globs = readText(dir.filePath("globs2"));
    for (const char* g : {"application/x-quantlab-session:*.qlab", "application/x-npy:*.npy",
                          "application/x-npz:*.npz", "application/x-safetensors:*.safetensors",
                          "application/x-onnx:*.onnx"})
      QVERIFY2(globs.contains(g), g);
  }

  // The man page documents every subcommand of --help, and every option of each subcommand.
  void manPageCoversTheCli() {
    if (!cliBuilt()) QSKIP("quantlab-cli is not built");
    const Run help = run(QStringLiteral(QUANTLAB_CLI), {"--help"});
    QCOMPARE(help.exitCode, 0);
    const QStringList commands = cliCommands(help.out);
    QVERIFY2(commands.size() >= 5, qPrintable(help.out));
    const QString man = manText();
    QVERIFY(man.contains(".TH QUANTLAB-CLI 1"));
    const QRegularExpression option("(?<![A-Za-z0-9-])(--[a-z][a-z0-9-]*)");
    for (const QString& c : commands) {
      // Each subcommand has its own tagged paragraph ".TP\n.B NAME".
      QVERIFY2(man.contains(".TP\n.B " + c + "\n"), qPrintable("subcommand " + c));
      const Run sub = run(QStringLiteral(QUANTLAB_CLI), {c, "--help"});
      QCOMPARE(sub.exitCode, 0);
      auto it = option.globalMatch(sub.out);
      while (it.hasNext()) {
        const QString opt = it.next().captured(1);
        QVERIFY2(man.contains(opt), qPrintable(c + " " + opt));
      }
    }
    // Exit codes as main.cpp documents them.
    QVERIFY(help.out.contains("0 success, 1 data or file error, 2 usage error"));
    QVERIFY(man.contains(".SH EXIT STATUS"));
  }

  // The man page header and the AppStream release carry the version the binary reports.
  void versionsAgree() {
    if (!cliBuilt()) QSKIP("quantlab-cli is not built");
    const Run r = run(QStringLiteral(QUANTLAB_CLI), {"--version"});
    QCOMPARE(r.exitCode, 0);
    const QString version = r.out.trimmed().section(' ', 1, 1);
    QVERIFY2(!version.isEmpty(), qPrintable(r.out));
    QVERIFY2(manText().contains("\"QuantLab " + version + "\""), qPrintable(version));
    QVERIFY2(readText(packagingFile("io.github.quantlab.QuantLab.metainfo.xml"))
                 .contains("<release version=\"" + version + "\""),
             qPrintable(version));
  }

  void manPageRendersWithoutWarnings() {
    const QString groff = QStandardPaths::findExecutable("groff");
    if (groff.isEmpty()) QSKIP("groff is not installed");
    const Run r = run(groff, {"-man", "-Tutf8", "-ww", "-z", packagingFile("quantlab-cli.1")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.trimmed().isEmpty(), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
