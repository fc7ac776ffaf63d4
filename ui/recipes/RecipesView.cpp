#include "RecipesView.h"

#include "CoreBridge.h"
#include "MoneyText.h"
#include "PathText.h"
#include "queue/JobLane.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBlock>
#include <QVBoxLayout>

// GCC 12 reports "may be used uninitialized" for a moved std::expected once the answer
// lambdas are inlined into std::function (a known false positive of its -O2 flow analysis,
// as in JobLane.cpp); the values are always initialized.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace ripen::ui {

namespace {

constexpr int kCheckPauseMs = 300;

// The format's own example (docs/recipe-format.md), on the cheap concept model only, so a
// first run costs cents.
constexpr const char* kExampleRecipe = R"({
  "format": "ripen.recipe",
  "version": 1,
  "name": "Autumn icons",
  "prompt": "a {subject} icon in {colour}",
  "variables": {"subject": ["fox", "owl"], "colour": ["rust", "teal"]},
  "combine": "product",
  "style": "flat vector, thick outlines, warm palette",
  "negative": "text, watermark",
  "stages": {
    "concept": {"provider": "openai", "model": "gpt-image-1", "options": {"quality": "low"}}
  },
  "sizes": [{"aspect": "1:1"}],
  "count": 1,
  "seed": 1000
}
)";

QString text(const std::string& s) {
    return QString::fromStdString(s);
}

QString sizeText(const nlohmann::json& job) {
    QStringList parts;
    for (const char* key : {"aspect_ratio", "image_size"}) {
        if (const auto value = job.value(key, std::string()); !value.empty()) {
            parts << text(value);
        }
    }
    return parts.isEmpty() ? QObject::tr("default") : parts.join(QStringLiteral(" · "));
}

// "colour=red,blue" per line (or ";" between sets) -> the values each variable takes.
std::optional<VariableSets> parseSets(const QString& sets) {
    VariableSets values;
    for (const QString& line :
         sets.split(QRegularExpression(QStringLiteral("[\\n;]")), Qt::SkipEmptyParts)) {
        const auto eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq + 1 >= line.trimmed().size()) {
            return std::nullopt;
        }
        std::vector<std::string> list;
        for (const QString& value : line.mid(eq + 1).split(QLatin1Char(','))) {
            list.push_back(value.trimmed().toStdString());
        }
        values.emplace_back(line.left(eq).trimmed().toStdString(), std::move(list));
    }
    return values.empty() ? std::nullopt : std::optional(std::move(values));
}

} // namespace

RecipesView::RecipesView(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_worker(bridge.libraryRoot()) {
    setObjectName(QStringLiteral("recipesView"));
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildEditorSide());
    split->addWidget(buildPlanSide());
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("recipeStatus"));
    m_status->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kCheckPauseMs);
    connect(&m_debounce, &QTimer::timeout, this, &RecipesView::checkNow);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        m_expansion.reset(); // the editor's recipe again
        m_runnable = false;
        m_run->setEnabled(false);
        m_debounce.start();
    });
    connect(m_project, &QLineEdit::textEdited, this, [this] { m_debounce.start(); });
    JobLane& lane = m_bridge.jobs();
    connect(&lane, &JobLane::servicesReady, this, [this] {
        if (takeServices()) {
            checkNow();
        }
    });
    connect(&lane, &JobLane::assetsAdded, this, [this] {
        if (isVisible()) {
            refreshRuns();
        }
    });
}

QWidget* RecipesView::buildEditorSide() {
    auto* side = new QWidget(this);
    auto* buttons = new QHBoxLayout;
    const auto button = [&](const QString& label, auto slot) {
        auto* b = new QPushButton(label, side);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(tr("New from Example"), &RecipesView::newFromExample);
    button(tr("Open…"), &RecipesView::chooseAndOpen);
    button(tr("Save…"), &RecipesView::chooseAndSave);
    buttons->addStretch(1);

    m_editor = new QPlainTextEdit(side);
    m_editor->setObjectName(QStringLiteral("recipeEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setPlaceholderText(tr("A recipe in JSON (docs/recipe-format.md). "
                                    "New from Example starts one."));
    m_issues = new QListWidget(side);
    m_issues->setObjectName(QStringLiteral("recipeIssues"));
    m_issues->setMaximumHeight(120);
    m_issues->setWordWrap(true);
    connect(m_issues, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { jumpToLine(item->data(Qt::UserRole).toInt()); });

    auto* layout = new QVBoxLayout(side);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_editor, 1);
    layout->addWidget(new QLabel(tr("Problems"), side));
    layout->addWidget(m_issues);
    return side;
}

