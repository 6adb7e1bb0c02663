// SPDX-License-Identifier: GPL-3.0-or-later
// Loads tensor files (and generates synthetic tensors) off the GUI thread and hands the result
// to the Session.
//
// When a job takes longer than kBusyDelayMs a progress dialog with a Cancel button appears. File
// loads report real progress (quant::loadTensor's callback, written by the worker into an atomic
// and polled here every kProgressPollMs, so the GUI thread never waits for the worker); the bar
// is indeterminate until the first report and for generated tensors. Cancelling tells the
// worker to stop at its next chunk (the core loader then throws "loading cancelled") and
// abandons the job at once: its result is discarded when it arrives and the session keeps its
// previous tensor. A failing job leaves the session untouched too and reports one message that
// names the file and the problem (also "too large for the available memory").
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "quant/numeric/generate.h"
#include "quant/base/tensor.h"
#include "quant/io/tensorio.h"

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
  static constexpr int kProgressPollMs = 50;

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
  // How far the running file load is, in [0, 1] (emitted from the poll timer when it changed,
  // and 1.0 once the tensor is complete, just before the session receives it).
  void progressChanged(double fraction);

 private:
  // What one background job produces.
  struct Result {
    std::optional<quant::Tensor> tensor;
    std::vector<quant::TensorInfo> choices;  // several tensors and no name: the picker's input
    QString error;
  };
  // Shared by the GUI thread and one worker: the worker publishes progress, the GUI asks it to
  // stop. Each job has its own, so an abandoned job cannot disturb the next one.
  struct JobControl {
    std::atomic<int> permille{-1};  // -1: nothing reported yet
    std::atomic<bool> cancel{false};
  };
  void start(std::function<Result()> job, std::shared_ptr<JobControl> control, const QString& spec,
             const QString& label, const QString& what);
  void pollProgress();
  void finish();
  void setBusy(bool busy);
  void showPicker(const QString& path, const std::vector<quant::TensorInfo>& infos);

  Session* session_;
  QPointer<QWidget> dialogParent_;
  QFutureWatcher<Result>* watcher_ = nullptr;  // the job in flight (abandoned ones are orphaned)
  QTimer* busyTimer_;
  QTimer* pollTimer_;
  std::shared_ptr<JobControl> control_;  // of the job in flight
  int lastPermille_ = -1;
  QProgressDialog* progress_ = nullptr;
  QString pendingSpec_, pendingLabel_, pendingPath_, progressText_;
  bool busy_ = false;
};

}  // namespace quantlab::ui
