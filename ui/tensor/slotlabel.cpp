// SPDX-License-Identifier: GPL-3.0-or-later
#include "slotlabel.h"

#include <QCoreApplication>

#include "session.h"

namespace quantlab::ui {

QString slotLabel(const Session& session, int slot) {
  switch (session.params().spec.granularity) {
    case quant::Granularity::PerTensor:
      return {};
    case quant::Granularity::PerChannel:
      return QCoreApplication::translate("SlotLabel", "channel %1").arg(slot);
    case quant::Granularity::PerGroup:
      return QCoreApplication::translate("SlotLabel", "group %1").arg(slot);
  }
  return {};
}

QString fallbackWarning(const Session& session) {
  const quant::CalibrationFallback& f = session.calibrationFallback();
  if (f.count == 0) return {};
  const bool channels = session.params().spec.granularity == quant::Granularity::PerChannel;
  const QString method = QString::fromStdString(quant::calibrationName(session.calibration()));
  const int count = static_cast<int>(f.count);
  const QString text =
      channels
          ? QCoreApplication::translate(
                "SlotLabel", "%1: %n of %2 channels have fewer than %3 values, so they use min-max",
                nullptr, count)
          : QCoreApplication::translate(
                "SlotLabel", "%1: %n of %2 groups have fewer than %3 values, so they use min-max",
                nullptr, count);
  return text.arg(method).arg(f.totalSlots).arg(quant::kMinStatisticalSlice);
}

}  // namespace quantlab::ui
