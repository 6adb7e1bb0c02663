// SPDX-License-Identifier: GPL-3.0-or-later
#include "predictionsview.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>

#include "chartstyle.h"
#include "modelsession.h"
#include "modelview.h"
#include "sampleimage.h"

namespace quantlab::ui {

namespace cs = chartstyle;

// The image grid: each cell is one test image (2x) with three lines of text under it.
class PredictionGrid : public QWidget {
 public:
  struct Cell {
    int index = 0;  // test image
    int label = 0, fp32 = -1, int8 = -1;
  };
  explicit PredictionGrid(QWidget* parent = nullptr) : QWidget(parent) {
    setObjectName("predictionGrid");
    setMouseTracking(true);
  }
  void setData(std::shared_ptr<const ModelSession::Loaded> snap, std::vector<Cell> cells) {
    snap_ = std::move(snap);
    cells_ = std::move(cells);
    updateGeometry();
    setMinimumHeight(heightForWidth(width()));
    update();
  }
  const std::vector<Cell>& cells() const { return cells_; }
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int w) const override {
    const int cols = columns(w);
    const int rows = (static_cast<int>(cells_.size()) + cols - 1) / cols;
    return rows * cellH() + 8;
  }
  QSize sizeHint() const override { return {8 * cellW(), heightForWidth(8 * cellW())}; }

 protected:
  void resizeEvent(QResizeEvent*) override { setMinimumHeight(heightForWidth(width())); }
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!snap_ || !snap_->test) return;
    const quant::Dataset& d = *snap_->test;
    const int cols = columns(width());
    const QFontMetrics fm(font());
    const int img = imageSize();
    for (int i = 0; i < static_cast<int>(cells_.size()); ++i) {
      const Cell& c = cells_[static_cast<std::size_t>(i)];
      // Columns share the width evenly, so the grid fills the view.
      const int cw = width() / cols;
      const QRect r((i % cols) * cw, (i / cols) * cellH(), cw, cellH());
      const bool disagree = c.fp32 >= 0 && c.int8 >= 0 && c.fp32 != c.int8;
      if (disagree) {
        p.fillRect(r.adjusted(2, 2, -2, -2), QColor(255, 236, 214));
        p.setPen(QPen(cs::kVermillion, 3));
        p.drawRect(r.adjusted(3, 3, -4, -4));
      }
      const QImage im = sampleImage(d, c.index);
      const QRect ir(r.x() + (r.width() - img) / 2, r.y() + 6, img, img);
      if (!im.isNull()) p.drawImage(ir, im);
      int y = ir.bottom() + fm.ascent() + 2;
      auto line = [&](const QString& prefix, int cls, bool wrong) {
        p.setPen(wrong ? cs::kVermillion : palette().color(QPalette::Text));
        const QString name =
            cls >= 0 && cls < static_cast<int>(d.classNames.size())
                ? QString::fromStdString(d.classNames[static_cast<std::size_t>(cls)])
                : QStringLiteral("…");
        p.drawText(QRect(r.x() + 4, y - fm.ascent(), r.width() - 8, fm.height()), Qt::AlignHCenter,
                   fm.elidedText(prefix + name, Qt::ElideRight, r.width() - 8));
        y += fm.height();
      };
      QFont bold = font();
      bold.setBold(true);
      p.setFont(bold);
      line(QString(), c.label, false);
      p.setFont(font());
      line(QStringLiteral("fp32: "), c.fp32, c.fp32 >= 0 && c.fp32 != c.label);
      line(QStringLiteral("int8: "), c.int8, c.int8 >= 0 && c.int8 != c.label);
    }
  }
  bool event(QEvent* e) override {
    if (e->type() == QEvent::ToolTip) {
      auto* he = static_cast<QHelpEvent*>(e);
      const int cols = columns(width());
      const int cw = std::max(1, width() / cols);
      const int i = (he->pos().y() / cellH()) * cols + std::min(cols - 1, he->pos().x() / cw);
      if (i >= 0 && i < static_cast<int>(cells_.size())) {
        const Cell& c = cells_[static_cast<std::size_t>(i)];
        QToolTip::showText(
            he->globalPos(),
            PredictionsView::tr(
                "Test image %1. Bold: the true class. Red: a wrong prediction. A framed cell is "
                "an image where fp32 and int8 disagree — usually a borderline case whose top two "
                "classes were already close.")
                .arg(c.index),
            this);
      } else {
        QToolTip::hideText();
      }
      return true;
    }
    return QWidget::event(e);
  }

 private:
  int imageSize() const { return 56; }
  int cellW() const {
    return std::max(120, fontMetrics().horizontalAdvance(QStringLiteral("fp32: Ankle boot")) + 12);
  }
  int cellH() const { return imageSize() + 3 * fontMetrics().height() + 14; }
  int columns(int w) const { return std::max(1, w / cellW()); }

  std::shared_ptr<const ModelSession::Loaded> snap_;
  std::vector<Cell> cells_;
};

