// SPDX-License-Identifier: GPL-3.0-or-later
// .qlab session files through the window: save -> open in a fresh window restores the tensor,
// settings, probe, number format and lesson step; broken, foreign and newer files give one line
// naming the file and leave the window exactly as it was.
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "lessonplayer.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "numberformatview.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/generate.h"
#include "session.h"
#include "sessionfile.h"
#include "settings.h"
#include "tensorloader.h"

using namespace quantlab::ui;

class TestGuiSessionFile : public QObject {
  Q_OBJECT
 private slots:
  void roundTrip();
  void unknownSourceSavedAsValues();
  void openFileTakesSessionFiles();
  void tensorPathTravelsWithTheSession();
  void smallTensorTravelsInsideTheSession();
  void modelViewsAndLessonRestored();
  void closingAsksAboutUnsavedChanges();
  void badFilesLeaveWindowAlone_data();
  void badFilesLeaveWindowAlone();

 private:
  QTemporaryDir tmp_;
};

void TestGuiSessionFile::roundTrip() {
  const QString path = tmp_.filePath("a.qlab");
  {
    MainWindow w(std::unique_ptr<Settings>{});
    w.lessonPlayer()->setAnswersFile(tmp_.filePath("answers.json"));
    w.lessonPlayer()->setLanguage("es");
    QVERIFY(w.lessonPlayer()->openLesson("uniform-affine", 2));  // loads its own values
    quant::QuantSpec spec = w.session()->spec();
    spec.bits = 5;
    spec.scheme = quant::Scheme::Asymmetric;
    spec.isSigned = false;
    w.session()->setSpec(spec, "test");
    w.session()->setCalibration(quant::parseCalibration("percentile:99.5"));
    w.session()->setManualRange(quant::Range{-0.75f, 1.5f});
    w.session()->setProbeValue(0.3125);
    auto* formats = qobject_cast<NumberFormatView*>(w.view("formats"));
    formats->setSelectedRow(2);
    QCOMPARE(saveSessionFile(&w, path), QString());
  }
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray bytes = f.readAll();
  QVERIFY(bytes.contains("\"quantlab-session\""));
  const quant::SessionState saved = quant::parseSessionFile(bytes.toStdString());

  MainWindow w(std::unique_ptr<Settings>{});
  w.lessonPlayer()->setAnswersFile(tmp_.filePath("answers.json"));
  QCOMPARE(openSessionFile(&w, path), QString());
  Session* s = w.session();
  QCOMPARE(s->spec().bits, 5);
  QCOMPARE(int(s->spec().scheme), int(quant::Scheme::Asymmetric));
  QCOMPARE(int(s->calibration().method), int(quant::CalibrationMethod::Percentile));
  QCOMPARE(s->calibration().percentile, 99.5);
  QVERIFY(s->manualRange());
  QCOMPARE(s->manualRange()->hi, 1.5f);
  QCOMPARE(s->probeValue(), 0.3125);
  QCOMPARE(qobject_cast<NumberFormatView*>(w.view("formats"))->selectedRow(), 2);
  QCOMPARE(w.lessonPlayer()->language(), QStringLiteral("es"));
  QCOMPARE(w.lessonPlayer()->lessonId(), QStringLiteral("uniform-affine"));
  QCOMPARE(w.lessonPlayer()->currentStep(), 2);
  // The tensor is the lesson's generated one, bit for bit.
  if (saved.tensor.kind == quant::TensorSourceKind::Generator)
    QCOMPARE(s->tensor().data, quant::generate(saved.tensor.generator).data);
  QVERIFY(saved.tensor.kind != quant::TensorSourceKind::Default);
  // Saving again gives the same file.
  const QString again = tmp_.filePath("b.qlab");
  QCOMPARE(saveSessionFile(&w, again), QString());
  QFile g(again);
  QVERIFY(g.open(QIODevice::ReadOnly));
  const quant::SessionState reread = quant::parseSessionFile(g.readAll().toStdString());
  QCOMPARE(quant::writeSessionFile(reread), quant::writeSessionFile(saved));
}

