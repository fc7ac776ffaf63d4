#include "filters/FilterBar.h"

#include "CoreBridge.h"
#include "filters/DateRangeDialog.h"
#include "theme/Theme.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSet>
#include <algorithm>
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
        named->setMinimumContentsLength(7);
    }
    setChoices(FilterChoices{});

    m_date = addCombo(QStringLiteral("filterDate"),
                      tr("Show assets added to the library in this period"));
    m_date->addItem(tr("Date"), static_cast<int>(DateRange::Any));
    m_date->addItem(tr("Added today"), static_cast<int>(DateRange::Today));
    m_date->addItem(tr("Past 7 days"), static_cast<int>(DateRange::Week));
    m_date->addItem(tr("Past 30 days"), static_cast<int>(DateRange::Month));
    m_date->addItem(tr("Past year"), static_cast<int>(DateRange::Year));
    m_date->addItem(tr("Custom range…"), static_cast<int>(DateRange::Custom));
    // Activated (a user's choice, not setCurrentIndex) asks for the custom days.
    connect(m_date, &QComboBox::activated, this, &FilterBar::onDateChosen);

    m_clear->setObjectName(QStringLiteral("filterClear"));
    m_clear->setFlat(true);
    m_clear->setMinimumWidth(6 * Theme::kGrid);
    m_clear->setToolTip(tr("Show every asset again"));
    m_clear->hide();
    connect(m_clear, &QPushButton::clicked, this, &FilterBar::clear);
    m_save = new QPushButton(tr("Save…"), this);
    m_save->setObjectName(QStringLiteral("filterSave"));
    m_save->setFlat(true);
    m_save->setMinimumWidth(6 * Theme::kGrid);
    m_save->setToolTip(tr("Keep these filters in the sidebar as a smart filter"));
    m_save->hide();
    connect(m_save, &QPushButton::clicked, this, &FilterBar::saveRequested);
    // Connected once every box exists, since isActive() reads them all.
    for (QComboBox* combo : {m_stage, m_rating, m_flag, m_label, m_provider, m_model, m_date}) {
        connect(combo, &QComboBox::currentIndexChanged, this, &FilterBar::onChanged);
    }
    layout->addWidget(m_clear);
    layout->addWidget(m_save);
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
    // Results landing rarely bring a new provider or model: unchanged choices leave the
    // boxes (and the layout their sizes drive) alone.
    const auto sameSource = [](const ripen::GenerationSource& a, const ripen::GenerationSource& b) {
        return a.provider == b.provider && a.modelId == b.modelId;
    };
    if (m_shownChoices &&
        std::ranges::equal(m_shownChoices->sources, choices.sources, sameSource)) {
        return;
    }
    m_shownChoices = choices;
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

void FilterBar::onChanged() {
    const bool active = isActive();
    m_clear->setVisible(active);
    m_save->setVisible(active);
    if (!m_quiet) {
        emit filtersChanged();
    }
}

void FilterBar::applyTo(ripen::AssetQuery& query) const {
    current().applyTo(query);
}

SmartFilter FilterBar::current() const {
    SmartFilter f;
    f.stage = enumData<ripen::Stage>(m_stage);
    f.minRating = m_rating->currentData().toInt();
    f.flag = enumData<ripen::Flag>(m_flag);
    f.colorLabel = enumData<ripen::ColorLabel>(m_label);
    f.provider = m_provider->currentData().toString();
    f.model = m_model->currentData().toString();
    f.period = static_cast<DateRange>(m_date->currentData().toInt());
    if (f.period == DateRange::Custom) {
        f.from = m_customFrom;
        f.to = m_customTo;
    }
    return f;
}

void FilterBar::apply(const SmartFilter& filter) {
    SmartFilter wanted = filter;
    wanted.name.clear();
    if (wanted.period != DateRange::Custom) {
        wanted.from = wanted.to = QDate();
    }
    if (current() == wanted) {
        return;
    }
    const bool wasQuiet = std::exchange(m_quiet, true);
    setStage(filter.stage);
    setMinimumRating(filter.minRating);
    setFlag(filter.flag);
    setColorLabel(filter.colorLabel);
    // A provider or model the catalog has not listed (yet) is still a valid filter.
    for (const auto& [combo, value] :
         {std::pair{m_provider, filter.provider}, std::pair{m_model, filter.model}}) {
        if (!value.isEmpty() && combo->findData(value) < 0) {
            combo->addItem(value, value);
        }
        selectData(combo, value.isEmpty() ? QVariant() : QVariant(value));
    }
    if (filter.period == DateRange::Custom) {
        setCustomDateRange(filter.from, filter.to);
    } else {
        setDateRange(filter.period);
    }
    m_quiet = wasQuiet;
    onChanged();
}

void FilterBar::onDateChosen(int index) {
    if (static_cast<DateRange>(m_date->itemData(index).toInt()) == DateRange::Custom) {
        showCustomRange();
    } else {
        m_dateIndex = index;
    }
}

// Non-modal to the event loop (open(), not exec()), so the bar stays testable and the
// grid keeps painting; cancelling puts the previous period back.
void FilterBar::showCustomRange() {
    auto* dialog = new DateRangeDialog(m_customFrom, m_customTo, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted) {
            setCustomDateRange(dialog->from(), dialog->to());
        } else {
            m_date->setCurrentIndex(m_dateIndex);
        }
    });
    dialog->open();
}

void FilterBar::setCustomDateRange(QDate from, QDate to) {
    m_customFrom = from;
    m_customTo = to;
    const int index = m_date->findData(static_cast<int>(DateRange::Custom));
    const QString format = QLocale().dateFormat(QLocale::ShortFormat);
    m_date->setItemText(index, from == to ? from.toString(format)
                                          : QStringLiteral("%1 – %2").arg(from.toString(format),
                                                                          to.toString(format)));
    m_date->setItemData(index, tr("Assets added between these days, both included"),
                        Qt::ToolTipRole);
    m_dateIndex = index;
    if (m_date->currentIndex() == index) {
        onChanged(); // new days, same entry
    } else {
        m_date->setCurrentIndex(index);
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
    m_dateIndex = 0;
    m_clear->hide();
    m_save->hide();
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
    if (range == DateRange::Custom) {
        setCustomDateRange(m_customFrom, m_customTo);
        return;
    }
    selectData(m_date, static_cast<int>(range));
    m_dateIndex = m_date->currentIndex();
}

} // namespace ripen::ui
