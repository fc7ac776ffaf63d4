#include "generate/GenerationPanel.h"

#include "MoneyText.h"
#include "PathText.h"
#include "generate/ReferenceList.h"
#include "theme/Theme.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace ripen::ui {

namespace {

constexpr int kProviderRole = Qt::UserRole + 1;
constexpr int kModelRole = Qt::UserRole + 2;

// Gemini's documented ratios; OpenAI's three sizes; self-hosted servers take any.
const QStringList kGeminiAspects = {
    QStringLiteral("1:1"),  QStringLiteral("2:3"), QStringLiteral("3:2"), QStringLiteral("3:4"),
    QStringLiteral("4:3"),  QStringLiteral("4:5"), QStringLiteral("5:4"), QStringLiteral("9:16"),
    QStringLiteral("16:9"), QStringLiteral("21:9")};
const QStringList kOpenAiAspects = {QStringLiteral("1:1"), QStringLiteral("3:2"),
                                    QStringLiteral("2:3")};
const QStringList kSizes = {QStringLiteral("1K"), QStringLiteral("2K"), QStringLiteral("4K")};

std::string today() {
    return QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate).toStdString();
}

bool makesImages(const ripen::ModelInfo& model) {
    return std::ranges::find(model.kinds, ripen::JobKind::TextToImage) != model.kinds.end();
}

bool isCurrent(const ripen::ModelInfo& model) {
    return model.retired.empty() || model.retired > today();
}

QStringList toQStrings(const std::vector<std::string>& values) {
    QStringList list;
    for (const auto& value : values) {
        list << QString::fromStdString(value);
    }
    return list;
}

QLabel* sectionLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setObjectName(QStringLiteral("generationSection"));
    return label;
}

} // namespace

