// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the roofline micro-benchmarks (quant/kernels/roofline.h): for every level this CPU
// supports, the peaks are positive, come from the instruction that level's kernels use, and are
// measured once; memory levels are ordered and levelFor picks the smallest that holds a working
// set; roof() is the minimum of the two roofs. The values themselves depend on the machine, so
// only their signs and ratios that hold on any CPU are checked.
#include <QtTest>
#include <cstdint>
#include <limits>

#include "quant/base/tensor.h"
#include "quant/kernels/cpu.h"
#include "quant/kernels/int8gemm.h"
#include "quant/kernels/roofline.h"

namespace cpu = quant::cpu;
namespace rl = quant::roofline;
using cpu::Isa;

class TestRoofline : public QObject {
  Q_OBJECT
 private slots:
  void peaksForEverySupportedLevel_data() {
    QTest::addColumn<Isa>("level");
    for (Isa isa : cpu::supportedIsas()) QTest::addRow("%s", cpu::isaName(isa)) << isa;
  }
  void peaksForEverySupportedLevel() {
    QFETCH(Isa, level);
    const rl::Peaks& p = rl::peaks(level);
    QCOMPARE(p.level, level);
    QVERIFY(p.fp32Gops > 0.0);
    QVERIFY(p.int8Gops > 0.0);
    // The int8 instruction is the one of the GEMM kernel the level runs.
    const Isa kernel = quant::gemm::kernelIsa(level);
    const char* want = kernel == Isa::Avx512Vnni ? "vpdpbusd zmm"
                       : kernel == Isa::Avx2     ? "vpmaddwd + vpaddd ymm"
                                                 : "pmaddwd + paddd xmm";
    QCOMPARE(p.int8Instruction, std::string(want));
    const char* fp = level == Isa::Avx512Vnni ? "vfmadd231ps zmm"
                     : level == Isa::Avx2     ? "vfmadd231ps ymm"
                                              : "mulps + addps xmm";
    QCOMPARE(p.fp32Instruction, std::string(fp));
    // Memory: smallest first, DRAM last and holding anything, every bandwidth measured, every
    // read buffer inside the capacity it stands for.
    QVERIFY(p.memory.size() >= 2);
    QCOMPARE(p.memory.front().name, std::string("L2"));
    QCOMPARE(p.memory.back().name, std::string("DRAM"));
    QCOMPARE(p.memory.back().capacity, std::numeric_limits<std::int64_t>::max());
    for (std::size_t i = 0; i < p.memory.size(); ++i) {
      QVERIFY(p.memory[i].gbPerSecond > 0.0);
      QVERIFY(p.memory[i].bufferBytes > 0 && p.memory[i].bufferBytes <= p.memory[i].capacity);
      if (i > 0) QVERIFY(p.memory[i].capacity > p.memory[i - 1].capacity);
    }
    // Measured once: the second call returns the same object.
    QCOMPARE(&rl::peaks(level), &p);
  }

  // AVX-512 multiplies 64 int8 pairs per vpdpbusd where the FMA multiplies 16 floats: on any
  // CPU with VNNI its int8 peak is well above its fp32 peak (a loose 1.5x, for a busy machine).
  void vnniInt8PeakAboveFp32Peak() {
    if (!cpu::isaSupported(Isa::Avx512Vnni)) QSKIP("this CPU has no AVX-512 VNNI");
    const rl::Peaks& p = rl::peaks(Isa::Avx512Vnni);
    QVERIFY2(p.int8Gops > 1.5 * p.fp32Gops,
             qPrintable(QStringLiteral("int8 %1, fp32 %2").arg(p.int8Gops).arg(p.fp32Gops)));
  }

  void levelForPicksTheSmallestThatHolds() {
    rl::Peaks p;
    p.memory = {{"L2", 1000, 500, 100.0},
                {"L3", 100000, 50000, 50.0},
                {"DRAM", std::numeric_limits<std::int64_t>::max(), 1 << 20, 10.0}};
    QCOMPARE(p.levelFor(0).name, std::string("L2"));
    QCOMPARE(p.levelFor(1000).name, std::string("L2"));
    QCOMPARE(p.levelFor(1001).name, std::string("L3"));
    QCOMPARE(p.levelFor(100001).name, std::string("DRAM"));
    QVERIFY_THROWS_EXCEPTION(quant::Error, rl::Peaks{}.levelFor(1));
  }

  void roofIsTheLowerOfTheTwo() {
    const rl::MemoryLevel m{"L2", 1000, 500, 100.0};  // 100 GB/s
    rl::Roof r = rl::roof(400.0, 2.0, m);             // memory: 200 GOPS
    QCOMPARE(r.attainableGops, 200.0);
    QVERIFY(!r.computeBound);
    r = rl::roof(400.0, 8.0, m);  // memory: 800 GOPS
    QCOMPARE(r.attainableGops, 400.0);
    QVERIFY(r.computeBound);
    r = rl::roof(400.0, 4.0, m);  // the ridge point: both equal, counted as compute
    QCOMPARE(r.attainableGops, 400.0);
    QVERIFY(r.computeBound);
  }

  void unsupportedLevelIsRefused() {
    for (Isa isa : {Isa::Sse2, Isa::Avx2, Isa::Avx512Vnni})
      if (!cpu::isaSupported(isa)) QVERIFY_THROWS_EXCEPTION(quant::Error, rl::peaks(isa));
  }
};

QTEST_GUILESS_MAIN(TestRoofline)
#include "tst_roofline.moc"
