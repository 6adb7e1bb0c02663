// SPDX-License-Identifier: GPL-3.0-or-later
// The model workspace's layer table ("model" view) and the pieces the other model views share:
// the job bar (progress + Cancel) and the factory MainWindow uses to build all model views.
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>
#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;
class QTableWidget;

namespace quantlab::ui {

class ModelSession;

// Progress bar, "what is running" text and the one Cancel button of a ModelSession's jobs; after
// a cancel it says so for a few seconds ("Cancelled: Quantization-aware training. ...").
class ModelJobBar : public QWidget {
  Q_OBJECT
 public:
  explicit ModelJobBar(ModelSession* ms, QWidget* parent = nullptr);
  static constexpr int kCancelledMessageMs = 8000;

 private:
  void sync();
  ModelSession* ms_;
  QProgressBar* bar_;
  QPushButton* cancel_;
  QLabel* cancelled_;
  QTimer* cancelledTimer_;
  QString what_;  // the running job's description, from its progress
};

// "Open ONNX…" and "Open data…", what data the model runs on (count, shape, classes and a few
// samples of a user data set), then one row per layer: name, type, output shape, parameters, MACs, bytes in fp32 and int8, and the
// int8 output scale / zero point, and the applied precision plan. Selecting a Linear/Conv2d row
// loads its weights into the main Session, so every tensor view (histogram, mapping, per channel,
// error) shows them.
class ModelView : public QWidget {
  Q_OBJECT
 public:
  explicit ModelView(ModelSession* ms, QWidget* parent = nullptr);
  QTableWidget* table() const { return table_; }
  QComboBox* sourceCombo() const { return source_; }
  static constexpr int kPreviewSamples = 6;
  static constexpr int kPreviewSize = 48;

 private:
  void rebuild();
  void openFileDialog();
  void openDataDialog();
  void showData();
  ModelSession* ms_;
  QComboBox* modelCombo_;
  QComboBox* source_;
  QLabel* summary_;
  QLabel* dataNote_;
  QWidget* data_;  // a user data set: what was loaded and a few samples
  QLabel* dataInfo_;
  std::vector<QLabel*> samples_;
  QTableWidget* table_;
};

// The model views MainWindow docks, by name: "model", "bench", "predictions", "sensitivity",
// "requant", "qat" (in this order).
QStringList modelViewNames();
QString modelViewTitle(const QString& name);
std::vector<std::pair<QString, QWidget*>> createModelViews(ModelSession* ms);
// One of them alone (snapshots); nullptr for an unknown name.
QWidget* createModelView(const QString& name, ModelSession* ms, QWidget* parent = nullptr);

}  // namespace quantlab::ui