GenerationPanel::GenerationPanel(JobLane& lane, QWidget* parent)
    : QWidget(parent), m_lane(lane), m_prompt(new QPlainTextEdit(this)),
      m_negative(new QPlainTextEdit(this)), m_provider(new QComboBox(this)),
      m_model(new QComboBox(this)), m_providerNote(new QLabel(this)), m_aspect(new QComboBox(this)),
      m_size(new QComboBox(this)), m_count(new QSpinBox(this)),
      m_references(new ReferenceList(this)), m_project(new QComboBox(this)),
      m_estimate(new QLabel(this)), m_budget(new QLabel(this)),
      m_generate(new QPushButton(tr("Generate"), this)), m_status(new QLabel(this)) {
    setObjectName(QStringLiteral("generationPanel"));
    m_prompt->setObjectName(QStringLiteral("generationPrompt"));
    m_prompt->setPlaceholderText(tr("Describe the image: subject, setting, light, style"));
    m_prompt->setTabChangesFocus(true);
    m_negative->setObjectName(QStringLiteral("generationNegative"));
    m_negative->setPlaceholderText(tr("What to avoid (where the model takes it)"));
    m_negative->setTabChangesFocus(true);
    m_negative->setMaximumHeight(7 * Theme::kGrid);
    m_prompt->setMinimumHeight(10 * Theme::kGrid);
    m_providerNote->setWordWrap(true);
    m_providerNote->setObjectName(QStringLiteral("generationProviderNote"));
    m_count->setRange(1, 100);
    m_count->setValue(1);
    m_count->setAlignment(Qt::AlignRight);
    m_count->setToolTip(tr("How many images (one job each)"));
    m_project->setEditable(true);
    m_project->setInsertPolicy(QComboBox::NoInsert);
    m_project->lineEdit()->setPlaceholderText(tr("No project"));
    m_project->setToolTip(tr("The project the jobs are charged to; its budget applies"));
    m_references->setMaximumHeight(9 * Theme::kGrid);
    m_estimate->setObjectName(QStringLiteral("generationEstimate"));
    m_budget->setObjectName(QStringLiteral("generationBudget"));
    m_budget->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("generationStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_generate->setDefault(true);
    m_generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_generate->setToolTip(
        tr("Queue the jobs (%1)").arg(m_generate->shortcut().toString(QKeySequence::NativeText)));

    auto* shape = new QFormLayout;
    shape->setContentsMargins(0, 0, 0, 0);
    shape->setHorizontalSpacing(Theme::kGrid);
    shape->setVerticalSpacing(Theme::kGrid);
    shape->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    shape->addRow(tr("Provider"), m_provider);
    shape->addRow(tr("Model"), m_model);
    shape->addRow(tr("Aspect"), m_aspect);
    shape->addRow(tr("Size"), m_size);
    shape->addRow(tr("Count"), m_count);
    shape->addRow(tr("Project"), m_project);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(Theme::kGrid, Theme::kGrid, Theme::kGrid, Theme::kGrid);
    layout->setSpacing(Theme::kGrid / 2);
    layout->addWidget(sectionLabel(tr("Prompt"), this));
    layout->addWidget(m_prompt, 2);
    layout->addWidget(sectionLabel(tr("Negative prompt"), this));
    layout->addWidget(m_negative);
    layout->addSpacing(Theme::kGrid);
    layout->addLayout(shape);
    // Under the form at full width, so a long "set … or add a key in Settings" wraps whole.
    layout->addWidget(m_providerNote);
    m_providerNote->hide();
    layout->addSpacing(Theme::kGrid);
    layout->addWidget(sectionLabel(tr("References"), this));
    layout->addWidget(m_references);
    layout->addSpacing(Theme::kGrid);
    layout->addWidget(m_estimate);
    layout->addWidget(m_budget);
    layout->addWidget(m_generate);
    layout->addWidget(m_status);
    layout->addStretch(1);

    m_budgetDebounce.setSingleShot(true);
    m_budgetDebounce.setInterval(300);
    connect(&m_budgetDebounce, &QTimer::timeout, this, &GenerationPanel::requestBudget);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &GenerationPanel::populateModels);
    connect(m_model, &QComboBox::currentIndexChanged, this, &GenerationPanel::populateShape);
    connect(m_size, &QComboBox::currentIndexChanged, this, [this] {
        refreshModelPrices();
        updateEstimate();
    });
    connect(m_aspect, &QComboBox::currentIndexChanged, this, &GenerationPanel::updateEstimate);
    connect(m_count, &QSpinBox::valueChanged, this, &GenerationPanel::updateEstimate);
    connect(m_prompt, &QPlainTextEdit::textChanged, this, &GenerationPanel::updateEstimate);
    connect(m_references, &ReferenceList::referencesChanged, this,
            &GenerationPanel::updateEstimate);
    connect(m_project, &QComboBox::currentTextChanged, this, [this] {
        m_projectBudget.reset();
        m_budgetDebounce.start();
        updateEstimate();
    });
    connect(m_generate, &QPushButton::clicked, this, &GenerationPanel::generate);

    connect(&m_lane, &JobLane::servicesReady, this, &GenerationPanel::populateProviders);
    connect(&m_lane, &JobLane::providersChanged, this, &GenerationPanel::populateProviders);
    connect(&m_lane, &JobLane::enqueued, this, [this](quint64 request, const QList<qint64>& jobs) {
        if (request != std::exchange(m_enqueueRequest, 0)) {
            return;
        }
        const QString first = jobs.isEmpty() ? QString() : QString::number(jobs.front());
        showStatus(jobs.size() == 1
                       ? tr("Queued job %1.").arg(first)
                       : tr("Queued %1 jobs from job %2 on.").arg(jobs.size()).arg(first),
                   false);
        m_stage = ripen::Stage::Concept;
        m_budgetDebounce.start(); // the reservation changed what is left
        emit queued(jobs);
        updateEstimate();
    });
    connect(&m_lane, &JobLane::enqueueFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                if (request != std::exchange(m_enqueueRequest, 0)) {
                    return;
                }
                showStatus(tr("Not queued: %1").arg(QString::fromStdString(error.message)), true);
                updateEstimate();
            });
    connect(&m_lane, &JobLane::budgetReady, this,
            [this](quint64 request, const std::optional<JobLane::Budget>& budget) {
                if (request != std::exchange(m_budgetRequest, 0)) {
                    return;
                }
                m_projectBudget = budget;
                updateEstimate();
            });
    connect(&m_lane, &JobLane::recipeReady, this,
            [this](quint64 request, const JobLane::Recipe& recipe) {
                if (request != std::exchange(m_recipeRequest, 0)) {
                    return;
                }
                applyRecipe(recipe.request);
                std::vector<AssetDragData::Item> items;
                for (std::size_t i = 0; i < recipe.references.size(); ++i) {
                    items.push_back(
                        {recipe.references[i], PathText::fromPath(recipe.request.images[i])});
                }
                m_references->setReferences(items);
                if (!recipe.project.empty()) {
                    setProject(QString::fromStdString(recipe.project));
                }
            });
    connect(&m_lane, &JobLane::requestFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                if (request == m_recipeRequest) {
                    m_recipeRequest = 0;
                    showStatus(tr("Cannot promote: %1").arg(QString::fromStdString(error.message)),
                               true);
                } else if (request == m_budgetRequest) {
                    m_budgetRequest = 0;
                    m_budget->setText(QString::fromStdString(error.message));
                }
            });
    if (m_lane.isReady()) {
        populateProviders();
    } else {
        updateEstimate();
    }
}