void TestGuiSessionFile::unknownSourceSavedAsValues() {
  MainWindow w(std::unique_ptr<Settings>{});
  quant::Tensor t;
  t.name = "t";
  t.dtype = "float32";
  t.shape = {2, 2};
  t.data = {0.25f, -1.0f, 3.0f, 0.5f};
  w.session()->setTensor(t, "made in a test");
  const QString path = tmp_.filePath("values.qlab");
  QCOMPARE(saveSessionFile(&w, path), QString());
  MainWindow other(std::unique_ptr<Settings>{});
  QCOMPARE(openSessionFile(&other, path), QString());
  QCOMPARE(other.session()->tensor().data, t.data);
  QCOMPARE(other.session()->tensor().shape, t.shape);
}

// The command line, drag and drop and the desktop's MIME association all go through openFile().
void TestGuiSessionFile::openFileTakesSessionFiles() {
  MainWindow w(std::unique_ptr<Settings>{});
  quant::Tensor t;
  t.name = "t";
  t.dtype = "float32";
  t.shape = {3};
  t.data = {0.5f, -2.0f, 1.0f};
  w.session()->setTensor(t, "made in a test");
  const QString path = tmp_.filePath("opened.qlab");
  QCOMPARE(saveSessionFile(&w, path), QString());
  MainWindow other(std::unique_ptr<Settings>{});
  other.openFile(path);
  QCOMPARE(other.session()->tensor().data, t.data);
  // A broken session file is reported and changes nothing.
  const QString broken = tmp_.filePath("broken.qlab");
  QFile f(broken);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("not json");
  f.close();
  other.openFile(broken);
  QCOMPARE(other.session()->tensor().data, t.data);
}

void TestGuiSessionFile::tensorPathTravelsWithTheSession() {
  // The teacher's folder: a tensor and a session beside it. The file stores "w.npy", not the
  // teacher's absolute path, and opens from the student's folder after both were copied there.
  QDir root(tmp_.path());
  QVERIFY(root.mkpath("teacher/data") && root.mkpath("student"));
  quant::Tensor t;
  t.shape = {2, 3};
  t.data = {0.5f, -1.0f, 0.25f, 2.0f, -0.75f, 1.5f};
  const QString tensorPath = root.filePath("teacher/data/w.npy");
  quant::saveNpy(tensorPath.toStdString(), t);
  const QString session = root.filePath("teacher/lesson.qlab");
  {
    MainWindow w(std::unique_ptr<Settings>{});
    QSignalSpy loaded(w.loader(), &TensorLoader::loaded);
    w.openFile(tensorPath);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(saveSessionFile(&w, session), QString());
  }
  QFile f(session);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const quant::SessionState saved = quant::parseSessionFile(f.readAll().toStdString());
  QCOMPARE(saved.tensor.path, std::string("data/w.npy"));
  // Copied keeping the folder, and copied as two loose files: both open.
  QVERIFY(root.mkpath("student/data"));
  QVERIFY(QFile::copy(session, root.filePath("student/lesson.qlab")));
  QVERIFY(QFile::copy(tensorPath, root.filePath("student/data/w.npy")));
  QVERIFY(root.mkpath("loose"));
  QVERIFY(QFile::copy(session, root.filePath("loose/lesson.qlab")));
  QVERIFY(QFile::copy(tensorPath, root.filePath("loose/w.npy")));
  for (const char* where : {"student/lesson.qlab", "loose/lesson.qlab"}) {
    MainWindow other(std::unique_ptr<Settings>{});
    QCOMPARE(openSessionFile(&other, root.filePath(where)), QString());
    QCOMPARE(other.session()->tensor().data, t.data);
  }
}

