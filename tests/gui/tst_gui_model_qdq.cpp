// SPDX-License-Identifier: GPL-3.0-or-later
// The model workspace opens a quantized ONNX file (QDQ, written by torch.onnx.export): the int8
// model keeps the file's scales and zero points, and the layer table shows them for every int8
// layer, pass-through layers included.
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

#include "modelsession.h"
#include "modelview.h"
#include "session.h"

using namespace quantlab::ui;

class TestGuiModelQdq : public QObject {
  Q_OBJECT
 private slots:
  void layerTableShowsTheFilesScales() {
    Session session;
    ModelSession ms(&session);
    ModelView view(&ms);
    QSignalSpy loaded(&ms, &ModelSession::modelLoaded);
    ms.openModel(QStringLiteral(QUANTLAB_TEST_DATA "/qdq/torch_qdq_cnn.onnx"));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 60000);
    const auto snap = ms.loaded();
    QVERIFY(snap);
    QVERIFY(snap->hasInt8);
    QVERIFY(snap->int8FromFile);
    // torch wrote uint8 activations (scale 1/255, zero point 0): int8 zero point -128.
    QCOMPARE(snap->int8.inputScale, 1.0f / 255);
    QCOMPARE(snap->int8.inputZero, -128);

    QTableWidget* t = view.table();
    int column = -1;
    for (int c = 0; c < t->columnCount(); ++c)
      if (t->horizontalHeaderItem(c)->text() == QStringLiteral("int8 out s / z")) column = c;
    QVERIFY(column >= 0);
    QStringList cells;
    for (int r = 0; r < t->rowCount(); ++r)
      cells << t->item(r, 0)->text() + QLatin1Char('=') + t->item(r, column)->text();
    // The conv's output (after its fused ReLU) and the MaxPool that keeps it: scale 0.02.
    QVERIFY2(cells.contains(QStringLiteral("/Conv=0.02 / -128  (+/Relu fused)")),
             qPrintable(cells.join(QLatin1Char(','))));
    QVERIFY2(cells.contains(QStringLiteral("/MaxPool=0.02 / -128")),
             qPrintable(cells.join(QLatin1Char(','))));
    QVERIFY2(cells.contains(QStringLiteral("/Gemm=0.05 / 0")),
             qPrintable(cells.join(QLatin1Char(','))));
    const int conv =
        static_cast<int>(cells.indexOf(QStringLiteral("/Conv=0.02 / -128  (+/Relu fused)")));
    const QString tip = t->item(conv, column)->toolTip();
    QVERIFY2(tip.contains(QStringLiteral("input scale 0.00392156886, zero point -128")) &&
                 tip.contains(QStringLiteral("Weight scales: 4,")),
             qPrintable(tip));
  }
};

QTEST_MAIN(TestGuiModelQdq)
#include "tst_gui_model_qdq.moc"