PredictionsView::PredictionsView(ModelSession* ms, QWidget* parent)
    : QWidget(parent),
      ms_(ms),
      evaluate_(new QPushButton(tr("Evaluate test set"))),
      onlyDisagree_(new QCheckBox(tr("Only disagreements"))),
      first_(new QSpinBox),
      summary_(new QLabel),
      grid_(new PredictionGrid) {
  setObjectName("PredictionsView");
  auto* lay = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout;
  evaluate_->setObjectName("predictionsEvaluate");
  evaluate_->setToolTip(
      tr("Run the fp32 and the int8 model over all 10 000 test images (in the background)."));
  onlyDisagree_->setObjectName("predictionsOnlyDisagree");
  onlyDisagree_->setToolTip(
      tr("Show only the images where int8 predicts a different class than fp32."));
  first_->setObjectName("predictionsFirst");
  first_->setRange(0, 9999);
  first_->setSingleStep(48);
  first_->setToolTip(tr("The first test image shown (the grid shows 48 from here)."));
  controls->addWidget(evaluate_);
  controls->addWidget(onlyDisagree_);
  controls->addWidget(new QLabel(tr("From image")));
  controls->addWidget(first_);
  controls->addStretch(1);
  lay->addLayout(controls);
  lay->addWidget(new ModelJobBar(ms_));
  summary_->setObjectName("predictionsSummary");
  summary_->setWordWrap(true);
  summary_->setToolTip(
      tr("Accuracy: the fraction of test images classified correctly. Agreement: the fraction "
         "where int8 predicts the same class as fp32 — quantization's own effect, whatever the "
         "label."));
  lay->addWidget(summary_);
  auto* scroll = new QScrollArea;
  scroll->setObjectName("predictionsScroll");
  scroll->setWidget(grid_);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  lay->addWidget(scroll, 1);

  connect(evaluate_, &QPushButton::clicked, this, [this] { ms_->runEvaluation(); });
  connect(onlyDisagree_, &QCheckBox::toggled, this, &PredictionsView::rebuild);
  connect(first_, &QSpinBox::valueChanged, this, &PredictionsView::rebuild);
  connect(ms_, &ModelSession::modelLoaded, this, [this] {
    rebuild();
    if (isVisible()) ms_->runEvaluation();
  });
  connect(ms_, &ModelSession::evaluationFinished, this, &PredictionsView::rebuild);
  connect(ms_, &ModelSession::busyChanged, this, &PredictionsView::syncEnabled);
  rebuild();
}

int PredictionsView::shownImages() const { return static_cast<int>(grid_->cells().size()); }

int PredictionsView::shownDisagreements() const {
  int n = 0;
  for (const auto& c : grid_->cells()) n += c.fp32 >= 0 && c.int8 >= 0 && c.fp32 != c.int8;
  return n;
}

void PredictionsView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  // Evaluating on first sight: the MLP needs well under a second.
  if (ms_->hasModel() && !ms_->evaluation() && !ms_->busy() && ms_->loaded()->test &&
      ms_->loaded()->hasInt8)
    ms_->runEvaluation();
}

void PredictionsView::syncEnabled() {
  evaluate_->setEnabled(ms_->hasModel() && !ms_->busy() && ms_->loaded()->test);
}

void PredictionsView::rebuild() {
  syncEnabled();
  const auto snap = ms_->loaded();
  if (!snap || !snap->test) {
    summary_->setText(snap ? snap->dataError : tr("Open a model first (Model layers view)."));
    grid_->setData(snap, {});
    return;
  }
  const quant::Dataset& d = *snap->test;
  const auto& ev = ms_->evaluation();
  static const std::vector<int> kNone;
  const std::vector<int>& fp32Pred = ev ? ev->modes[0].predictions : kNone;
  const std::vector<int>& int8Pred = ev ? ev->modes[1].predictions : kNone;
  const int n = static_cast<int>(d.labels.size());
  constexpr int kShown = 48;
  std::vector<PredictionGrid::Cell> cells;
  auto cellAt = [&](int i) {
    PredictionGrid::Cell c;
    c.index = i;
    c.label = d.labels[static_cast<std::size_t>(i)];
    if (ev && i < static_cast<int>(fp32Pred.size())) {
      c.fp32 = fp32Pred[static_cast<std::size_t>(i)];
      c.int8 = int8Pred[static_cast<std::size_t>(i)];
    }
    return c;
  };
  int disagreements = 0;
  if (ev)
    for (std::size_t i = 0; i < fp32Pred.size(); ++i) disagreements += fp32Pred[i] != int8Pred[i];
  if (onlyDisagree_->isChecked() && ev) {
    for (int i = first_->value();
         i < static_cast<int>(fp32Pred.size()) && static_cast<int>(cells.size()) < kShown; ++i)
      if (fp32Pred[static_cast<std::size_t>(i)] != int8Pred[static_cast<std::size_t>(i)])
        cells.push_back(cellAt(i));
  } else {
    for (int i = first_->value(); i < n && static_cast<int>(cells.size()) < kShown; ++i)
      cells.push_back(cellAt(i));
  }
  grid_->setData(snap, std::move(cells));
  if (!ev) {
    summary_->setText(tr("Press <b>Evaluate test set</b> to run fp32 and int8 on the %1 test "
                         "images.")
                          .arg(n));
    return;
  }
  summary_->setText(
      tr("On %1 test images: fp32 accuracy <b>%2</b>, int8 accuracy <b>%3</b> (%4 points), "
         "agreement <b>%5</b> — int8 and fp32 disagree on %6 images.")
          .arg(ev->images)
          .arg(cs::formatPercent(ev->modes[0].accuracy), cs::formatPercent(ev->modes[1].accuracy),
               cs::formatPointsDelta(100.0 * (ev->modes[1].accuracy - ev->modes[0].accuracy)),
               cs::formatPercent(ev->modes[1].agreement))
          .arg(disagreements));
}

}  // namespace quantlab::ui