void TestGuiSessionFile::smallTensorTravelsInsideTheSession() {
  // Only the .qlab reaches the student: the tensor file's data is inside it.
  QDir root(tmp_.path());
  QVERIFY(root.mkpath("embed/teacher") && root.mkpath("embed/student"));
  quant::Tensor t;
  t.shape = {4, 1, 3, 3};
  for (int i = 0; i < 36; ++i) t.data.push_back(float(i % 7) / 3.0f - 1.0f);
  const QString tensorPath = root.filePath("embed/teacher/conv.npy");
  quant::saveNpy(tensorPath.toStdString(), t);
  const QString session = root.filePath("embed/teacher/conv.qlab");
  {
    MainWindow w(std::unique_ptr<Settings>{});
    QSignalSpy loaded(w.loader(), &TensorLoader::loaded);
    w.openFile(tensorPath);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(saveSessionFile(&w, session), QString());
  }
  const QString moved = root.filePath("embed/student/conv.qlab");
  QVERIFY(QFile::copy(session, moved));
  MainWindow other(std::unique_ptr<Settings>{});
  QCOMPARE(openSessionFile(&other, moved), QString());
  QCOMPARE(other.session()->tensor().data, t.data);
  QCOMPARE(other.session()->tensor().shape, t.shape);
  QVERIFY2(other.session()->tensorLabel().contains("conv.npy"),
           qPrintable(other.session()->tensorLabel()));
}

void TestGuiSessionFile::modelViewsAndLessonRestored() {
  // The teacher opened the CNN, looked at conv1's weights, kept the mapping and model docks
  // open and closed the error view, on lesson 7 step 1.
  const QString path = tmp_.filePath("model.qlab");
  QStringList openBefore;
  std::vector<float> conv1;
  {
    MainWindow w(std::unique_ptr<Settings>{});
    w.lessonPlayer()->setAnswersFile(tmp_.filePath("answers.json"));
    ModelSession* models = w.modelSession();
    QSignalSpy loaded(models, &ModelSession::modelLoaded);
    models->openModel("cnn");
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    QVERIFY(models->selectLayerByName("conv1"));
    conv1 = w.session()->tensor().data;
    // The lesson first: opening it shows the Lesson workspace, which hides the other docks.
    QVERIFY(w.lessonPlayer()->openLesson("granularity", 1, false));
    for (const QString& name : MainWindow::viewNames()) {
      QWidget* v = w.view(name);
      while (v && !qobject_cast<QDockWidget*>(v)) v = v->parentWidget();
      auto* dock = qobject_cast<QDockWidget*>(v);
      if (!dock) continue;  // the central view
      dock->setVisible(name != "error" && name != "requant");
      if (name != "error" && name != "requant") openBefore << name;
    }
    QCOMPARE(saveSessionFile(&w, path), QString());
  }
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const quant::SessionState saved = quant::parseSessionFile(f.readAll().toStdString());
  QVERIFY(saved.model.has_value());
  QCOMPARE(saved.model->path, std::string("cnn"));
  QCOMPARE(saved.model->layer, std::string("conv1"));
  QCOMPARE(int(saved.openViews.size()), openBefore.size());

  MainWindow w(std::unique_ptr<Settings>{});
  w.lessonPlayer()->setAnswersFile(tmp_.filePath("answers.json"));
  QSignalSpy loaded(w.modelSession(), &ModelSession::modelLoaded);
  QCOMPARE(openSessionFile(&w, path), QString());
  QCOMPARE(w.session()->tensor().data, conv1);
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
  QCOMPARE(w.modelSession()->loaded()->name, QStringLiteral("cnn"));
  QTRY_COMPARE(w.modelSession()->selectedLayer() >= 0, true);
  const auto& layers = w.modelSession()->loaded()->fp32.layers;
  QCOMPARE(layers[std::size_t(w.modelSession()->selectedLayer())].name, std::string("conv1"));
  // Adopting the layer kept the session's own settings (no reload of the tensor).
  QCOMPARE(w.session()->tensor().data, conv1);
  for (const QString& name : MainWindow::viewNames()) {
    QWidget* v = w.view(name);
    while (v && !qobject_cast<QDockWidget*>(v)) v = v->parentWidget();
    if (auto* dock = qobject_cast<QDockWidget*>(v))
      QCOMPARE(!dock->isHidden(), openBefore.contains(name));
  }
  QCOMPARE(w.lessonPlayer()->lessonId(), QStringLiteral("granularity"));
  QCOMPARE(w.lessonPlayer()->currentStep(), 1);
}

