// SPDX-License-Identifier: GPL-3.0-or-later
#include "lessonactions.h"

#include <QDockWidget>
#include <QEvent>
#include <QPainter>
#include <QPointer>
#include <QTabBar>
#include <QTimer>
#include <QVariantAnimation>
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>

#include "mainwindow.h"
#include "modelsession.h"
#include "numberformatview.h"
#include "presenter.h"
#include "quant/base/resources.h"
#include "quant/base/tensor.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/formats.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/quantize.h"
#include "session.h"
#include "sessionfile.h"

namespace quantlab::ui {

namespace {

// A frame drawn over the target (not a style change, so it works on any widget, charts too).
// It follows the target: presenter mode, a dock being raised or the window going full screen
// move the target after the frame was placed, so every move, resize, show or hide of the target
// or of one of its ancestors re-places it once the layout has settled (a zero timer: the
// geometry of the siblings is final only when the layout pass that moved the target is over).
class FlashFrame : public QWidget {
 public:
  FlashFrame(QWidget* target, int ms) : QWidget(target->window()), target_(target) {
    setObjectName(QStringLiteral("lessonHighlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    settle_ = new QTimer(this);
    settle_->setSingleShot(true);
    settle_->setInterval(0);
    connect(settle_, &QTimer::timeout, this, [this] { follow(); });
    watchAncestors();
    follow();
    raise();
    auto* anim = new QVariantAnimation(this);
    anim->setStartValue(255);
    anim->setEndValue(0);
    anim->setDuration(ms);
    anim->setEasingCurve(QEasingCurve::InQuad);
    connect(anim, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
      alpha_ = v.toInt();
      follow();
      update();
    });
    connect(anim, &QVariantAnimation::finished, this, &QObject::deleteLater);
    anim->start();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QColor c(255, 140, 0, alpha_);  // orange reads on light and dark palettes and on projectors
    p.setPen(QPen(c, 4));
    c.setAlpha(alpha_ / 6);
    p.setBrush(c);
    p.drawRoundedRect(QRectF(rect()).adjusted(2, 2, -2, -2), 6, 6);
  }

  bool eventFilter(QObject* watched, QEvent* event) override {
    switch (event->type()) {
      case QEvent::Move:
      case QEvent::Resize:
      case QEvent::Show:
      case QEvent::Hide:
      case QEvent::LayoutRequest:
      case QEvent::WindowStateChange:
        follow();
        settle_->start();
        break;
      case QEvent::ParentChange:
        // A dock floated or re-docked: the chain of ancestors is a different one now.
        watchAncestors();
        settle_->start();
        break;
      default:
        break;
    }
    return QWidget::eventFilter(watched, event);
  }

 private:
  void watchAncestors() {
    for (const QPointer<QWidget>& w : watched_)
      if (w) w->removeEventFilter(this);
    watched_.clear();
    for (QWidget* w = target_; w; w = w->parentWidget()) {
      w->installEventFilter(this);
      watched_.emplace_back(w);
    }
  }
  void follow() {
    if (!target_) {
      hide();
      return;
    }
    // The frame lives in the target's window; a target in a floating dock has another one.
    if (target_->window() != parentWidget()) {
      setParent(target_->window());
      watchAncestors();
    }
    if (!target_->isVisible()) {
      hide();
      return;
    }
    // Only the part of the target its scroll areas and docks show: a tall view in a short dock
    // must not get a frame over the views below it.
    QRect r(target_->mapTo(parentWidget(), QPoint(0, 0)), target_->size());
    for (QWidget* a = target_->parentWidget(); a && a != parentWidget(); a = a->parentWidget())
      r &= QRect(a->mapTo(parentWidget(), QPoint(0, 0)), a->size());
    if (r.isEmpty()) {
      hide();
      return;
    }
    setGeometry(r.adjusted(-4, -4, 4, 4));
    if (isHidden()) show();
    raise();
  }
  QPointer<QWidget> target_;
  std::vector<QPointer<QWidget>> watched_;
  QTimer* settle_ = nullptr;
  int alpha_ = 255;
};

std::map<std::string, std::string> keyValues(const std::vector<std::string>& args,
                                             std::size_t first) {
  std::map<std::string, std::string> kv;
  for (std::size_t i = first; i < args.size(); ++i) {
    const auto eq = args[i].find('=');
    if (eq != std::string::npos) kv[args[i].substr(0, eq)] = args[i].substr(eq + 1);
  }
  return kv;
}

double toDouble(const std::string& s) { return std::stod(s); }

std::vector<float> parseValues(const std::string& list) {
  std::vector<float> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const std::string part =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(std::stof(part));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Mirrors the lesson format: `generate DIST n=N seed=S [params] [shape=AxB]` (already validated
// by quant::validateAction, so the conversions cannot fail here).
quant::GeneratorSpec generatorOf(const quant::LessonAction& a) {
  quant::GeneratorSpec g;
  g.distribution = quant::parseDistribution(a.args.at(0));
  const auto kv = keyValues(a.args, 1);
  g.name = a.args.at(0);
  if (auto it = kv.find("shape"); it != kv.end()) {
    g.shape.clear();
    std::size_t start = 0;
    for (;;) {
      const auto x = it->second.find('x', start);
      g.shape.push_back(std::stoll(it->second.substr(start, x == std::string::npos ? x : x - start)));
      if (x == std::string::npos) break;
      start = x + 1;
    }
  } else if (auto n = kv.find("n"); n != kv.end()) {
    g.shape = {std::stoll(n->second)};
  }
  g.seed = std::stoull(kv.at("seed"));
  const std::pair<const char*, double*> params[] = {
      {"mean", &g.mean}, {"stddev", &g.stddev}, {"low", &g.low},           {"high", &g.high},
      {"loc", &g.loc},   {"scale", &g.scale},   {"separation", &g.separation},
      {"magnitude", &g.outlierMagnitude}};
  for (const auto& [key, dst] : params)
    if (auto it = kv.find(key); it != kv.end()) *dst = toDouble(it->second);
  if (auto it = kv.find("outliers"); it != kv.end()) g.outlierCount = std::stoll(it->second);
  return g;
}

// `spec ...`: omitted keys take the format's defaults (the whole spec is replaced, as in the
// lesson checks, so a step reads the same whatever the student did before).
quant::QuantSpec specOf(const quant::LessonAction& a) {
  quant::QuantSpec spec;
  const auto kv = keyValues(a.args, 0);
  if (auto it = kv.find("bits"); it != kv.end()) spec.bits = std::stoi(it->second);
  const auto scheme = kv.find("scheme");
  spec.scheme = scheme != kv.end() && scheme->second == "asymmetric" ? quant::Scheme::Asymmetric
                                                                     : quant::Scheme::Symmetric;
  spec.isSigned = spec.scheme == quant::Scheme::Symmetric;
  if (auto it = kv.find("signed"); it != kv.end()) spec.isSigned = it->second == "true";
  if (auto it = kv.find("narrow"); it != kv.end()) spec.narrowRange = it->second == "true";
  if (auto it = kv.find("granularity"); it != kv.end()) quant::parseGranularity(it->second, spec);
  spec.validate();
  return spec;
}

QString viewNote(const QString& name) {
  return QObject::tr("The “%1” view is not part of this build yet; the step reads fine without it.")
      .arg(name);
}

}  // namespace

QWidget* lessonTarget(MainWindow* window, const QString& name) {
  if (QWidget* v = window->view(name)) return v;
  return window->findChild<QWidget*>(name);
}

QDockWidget* dockOf(MainWindow* window, QWidget* widget) {
  for (QWidget* w = widget; w && w != window; w = w->parentWidget())
    if (auto* dock = qobject_cast<QDockWidget*>(w)) return dock;
  return nullptr;
}

bool raiseView(MainWindow* window, QWidget* view) {
  if (!view) return false;
  PresenterMode* presenter = window->presenter();
  const bool presenting = presenter && presenter->isActive();
  if (view == window->centralWidget()) {
    if (presenting) presenter->showOnStage(nullptr);
    return true;
  }
  QDockWidget* dock = dockOf(window, view);
  if (!dock) return false;
  if (presenting) {
    presenter->showOnStage(dock);
  } else {
    dock->show();
    dock->raise();
  }
  return true;
}

void flashWidget(QWidget* target, int ms) {
  if (!target || !target->window()) return;
  new FlashFrame(target, ms);
}

QStringList applyLessonActions(MainWindow* window, const std::vector<quant::LessonAction>& actions,
                               QStringList* shownDocks) {
  QStringList notes;
  auto raiseView = [window, shownDocks](QWidget* view) {
    const bool ok = quantlab::ui::raiseView(window, view);
    if (QDockWidget* dock = ok && shownDocks ? dockOf(window, view) : nullptr)
      if (!shownDocks->contains(dock->objectName())) *shownDocks << dock->objectName();
    return ok;
  };
  Session* session = window->session();
  quant::ActionContext ctx;
  ctx.tensorRank = static_cast<int>(std::max<std::size_t>(1, session->tensor().shape.size()));
  // A `layer` may come in a later step than its `model`: the model the lessons asked for last
  // (or the one loaded) counts.
  if (ModelSession* models = window->modelSession()) {
    const QString asked = models->property("lessonModel").toString();
    if (!asked.isEmpty())
      ctx.model = asked.toStdString();
    else if (models->hasModel())
      ctx.model = models->loaded()->name.toStdString();
  }
  bool modelOpen = !ctx.model.empty();
  for (const quant::LessonAction& a : actions) {
    const QString verb = QString::fromStdString(a.verb);
    const QString arg0 = a.args.empty() ? QString() : QString::fromStdString(a.args[0]);
    try {
      // The engine's validator first: the same rules as the lesson test suite, so a broken or
      // hand-edited lesson never reaches a setter.
      quant::validateAction(a, ctx, "lesson");
      if (a.verb == "values") {
        quant::Tensor t;
        t.name = "values";
        t.dtype = "float32";
        t.data = parseValues(a.args.at(0));
        t.shape = {static_cast<std::int64_t>(t.data.size())};
        quant::SessionTensorSource src;
        src.kind = quant::TensorSourceKind::Values;
        src.values = t.data;
        src.shape = t.shape;
        session->setTensor(std::move(t), QObject::tr("lesson values"));
        setTensorSource(window, src);
      } else if (a.verb == "generate") {
        const quant::GeneratorSpec g = generatorOf(a);
        quant::Tensor t = quant::generate(g);
        quant::SessionTensorSource src;
        src.kind = quant::TensorSourceKind::Generator;
        src.generator = g;
        session->setTensor(std::move(t), QObject::tr("%1 (lesson)").arg(arg0));
        setTensorSource(window, src);
      } else if (a.verb == "spec") {
        session->setSpec(specOf(a), QObject::tr("Lesson step"));
      } else if (a.verb == "calibration") {
        session->setCalibration(quant::parseCalibration(a.args.at(0)));
      } else if (a.verb == "range") {
        if (arg0 == QLatin1String("auto"))
          session->setManualRange(std::nullopt);
        else
          session->setManualRange(
              quant::Range{std::stof(a.args.at(0)), std::stof(a.args.at(1))});
      } else if (a.verb == "probe") {
        session->setProbeValue(std::stod(a.args.at(0)));
      } else if (a.verb == "format") {
        auto* formats = qobject_cast<NumberFormatView*>(window->view(QStringLiteral("formats")));
        if (!formats) {
          notes << viewNote(QStringLiteral("formats"));
          continue;
        }
        // The lesson says e4m3; the engine's name is e4m3fn (the finite-only OCP variant).
        for (int row = 0; row < formats->formatCount(); ++row) {
          const QString name = QString::fromStdString(formats->formatAt(row).name);
          if (name == arg0 || name == arg0 + QLatin1String("fn")) {
            formats->setSelectedRow(row);
            break;
          }
        }
        raiseView(formats);
      } else if (a.verb == "view") {
        QWidget* v = window->view(arg0);
        if (!v || !raiseView(v)) notes << viewNote(arg0);
      } else if (a.verb == "model") {
        ModelSession* models = window->modelSession();
        if (!models) {
          notes << QObject::tr("The model workspace is not available in this build, so the "
                               "“%1” model is not opened.")
                       .arg(arg0);
          continue;
        }
        // A built-in model that is not shipped in this build (e.g. still being trained) gives
        // a note, not an error box in the middle of a lesson.
        (void)quant::resolveModelPath(a.args.at(0));
        const QString current = models->hasModel() ? models->loaded()->name : QString();
        if (current != arg0 && models->property("lessonModel").toString() != arg0)
          models->openModel(arg0);
        models->setProperty("lessonModel", arg0);
        raiseView(window->view(QStringLiteral("model")));
        modelOpen = true;
      } else if (a.verb == "layer") {
        ModelSession* models = window->modelSession();
        if (!models || !modelOpen) continue;
        if (models->hasModel() && !models->busy()) {
          if (!models->selectLayerByName(arg0))
            notes << QObject::tr("Select the layer “%1” in the model view.").arg(arg0);
        } else {
          // The model loads in the background: select the layer once it is there.
          auto once = std::make_shared<QMetaObject::Connection>();
          *once = QObject::connect(models, &ModelSession::modelLoaded, models,
                                   [models, arg0, once] {
                                     QObject::disconnect(*once);
                                     models->selectLayerByName(arg0);
                                   });
        }
      } else if (a.verb == "highlight") {
        QWidget* target = lessonTarget(window, arg0);
        if (!target) {
          notes << viewNote(arg0);
          continue;
        }
        raiseView(target);
        flashWidget(target);
      }
    } catch (const std::exception& e) {
      notes << QObject::tr("Skipped “%1”: %2")
                   .arg(QString::fromStdString(a.text()), QString::fromUtf8(e.what()));
    }
  }
  return notes;
}

}  // namespace quantlab::ui
