// SPDX-License-Identifier: GPL-3.0-or-later
// The main window offscreen: docks, loading (good, broken, unsupported files), the controls
// driving the session with undo, generation, export, settings and the snapshot renderer.
#include <QAbstractScrollArea>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include "controlspanel.h"
#include "exporter.h"
#include "generatordialog.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "modelview.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/generate.h"
#include "session.h"
#include "settings.h"
#include "snapshot.h"
#include "tensorloader.h"
#include "tensorpickerdialog.h"

using namespace quantlab::ui;

class TestGuiWindow : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void constructsWithNamedDocks();
  void loadsGoodNpy();
  void brokenFileKeepsPreviousTensor_data();
  void brokenFileKeepsPreviousTensor();
  void cancelDiscardsResult();
  void multiTensorFileOpensPicker();
  void bitsSliderChangesSpecAndUndoRestores();
  void sliderDragIsOneUndoStep();
  void bitsShortcutActions();
  void keyboardShortcutsReachTheSession();
  void controlsFollowSession();
  void badAxisShowsInStatusBar();
  void generatesThroughLoader();
  void pickerFilters();
  void parseShape_data();
  void parseShape();
  void exportsFiles();
  void recentFilesPersist();
  void dropOpensFile();
  void closeSavesLayout();
  void snapshotWritesPng_data();
  void snapshotWritesPng();
  void snapshotRejectsBadInput();
  void exportsLeaveOutControls();
  void svgHatchNeedsNoMask();
  void snapshotFinishesModelViews_data();
  void snapshotFinishesModelViews();

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<MainWindow> window_;
};

void TestGuiWindow::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestGuiWindow::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  QVERIFY(dir_->isValid());
  window_ =
      std::make_unique<MainWindow>(std::make_unique<Settings>(dir_->filePath("settings.ini")));
  window_->session()->flush();
}

void TestGuiWindow::cleanup() {
  window_.reset();
  dir_.reset();
}

void TestGuiWindow::constructsWithNamedDocks() {
  MainWindow& w = *window_;
  QStringList names;
  for (QDockWidget* d : w.findChildren<QDockWidget*>()) {
    QVERIFY2(!d->objectName().isEmpty(), qPrintable(d->windowTitle()));
    names << d->objectName();
  }
  for (const char* expected :
       {"controlsDock", "mappingDock", "formatsDock", "errorDock", "channelsDock"})
    QVERIFY2(names.contains(expected), expected);
  for (QToolBar* t : w.findChildren<QToolBar*>()) QVERIFY(!t->objectName().isEmpty());
  for (const QString& v : MainWindow::viewNames()) QVERIFY2(w.view(v) != nullptr, qPrintable(v));
  QVERIFY(w.controls() != nullptr);
  // Standard shortcuts are wired.
  auto* open = w.findChild<QAction*>("actionOpen");
  QVERIFY(open);
  QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
  QCOMPARE(w.findChild<QAction*>("actionUndo")->shortcut(), QKeySequence(QKeySequence::Undo));
  QCOMPARE(w.findChild<QAction*>("actionGenerate")->shortcut(), QKeySequence("Ctrl+G"));
  // The status bar names the tensor.
  w.session()->flush();
  QVERIFY(w.findChild<QLabel*>("statusTensor")->text().contains("[16, 256]"));
  QVERIFY(w.findChild<QLabel*>("statusSqnr")->text().contains("dB"));
  // Integers up to 127 are exact in symmetric int8 (scale 1): no "SQNR inf dB".
  quant::Tensor exact;
  exact.shape = {4};
  exact.data = {127.0f, -3.0f, 0.0f, 64.0f};
  w.session()->setTensor(std::move(exact), QStringLiteral("exact"));
  w.session()->flush();
  const QString sqnr = w.findChild<QLabel*>("statusSqnr")->text();
  QVERIFY2(!sqnr.contains("inf") && sqnr.contains(MainWindow::tr("exact: no rounding error")),
           qPrintable(sqnr));
}

