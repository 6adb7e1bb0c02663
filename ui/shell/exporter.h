// SPDX-License-Identifier: GPL-3.0-or-later
// Exports what the window shows: a view as PNG (QWidget::grab) or SVG (QSvgGenerator +
// QWidget::render), the error metrics as CSV and the quantization parameters as JSON.
// Every file is written through QSaveFile, so a failed export never leaves a half-written file.
// The numbers are the Session's (computed by core/); the exporter only formats them.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QJsonDocument>
#include <QString>

class QWidget;

namespace quantlab::ui {

class Session;

namespace exporter {

// Renders `widget` at its current size (device pixel ratio 1, white background).
QImage renderImage(QWidget* widget);

// Each returns an empty string on success, otherwise a one-line message naming the file.
QString savePng(QWidget* widget, const QString& path);
QString saveSvg(QWidget* widget, const QString& path, const QString& title = QString());
QString saveMetricsCsv(const Session& session, const QString& path);
QString saveParamsJson(const Session& session, const QString& path);

// The bytes behind the files above.
// CSV: a header line, then one row per slot (slot 0 = whole tensor when per-tensor):
// slot,scale,zero_point,lo,hi,count,clipped,mse,rmse,mae,max_abs,sqnr_db,cosine,rmse_over_scale
QByteArray metricsCsv(const Session& session);
// JSON: {"tensor": {...}, "spec": {...}, "calibration": ..., "manual_range": ...,
//        "scales": [...], "zero_points": [...], "ranges": [[lo, hi], ...], "metrics": {...}}
QJsonDocument paramsJson(const Session& session);

// Writes `bytes` atomically.
QString writeFile(const QString& path, const QByteArray& bytes);

}  // namespace exporter
}  // namespace quantlab::ui