void TestGuiSessionFile::closingAsksAboutUnsavedChanges() {
  MainWindow w(std::unique_ptr<Settings>{});
  w.show();
  QVERIFY(w.close());  // nothing changed: no question
  w.show();
  quant::QuantSpec spec = w.session()->spec();
  spec.bits = 4;
  w.session()->setSpec(spec, "test");
  // Answers the question from inside its event loop; records that it was asked.
  int asked = 0;
  auto answer = [&asked](QMessageBox::StandardButton button) {
    QTimer::singleShot(0, [&asked, button] {
      for (QWidget* top : QApplication::topLevelWidgets())
        if (auto* box = qobject_cast<QMessageBox*>(top);
            box && box->objectName() == QLatin1String("unsavedChangesBox")) {
          ++asked;
          box->button(button)->click();
        }
    });
  };
  answer(QMessageBox::Cancel);
  QVERIFY(!w.close());
  QCOMPARE(asked, 1);
  QVERIFY(w.isVisible());
  // Saved: closes without asking.
  QCOMPARE(saveSessionFile(&w, tmp_.filePath("closing.qlab")), QString());
  QVERIFY(w.close());
  QCOMPARE(asked, 1);
  // Changed again and discarded: closes.
  w.show();
  spec.bits = 6;
  w.session()->setSpec(spec, "test");
  answer(QMessageBox::Discard);
  QVERIFY(w.close());
  QCOMPARE(asked, 2);
}

void TestGuiSessionFile::badFilesLeaveWindowAlone_data() {
  QTest::addColumn<QByteArray>("content");
  QTest::addRow("not json") << QByteArray("hello");
  QTest::addRow("newer") << QByteArray(R"({"format":"quantlab-session","version":99})");
  QTest::addRow("foreign") << QByteArray(R"({"format":"x","version":1})");
  QTest::addRow("bad spec late")
      << QByteArray(R"({"format":"quantlab-session","version":1,"tensor":{"source":"values",)"
                    R"("values":[1,2,3]},"spec":{"bits":40}})");
  QTest::addRow("missing tensor file")
      << QByteArray(R"({"format":"quantlab-session","version":1,"tensor":{"source":"file",)"
                    R"("path":"/nonexistent/x.npy"},"spec":{"bits":3}})");
}

void TestGuiSessionFile::badFilesLeaveWindowAlone() {
  QFETCH(QByteArray, content);
  const QString path = tmp_.filePath(QStringLiteral("broken-%1.qlab").arg(QTest::currentDataTag()).replace(' ', '_'));
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(content);
  f.close();
  MainWindow w(std::unique_ptr<Settings>{});
  const std::vector<float> before = w.session()->tensor().data;
  const int bits = w.session()->spec().bits;
  const int undo = w.session()->undoStack()->count();
  const QString error = openSessionFile(&w, path);
  QVERIFY(!error.isEmpty());
  QVERIFY2(error.startsWith(QFileInfo(path).fileName() + ":"), qPrintable(error));
  QVERIFY2(!error.contains('\n'), qPrintable(error));
  QCOMPARE(w.session()->tensor().data, before);
  QCOMPARE(w.session()->spec().bits, bits);
  QCOMPARE(w.session()->undoStack()->count(), undo);
  QVERIFY(w.lessonPlayer()->lessonId().isEmpty());
}

QTEST_MAIN(TestGuiSessionFile)
#include "tst_gui_sessionfile.moc"