void TestGuiWindow::loadsGoodNpy() {
  quant::Tensor t;
  t.shape = {3, 5};
  for (int i = 0; i < 15; ++i) t.data.push_back(0.25f * static_cast<float>(i) - 1.0f);
  const QString path = dir_->filePath("good.npy");
  quant::saveNpy(path.toStdString(), t);
  QSignalSpy loaded(window_->loader(), &TensorLoader::loaded);
  QSignalSpy tensorChanged(window_->session(), &Session::tensorChanged);
  window_->openFile(path);
  QTRY_COMPARE(loaded.count(), 1);
  QCOMPARE(tensorChanged.count(), 1);
  QCOMPARE(window_->session()->tensor().shape, t.shape);
  QCOMPARE(window_->session()->tensor().data, t.data);
  QVERIFY(window_->session()->tensorLabel().contains("good.npy"));
  QVERIFY(!window_->loader()->isBusy());
  QCOMPARE(window_->settings()->recentFiles().value(0), path);
  window_->session()->flush();
  QVERIFY(window_->findChild<QLabel*>("statusTensor")->text().contains("[3, 5]"));
}

// A .npy preamble whose header stops in the middle of the dict.
static const char kTruncatedNpy[] = "\x93NUMPY\x01\x00\x76\x00{'descr";

void TestGuiWindow::brokenFileKeepsPreviousTensor_data() {
  QTest::addColumn<QString>("fileName");
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("mustMention");
  QTest::addRow("truncated npy") << "broken.npy"
                                 << QByteArray::fromRawData(kTruncatedNpy, sizeof kTruncatedNpy - 1)
                                 << "broken.npy";
  QTest::addRow("garbage safetensors")
      << "w.safetensors" << QByteArray(64, '\xff') << "w.safetensors";
  QTest::addRow("missing file") << "" << QByteArray() << "missing.npy";
  // Not a protobuf: the ONNX reader rejects it, naming the file.
  QTest::addRow("bad onnx") << "model.onnx" << QByteArray("onnx") << "model.onnx";
}

void TestGuiWindow::brokenFileKeepsPreviousTensor() {
  QFETCH(QString, fileName);
  QFETCH(QByteArray, bytes);
  QFETCH(QString, mustMention);
  QString path = dir_->filePath("missing.npy");
  if (!fileName.isEmpty()) {
    path = dir_->filePath(fileName);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
  }
  const std::vector<float> before = window_->session()->tensor().data;
  const QString labelBefore = window_->session()->tensorLabel();
  QSignalSpy failed(window_->loader(), &TensorLoader::failed);
  QSignalSpy loaded(window_->loader(), &TensorLoader::loaded);
  window_->openFile(path);
  QTRY_COMPARE(failed.count(), 1);
  QCOMPARE(loaded.count(), 0);
  const QString message = failed.at(0).at(0).toString();
  QVERIFY2(message.contains(mustMention), qPrintable(message));
  QCOMPARE(window_->session()->tensor().data, before);
  QCOMPARE(window_->session()->tensorLabel(), labelBefore);
  QVERIFY(window_->statusBar()->currentMessage().contains(mustMention));
  QVERIFY(window_->settings()->recentFiles().isEmpty());
  // The window is still usable.
  window_->controls()->stepBits(-1);
  QCOMPARE(window_->session()->spec().bits, 7);
}