// Providers that can make images from a prompt, in the model list's order; one that is
// not configured stays listed, with what to set shown under the model.
void GenerationPanel::populateProviders() {
    const std::string previous = m_provider->currentData(kProviderRole).toString().toStdString();
    const QSignalBlocker block(m_provider);
    m_provider->clear();
    const ripen::ModelCatalog* models = m_lane.models();
    if (models == nullptr) {
        return;
    }
    for (const auto& info : m_lane.providers()) {
        const bool hasModels = std::ranges::any_of(models->modelsOf(info.id), [](const auto* m) {
            return makesImages(*m) && isCurrent(*m);
        });
        if (!hasModels) {
            continue;
        }
        QString text = QString::fromStdString(info.displayName);
        if (!info.missingConfiguration.empty()) {
            text += tr(" (no key)");
        }
        m_provider->addItem(text, QString::fromStdString(info.id));
        m_provider->setItemData(m_provider->count() - 1, QString::fromStdString(info.id),
                                kProviderRole);
    }
    // Keep the user's choice; at first, Google's image models (the draft-to-pro line).
    int found = m_provider->findData(QString::fromStdString(previous), kProviderRole);
    if (found < 0) {
        found = m_provider->findData(QStringLiteral("google"), kProviderRole);
    }
    m_provider->setCurrentIndex(std::max(found, 0));
    populateModels();
}

void GenerationPanel::populateModels() {
    const QString provider = m_provider->currentData(kProviderRole).toString();
    const QString previous = m_model->currentData(kModelRole).toString();
    {
        const QSignalBlocker block(m_model);
        m_model->clear();
        if (const ripen::ModelCatalog* models = m_lane.models()) {
            for (const auto* model : models->modelsOf(provider.toStdString())) {
                if (makesImages(*model) && isCurrent(*model)) {
                    m_model->addItem(QString::fromStdString(model->name));
                    m_model->setItemData(m_model->count() - 1, QString::fromStdString(model->id),
                                         kModelRole);
                }
            }
        }
        const int found = m_model->findData(previous, kModelRole);
        m_model->setCurrentIndex(std::max(found, 0));
    }
    QString note;
    for (const auto& info : m_lane.providers()) {
        if (QString::fromStdString(info.id) == provider && !info.missingConfiguration.empty()) {
            note = QString::fromStdString(info.missingConfiguration);
        }
    }
    m_providerNote->setText(note);
    m_providerNote->setVisible(!note.isEmpty());
    populateShape();
}

void GenerationPanel::populateShape() {
    const ripen::ModelInfo* model = currentModel();
    const std::string provider = m_provider->currentData(kProviderRole).toString().toStdString();
    QStringList aspects = model != nullptr && !model->aspectRatios.empty()
                              ? toQStrings(model->aspectRatios)
                          : provider == "openai" ? kOpenAiAspects
                                                 : kGeminiAspects;
    const QString aspect = m_aspect->currentText();
    {
        const QSignalBlocker block(m_aspect);
        m_aspect->clear();
        m_aspect->addItems(aspects);
        m_aspect->setCurrentIndex(std::max(0, static_cast<int>(aspects.indexOf(aspect))));
    }
    const QString size = m_size->currentText();
    {
        const QSignalBlocker block(m_size);
        m_size->clear();
        if (takesImageSize()) {
            m_size->addItems(model != nullptr && !model->imageSizes.empty()
                                 ? toQStrings(model->imageSizes)
                                 : kSizes);
            m_size->setCurrentIndex(std::max(0, m_size->findText(size)));
            m_size->setEnabled(true);
            m_size->setToolTip(tr("Output size: 1K, 2K or 4K on the long side"));
        } else {
            m_size->addItem(tr("Set by the aspect ratio"));
            m_size->setEnabled(false);
            m_size->setToolTip(tr("This provider picks its pixel size from the aspect ratio"));
        }
    }
    refreshModelPrices();
    updateEstimate();
}

