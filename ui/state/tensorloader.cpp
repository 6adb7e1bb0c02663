// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorloader.h"

#include <QFileInfo>
#include <QProgressDialog>
#include <QTimer>
#include <QWidget>
#include <atomic>
#include <new>

#include "quant/numeric/streamed.h"
#include "session.h"
#include "tensorpickerdialog.h"

namespace quantlab::ui {

namespace {

std::atomic<std::uint64_t> gStreamBytes{TensorLoader::kStreamBytes};

// The mapped file when `path` is a .npy too big to copy (see the header), else nullptr.
std::shared_ptr<const quant::MappedNpy> openStreamed(const std::string& path) {
  if (!QString::fromStdString(path).endsWith(QLatin1String(".npy"), Qt::CaseInsensitive))
    return nullptr;
  std::shared_ptr<const quant::MappedNpy> m;
  try {
    m = quant::MappedNpy::open(path);
  } catch (const quant::Error&) {
    return nullptr;  // the loader reports the problem the usual way
  }
  const auto bytes = static_cast<std::uint64_t>(m->size()) * sizeof(float);
  const std::optional<std::uint64_t> available = quant::availableMemory();
  if (bytes >= gStreamBytes.load() || (available && bytes > *available / 3)) return m;
  return nullptr;
}

}  // namespace

void TensorLoader::setStreamBytesForTests(std::uint64_t bytes) {
  gStreamBytes.store(bytes == 0 ? kStreamBytes : bytes);
}

TensorLoader::TensorLoader(Session* session, QWidget* dialogParent, QObject* parent)
    : QObject(parent),
      session_(session),
      dialogParent_(dialogParent),
      busyTimer_(new QTimer(this)) {
  job_.setProgressInterval(kProgressPollMs);
  connect(&job_, &BackgroundJob::progressChanged, this, &TensorLoader::showProgress);
  busyTimer_->setSingleShot(true);
  busyTimer_->setInterval(kBusyDelayMs);
  connect(busyTimer_, &QTimer::timeout, this, [this] {
    if (!busy_ || !dialogParent_ || progress_) return;
    // Indeterminate until the loader reports (showProgress switches it to percent).
    progress_ = new QProgressDialog(progressText_, tr("Cancel"), 0, 0, dialogParent_);
    if (job_.progress() >= 0) {
      progress_->setRange(0, 1000);
      progress_->setValue(static_cast<int>(job_.progress() * 1000.0));
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
  auto job = [p, n, picker](const JobControl& control) -> Result {
    const quant::LoadProgress report = [&control](double f) { return control.report(f); };
    Result r;
    try {
      if (n.empty()) {
        if ((r.mapped = openStreamed(p))) {
          r.sample = quant::sampleValues(*r.mapped);
          r.tensor = quant::Tensor{"", r.mapped->dtype(), r.mapped->shape(), {}};
          return r;
        }
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
  const QString spec = name.isEmpty() ? path : path + QLatin1Char(':') + name;
  const QString label = name.isEmpty() ? file : tr("%1 — %2").arg(name, file);
  start(job, path, spec, label, tr("Loading %1…").arg(name.isEmpty() ? file : label));
}

void TensorLoader::generate(const quant::GeneratorSpec& spec) {
  auto job = [spec](const JobControl&) -> Result {
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
  const QString label =
      tr("generated: %1 %2, seed %3")
          .arg(QString::fromStdString(quant::distributionName(spec.distribution)),
               QString::fromStdString(quant::Tensor{"", "", spec.shape, {}}.shapeString()))
          .arg(spec.seed);
  start(job, QString(), QString(), label, tr("Generating tensor…"));
}

template <typename Work>
void TensorLoader::start(Work work, const QString& path, const QString& spec, const QString& label,
                         const QString& what) {
  if (busy_) cancel();  // a new request replaces the one in flight
  job_.start(std::move(work),
             [this, path, spec, label](Result r) { finish(std::move(r), path, spec, label); });
  setBusy(true);
  progressText_ = what;
  busyTimer_->start();
}

void TensorLoader::cancel() {
  if (!busy_) return;
  // The worker stops at its next chunk; its "cancelled" error is dropped with its result.
  job_.cancel();
  setBusy(false);
  emit canceled();
}

void TensorLoader::setBusy(bool busy) {
  if (busy == busy_) return;
  busy_ = busy;
  if (!busy) {
    busyTimer_->stop();
    if (progress_) {
      progress_->disconnect(this);
      progress_->hide();
      progress_->deleteLater();
      progress_ = nullptr;
    }
  }
  emit busyChanged(busy);
}

void TensorLoader::finish(Result r, const QString& path, const QString& spec,
                          const QString& label) {
  setBusy(false);
  if (!r.error.isEmpty()) {
    emit failed(r.error);
    return;
  }
  if (!r.choices.empty()) {
    showPicker(path, r.choices);
    return;
  }
  if (!r.tensor) return;
  if (r.mapped)
    session_->setStreamedTensor(std::move(r.mapped), std::move(*r.tensor), std::move(r.sample),
                                label);
  else
    session_->setTensor(std::move(*r.tensor), label);
  emit loaded(spec, label);
}

void TensorLoader::showProgress(double fraction) {
  if (!busy_) return;
  emit progressChanged(fraction);
  // Not once the job has ended (its last report comes just before its result): setValue of a
  // window-modal dialog processes events, and nothing may run re-entrantly while the result is
  // handed over. Last, for the same reason: the events may finish or cancel the job.
  if (progress_ && job_.isBusy()) {
    if (progress_->maximum() == 0) progress_->setRange(0, 1000);  // leave "busy" mode
    progress_->setValue(static_cast<int>(fraction * 1000.0));
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