QWidget* RecipesView::buildPlanSide() {
    auto* side = new QWidget(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Project"), side));
    m_project = new QLineEdit(side);
    m_project->setObjectName(QStringLiteral("recipeProject"));
    m_project->setPlaceholderText(tr("none"));
    controls->addWidget(m_project, 1);
    m_run = new QPushButton(tr("Run"), side);
    m_run->setObjectName(QStringLiteral("recipeRun"));
    m_run->setEnabled(false);
    connect(m_run, &QPushButton::clicked, this, &RecipesView::run);
    controls->addWidget(m_run);
    auto* manifest = new QPushButton(tr("Open Manifest…"), side);
    connect(manifest, &QPushButton::clicked, this, &RecipesView::chooseManifest);
    controls->addWidget(manifest);
    m_expand = new QPushButton(tr("Expand…"), side);
    m_expand->setEnabled(false);
    connect(m_expand, &QPushButton::clicked, this, &RecipesView::askExpansion);
    controls->addWidget(m_expand);

    m_title = new QLabel(tr("Plan"), side);
    m_title->setWordWrap(true);
    m_summary = new QLabel(side);
    m_summary->setObjectName(QStringLiteral("recipeSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plan = new QTableWidget(0, 7, side);
    m_plan->setObjectName(QStringLiteral("recipePlan"));
    m_plan->setHorizontalHeaderLabels(
        {tr("#"), tr("Prompt"), tr("Model"), tr("Size"), tr("Seed"), tr("Estimate"), tr("State")});
    m_plan->verticalHeader()->hide();
    m_plan->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_plan->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_plan->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_plan->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);

    m_runs = new QListWidget(side);
    m_runs->setObjectName(QStringLiteral("recipeRuns"));
    connect(m_runs, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem* item) { showRunAssets(m_runs->row(item)); });
    m_runAssets = new QListWidget(side);
    m_runAssets->setObjectName(QStringLiteral("recipeRunAssets"));
    m_runAssets->setFlow(QListView::LeftToRight);
    m_runAssets->setWrapping(true);
    auto* runs = new QHBoxLayout;
    runs->addWidget(m_runs, 2);
    runs->addWidget(m_runAssets, 1);

    auto* layout = new QVBoxLayout(side);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_plan, 3);
    layout->addWidget(new QLabel(tr("Recipe runs (double-click: the assets a run made)"), side));
    layout->addLayout(runs, 1);
    return side;
}

void RecipesView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (takeServices()) {
        refreshRuns();
        checkNow();
    }
}

bool RecipesView::takeServices() {
    const JobLane& lane = m_bridge.jobs();
    if (!lane.isReady()) {
        return false;
    }
    m_worker.setServices(lane.priceBook(), lane.models());
    return true;
}

void RecipesView::newFromExample() {
    m_file.clear();
    m_title->setText(tr("Plan of an unsaved recipe"));
    m_editor->setPlainText(QString::fromUtf8(kExampleRecipe));
}

void RecipesView::openRecipe(const std::filesystem::path& file) {
    m_worker.readText(file, [this, file](ripen::Result<std::string> bytes) {
        if (!bytes) {
            m_status->setText(text(bytes.error().message));
            return;
        }
        m_file = file;
        m_title->setText(tr("Plan of %1").arg(PathText::fromPath(file)));
        m_editor->setPlainText(QString::fromUtf8(bytes->data(), qsizetype(bytes->size())));
    });
}