// Each model's entry says what one image costs at the chosen size.
void GenerationPanel::refreshModelPrices() {
    const ripen::PriceBook* prices = m_lane.priceBook();
    const ripen::ModelCatalog* models = m_lane.models();
    if (prices == nullptr || models == nullptr) {
        return;
    }
    ripen::GenerationRequest probe = request();
    for (int i = 0; i < m_model->count(); ++i) {
        probe.model = m_model->itemData(i, kModelRole).toString().toStdString();
        const ripen::ModelInfo* info = models->find(probe.provider, probe.model);
        const QString name = info != nullptr ? QString::fromStdString(info->name)
                                             : QString::fromStdString(probe.model);
        auto estimate = prices->estimate(probe);
        m_model->setItemText(
            i, estimate ? tr("%1 — %2 / image")
                              .arg(name, MoneyText::format(estimate->amount, estimate->unit))
                        : tr("%1 — no price").arg(name));
    }
}

const ripen::ModelInfo* GenerationPanel::currentModel() const {
    const ripen::ModelCatalog* models = m_lane.models();
    if (models == nullptr) {
        return nullptr;
    }
    return models->find(m_provider->currentData(kProviderRole).toString().toStdString(),
                        m_model->currentData(kModelRole).toString().toStdString());
}

bool GenerationPanel::takesImageSize() const {
    return m_provider->currentData(kProviderRole).toString() == QLatin1String("google");
}

ripen::GenerationRequest GenerationPanel::request() const {
    ripen::GenerationRequest r;
    r.provider = m_provider->currentData(kProviderRole).toString().toStdString();
    r.model = m_model->currentData(kModelRole).toString().toStdString();
    r.prompt = m_prompt->toPlainText().trimmed().toStdString();
    r.negativePrompt = m_negative->toPlainText().trimmed().toStdString();
    r.aspectRatio = m_aspect->currentText().toStdString();
    if (takesImageSize()) {
        r.imageSize = m_size->currentText().toStdString();
    }
    for (const auto& reference : m_references->references()) {
        r.images.push_back(PathText::toPath(reference.blobFile));
    }
    r.kind = r.images.empty() ? ripen::JobKind::TextToImage : ripen::JobKind::EditImage;
    return r;
}

ripen::EnqueueOptions GenerationPanel::enqueueOptions() const {
    ripen::EnqueueOptions options;
    options.count = m_count->value();
    options.project = m_project->currentText().trimmed().toStdString();
    options.stage = m_stage;
    return options;
}

std::optional<ripen::Estimate> GenerationPanel::estimatePerImage() const {
    const ripen::PriceBook* prices = m_lane.priceBook();
    if (prices == nullptr) {
        return std::nullopt;
    }
    auto estimate = prices->estimate(request());
    return estimate ? std::optional(*estimate) : std::nullopt;
}

void GenerationPanel::updateEstimate() {
    const bool ready = m_lane.isReady() && m_model->count() > 0;
    const bool hasPrompt = !m_prompt->toPlainText().trimmed().isEmpty();
    m_generate->setEnabled(ready && hasPrompt && m_enqueueRequest == 0);
    if (!m_lane.isReady()) {
        m_estimate->setText(tr("Loading prices…"));
        m_budget->clear();
        return;
    }
    const auto perImage = estimatePerImage();
    if (!perImage) {
        m_estimate->setText(tr("No price for this model and size in the price book"));
    } else {
        const int count = m_count->value();
        const ripen::Micros total = perImage->amount * count;
        m_estimate->setText(count == 1
                                ? tr("Estimate %1").arg(MoneyText::format(total, perImage->unit))
                                : tr("Estimate %1 × %2 = %3")
                                      .arg(count)
                                      .arg(MoneyText::format(perImage->amount, perImage->unit),
                                           MoneyText::format(total, perImage->unit)));
    }
    const QString project = m_project->currentText().trimmed();
    if (project.isEmpty()) {
        m_budget->setText(tr("No project chosen: no budget applies"));
    } else if (!m_projectBudget) {
        m_budget->setText(m_budgetRequest != 0 || m_budgetDebounce.isActive()
                              ? tr("Checking the budget of %1…").arg(project)
                              : tr("%1 has no budget set").arg(project));
    } else {
        const ripen::Micros left = m_projectBudget->remainingUsd();
        QString text =
            tr("%1 left of %2 in %3")
                .arg(MoneyText::usd(left), MoneyText::usd(m_projectBudget->limitUsd), project);
        if (perImage && perImage->usdMicros * m_count->value() > left) {
            text += tr(" — this would pass the cap and be refused");
        }
        m_budget->setText(text);
    }
}