void TestGuiWindow::cancelDiscardsResult() {
  quant::Tensor t;
  t.shape = {4};
  t.data = {1, 2, 3, 4};
  const QString path = dir_->filePath("late.npy");
  quant::saveNpy(path.toStdString(), t);
  const std::vector<float> before = window_->session()->tensor().data;
  QSignalSpy canceled(window_->loader(), &TensorLoader::canceled);
  QSignalSpy loaded(window_->loader(), &TensorLoader::loaded);
  window_->openFile(path);
  QVERIFY(window_->loader()->isBusy());
  window_->loader()->cancel();  // before any event could deliver the result
  QCOMPARE(canceled.count(), 1);
  QVERIFY(!window_->loader()->isBusy());
  // Let the abandoned job finish; its tensor must never arrive. A second, real load proves the
  // event loop has turned past the abandoned job's completion.
  const QString path2 = dir_->filePath("next.npy");
  t.data = {5, 6, 7, 8};
  quant::saveNpy(path2.toStdString(), t);
  window_->openFile(path2);
  QTRY_COMPARE(loaded.count(), 1);
  QCOMPARE(loaded.at(0).at(0).toString(), path2);
  QCOMPARE(window_->session()->tensor().data, t.data);
  QVERIFY(window_->session()->tensor().data != before);
}

void TestGuiWindow::multiTensorFileOpensPicker() {
  // A hand-made .safetensors file with two float32 tensors.
  const QByteArray header = R"({"conv.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                            R"("conv.bias":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}})";
  QByteArray bytes;
  const quint64 n = static_cast<quint64>(header.size());
  for (int i = 0; i < 8; ++i) bytes.append(static_cast<char>((n >> (8 * i)) & 0xff));
  bytes += header;
  const float values[6] = {1.5f, -2.0f, 0.25f, 3.0f, 7.0f, -7.0f};
  bytes.append(reinterpret_cast<const char*>(values), sizeof values);
  const QString path = dir_->filePath("two.safetensors");
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(bytes);
  f.close();

  QSignalSpy loaded(window_->loader(), &TensorLoader::loaded);
  window_->openFile(path);
  TensorPickerDialog* picker = nullptr;
  QTRY_VERIFY((picker = window_->findChild<TensorPickerDialog*>()) != nullptr);
  QCOMPARE(picker->visibleCount(), 2);
  QCOMPARE(loaded.count(), 0);  // nothing is loaded until a tensor is chosen
  picker->setFilter("bias");
  QCOMPARE(picker->selectedName(), QStringLiteral("conv.bias"));
  picker->accept();
  QTRY_COMPARE(loaded.count(), 1);
  QCOMPARE(loaded.at(0).at(0).toString(), path + ":conv.bias");
  QCOMPARE(window_->session()->tensor().data, (std::vector<float>{7.0f, -7.0f}));
  QVERIFY(window_->session()->tensorLabel().contains("conv.bias"));
  // The explicit FILE:NAME form skips the picker.
  window_->openFile(path + ":conv.weight");
  QTRY_COMPARE(loaded.count(), 2);
  QCOMPARE(window_->session()->tensor().shape, (std::vector<std::int64_t>{2, 2}));
}

void TestGuiWindow::bitsSliderChangesSpecAndUndoRestores() {
  QSlider* slider = window_->controls()->bitsSlider();
  QCOMPARE(slider->value(), 8);
  slider->setFocus();
  QTest::keyClick(slider, Qt::Key_Right);
  QCOMPARE(window_->session()->spec().bits, 9);
  QTest::keyClick(slider, Qt::Key_Right);
  QCOMPARE(window_->session()->spec().bits, 10);
  QCOMPARE(window_->controls()->bitsSpin()->value(), 10);
  // Keyboard steps are separate undo steps.
  QAction* undo = window_->findChild<QAction*>("actionUndo");
  QVERIFY(undo && undo->isEnabled());
  undo->trigger();
  QCOMPARE(window_->session()->spec().bits, 9);
  QCOMPARE(slider->value(), 9);
  undo->trigger();
  QCOMPARE(window_->session()->spec().bits, 8);
  QCOMPARE(slider->value(), 8);
  QVERIFY(!undo->isEnabled());
  window_->findChild<QAction*>("actionRedo")->trigger();
  QCOMPARE(window_->session()->spec().bits, 9);
}

