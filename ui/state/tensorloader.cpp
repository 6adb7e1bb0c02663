// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorloader.h"

#include <QFileInfo>
#include <QProgressDialog>
#include <QTimer>
#include <QWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <new>

#include "session.h"
#include "tensorpickerdialog.h"

namespace quantlab::ui {

TensorLoader::TensorLoader(Session* session, QWidget* dialogParent, QObject* parent)
    : QObject(parent),
      session_(session),
      dialogParent_(dialogParent),
      busyTimer_(new QTimer(this)),
      pollTimer_(new QTimer(this)) {
  pollTimer_->setInterval(kProgressPollMs);
  connect(pollTimer_, &QTimer::timeout, this, &TensorLoader::pollProgress);
  busyTimer_->setSingleShot(true);
  busyTimer_->setInterval(kBusyDelayMs);
  connect(busyTimer_, &QTimer::timeout, this, [this] {
    if (!busy_ || !dialogParent_ || progress_) return;
    // Indeterminate until the loader reports (pollProgress switches it to percent).
    progress_ = new QProgressDialog(progressText_, tr("Cancel"), 0, 0, dialogParent_);
    if (lastPermille_ >= 0) {
      progress_->setRange(0, 1000);
      progress_->setValue(lastPermille_);
    }
    progress_->setWindowTitle(tr("QuantLab"));
    progress_->setWindowModality(Qt::WindowModal);
    progress_->setMinimumDuration(0);
    progress_->setAutoClose(false);
    progress_->setAutoReset(false);
    progress_->setMinimumWidth(380);
    connect(progress_, &QProgressDialog::canceled, this, &TensorLoader::cancel);
    progress_->show();
  });
}

TensorLoader::~TensorLoader() {
  // A running job cannot be stopped; its watcher (a child) goes away and the result with it.
  if (progress_) progress_->disconnect(this);
}

std::pair<QString, QString> TensorLoader::splitSpec(const QString& spec) {
  if (QFileInfo::exists(spec)) return {spec, QString()};
  const int colon = spec.lastIndexOf(QLatin1Char(':'));
  if (colon <= 0) return {spec, QString()};
  return {spec.left(colon), spec.mid(colon + 1)};
}

void TensorLoader::open(const QString& spec) {
  const auto [path, name] = splitSpec(spec);
  open(path, name);
}

void TensorLoader::open(const QString& path, const QString& name) {
  const QFileInfo info(path);
  const QString file = info.fileName().isEmpty() ? path : info.fileName();
  const bool picker = name.isEmpty() && dialogParent_ != nullptr;
  const std::string p = path.toStdString();
  const std::string n = name.toStdString();
  auto control = std::make_shared<JobControl>();
  auto job = [p, n, picker, control]() -> Result {
    const quant::LoadProgress report = [control](double f) {
      control->permille.store(static_cast<int>(std::clamp(f, 0.0, 1.0) * 1000.0));
      return !control->cancel.load();
    };
    Result r;
    try {
      if (n.empty()) {
        std::vector<quant::TensorInfo> infos = quant::listTensors(p);
        if (infos.size() > 1 && picker) {
          r.choices = std::move(infos);
          return r;
        }
        r.tensor = quant::loadTensor(p, infos.size() == 1 ? infos[0].name : std::string(), report);
      } else {
        r.tensor = quant::loadTensor(p, n, report);
      }
    } catch (const quant::Error& e) {
      r.error = QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
      r.error = tr("%1: not enough memory to load this tensor").arg(QString::fromStdString(p));
    } catch (const std::exception& e) {
      r.error = QString::fromStdString(p) + QStringLiteral(": ") + QString::fromStdString(e.what());
    }
    return r;
  };
  pendingPath_ = path;
  const QString spec = name.isEmpty() ? path : path + QLatin1Char(':') + name;
  const QString label = name.isEmpty() ? file : tr("%1 — %2").arg(name, file);
  start(job, std::move(control), spec, label, tr("Loading %1…").arg(name.isEmpty() ? file : label));
}

void TensorLoader::generate(const quant::GeneratorSpec& spec) {
  auto job = [spec]() -> Result {
    Result r;
    try {
      r.tensor = quant::generate(spec);
    } catch (const quant::Error& e) {
      r.error = tr("Generator: %1").arg(QString::fromStdString(e.what()));
    } catch (const std::bad_alloc&) {
      r.error = tr("Generator: not enough memory for this shape");
    }
    return r;
  };
  pendingPath_.clear();
  const QString label =
      tr("generated: %1 %2, seed %3")
          .arg(QString::fromStdString(quant::distributionName(spec.distribution)),
               QString::fromStdString(quant::Tensor{"", "", spec.shape, {}}.shapeString()))
          .arg(spec.seed);
  start(job, std::make_shared<JobControl>(), QString(), label, tr("Generating tensor…"));
}

void TensorLoader::start(std::function<Result()> job, std::shared_ptr<JobControl> control,
                         const QString& spec, const QString& label, const QString& what) {
  if (busy_) cancel();  // a new request replaces the one in flight
  control_ = std::move(control);
  lastPermille_ = -1;
  pollTimer_->start();
  pendingSpec_ = spec;
  pendingLabel_ = label;
  watcher_ = new QFutureWatcher<Result>(this);
  connect(watcher_, &QFutureWatcher<Result>::finished, this, &TensorLoader::finish);
  setBusy(true);
  progressText_ = what;
  busyTimer_->start();
  watcher_->setFuture(QtConcurrent::run(std::move(job)));
}

void TensorLoader::cancel() {
  if (!busy_) return;
  // The worker stops at its next chunk; its "cancelled" error is dropped with the watcher.
  if (control_) control_->cancel.store(true);
  control_.reset();
  if (watcher_) {
    // Orphan the watcher: the thread finishes on its own and the result is dropped.
    watcher_->disconnect(this);
    connect(watcher_, &QFutureWatcher<Result>::finished, watcher_, &QObject::deleteLater);
    if (watcher_->isFinished()) watcher_->deleteLater();
    watcher_ = nullptr;
  }
  setBusy(false);
  emit canceled();
}

void TensorLoader::setBusy(bool busy) {
  if (busy == busy_) return;
  busy_ = busy;
  if (!busy) {
    busyTimer_->stop();
    pollTimer_->stop();
    if (progress_) {
      progress_->disconnect(this);
      progress_->hide();
      progress_->deleteLater();
      progress_ = nullptr;
    }
  }
  emit busyChanged(busy);
}

void TensorLoader::finish() {
  auto* w = watcher_;
  watcher_ = nullptr;
  if (!w) return;
  w->deleteLater();
  // The last report (normally 1.0) before the session gets the tensor. Not shown in the dialog,
  // which is closed now anyway: a window-modal QProgressDialog::setValue processes events, and
  // nothing may run re-entrantly in the middle of handing the result over.
  if (control_) {
    const int permille = control_->permille.load();
    if (permille >= 0 && permille != lastPermille_) {
      lastPermille_ = permille;
      emit progressChanged(permille / 1000.0);
    }
  }
  control_.reset();
  Result r = w->future().takeResult();
  setBusy(false);
  if (!r.error.isEmpty()) {
    emit failed(r.error);
    return;
  }
  if (!r.choices.empty()) {
    showPicker(pendingPath_, r.choices);
    return;
  }
  if (!r.tensor) return;
  session_->setTensor(std::move(*r.tensor), pendingLabel_);
  emit loaded(pendingSpec_, pendingLabel_);
}

void TensorLoader::pollProgress() {
  if (!control_) return;
  const int permille = control_->permille.load();
  if (permille < 0 || permille == lastPermille_) return;
  lastPermille_ = permille;
  emit progressChanged(permille / 1000.0);
  // Last: setValue of a window-modal dialog processes events, which may finish or cancel the job.
  if (progress_) {
    if (progress_->maximum() == 0) progress_->setRange(0, 1000);  // leave "busy" mode
    progress_->setValue(permille);
  }
}

void TensorLoader::showPicker(const QString& path, const std::vector<quant::TensorInfo>& infos) {
  if (!dialogParent_) return;
  auto* dialog = new TensorPickerDialog(QFileInfo(path).fileName(), infos, dialogParent_);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog, path] {
    const QString name = dialog->selectedName();
    if (!name.isEmpty()) open(path, name);
  });
  dialog->open();
}

}  // namespace quantlab::ui