void RecipesView::saveRecipe(const std::filesystem::path& file) {
    m_worker.writeText(file, m_editor->toPlainText().toStdString(),
                       [this, file](ripen::Status saved) {
                           if (!saved) {
                               m_status->setText(text(saved.error().message));
                               return;
                           }
                           m_file = file;
                           m_title->setText(tr("Plan of %1").arg(PathText::fromPath(file)));
                           m_status->setText(tr("Saved %1").arg(PathText::fromPath(file)));
                           checkNow(); // references resolve against the new folder
                       });
}

RecipeSource RecipesView::editedSource() const {
    RecipeSource source;
    source.text = m_editor->toPlainText().toStdString();
    source.file = m_file;
    source.project = m_project->text().trimmed().toStdString();
    return source;
}

void RecipesView::checkNow() {
    m_debounce.stop();
    takeServices();
    RecipeSource source = m_expansion ? *m_expansion : editedSource();
    source.project = m_project->text().trimmed().toStdString();
    if (source.text.empty() && !source.manifest) {
        return;
    }
    const quint64 check = ++m_checks;
    m_worker.check(std::move(source), [this, check](RecipeOutcome outcome) {
        if (check == m_checks) {
            showOutcome(outcome);
        }
    });
}

void RecipesView::showOutcome(const RecipeOutcome& outcome) {
    showIssues(outcome);
    m_runnable = false;
    if (!outcome.error.empty()) {
        m_summary->setText(tr("No plan: %1").arg(text(outcome.error)));
    }
    if (!outcome.plan) {
        if (outcome.error.empty()) {
            m_summary->setText(outcome.issues.empty() ? tr("Waiting for the price book…")
                                                      : tr("Fix the problems to see the plan."));
        }
        m_plan->setRowCount(0);
        m_run->setEnabled(false);
        return;
    }
    const ripen::RecipePlan& plan = *outcome.plan;
    showJobs(ripen::planJson(plan)["jobs"]);
    QStringList units;
    for (const auto& [unit, amount] : plan.byUnit) {
        if (unit != "USD") {
            units << MoneyText::format(amount, unit);
        }
    }
    QString total =
        tr("%n job(s), estimate %1", "", int(plan.jobs.size())).arg(MoneyText::usd(plan.totalUsd));
    if (!units.isEmpty()) {
        total += QStringLiteral(" (%1)").arg(units.join(QStringLiteral(", ")));
    }
    for (const auto& post : plan.post) {
        total += tr("; then %1: %n job(s)", "", int(post.jobs)).arg(text(post.step));
    }
    const QString time = tr("about %n min", "", int((plan.estimatedSeconds + 59) / 60));
    const QString budget = plan.budget.allowed
                               ? tr("Budget: %1").arg(text(plan.budget.message))
                               : tr("<b>Budget refuses this run:</b> %1. Nothing will be queued.")
                                     .arg(text(plan.budget.message).toHtmlEscaped());
    m_summary->setText(QStringLiteral("%1<br>%2 (%3)<br>%4")
                           .arg(total.toHtmlEscaped(), time.toHtmlEscaped(),
                                text(plan.timeBasis).toHtmlEscaped(), budget));
    const QString problem = providerProblem(outcome.provider);
    if (!problem.isEmpty()) {
        m_status->setText(problem);
    }
    m_runnable = plan.budget.allowed && problem.isEmpty() && !plan.jobs.empty();
    m_run->setEnabled(m_runnable);
}

QString RecipesView::providerProblem(const std::string& provider) const {
    for (const auto& info : m_bridge.jobs().providers()) {
        if (info.id == provider) {
            return info.missingConfiguration.empty()
                       ? QString()
                       : tr("%1 is not configured: %2")
                             .arg(text(info.displayName), text(info.missingConfiguration));
        }
    }
    return tr("Ripen has no provider '%1'").arg(text(provider));
}

void RecipesView::showIssues(const RecipeOutcome& outcome) {
    m_issues->clear();
    for (std::size_t i = 0; i < outcome.issues.size(); ++i) {
        auto* item = new QListWidgetItem(text(outcome.issues[i]), m_issues);
        item->setData(Qt::UserRole, outcome.lines[i]);
        item->setToolTip(tr("Click to go to line %1").arg(outcome.lines[i]));
    }
    if (outcome.issues.empty()) {
        m_issues->addItem(tr("No problems"));
    }
    markLines(m_expansion ? std::vector<int>{} : outcome.lines);
}