void TestGuiWindow::sliderDragIsOneUndoStep() {
  QSlider* slider = window_->controls()->bitsSlider();
  QUndoStack* stack = window_->session()->undoStack();
  // Two separate drags: each is one step, and the second does not merge into the first.
  for (int target : {12, 4}) {
    slider->setSliderDown(true);
    for (int v = slider->value(); v != target; v += (target > v ? 1 : -1)) slider->setValue(v);
    slider->setValue(target);
    slider->setSliderDown(false);
  }
  QCOMPARE(window_->session()->spec().bits, 4);
  QCOMPARE(stack->count(), 2);
  stack->undo();
  QCOMPARE(window_->session()->spec().bits, 12);
  stack->undo();
  QCOMPARE(window_->session()->spec().bits, 8);
}

void TestGuiWindow::bitsShortcutActions() {
  QAction* up = window_->findChild<QAction*>("actionBitsUp");
  QAction* down = window_->findChild<QAction*>("actionBitsDown");
  QVERIFY(up && down);
  QCOMPARE(up->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Up));
  up->trigger();
  up->trigger();
  QCOMPARE(window_->session()->spec().bits, 10);
  for (int i = 0; i < 20; ++i) down->trigger();
  QCOMPARE(window_->session()->spec().bits, 2);  // clamped, no error
  QCOMPARE(window_->session()->undoStack()->count(), 2 + 8);
}

void TestGuiWindow::keyboardShortcutsReachTheSession() {
  window_->show();
  window_->activateWindow();
  if (!QTest::qWaitForWindowActive(window_.get()))
    QSKIP("this platform cannot activate windows; shortcuts need an active window");
  QSlider* slider = window_->controls()->bitsSlider();
  slider->setFocus();  // the shortcut works even where a plain Up would move the slider
  QTest::keyClick(window_.get(), Qt::Key_Up, Qt::ControlModifier);
  QCOMPARE(window_->session()->spec().bits, 9);
  QTest::keyClick(window_.get(), Qt::Key_Down, Qt::ControlModifier);
  QTest::keyClick(window_.get(), Qt::Key_Down, Qt::ControlModifier);
  QCOMPARE(window_->session()->spec().bits, 7);
  QTest::keySequence(window_.get(), QKeySequence::Undo);
  QCOMPARE(window_->session()->spec().bits, 8);
  QTest::keySequence(window_.get(), QKeySequence::Redo);
  QCOMPARE(window_->session()->spec().bits, 7);
}

void TestGuiWindow::controlsFollowSession() {
  Session* s = window_->session();
  quant::QuantSpec spec = s->spec();
  spec.bits = 5;
  spec.granularity = quant::Granularity::PerChannel;
  spec.axis = 1;
  QSignalSpy results(s, &Session::resultsChanged);
  s->setSpec(spec, "external");
  QCOMPARE(window_->controls()->bitsSlider()->value(), 5);
  QCOMPARE(window_->controls()->bitsSpin()->value(), 5);
  auto* axis = window_->controls()->findChild<QSpinBox*>("axisSpin");
  QVERIFY(axis);
  QCOMPARE(axis->value(), 1);
  QVERIFY(axis->isEnabled());
  // Showing the values did not echo back as edits.
  QCOMPARE(s->undoStack()->count(), 1);
  QTRY_COMPARE(results.count(), 1);
  QVERIFY(window_->findChild<QLabel*>("statusParams")->text().contains("256 scales"));
}

void TestGuiWindow::badAxisShowsInStatusBar() {
  Session* s = window_->session();
  quant::QuantSpec spec = s->spec();
  spec.granularity = quant::Granularity::PerChannel;
  spec.axis = 7;
  s->setSpec(spec, "bad axis");
  s->flush();
  QVERIFY(!s->lastError().isEmpty());
  QVERIFY2(window_->statusBar()->currentMessage().contains(s->lastError()),
           qPrintable(window_->statusBar()->currentMessage()));
  s->undoStack()->undo();
  s->flush();
  QVERIFY(window_->statusBar()->currentMessage().isEmpty());
}

