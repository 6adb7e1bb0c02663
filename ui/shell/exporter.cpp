// SPDX-License-Identifier: GPL-3.0-or-later
#include "exporter.h"

#include <QAbstractButton>
#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QMainWindow>
#include <QPainter>
#include <QPointer>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>
#include <cmath>
#include <vector>

#include "chartstyle.h"
#include "session.h"

namespace quantlab::ui::exporter {

namespace {
// JSON has no inf/nan: such values become null.
QJsonValue num(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

QString csvNumber(double v) {
  if (std::isnan(v)) return QStringLiteral("nan");
  if (std::isinf(v)) return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
  return QString::number(v, 'g', 9);  // 9 significant digits round-trip a float32
}

QString schemeName(quant::Scheme s) {
  return s == quant::Scheme::Symmetric ? QStringLiteral("symmetric") : QStringLiteral("asymmetric");
}

QString granularityName(quant::Granularity g) {
  switch (g) {
    case quant::Granularity::PerTensor:
      return QStringLiteral("tensor");
    case quant::Granularity::PerChannel:
      return QStringLiteral("channel");
    case quant::Granularity::PerGroup:
      return QStringLiteral("group");
  }
  return {};
}

QJsonObject metricsObject(const quant::ErrorMetrics& m) {
  return {{"count", static_cast<qint64>(m.count)},
          {"non_finite", static_cast<qint64>(m.nonFinite)},
          {"clipped", static_cast<qint64>(m.clipped)},
          {"clipped_fraction", num(m.clippedFraction)},
          {"mse", num(m.mse)},
          {"rmse", num(m.rmse)},
          {"mae", num(m.mae)},
          {"max_abs", num(m.maxAbs)},
          {"sqnr_db", num(m.sqnrDb)},
          {"cosine", num(m.cosine)},
          {"normalized_l2", num(m.normalizedL2)},
          {"rmse_over_scale", num(m.rmseOverScale)}};
}
// A figure shows a view's content, not its controls: check boxes and buttons ("Log counts",
// "Run benchmark") are hidden while a view is drawn and shown again afterwards; the layouts
// close the gaps first.
class ControlsHidden {
 public:
  explicit ControlsHidden(QWidget* root) {
    if (qobject_cast<QMainWindow*>(root)) return;  // a picture of the window shows all of it
    // And what a view marks as a control only (the mapping's channel picker: its panel titles
    // name the channel), while a spin box that labels the figure (the channel axis) stays.
    for (QWidget* b : root->findChildren<QWidget*>()) {
      if (!qobject_cast<QAbstractButton*>(b) && !b->property(chartstyle::kHideInFigure).toBool())
        continue;
      if (!b->isVisibleTo(root)) continue;
      hidden_.emplace_back(b);
      b->hide();
    }
    settle();
  }
  ~ControlsHidden() {
    for (const QPointer<QWidget>& b : hidden_)
      if (b) b->show();
    settle();
  }
  ControlsHidden(const ControlsHidden&) = delete;
  ControlsHidden& operator=(const ControlsHidden&) = delete;

 private:
  void settle() {
    if (hidden_.empty()) return;
    // Nested layouts (and a chart's graphics layout) each post their own request: a few rounds.
    for (int i = 0; i < 4; ++i) QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  }
  std::vector<QPointer<QWidget>> hidden_;
};

// QSvgGenerator draws a hatched brush (Qt::BDiagPattern) as a <pattern> whose rectangle is cut
// by a <mask> carrying `patternUnits`, which many renderers (ImageMagick, some editors) do not
// resolve: the hatch comes out solid black. The mask's pixels, filled with the pattern's colour,
// make an equivalent pattern that needs nothing else.
QByteArray inlineHatchMasks(const QByteArray& svg) {
  QString text = QString::fromUtf8(svg);
  static const QRegularExpression maskRe(
      QStringLiteral(R"re(<mask id="(patternmask\d+)"[^>]*>(.*?)</mask>\s*)re"),
      QRegularExpression::DotMatchesEverythingOption);
  static const QRegularExpression useRe(QStringLiteral(
      R"re(<rect x="0" y="0" width="\d+" height="\d+" stroke="none" fill="(#[0-9a-fA-F]+)" mask="url\(#(patternmask\d+)\)" />)re"));
  QHash<QString, QString> masks;
  for (auto it = maskRe.globalMatch(text); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    masks.insert(m.captured(1), m.captured(2).trimmed());
  }
  if (masks.isEmpty()) return svg;
  QString out;
  qsizetype from = 0;
  for (auto it = useRe.globalMatch(text); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    if (!masks.contains(m.captured(2))) continue;
    out += QStringView(text).mid(from, m.capturedStart() - from);
    out += QStringLiteral("<g stroke=\"none\" fill=\"%1\">%2</g>")
               .arg(m.captured(1), masks.value(m.captured(2)));
    from = m.capturedEnd();
  }
  out += QStringView(text).mid(from);
  out.remove(maskRe);
  return out.toUtf8();
}

}  // namespace

QImage renderImage(QWidget* widget) {
  QImage image(widget->size(), QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter painter(&image);
  widget->render(&painter, QPoint(), QRegion(),
                 QWidget::DrawWindowBackground | QWidget::DrawChildren);
  painter.end();
  return image;
}

QString writeFile(const QString& path, const QByteArray& bytes) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return QObject::tr("%1: cannot write: %2").arg(path, file.errorString());
  if (file.write(bytes) != bytes.size()) {
    const QString why = file.errorString();
    file.cancelWriting();
    return QObject::tr("%1: write failed: %2").arg(path, why);
  }
  if (!file.commit()) return QObject::tr("%1: cannot save: %2").arg(path, file.errorString());
  return {};
}

QString savePng(QWidget* widget, const QString& path) {
  if (!widget) return QObject::tr("%1: nothing to export").arg(path);
  QPixmap pixmap;
  {
    const ControlsHidden figure(widget);
    pixmap = widget->grab();
  }
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  if (pixmap.isNull() || !pixmap.save(&buffer, "PNG"))
    return QObject::tr("%1: could not render the view").arg(path);
  return writeFile(path, bytes);
}

QString saveSvg(QWidget* widget, const QString& path, const QString& title) {
  if (!widget) return QObject::tr("%1: nothing to export").arg(path);
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setSize(widget->size());
  svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
  svg.setTitle(title.isEmpty() ? QFileInfo(path).completeBaseName() : title);
  svg.setDescription(QObject::tr("Exported from QuantLab"));
  QPainter painter;
  if (!painter.begin(&svg)) return QObject::tr("%1: could not start the SVG").arg(path);
  {
    const ControlsHidden figure(widget);
    widget->render(&painter, QPoint(), QRegion(),
                   QWidget::DrawWindowBackground | QWidget::DrawChildren);
  }
  painter.end();
  return writeFile(path, inlineHatchMasks(bytes));
}

QByteArray metricsCsv(const Session& session) {
  const quant::QuantParams& p = session.params();
  const auto& perSlot = session.slotMetrics();
  QByteArray out =
      "slot,scale,zero_point,lo,hi,count,clipped,mse,rmse,mae,max_abs,sqnr_db,cosine,"
      "rmse_over_scale\n";
  for (std::size_t i = 0; i < perSlot.size(); ++i) {
    const quant::ErrorMetrics& m = perSlot[i];
    QStringList row;
    row << QString::number(i);
    row << (i < p.scales.size() ? csvNumber(p.scales[i]) : QString());
    row << (i < p.zeroPoints.size() ? QString::number(p.zeroPoints[i]) : QString());
    row << (i < p.ranges.size() ? csvNumber(p.ranges[i].lo) : QString());
    row << (i < p.ranges.size() ? csvNumber(p.ranges[i].hi) : QString());
    row << QString::number(m.count) << QString::number(m.clipped) << csvNumber(m.mse)
        << csvNumber(m.rmse) << csvNumber(m.mae) << csvNumber(m.maxAbs) << csvNumber(m.sqnrDb)
        << csvNumber(m.cosine) << csvNumber(m.rmseOverScale);
    out += row.join(QLatin1Char(',')).toUtf8() + '\n';
  }
  return out;
}

QJsonDocument paramsJson(const Session& session) {
  const quant::Tensor& t = session.tensor();
  const quant::QuantParams& p = session.params();
  const quant::QuantSpec& s = session.spec();
  QJsonArray shape;
  for (auto d : t.shape) shape.append(static_cast<qint64>(d));
  QJsonObject tensor{{"name", QString::fromStdString(t.name)},
                     {"label", session.tensorLabel()},
                     {"dtype", QString::fromStdString(t.dtype)},
                     {"shape", shape},
                     {"numel", static_cast<qint64>(session.valueCount())}};
  QJsonObject spec{{"bits", s.bits},
                   {"signed", s.isSigned},
                   {"scheme", schemeName(s.scheme)},
                   {"narrow_range", s.narrowRange},
                   {"granularity", granularityName(s.granularity)},
                   {"axis", s.axis},
                   {"group_size", s.groupSize},
                   {"description", QString::fromStdString(s.describe())}};
  try {
    spec.insert("qmin", s.qmin());
    spec.insert("qmax", s.qmax());
  } catch (const quant::Error&) {
  }
  QJsonArray scales, zeroPoints, ranges;
  for (float v : p.scales) scales.append(num(v));
  for (auto z : p.zeroPoints) zeroPoints.append(static_cast<qint64>(z));
  for (const auto& r : p.ranges) ranges.append(QJsonArray{num(r.lo), num(r.hi)});
  QJsonObject root{
      {"format", "quantlab-params"},
      {"version", 1},
      {"tensor", tensor},
      {"spec", spec},
      {"calibration", QString::fromStdString(quant::calibrationName(session.calibration()))},
      {"scales", scales},
      {"zero_points", zeroPoints},
      {"ranges", ranges},
      {"metrics", metricsObject(session.metrics())}};
  if (session.manualRange())
    root.insert("manual_range",
                QJsonArray{num(session.manualRange()->lo), num(session.manualRange()->hi)});
  else
    root.insert("manual_range", QJsonValue());
  return QJsonDocument(root);
}

QString saveMetricsCsv(const Session& session, const QString& path) {
  return writeFile(path, metricsCsv(session));
}

QString saveParamsJson(const Session& session, const QString& path) {
  return writeFile(path, paramsJson(session).toJson(QJsonDocument::Indented));
}

}  // namespace quantlab::ui::exporter
