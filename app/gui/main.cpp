// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab [--language CODE] [FILE[:NAME]]
// quantlab --snapshot VIEW -o out.png [FILE[:NAME]] [--bits N] [--scheme S] [--unsigned]
//          [--granularity G] [--calib C] [--size WxH]
#include <QApplication>
#include <QCommandLineParser>
#include <QRegularExpression>
#include <QTimer>
#include <cstdio>
#include <cstring>

#include "mainwindow.h"
#include "settings.h"
#include "snapshot.h"
#include "translations.h"

namespace {
int fail(const QString& message) {
  std::fprintf(stderr, "quantlab: %s\n", message.toLocal8Bit().constData());
  return 1;
}

// The interface language must be installed before the first translated string (the --help
// text included), so --language is read here, ahead of QCommandLineParser.
QString languageArgument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--language") == 0 && i + 1 < argc)
      return QString::fromLocal8Bit(argv[i + 1]);
    if (std::strncmp(argv[i], "--language=", 11) == 0) return QString::fromLocal8Bit(argv[i] + 11);
  }
  return {};
}
}  // namespace

int main(int argc, char** argv) {
  // Decide the platform before QApplication exists: a snapshot never shows a window, and
  // --version / --help need no display (scripts, ssh). Without any display a normal start
  // would abort inside Qt, so it fails here with one line instead.
  bool snapshotRun = false, infoOnly = false;
  for (int i = 1; i < argc; ++i) {
    snapshotRun = snapshotRun || std::strcmp(argv[i], "--snapshot") == 0;
    infoOnly = infoOnly || std::strcmp(argv[i], "--version") == 0 ||
               std::strcmp(argv[i], "-v") == 0 || std::strcmp(argv[i], "--help") == 0 ||
               std::strcmp(argv[i], "-h") == 0;
  }
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    const bool noDisplay =
        qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    if (snapshotRun || (noDisplay && infoOnly))
      qputenv("QT_QPA_PLATFORM", "offscreen");
    else if (noDisplay)
      return fail(
          QStringLiteral("no display (DISPLAY and WAYLAND_DISPLAY are unset); use "
                         "--snapshot VIEW -o out.png to render without one"));
  }
  QApplication app(argc, argv);
  QApplication::setApplicationName("QuantLab");
  QApplication::setOrganizationName("QuantLab");
  QApplication::setApplicationVersion(QUANTLAB_VERSION);

  QString language = languageArgument(argc, argv);
  if (language.isEmpty()) language = quantlab::ui::Settings().uiLanguage();
  QString languageError;
  if (!quantlab::ui::installUiLanguage(quantlab::ui::resolveUiLanguage(language), &languageError))
    std::fprintf(stderr, "quantlab: %s (the interface stays in English)\n",
                 languageError.toLocal8Bit().constData());

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QApplication::translate("main", "Learn and inspect neural-network quantization."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(
      "file",
      QApplication::translate("main",
                              "Tensor to open: FILE or FILE:NAME (.npy, .npz, "
                              ".safetensors, .csv)."),
      "[FILE[:NAME]]");
  const QCommandLineOption snapshot(
      "snapshot",
      QApplication::translate("main",
                              "Render VIEW (%1) to a PNG without showing a window. A "
                              "model view runs its job first (QAT: 1 epoch on 10000 images).")
          .arg((QStringList{QStringLiteral("window")} + quantlab::ui::MainWindow::viewNames())
                   .join(QStringLiteral(", "))),
      "VIEW");
  const QCommandLineOption output(
      {"o", "output"}, QApplication::translate("main", "Snapshot output (.png)."), "FILE");
  const QCommandLineOption bits("bits", QApplication::translate("main", "Bit width (2-16)."), "N");
  const QCommandLineOption scheme(
      "scheme", QApplication::translate("main", "symmetric or asymmetric."), "SCHEME");
  const QCommandLineOption unsignedOpt("unsigned",
                                       QApplication::translate("main", "Unsigned integer codes."));
  const QCommandLineOption granularity(
      "granularity", QApplication::translate("main", "tensor, channel:AXIS or group:AXIS:SIZE."),
      "G");
  const QCommandLineOption calib(
      "calib",
      QApplication::translate("main",
                              "minmax, moving-average, percentile:P, percentile-abs:P, "
                              "mse, entropy or histogram."),
      "METHOD");
  const QCommandLineOption size(
      "size", QApplication::translate("main", "Snapshot size in pixels, e.g. 1280x720."), "WxH");
  const QCommandLineOption languageOpt(
      "language",
      QApplication::translate("main",
                              "Interface language: en, es, vi or system (default: the one chosen "
                              "in View > Language, else the system's)."),
      "CODE");
  parser.addOptions(
      {snapshot, output, bits, scheme, unsignedOpt, granularity, calib, size, languageOpt});
  parser.process(app);

  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1)
    return fail(QApplication::translate("main", "expected at most one FILE[:NAME], got %1")
                    .arg(positional.size()));
  const QString file = positional.value(0);
  if (parser.isSet(languageOpt)) {
    const QString code = parser.value(languageOpt);
    bool known = code == QLatin1String("system");
    for (const quantlab::ui::UiLanguage& l : quantlab::ui::uiLanguages()) known |= l.code == code;
    if (!known)
      return fail(
          QApplication::translate("main", "--language must be en, es, vi or system, got '%1'")
              .arg(code));
  }

  const bool snapshotOptions = parser.isSet(output) || parser.isSet(bits) || parser.isSet(scheme) ||
                               parser.isSet(unsignedOpt) || parser.isSet(granularity) ||
                               parser.isSet(calib) || parser.isSet(size);
  if (!parser.isSet(snapshot)) {
    if (snapshotOptions)
      return fail(QApplication::translate(
          "main",
          "-o, --bits, --scheme, --unsigned, --granularity, --calib and --size need "
          "--snapshot VIEW"));
    quantlab::ui::MainWindow window;
    window.show();
    if (!file.isEmpty()) {
      // After the window is up, so the progress and error dialogs have a parent on screen.
      QTimer::singleShot(0, &window, [&window, file] { window.openFile(file); });
    }
    return app.exec();
  }

  quantlab::ui::SnapshotRequest request;
  request.view = parser.value(snapshot);
  request.output = parser.value(output);
  request.tensor = file;
  if (parser.isSet(bits)) {
    bool ok = false;
    const int n = parser.value(bits).toInt(&ok);
    if (!ok || n < 2 || n > 16)
      return fail(
          QApplication::translate("main", "--bits must be an integer from 2 to 16, got '%1'")
              .arg(parser.value(bits)));
    request.bits = n;
  }
  request.scheme = parser.value(scheme);
  request.isUnsigned = parser.isSet(unsignedOpt);
  request.granularity = parser.value(granularity);
  request.calibration = parser.value(calib);
  if (parser.isSet(size)) {
    const auto m =
        QRegularExpression(QStringLiteral("^(\\d{2,5})[xX](\\d{2,5})$")).match(parser.value(size));
    if (!m.hasMatch())
      return fail(QApplication::translate("main", "--size must look like 1280x720, got '%1'")
                      .arg(parser.value(size)));
    request.size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
  }
  const QString error = quantlab::ui::renderSnapshot(request);
  if (!error.isEmpty()) return fail(error);
  return 0;
}
