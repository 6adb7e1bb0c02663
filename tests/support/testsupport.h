// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers several test programs share: the message an engine call fails with, running a program
// (quantlab-cli, validators) and reading its output, and small file helpers.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <exception>
#include <string>

#include "quant/base/tensor.h"

namespace quantlab::testing {

// The message of the quant::Error that `f` throws; "<no error>" when it throws nothing and
// "<foreign exception> ..." for any other exception, so a failing check prints what happened.
template <typename F>
std::string errorString(F&& f) {
  try {
    f();
  } catch (const quant::Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<foreign exception> ") + e.what();
  }
  return "<no error>";
}

template <typename F>
QString errorOf(F&& f) {
  return QString::fromStdString(errorString(std::forward<F>(f)));
}

// One finished run of a program: exit code (-1 when it did not finish in time, -2 when it
// crashed), standard output and standard error.
struct ProcessRun {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
};

inline ProcessRun runProgram(const QString& program, const QStringList& args,
                             int timeoutMs = 120000) {
  QProcess p;
  p.start(program, args);
  ProcessRun r;
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

#ifdef QUANTLAB_CLI
// The quantlab-cli this build made.
inline ProcessRun runCli(const QStringList& args) {
  return runProgram(QStringLiteral(QUANTLAB_CLI), args);
}
#endif

// The JSON object a run printed (empty when the output is not one).
inline QJsonObject jsonOf(const ProcessRun& r) { return QJsonDocument::fromJson(r.out).object(); }

inline bool writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  return f.write(bytes) == bytes.size();
}

inline QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace quantlab::testing
