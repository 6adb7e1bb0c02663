// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the CPU dispatcher (quant/kernels/cpu.h): detection agrees with the kernel's view of
// the CPU (/proc/cpuinfo lists a feature only when the CPU has it and the OS saves its
// registers), the levels are nested, names round-trip, and each kernel family maps a level to
// its best kernel at or below it. QUANTLAB_ISA itself is tested by tst_int8gemm
// (environmentSelectsIsa), which runs itself in a child process per value.
#include <QFile>
#include <QtTest>
#include <optional>
#include <vector>

#include "quant/kernels/cpu.h"
#include "quant/kernels/fakequant.h"
#include "quant/kernels/int8gemm.h"
#include "quanttesting.h"

namespace cpu = quant::cpu;
using cpu::Isa;

using quantlab::testing::IsaGuard;

namespace {

// The feature flags of the first processor in /proc/cpuinfo, or empty when there is none.
QStringList cpuinfoFlags() {
  QFile f("/proc/cpuinfo");
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  while (!f.atEnd()) {
    const QString line = QString::fromLatin1(f.readLine());
    if (line.startsWith("flags")) return line.section(':', 1).simplified().split(' ');
  }
  return {};
}

}  // namespace

class TestCpu : public QObject {
  Q_OBJECT

 private slots:
  // A wrong CPUID bit or XCR0 mask would silently drop to a slower kernel and every bit-exactness
  // test would still pass; Linux's own detection is the independent witness.
  void detectionMatchesCpuinfo() {
    const QStringList flags = cpuinfoFlags();
    if (flags.isEmpty()) QSKIP("no /proc/cpuinfo flags on this system");
    const auto has = [&](const char* f) { return flags.contains(QLatin1String(f)); };
    QCOMPARE(cpu::isaSupported(Isa::Sse2), has("sse2"));
    const bool avx2 = has("sse2") && has("avx2") && has("fma");
    QCOMPARE(cpu::isaSupported(Isa::Avx2), avx2);
    const bool vnni =
        avx2 && has("avx512f") && has("avx512bw") && has("avx512vl") && has("avx512_vnni");
    QCOMPARE(cpu::isaSupported(Isa::Avx512Vnni), vnni);
  }

  // On an emulated CPU /proc/cpuinfo still describes the host, so the SSE-only stage
  // (tests/isa/sse_only.sh, under qemu-user) names the level detection must find instead.
  void detectionMatchesExpectedLevel() {
    const QByteArray expected = qgetenv("QUANTLAB_EXPECT_BEST_ISA");
    if (expected.isEmpty())
      QSKIP("QUANTLAB_EXPECT_BEST_ISA is not set (tests/isa/sse_only.sh sets it)");
    QCOMPARE(QByteArray(cpu::isaName(cpu::bestIsa())), expected);
  }

  void levelsAreNested() {
    QVERIFY(cpu::isaSupported(Isa::Auto));
    QVERIFY(cpu::isaSupported(Isa::Reference));
    const std::vector<Isa> levels = cpu::supportedIsas();
    QVERIFY(!levels.empty());
    for (std::size_t i = 0; i < levels.size(); ++i) {
      QCOMPARE(int(levels[i]), int(Isa::Reference) + int(i));
    }
    QCOMPARE(levels.back(), cpu::bestIsa());
  }

  void namesRoundTrip() {
    for (Isa isa : {Isa::Auto, Isa::Reference, Isa::Sse2, Isa::Avx2, Isa::Avx512Vnni}) {
      QCOMPARE(cpu::isaFromName(cpu::isaName(isa)), std::optional<Isa>(isa));
    }
    QVERIFY(!cpu::isaFromName("sse9").has_value());
    QVERIFY(!cpu::isaFromName("").has_value());
    QVERIFY(!cpu::isaFromName("AVX2").has_value());  // names are lower case, as documented
  }

  void kernelForPicksBestAtOrBelow_data() {
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("gemm");
    QTest::addColumn<int>("fakeQuant");
    QTest::addRow("reference") << int(Isa::Reference) << int(Isa::Reference) << int(Isa::Reference);
    QTest::addRow("sse2") << int(Isa::Sse2) << int(Isa::Reference) << int(Isa::Sse2);
    QTest::addRow("avx2") << int(Isa::Avx2) << int(Isa::Avx2) << int(Isa::Avx2);
    QTest::addRow("avx512vnni") << int(Isa::Avx512Vnni) << int(Isa::Avx512Vnni) << int(Isa::Avx2);
  }
  void kernelForPicksBestAtOrBelow() {
    QFETCH(int, level);
    QFETCH(int, gemm);
    QFETCH(int, fakeQuant);
    QCOMPARE(quant::gemm::kernelIsa(Isa(level)), Isa(gemm));
    QCOMPARE(quant::fakequant::kernelIsa(Isa(level)), Isa(fakeQuant));
  }

  // Auto follows the active level, which forceIsa sets (an unsupported request falls back).
  void autoFollowsForcedLevel() {
    IsaGuard guard;
    for (Isa isa : cpu::supportedIsas()) {
      QCOMPARE(cpu::forceIsa(isa), isa);
      QCOMPARE(cpu::activeIsa(), isa);
      QCOMPARE(quant::gemm::kernelIsa(), quant::gemm::kernelIsa(isa));
      QCOMPARE(quant::fakequant::kernelIsa(), quant::fakequant::kernelIsa(isa));
    }
    QCOMPARE(cpu::forceIsa(Isa::Auto), cpu::bestIsa());
  }

  // The kernel lists tests iterate over: supported, reference first, distinct.
  void kernelListsAreSupported() {
    for (const std::vector<Isa>& list :
         {quant::gemm::kernelIsas(), quant::fakequant::kernelIsas()}) {
      QVERIFY(!list.empty());
      QCOMPARE(list.front(), Isa::Reference);
      for (std::size_t i = 0; i < list.size(); ++i) {
        QVERIFY(cpu::isaSupported(list[i]));
        if (i > 0) QVERIFY(int(list[i - 1]) < int(list[i]));
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestCpu)
#include "tst_cpu.moc"