void GenerationPanel::requestBudget() {
    const QString project = m_project->currentText().trimmed();
    if (project.isEmpty() || !m_lane.isStarted()) {
        m_budgetRequest = 0;
        updateEstimate();
        return;
    }
    m_budgetRequest = m_lane.loadBudget(project.toStdString());
}

void GenerationPanel::generate() {
    if (!m_generate->isEnabled()) {
        return;
    }
    m_enqueueRequest = m_lane.enqueue(request(), enqueueOptions());
    m_generate->setEnabled(false);
    showStatus(tr("Queuing…"), false);
}

void GenerationPanel::showStatus(const QString& text, bool error) {
    m_status->setText(text);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, error ? Theme::labelColor(ripen::ColorLabel::Red)
                                                 : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

void GenerationPanel::promote(ripen::AssetId asset, const std::string& proModel) {
    m_promoteModel = proModel;
    m_recipeRequest = m_lane.loadRecipe(asset);
    showStatus(tr("Loading the recipe of asset %1…").arg(asset), false);
}

// The provider's pro model is the current one named "… Pro" (data, not code: models.json
// names them), so "Nano Banana" promotes to "Nano Banana Pro".
void GenerationPanel::applyRecipe(const ripen::GenerationRequest& recipe) {
    setPrompt(QString::fromStdString(recipe.prompt));
    setNegativePrompt(QString::fromStdString(recipe.negativePrompt));
    std::string model = m_promoteModel;
    if (model.empty() && m_lane.models() != nullptr) {
        for (const auto* info : m_lane.models()->modelsOf(recipe.provider)) {
            if (makesImages(*info) && isCurrent(*info) && info->name.ends_with(" Pro")) {
                model = info->id;
                break;
            }
        }
    }
    if (model.empty()) {
        model = recipe.model;
    }
    if (!selectModel(recipe.provider, model)) {
        showStatus(
            tr("Provider %1 is not available here").arg(QString::fromStdString(recipe.provider)),
            true);
        return;
    }
    if (!recipe.aspectRatio.empty()) {
        setAspectRatio(QString::fromStdString(recipe.aspectRatio));
    }
    if (!recipe.imageSize.empty()) {
        setImageSize(QString::fromStdString(recipe.imageSize));
    }
    m_stage = ripen::Stage::Master;
    showStatus(tr("Promoting to %1 as a master: check the cost, then Generate.")
                   .arg(m_model->currentText().section(QStringLiteral(" — "), 0, 0)),
               false);
}

void GenerationPanel::setPrompt(const QString& prompt) {
    m_prompt->setPlainText(prompt);
}

void GenerationPanel::setNegativePrompt(const QString& prompt) {
    m_negative->setPlainText(prompt);
}

bool GenerationPanel::selectModel(const std::string& provider, const std::string& model) {
    const int p = m_provider->findData(QString::fromStdString(provider), kProviderRole);
    if (p < 0) {
        return false;
    }
    m_provider->setCurrentIndex(p);
    const int m = m_model->findData(QString::fromStdString(model), kModelRole);
    if (m < 0) {
        return false;
    }
    m_model->setCurrentIndex(m);
    return true;
}

void GenerationPanel::setAspectRatio(const QString& aspect) {
    if (const int i = m_aspect->findText(aspect); i >= 0) {
        m_aspect->setCurrentIndex(i);
    }
}

void GenerationPanel::setImageSize(const QString& size) {
    if (const int i = m_size->findText(size); i >= 0) {
        m_size->setCurrentIndex(i);
    }
}

void GenerationPanel::setCount(int count) {
    m_count->setValue(count);
}

void GenerationPanel::setProject(const QString& project) {
    m_project->setCurrentText(project);
}

void GenerationPanel::setProjects(const QStringList& projects) {
    const QString current = m_project->currentText();
    const QSignalBlocker block(m_project);
    m_project->clear();
    m_project->addItem(QString());
    m_project->addItems(projects);
    m_project->setCurrentText(current);
}

QString GenerationPanel::estimateText() const {
    return m_estimate->text();
}

QString GenerationPanel::budgetText() const {
    return m_budget->text();
}

QString GenerationPanel::statusText() const {
    return m_status->text();
}

bool GenerationPanel::isBusy() const {
    return m_enqueueRequest != 0 || m_recipeRequest != 0 || m_budgetRequest != 0 ||
           m_budgetDebounce.isActive();
}

} // namespace ripen::ui