void RecipesView::markLines(const std::vector<int>& lines) {
    QList<QTextEdit::ExtraSelection> marks;
    QColor colour = palette().color(QPalette::Highlight);
    colour.setAlpha(70);
    for (const int line : lines) {
        const QTextBlock block = m_editor->document()->findBlockByNumber(line - 1);
        if (!block.isValid()) {
            continue;
        }
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(block);
        mark.format.setBackground(colour);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        marks << mark;
    }
    m_editor->setExtraSelections(marks);
}

void RecipesView::jumpToLine(int line) {
    const QTextBlock block = m_editor->document()->findBlockByNumber(line - 1);
    if (!block.isValid()) {
        return;
    }
    m_editor->setTextCursor(QTextCursor(block));
    m_editor->centerCursor();
    m_editor->setFocus();
}

void RecipesView::showJobs(const nlohmann::json& jobs) {
    m_plan->setRowCount(int(jobs.size()));
    int row = 0;
    for (const auto& job : jobs) {
        const auto seed = job.contains("seed") && job["seed"].is_number_integer()
                              ? QString::number(job["seed"].get<std::int64_t>())
                              : QString();
        const QStringList cells{QString::number(job.value("index", row) + 1),
                                text(job.value("prompt", "")),
                                text(job.value("provider", "") + "/" + job.value("model", "")),
                                sizeText(job),
                                seed,
                                QStringLiteral("%1 %2").arg(text(job.value("estimate", "")),
                                                            text(job.value("unit", ""))),
                                text(job.value("state", "planned"))};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(cells[column]);
            m_plan->setItem(row, column, item);
        }
        ++row;
    }
}

void RecipesView::run() {
    if (!m_runnable) {
        return;
    }
    m_run->setEnabled(false);
    RecipeSource source = m_expansion ? *m_expansion : editedSource();
    source.project = m_project->text().trimmed().toStdString();
    m_status->setText(tr("Queuing…"));
    m_worker.queue(std::move(source), [this](RecipeOutcome outcome) {
        showOutcome(outcome);
        if (!outcome.run) {
            m_status->setText(outcome.error.empty()
                                  ? tr("Nothing was queued.")
                                  : tr("Nothing was queued: %1").arg(text(outcome.error)));
            return;
        }
        m_status->setText(
            tr("Queued run %1: %n job(s); the queue runs them. Manifest: %2", "",
               int(outcome.run->jobs.size()))
                .arg(text(outcome.run->id), PathText::fromPath(outcome.run->manifest)));
        m_runnable = false; // once: the next run needs a change or a new expansion
        m_run->setEnabled(false);
        m_bridge.jobs().wake();
        refreshRuns();
    });
}

void RecipesView::openManifest(const std::filesystem::path& file) {
    m_worker.readManifest(file, [this, file](ripen::Result<nlohmann::json> manifest) {
        if (!manifest) {
            m_status->setText(text(manifest.error().message));
            return;
        }
        m_manifest = std::move(*manifest);
        m_expansion.reset();
        m_runnable = false;
        m_run->setEnabled(false);
        m_expand->setEnabled(true);
        const nlohmann::json& run = *m_manifest;
        const std::string name = run.contains("recipe") && run["recipe"].is_object()
                                     ? run["recipe"].value("name", "")
                                     : "";
        m_title->setText(
            tr("Run %1 “%2”, %3")
                .arg(text(run.value("run", "")), text(name), text(run.value("state", ""))));
        m_summary->setText(
            tr("%n job(s), estimate %1 USD; project %2. Expand… plans it with "
               "new variable values.",
               "", int(run["jobs"].size()))
                .arg(text(run.value("estimate_usd", "")), text(run.value("project", "")).isEmpty()
                                                              ? tr("none")
                                                              : text(run.value("project", ""))));
        showJobs(run["jobs"]);
        m_status->setText(tr("Opened %1").arg(PathText::fromPath(file)));
    });
}