void TestGuiWindow::generatesThroughLoader() {
  quant::GeneratorSpec g;
  g.distribution = quant::Distribution::Bimodal;
  g.shape = {4, 64};
  g.seed = 99;
  g.outlierCount = 3;
  g.outlierMagnitude = 9;
  QSignalSpy loaded(window_->loader(), &TensorLoader::loaded);
  window_->loader()->generate(g);
  QTRY_COMPARE(loaded.count(), 1);
  QCOMPARE(window_->session()->tensor().data, quant::generate(g).data);
  QVERIFY(window_->settings()->recentFiles().isEmpty());  // nothing to reopen

  // The dialog round-trips a spec.
  GeneratorDialog dialog;
  dialog.setSpec(g);
  const quant::GeneratorSpec back = dialog.spec();
  QCOMPARE(back.distribution, g.distribution);
  QCOMPARE(back.shape, g.shape);
  QCOMPARE(back.seed, g.seed);
  QCOMPARE(back.outlierCount, g.outlierCount);
  QCOMPARE(back.outlierMagnitude, g.outlierMagnitude);
}

void TestGuiWindow::pickerFilters() {
  std::vector<quant::TensorInfo> infos = {
      {"conv1.weight", "float32", {64, 3, 7, 7}, 64 * 3 * 7 * 7 * 4},
      {"conv1.bias", "float32", {64}, 256},
      {"fc.weight", "float16", {1000, 512}, 1000 * 512 * 2},
  };
  TensorPickerDialog dialog("model.safetensors", infos);
  QCOMPARE(dialog.visibleCount(), 3);
  QCOMPARE(dialog.selectedName(), QStringLiteral("conv1.weight"));
  dialog.setFilter("WEIGHT");
  QCOMPARE(dialog.visibleCount(), 2);
  dialog.setFilter("fc");
  QCOMPARE(dialog.visibleCount(), 1);
  QCOMPARE(dialog.selectedName(), QStringLiteral("fc.weight"));
  dialog.setFilter("nothing");
  QCOMPARE(dialog.visibleCount(), 0);
  QCOMPARE(dialog.selectedName(), QString());
  QCOMPARE(TensorPickerDialog::humanSize(1000 * 512 * 2), QStringLiteral("1000.0 KiB"));
  QCOMPARE(TensorPickerDialog::humanSize(12), QStringLiteral("12 B"));
}

void TestGuiWindow::parseShape_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QList<qint64>>("expected");  // empty = rejected
  QTest::addRow("commas") << "16, 256" << QList<qint64>{16, 256};
  QTest::addRow("x") << "64x3x3x3" << QList<qint64>{64, 3, 3, 3};
  QTest::addRow("brackets") << "[8 4]" << QList<qint64>{8, 4};
  QTest::addRow("single") << "1024" << QList<qint64>{1024};
  QTest::addRow("zero") << "16, 0" << QList<qint64>{};
  QTest::addRow("negative") << "-4" << QList<qint64>{};
  QTest::addRow("text") << "big" << QList<qint64>{};
  QTest::addRow("empty") << "" << QList<qint64>{};
}

void TestGuiWindow::parseShape() {
  QFETCH(QString, text);
  QFETCH(QList<qint64>, expected);
  const auto shape = GeneratorDialog::parseShape(text);
  if (expected.isEmpty()) {
    QVERIFY(!shape.has_value());
  } else {
    QVERIFY(shape.has_value());
    QCOMPARE(QList<qint64>(shape->begin(), shape->end()), expected);
  }
}

