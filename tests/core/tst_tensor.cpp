// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest>

#include "quant/base/tensor.h"

class TestTensor : public QObject {
  Q_OBJECT
 private slots:
  void numel_data() {
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<qint64>("expected");
    QTest::addRow("scalar") << QList<qint64>{} << qint64(1);
    QTest::addRow("vector") << QList<qint64>{7} << qint64(7);
    QTest::addRow("conv weight") << QList<qint64>{64, 1, 3, 3} << qint64(576);
    QTest::addRow("zero dim") << QList<qint64>{3, 0, 5} << qint64(0);
  }
  void numel() {
    QFETCH(QList<qint64>, shape);
    QFETCH(qint64, expected);
    quant::Tensor t;
    t.shape.assign(shape.begin(), shape.end());
    QCOMPARE(t.numel(), expected);
  }
  void overflowingShapeIsRefused() {
    const std::vector<std::int64_t> shape{std::int64_t{1} << 40, std::int64_t{1} << 40};
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::checkedNumel(shape));
    const std::vector<std::int64_t> negative{3, -1};
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::checkedNumel(negative));
  }
  void shapeString() {
    quant::Tensor t;
    t.shape = {64, 1, 3, 3};
    QCOMPARE(t.shapeString(), std::string("[64, 1, 3, 3]"));
  }
};

QTEST_GUILESS_MAIN(TestTensor)
#include "tst_tensor.moc"