void RecipesView::planExpansion(const QString& sets) {
    if (!m_manifest) {
        return;
    }
    auto values = parseSets(sets);
    if (!values) {
        m_status->setText(tr("Give new values as VAR=VALUE,VALUE (one variable per line)"));
        return;
    }
    RecipeSource source;
    source.manifest = m_manifest;
    source.values = std::move(*values);
    if (m_project->text().trimmed().isEmpty()) {
        m_project->setText(text(m_manifest->value("project", "")));
    }
    m_expansion = std::move(source);
    m_title->setText(tr("Plan of the expansion of run %1").arg(text(m_manifest->value("run", ""))));
    checkNow();
}

void RecipesView::refreshRuns() {
    m_worker.listRuns([this](ripen::Result<std::vector<ripen::RecipeRunSummary>> runs) {
        if (!runs) {
            m_status->setText(
                tr("Recipe runs could not be listed: %1").arg(text(runs.error().message)));
            return;
        }
        m_runSummaries = std::move(*runs);
        m_runs->clear();
        for (const auto& run : m_runSummaries) {
            QString line =
                tr("%1 — %2 (%3): %4/%5 done")
                    .arg(text(run.name.empty() ? run.id : run.name), text(run.id), text(run.stage))
                    .arg(run.succeeded)
                    .arg(run.jobs);
            if (run.failed > 0) {
                line += tr(", %1 failed").arg(run.failed);
            }
            if (!run.expandedFrom.empty()) {
                line += tr(", expands %1").arg(text(run.expandedFrom));
            }
            m_runs->addItem(line);
        }
    });
}

// The gallery cannot filter by run yet (AssetQuery has no run field), so the run's assets
// are listed here.
void RecipesView::showRunAssets(int row) {
    if (row < 0 || row >= int(m_runSummaries.size())) {
        return;
    }
    m_runAssets->clear();
    for (const ripen::AssetId id : m_runSummaries[std::size_t(row)].assets) {
        m_runAssets->addItem(tr("asset %1").arg(id));
    }
    m_status->setText(
        tr("Run %1 made %n asset(s)", "", int(m_runSummaries[std::size_t(row)].assets.size()))
            .arg(text(m_runSummaries[std::size_t(row)].id)));
}

void RecipesView::chooseAndOpen() {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open Recipe"), QString(), tr("Recipes (*.json)"));
    if (!file.isEmpty()) {
        openRecipe(PathText::toPath(file));
    }
}

void RecipesView::chooseAndSave() {
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Save Recipe"), m_file.empty() ? QString() : PathText::fromPath(m_file),
        tr("Recipes (*.json)"));
    if (!file.isEmpty()) {
        saveRecipe(PathText::toPath(file));
    }
}

void RecipesView::chooseManifest() {
    const QString start = PathText::fromPath(m_bridge.libraryRoot() / "recipes");
    const QString file = QFileDialog::getOpenFileName(this, tr("Open Run Manifest"), start,
                                                      tr("Manifests (*.json)"));
    if (!file.isEmpty()) {
        openManifest(PathText::toPath(file));
    }
}

void RecipesView::askExpansion() {
    if (!m_manifest) {
        return;
    }
    QStringList current;
    const nlohmann::json& recipe = (*m_manifest)["recipe"];
    const auto variables = recipe.is_object() ? recipe.value("variables", nlohmann::json::object())
                                              : nlohmann::json::object();
    for (const auto& [name, values] : variables.items()) {
        QStringList list;
        for (const auto& value : values) {
            if (value.is_string()) {
                list << text(value.get<std::string>());
            }
        }
        current << text(name) + QLatin1Char('=') + list.join(QLatin1Char(','));
    }
    auto* ask = new QInputDialog(this);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Expand Run"));
    ask->setLabelText(tr("New values, one variable per line (VAR=V1,V2). The plan shows first; "
                         "Run queues it."));
    ask->setOption(QInputDialog::UsePlainTextEditForTextInput);
    ask->setTextValue(current.join(QLatin1Char('\n')));
    connect(ask, &QInputDialog::textValueSelected, this, &RecipesView::planExpansion);
    ask->open();
}

} // namespace ripen::ui