void TestGuiWindow::exportsFiles() {
  Session* s = window_->session();
  quant::QuantSpec spec = s->spec();
  spec.granularity = quant::Granularity::PerChannel;
  s->setSpec(spec, "per channel");
  s->flush();
  // CSV: header + one row per channel, scales as in the session.
  const QString csvPath = dir_->filePath("m.csv");
  QCOMPARE(exporter::saveMetricsCsv(*s, csvPath), QString());
  QFile csv(csvPath);
  QVERIFY(csv.open(QIODevice::ReadOnly));
  const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
  QCOMPARE(lines.size(), 1 + 16);
  QVERIFY(lines[0].startsWith("slot,scale,zero_point"));
  QCOMPARE(lines[1].split(',').at(1).toFloat(), s->params().scales[0]);
  // JSON: parses back with the same parameters.
  const QString jsonPath = dir_->filePath("p.json");
  QCOMPARE(exporter::saveParamsJson(*s, jsonPath), QString());
  QFile json(jsonPath);
  QVERIFY(json.open(QIODevice::ReadOnly));
  const QJsonObject root = QJsonDocument::fromJson(json.readAll()).object();
  QCOMPARE(root["spec"].toObject()["bits"].toInt(), 8);
  QCOMPARE(root["spec"].toObject()["granularity"].toString(), QStringLiteral("channel"));
  const QJsonArray scales = root["scales"].toArray();
  QCOMPARE(scales.size(), 16);
  for (int i = 0; i < 16; ++i)
    QCOMPARE(static_cast<float>(scales[i].toDouble()), s->params().scales[i]);
  QCOMPARE(root["tensor"].toObject()["shape"].toArray().size(), 2);
  // Images of a view.
  std::unique_ptr<QWidget> owned(createView("histogram", s));
  QWidget* view = owned.get();
  view->resize(600, 400);
  const QString png = dir_->filePath("v.png"), svg = dir_->filePath("v.svg");
  QCOMPARE(exporter::savePng(view, png), QString());
  QCOMPARE(exporter::saveSvg(view, svg), QString());
  QImage image(png);
  QVERIFY(!image.isNull());
  QCOMPARE(image.size(), view->size());
  QFile svgFile(svg);
  QVERIFY(svgFile.open(QIODevice::ReadOnly));
  QVERIFY(svgFile.readAll().contains("<svg"));
  // An unwritable path reports an error naming it and leaves nothing behind.
  const QString bad = dir_->filePath("no/such/dir/x.csv");
  QVERIFY(exporter::saveMetricsCsv(*s, bad).contains(bad));
  QVERIFY(!QFile::exists(bad));
}

void TestGuiWindow::recentFilesPersist() {
  const QString ini = dir_->filePath("recent.ini");
  {
    Settings s(ini);
    for (int i = 0; i < Settings::kMaxRecentFiles + 3; ++i)
      s.addRecentFile(QString("/f%1.npy").arg(i));
    s.addRecentFile("/f5.npy");  // reopening moves it to the front, no duplicate
    s.setLastFolder(dir_->path());
    s.sync();
  }
  Settings s(ini);
  const QStringList recent = s.recentFiles();
  QCOMPARE(recent.size(), Settings::kMaxRecentFiles);
  QCOMPARE(recent.first(), QStringLiteral("/f5.npy"));
  QCOMPARE(recent.count("/f5.npy"), 1);
  QCOMPARE(recent.at(1), QStringLiteral("/f12.npy"));
  QCOMPARE(s.lastFolder(), dir_->path());
  s.clearRecentFiles();
  QVERIFY(s.recentFiles().isEmpty());
}

