// SPDX-License-Identifier: GPL-3.0-or-later
// Loads tensor files (and generates synthetic tensors) off the GUI thread and hands the result
// to the Session.
//
// The jobs run on a BackgroundJob: a new request replaces the one in flight. When a job takes
// longer than kBusyDelayMs a progress dialog with a Cancel button appears. File loads report real
// progress (quant::loadTensor's callback, polled every kProgressPollMs: the dialog's setValue
// processes events, so it runs at most 20 times a second); the bar is indeterminate until
// the first report and for generated tensors. Cancelling tells the worker to stop at its next chunk
// (the core loader then throws "loading cancelled") and abandons the job at once: its result is
// discarded and the session keeps its previous tensor. A failing job leaves the session untouched
// too and reports one message that names the file and the problem (also "too large for the
// available memory").
// A .npy whose float32 values would take kStreamBytes or more, or more than a third of the memory
// available (the window holds about three tensor-sized buffers), is not copied: it opens through
// its memory mapping as a streamed tensor (Session::setStreamedTensor) with a sample read here.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "backgroundjob.h"
#include "quant/base/tensor.h"
#include "quant/io/mappednpy.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/generate.h"

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
  static constexpr std::uint64_t kStreamBytes = std::uint64_t{1} << 30;
  // Tests and bench_gui stream smaller files; 0 restores kStreamBytes.
  static void setStreamBytesForTests(std::uint64_t bytes);

  // Opens "FILE" or "FILE:NAME". A file holding several tensors and no name opens the picker.
  void open(const QString& spec);
  // Opens tensor `name` of `path` ("" = the file's only tensor, or the picker).
  void open(const QString& path, const QString& name);
  // Generates a synthetic tensor in the background.
  void generate(const quant::GeneratorSpec& spec);
  // Abandons the running job (its result is dropped).
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
  // How far the running file load is, in [0, 1] (polled while it runs, and 1.0 once the tensor
  // is complete, just before the session receives it).
  void progressChanged(double fraction);

 private:
  // What one background job produces.
  struct Result {
    std::optional<quant::Tensor> tensor;  // a streamed tensor: its header, no values
    std::shared_ptr<const quant::MappedNpy> mapped;
    std::vector<float> sample;
    std::vector<quant::TensorInfo> choices;  // several tensors and no name: the picker's input
    QString error;
  };
  // spec and label: what loaded() reports; what: the progress dialog's text.
  template <typename Work>
  void start(Work work, const QString& path, const QString& spec, const QString& label,
             const QString& what);
  void showProgress(double fraction);
  void finish(Result r, const QString& path, const QString& spec, const QString& label);
  void setBusy(bool busy);
  void showPicker(const QString& path, const std::vector<quant::TensorInfo>& infos);

  Session* session_;
  QPointer<QWidget> dialogParent_;
  QTimer* busyTimer_;
  QProgressDialog* progress_ = nullptr;
  QString progressText_;
  bool busy_ = false;  // false at once when cancelled, while the abandoned worker still stops
  BackgroundJob job_;  // last member: destroyed first, it stops and waits for the worker
};

}  // namespace quantlab::ui
