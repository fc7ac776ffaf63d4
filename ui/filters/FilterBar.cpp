#include "filters/FilterBar.h"

#include "CoreBridge.h"
#include "theme/Theme.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <utility>

namespace ripen::ui {

namespace {

QString stageName(ripen::Stage stage) {
    switch (stage) {
    case ripen::Stage::None:
        return QObject::tr("No stage");
    case ripen::Stage::Concept:
        return QObject::tr("Concept");
    case ripen::Stage::Master:
        return QObject::tr("Master");
    case ripen::Stage::Inpainted:
        return QObject::tr("Inpainted");
    case ripen::Stage::Upscaled:
        return QObject::tr("Upscaled");
    case ripen::Stage::Final:
        return QObject::tr("Final");
    case ripen::Stage::Clip:
        return QObject::tr("Clip");
    }
    return {};
}

QPixmap swatch(ripen::ColorLabel label) {
    QPixmap pixmap(12, 12);
    pixmap.fill(Theme::labelColor(label));
    return pixmap;
}

template <class T> std::optional<T> enumData(const QComboBox* combo) {
    const QVariant data = combo->currentData();
    if (!data.isValid()) {
        return std::nullopt;
    }
    return static_cast<T>(data.toInt());
}

} // namespace

FilterBar::FilterBar(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_clear(new QPushButton(tr("Clear"), this)) {
    setObjectName(QStringLiteral("filterBar"));
    setAttribute(Qt::WA_StyledBackground);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(Theme::kGrid, 0, 2 * Theme::kGrid, Theme::kGrid);
    layout->setSpacing(Theme::kGrid);

    m_stage = addCombo(QStringLiteral("filterStage"), tr("Show assets at this production stage"));
    m_stage->addItem(tr("Stage"));
    for (int s = static_cast<int>(ripen::Stage::None); s <= static_cast<int>(ripen::Stage::Clip);
         ++s) {
        m_stage->addItem(stageName(static_cast<ripen::Stage>(s)), s);
    }

    m_rating =
        addCombo(QStringLiteral("filterRating"), tr("Show assets with at least this rating"));
    m_rating->addItem(tr("Rating"));
    for (int stars = 1; stars <= 5; ++stars) {
        m_rating->addItem(
            QString(stars, QChar(0x2605)) + (stars < 5 ? QStringLiteral("+") : QString()), stars);
    }

    m_flag = addCombo(QStringLiteral("filterFlag"), tr("Show picks, rejects or unflagged assets"));
    m_flag->addItem(tr("Flag"));
    m_flag->addItem(tr("Picked"), static_cast<int>(ripen::Flag::Pick));
    m_flag->addItem(tr("Rejected"), static_cast<int>(ripen::Flag::Reject));
    m_flag->addItem(tr("Unflagged"), static_cast<int>(ripen::Flag::None));

    m_label = addCombo(QStringLiteral("filterLabel"), tr("Show assets with this colour label"));
    m_label->addItem(tr("Label"));
    const std::pair<ripen::ColorLabel, QString> labels[] = {
        {ripen::ColorLabel::Red, tr("Red")},       {ripen::ColorLabel::Yellow, tr("Yellow")},
        {ripen::ColorLabel::Green, tr("Green")},   {ripen::ColorLabel::Blue, tr("Blue")},
        {ripen::ColorLabel::Purple, tr("Purple")},
    };
    for (const auto& [label, name] : labels) {
        m_label->addItem(swatch(label), name, static_cast<int>(label));
    }
    m_label->addItem(tr("No label"), static_cast<int>(ripen::ColorLabel::None));

    m_provider = addCombo(QStringLiteral("filterProvider"), tr("Show assets from this provider"));
    m_model = addCombo(QStringLiteral("filterModel"), tr("Show assets made by this model"));
    // Provider and model names can be long: these two boxes stay a fixed width.
    for (QComboBox* named : {m_provider, m_model}) {
        named->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        named->setMinimumContentsLength(10);
    }
    setChoices(FilterChoices{});

    m_date = addCombo(QStringLiteral("filterDate"),
                      tr("Show assets added to the library in this period"));
    m_date->addItem(tr("Date"), static_cast<int>(DateRange::Any));
    m_date->addItem(tr("Added today"), static_cast<int>(DateRange::Today));
    m_date->addItem(tr("Past 7 days"), static_cast<int>(DateRange::Week));
    m_date->addItem(tr("Past 30 days"), static_cast<int>(DateRange::Month));
    m_date->addItem(tr("Past year"), static_cast<int>(DateRange::Year));

    m_clear->setObjectName(QStringLiteral("filterClear"));
    m_clear->setFlat(true);
    m_clear->setMinimumWidth(6 * Theme::kGrid);
    m_clear->setToolTip(tr("Show every asset again"));
    m_clear->hide();
    connect(m_clear, &QPushButton::clicked, this, &FilterBar::clear);
    // Connected once every box exists, since isActive() reads them all.
    for (QComboBox* combo : {m_stage, m_rating, m_flag, m_label, m_provider, m_model, m_date}) {
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            m_clear->setVisible(isActive());
            if (!m_quiet) {
                emit filtersChanged();
            }
        });
    }
    layout->addWidget(m_clear);
    layout->addStretch(1);