void TestGuiWindow::dropOpensFile() {
  quant::Tensor t;
  t.shape = {2, 3};
  t.data = {1, 2, 3, 4, 5, 6};
  const QString path = dir_->filePath("dropped.npy");
  quant::saveNpy(path.toStdString(), t);
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window_.get(), &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QSignalSpy loaded(window_->loader(), &TensorLoader::loaded);
  QApplication::sendEvent(window_.get(), &drop);
  QTRY_COMPARE(loaded.count(), 1);
  QCOMPARE(window_->session()->tensor().data, t.data);
  // Non-file drops are refused.
  QMimeData text;
  text.setText("hello");
  QDragEnterEvent refuse(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
  refuse.setAccepted(false);
  QApplication::sendEvent(window_.get(), &refuse);
  QVERIFY(!refuse.isAccepted());
}

void TestGuiWindow::closeSavesLayout() {
  const QString ini = dir_->filePath("layout.ini");
  QByteArray state;
  {
    MainWindow w(std::make_unique<Settings>(ini));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.findChild<QDockWidget*>("channelsDock")->hide();
    w.close();
    state = w.saveState(Settings::kStateVersion);
  }
  Settings s(ini);
  QCOMPARE(s.windowState(), state);
  QVERIFY(!s.windowGeometry().isEmpty());
  // A new window restores it: the hidden dock stays hidden.
  MainWindow again(std::make_unique<Settings>(ini));
  again.show();
  QVERIFY(QTest::qWaitForWindowExposed(&again));
  QVERIFY(!again.findChild<QDockWidget*>("channelsDock")->isVisible());
  QVERIFY(again.findChild<QDockWidget*>("controlsDock")->isVisible());
}

void TestGuiWindow::snapshotWritesPng_data() {
  QTest::addColumn<QString>("view");
  QTest::addColumn<QSize>("expectedSize");
  QTest::addRow("window") << "window" << QSize(1280, 720);
  for (const QString& v : MainWindow::viewNames())
    QTest::addRow("%s", qPrintable(v)) << v << QSize(900, 560);
}

void TestGuiWindow::snapshotWritesPng() {
  QFETCH(QString, view);
  QFETCH(QSize, expectedSize);
  SnapshotRequest r;
  r.view = view;
  r.output = dir_->filePath(view + ".png");
  r.bits = 4;
  r.scheme = "asymmetric";
  r.calibration = "percentile:99.9";
  QCOMPARE(renderSnapshot(r), QString());
  QImage image(r.output);
  QVERIFY(!image.isNull());
  // The width is the slide's; a view whose content is taller grows instead of scrolling.
  QCOMPARE(image.width(), expectedSize.width());
  QVERIFY2(image.height() >= expectedSize.height(), qPrintable(QString::number(image.height())));
  if (view == QLatin1String("window")) QCOMPARE(image.size(), expectedSize);
  // Not blank: a rendered view has many distinct colours.
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 7)
    for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
  QVERIFY2(colours.size() > 3, qPrintable(QString::number(colours.size())));
}

void TestGuiWindow::snapshotRejectsBadInput() {
  SnapshotRequest r;
  r.output = dir_->filePath("x.png");
  r.view = "nonsense";
  QVERIFY(renderSnapshot(r).contains("nonsense"));
  r.view = "window";
  r.tensor = dir_->filePath("absent.npy");
  QVERIFY(renderSnapshot(r).contains("absent.npy"));
  r.tensor.clear();
  r.granularity = "channel:9";
  QVERIFY(!renderSnapshot(r).isEmpty());  // axis beyond the rank
  r.granularity.clear();
  r.calibration = "magic";
  QVERIFY(!renderSnapshot(r).isEmpty());
  QVERIFY(!QFile::exists(r.output));
}

void TestGuiWindow::exportsLeaveOutControls() {
  // A figure is the view's content: a (red) check box is not drawn, and is back afterwards.
  QWidget view;
  auto* lay = new QVBoxLayout(&view);
  auto* box = new QCheckBox(QStringLiteral("Log counts"));
  box->setStyleSheet(QStringLiteral("background: #ff0000;"));
  lay->addWidget(box);
  lay->addWidget(new QLabel(QStringLiteral("content")), 1);
  view.resize(300, 200);
  view.setAttribute(Qt::WA_DontShowOnScreen);
  view.show();
  QApplication::processEvents();
  const QString png = dir_->filePath("controls.png");
  QCOMPARE(exporter::savePng(&view, png), QString());
  const QImage image(png);
  QVERIFY(!image.isNull());
  int red = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) red += image.pixel(x, y) == qRgb(255, 0, 0);
  QCOMPARE(red, 0);
  QVERIFY(box->isVisible());
  QVERIFY(view.grab().toImage().pixel(box->geometry().center()) == qRgb(255, 0, 0));
}

