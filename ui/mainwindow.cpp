// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>

namespace quantlab::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName("MainWindow");
  setWindowTitle(tr("QuantLab"));
  auto* label = new QLabel(tr("QuantLab — the interactive views arrive with the window issue.\n"
                              "Until then, explore the engine with quantlab-cli --help."),
                           this);
  label->setAlignment(Qt::AlignCenter);
  setCentralWidget(label);
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence::Quit);
  resize(1280, 720);
}

}  // namespace quantlab::ui