    connect(&m_bridge, &CoreBridge::filterChoicesReady, this,
            [this](quint64 request, const FilterChoices& choices) {
                if (request == m_choicesRequest) {
                    m_choicesRequest = 0;
                    setChoices(choices);
                }
            });
}

QComboBox* FilterBar::addCombo(const QString& name, const QString& toolTip) {
    auto* combo = new QComboBox(this);
    combo->setObjectName(name);
    combo->setToolTip(toolTip);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    // An explicit minimum lets the boxes shrink below their text, so that the bar never
    // sets the window's minimum width.
    combo->setMinimumWidth(6 * Theme::kGrid);
    layout()->addWidget(combo);
    return combo;
}

void FilterBar::refreshChoices() {
    m_choicesRequest = m_bridge.loadFilterChoices();
}

void FilterBar::setChoices(const FilterChoices& choices) {
    const QString provider = m_provider->currentData().toString();
    const QString model = m_model->currentData().toString();
    const bool wasQuiet = std::exchange(m_quiet, true);
    m_provider->clear();
    m_model->clear();
    m_provider->addItem(tr("Provider"));
    m_model->addItem(tr("Model"));
    QSet<QString> providers;
    QSet<QString> models;
    for (const auto& source : choices.sources) {
        const QString p = QString::fromStdString(source.provider);
        const QString m = QString::fromStdString(source.modelId);
        if (!p.isEmpty() && !providers.contains(p)) {
            providers.insert(p);
            m_provider->addItem(p, p);
        }
        if (!m.isEmpty() && !models.contains(m)) {
            models.insert(m);
            m_model->addItem(m, m);
        }
    }
    selectData(m_provider, provider.isEmpty() ? QVariant() : QVariant(provider));
    selectData(m_model, model.isEmpty() ? QVariant() : QVariant(model));
    m_quiet = wasQuiet;
    // A filter whose value has gone from the library is dropped; say so by reloading.
    if (m_provider->currentData().toString() != provider ||
        m_model->currentData().toString() != model) {
        emit filtersChanged();
    }
}

void FilterBar::selectData(QComboBox* combo, const QVariant& data) {
    const int index = data.isValid() ? combo->findData(data) : 0;
    combo->setCurrentIndex(index < 0 ? 0 : index);
}

void FilterBar::applyTo(ripen::AssetQuery& query) const {
    query.stage = enumData<ripen::Stage>(m_stage);
    if (const QVariant stars = m_rating->currentData(); stars.isValid()) {
        query.minRating = stars.toInt();
    }
    query.flag = enumData<ripen::Flag>(m_flag);
    query.colorLabel = enumData<ripen::ColorLabel>(m_label);
    if (const QString provider = m_provider->currentData().toString(); !provider.isEmpty()) {
        query.provider = provider.toStdString();
    }
    if (const QString model = m_model->currentData().toString(); !model.isEmpty()) {
        query.modelId = model.toStdString();
    }
    const auto range = static_cast<DateRange>(m_date->currentData().toInt());
    if (range != DateRange::Any) {
        const QDateTime now = QDateTime::currentDateTime();
        QDateTime from = now.date().startOfDay();
        if (range == DateRange::Week) {
            from = from.addDays(-6);
        } else if (range == DateRange::Month) {
            from = from.addDays(-29);
        } else if (range == DateRange::Year) {
            from = from.addYears(-1);
        }
        query.importedAfterMs = from.toMSecsSinceEpoch();
    }
}

bool FilterBar::isActive() const {
    for (const QComboBox* combo :
         {m_stage, m_rating, m_flag, m_label, m_provider, m_model, m_date}) {
        if (combo->currentIndex() > 0) {
            return true;
        }
    }
    return false;
}

void FilterBar::clear() {
    if (!isActive()) {
        return;
    }
    m_quiet = true;
    for (QComboBox* combo : {m_stage, m_rating, m_flag, m_label, m_provider, m_model, m_date}) {
        combo->setCurrentIndex(0);
    }
    m_quiet = false;
    m_clear->hide();
    emit filtersChanged();
}

void FilterBar::setStage(std::optional<ripen::Stage> stage) {
    selectData(m_stage, stage ? QVariant(static_cast<int>(*stage)) : QVariant());
}

void FilterBar::setMinimumRating(int stars) {
    selectData(m_rating, stars > 0 ? QVariant(stars) : QVariant());
}

void FilterBar::setFlag(std::optional<ripen::Flag> flag) {
    selectData(m_flag, flag ? QVariant(static_cast<int>(*flag)) : QVariant());
}

void FilterBar::setColorLabel(std::optional<ripen::ColorLabel> label) {
    selectData(m_label, label ? QVariant(static_cast<int>(*label)) : QVariant());
}

void FilterBar::setProvider(const QString& provider) {
    selectData(m_provider, provider.isEmpty() ? QVariant() : QVariant(provider));
}

void FilterBar::setModel(const QString& model) {
    selectData(m_model, model.isEmpty() ? QVariant() : QVariant(model));
}

void FilterBar::setDateRange(DateRange range) {
    selectData(m_date, static_cast<int>(range));
}

} // namespace ripen::ui
