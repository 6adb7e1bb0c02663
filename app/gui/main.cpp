// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QCommandLineParser>

#include "mainwindow.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("QuantLab");
  QApplication::setOrganizationName("QuantLab");
  QApplication::setApplicationVersion(QUANTLAB_VERSION);
  QCommandLineParser parser;
  parser.setApplicationDescription("Learn and inspect neural-network quantization");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.process(app);
  quantlab::ui::MainWindow window;
  window.show();
  return app.exec();
}
