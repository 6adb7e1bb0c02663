// SPDX-License-Identifier: GPL-3.0-or-later
// A one-line label that, when its layout gives it less room than its text needs, shows the text
// shortened in the middle with "…" instead of overflowing into its neighbours. The status bar's
// tensor description uses it: with presenter mode's large font the three status labels no longer
// fit side by side at 1280x720, and a QLabel there would be drawn under the next one.
#pragma once

#include <QLabel>

namespace quantlab::ui {

class ElidedLabel : public QLabel {
  Q_OBJECT
 public:
  explicit ElidedLabel(QWidget* parent = nullptr);
  // About a dozen characters: the layout may shrink it that far before it takes room elsewhere.
  QSize minimumSizeHint() const override;
  // Whether the text is shown shortened at the current width.
  bool elided() const;

 protected:
  void paintEvent(QPaintEvent* event) override;
};

}  // namespace quantlab::ui
