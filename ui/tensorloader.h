// SPDX-License-Identifier: GPL-3.0-or-later
// Loads tensor files (and generates synthetic tensors) off the GUI thread and hands the result
// to the Session.
//
// The core loaders have no progress callback, so the loader shows an indeterminate ("busy")
// progress dialog when a job takes longer than kBusyDelayMs, with a Cancel button. Cancelling
// cannot stop the worker thread; it abandons the job: its result is discarded when it arrives
// and the session keeps its previous tensor. A failing job leaves the session untouched too and
// reports one message that names the file and the problem.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <optional>
#include <vector>

#include "quant/generate.h"
#include "quant/tensor.h"
#include "quant/tensorio.h"

class QProgressDialog;
class QTimer;
class QWidget;

namespace quantlab::ui {

class Session;

class TensorLoader : public QObject {
  Q_OBJECT
 public:
  // `dialogParent` parents the progress and picker dialogs (nullptr: no dialogs are shown, a
  // multi-tensor file without a name then fails with the list of names — used by --snapshot).
  TensorLoader(Session* session, QWidget* dialogParent, QObject* parent = nullptr);
  ~TensorLoader() override;

  static constexpr int kBusyDelayMs = 300;

  // Opens "FILE" or "FILE:NAME". A file holding several tensors and no name opens the picker.
  void open(const QString& spec);
  // Opens tensor `name` of `path` ("" = the file's only tensor, or the picker).
  void open(const QString& path, const QString& name);
  // Generates a synthetic tensor in the background.
  void generate(const quant::GeneratorSpec& spec);
  // Abandons the running job (its result will be ignored).
  void cancel();
  bool isBusy() const { return busy_; }

  // Splits "FILE:NAME" the way quant::loadTensor does: an existing path wins; otherwise the text
  // after the last ':' is the name. Returns {path, name}.
  static std::pair<QString, QString> splitSpec(const QString& spec);

 signals:
  // The session now holds the tensor; `spec` is "FILE" or "FILE:NAME" (empty for generated).
  void loaded(const QString& spec, const QString& label);
  // The job failed; the session is unchanged. `message` names the file and the problem.
  void failed(const QString& message);
  void canceled();
  void busyChanged(bool busy);

 private:
  // What one background job produces.
  struct Result {
    std::optional<quant::Tensor> tensor;
    std::vector<quant::TensorInfo> choices;  // several tensors and no name: the picker's input
    QString error;
  };
  void start(std::function<Result()> job, const QString& spec, const QString& label,
             const QString& what);
  void finish();
  void setBusy(bool busy);
  void showPicker(const QString& path, const std::vector<quant::TensorInfo>& infos);

  Session* session_;
  QPointer<QWidget> dialogParent_;
  QFutureWatcher<Result>* watcher_ = nullptr;  // the job in flight (abandoned ones are orphaned)
  QTimer* busyTimer_;
  QProgressDialog* progress_ = nullptr;
  QString pendingSpec_, pendingLabel_, pendingPath_, progressText_;
  bool busy_ = false;
};

}  // namespace quantlab::ui