void TestGuiWindow::svgHatchNeedsNoMask() {
  // The mapping view's hatched (unused) codes: every url(#id) of the SVG is defined in it, and
  // the hatch is a plain pattern (no <mask>, which many renderers leave black).
  Session* s = window_->session();
  quant::QuantSpec spec = s->spec();
  spec.scheme = quant::Scheme::Symmetric;
  s->setSpec(spec, QStringLiteral("test"));
  s->flush();
  std::unique_ptr<QWidget> view(createView("mapping", s));
  view->resize(900, 560);
  const QString path = dir_->filePath("mapping.svg");
  QCOMPARE(exporter::saveSvg(view.get(), path), QString());
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QString svg = QString::fromUtf8(f.readAll());
  QVERIFY(!svg.contains(QLatin1String("<mask")));
  QVERIFY2(svg.contains(QLatin1String("url(#")), "no hatch drawn: the test shows nothing");
  QSet<QString> ids;
  for (auto it = QRegularExpression(QStringLiteral("id=\"([^\"]+)\"")).globalMatch(svg);
       it.hasNext();)
    ids.insert(it.next().captured(1));
  for (auto it = QRegularExpression(QStringLiteral("url\\(#([^)]+)\\)")).globalMatch(svg);
       it.hasNext();) {
    const QString ref = it.next().captured(1);
    QVERIFY2(ids.contains(ref), qPrintable(ref));
  }
}

void TestGuiWindow::snapshotFinishesModelViews_data() {
  QTest::addColumn<QString>("view");
  for (const char* v : {"bench", "sensitivity", "qat", "predictions", "requant", "formats"})
    QTest::addRow("%s", v) << QString(v);
}

void TestGuiWindow::snapshotFinishesModelViews() {
  // A slide shows the job's result, never "Press Run" or a progress bar, and no scroll bar.
  QFETCH(QString, view);
  MainWindow window(std::unique_ptr<Settings>{});
  ModelSession* ms = window.modelSession();
  std::unique_ptr<QWidget> w(createView(view, window.session(), nullptr));
  if (!w) {
    w.reset(createModelView(view, ms));
    ms->openModel(QStringLiteral("mlp"));
    ms->waitForIdle();
  }
  QVERIFY(w);
  w->setAttribute(Qt::WA_DontShowOnScreen);
  w->resize(900, 560);
  w->show();
  finishViewForSnapshot(view, w.get(), ms, true);
  QVERIFY(!ms->busy());
  if (view == QLatin1String("bench")) QVERIFY(ms->bench().has_value());
  if (view == QLatin1String("sensitivity")) QVERIFY(ms->sensitivity().has_value());
  if (view == QLatin1String("predictions")) QVERIFY(ms->evaluation().has_value());
  if (view == QLatin1String("qat")) {
    QVERIFY(ms->qatOutcome().has_value());
    QCOMPARE(ms->qatOutcome()->settings.epochs, 1);  // the short run the --help text states
  }
  for (QAbstractScrollArea* area : w->findChildren<QAbstractScrollArea*>()) {
    if (!area->isVisibleTo(w.get())) continue;
    QVERIFY2(!area->verticalScrollBar()->isVisibleTo(w.get()), qPrintable(area->objectName()));
    QVERIFY2(!area->horizontalScrollBar()->isVisibleTo(w.get()), qPrintable(area->objectName()));
  }
}

QTEST_MAIN(TestGuiWindow)
#include "tst_gui_window.moc"
