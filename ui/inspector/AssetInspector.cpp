#include "inspector/AssetInspector.h"

#include "CoreBridge.h"
#include "gallery/EmptyStateWidget.h"
#include "theme/Theme.h"

#include <QDateTime>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace ripen::ui {

namespace {

constexpr const char* kFieldProperty = "inspectorField";

QString nameOf(const ripen::Asset& asset) {
    if (!asset.sourcePath.empty()) {
        return QFileInfo(QString::fromStdString(asset.sourcePath)).fileName();
    }
    return QObject::tr("Asset %1").arg(asset.id);
}

QString dateText(std::int64_t ms) {
    if (ms <= 0) {
        return QObject::tr("unknown");
    }
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat);
}

// Integer micro-units as money: "0.134 USD", never through floating point.
QString moneyText(std::int64_t micros, const std::string& currency) {
    if (micros == 0) {
        return QObject::tr("free or unknown");
    }
    const bool negative = micros < 0;
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(micros) : static_cast<std::uint64_t>(micros);
    QString fraction = QStringLiteral("%1").arg(magnitude % 1'000'000, 6, 10, QLatin1Char('0'));
    while (fraction.size() > 2 && fraction.endsWith(QLatin1Char('0'))) {
        fraction.chop(1);
    }
    return QStringLiteral("%1%2.%3 %4")
        .arg(negative ? QStringLiteral("-") : QString())
        .arg(magnitude / 1'000'000)
        .arg(fraction, QString::fromStdString(currency));
}

// "★★★☆☆ · Picked · Green": the culling state in one line.
QString cullingText(const ripen::Asset& asset) {
    QStringList parts{QString(asset.rating, QChar(0x2605)) +
                      QString(5 - asset.rating, QChar(0x2606))};
    if (asset.flag != ripen::Flag::None) {
        parts << (asset.flag == ripen::Flag::Pick ? QObject::tr("Picked")
                                                  : QObject::tr("Rejected"));
    }
    if (asset.colorLabel != ripen::ColorLabel::None) {
        QString label = QString::fromUtf8(ripen::toString(asset.colorLabel));
        label[0] = label[0].toUpper();
        parts << label;
    }
    return parts.join(QStringLiteral(" · "));
}

QString orDash(const std::string& text) {
    return text.empty() ? QStringLiteral("—") : QString::fromStdString(text);
}

} // namespace

AssetInspector::AssetInspector(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_stack(new QStackedWidget(this)),
      m_empty(new EmptyStateWidget(this)), m_scroll(new QScrollArea(this)), m_form(new QFormLayout),
      m_title(new QLabel(this)), m_params(new QPlainTextEdit(this)),
      m_notes(new QPlainTextEdit(this)), m_saveNotes(new QPushButton(tr("Save Notes"), this)),
      m_notesState(new QLabel(this)) {
    setObjectName(QStringLiteral("assetInspector"));
    auto* page = new QWidget(m_scroll);
    auto* pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(2 * Theme::kGrid, 2 * Theme::kGrid, 2 * Theme::kGrid,
                                   2 * Theme::kGrid);
    pageLayout->setSpacing(Theme::kGrid);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pageLayout->addWidget(m_title);

    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setHorizontalSpacing(Theme::kGrid * 3 / 2);
    m_form->setVerticalSpacing(Theme::kGrid);
    addField(QStringLiteral("image"), tr("Image"));
    addField(QStringLiteral("created"), tr("Created"));
    addField(QStringLiteral("imported"), tr("Imported"));
    addField(QStringLiteral("culling"), tr("Rating"));
    addField(QStringLiteral("prompt"), tr("Prompt"));
    addField(QStringLiteral("negativePrompt"), tr("Negative"));
    addField(QStringLiteral("provider"), tr("Provider"));
    addField(QStringLiteral("model"), tr("Model"));
    addField(QStringLiteral("seed"), tr("Seed"));
    addField(QStringLiteral("cost"), tr("Cost"));
    QLabel* parents = addField(QStringLiteral("parents"), tr("Made from"));
    QLabel* children = addField(QStringLiteral("children"), tr("Made into"));
    addField(QStringLiteral("tags"), tr("Tags"));
    for (QLabel* links : {parents, children}) {
        links->setTextInteractionFlags(Qt::TextBrowserInteraction);
        links->setTextFormat(Qt::RichText);
        connect(links, &QLabel::linkActivated, this, [this](const QString& link) {
            emit assetActivated(link.section(QLatin1Char(':'), 1).toLongLong());
        });
    }
    pageLayout->addLayout(m_form);

    m_paramsLabel = new QLabel(tr("Parameters"), page);
    pageLayout->addWidget(m_paramsLabel);
    m_params->setObjectName(QStringLiteral("inspectorParameters"));
    m_params->setReadOnly(true);
    m_params->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_params->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_params->setFixedHeight(11 * Theme::kGrid);
    pageLayout->addWidget(m_params);

    auto* notesLabel = new QLabel(tr("Notes"), page);
    pageLayout->addWidget(notesLabel);
    m_notes->setObjectName(QStringLiteral("inspectorNotes"));
    m_notes->setPlaceholderText(tr("Notes for yourself or the client"));
    m_notes->setFixedHeight(12 * Theme::kGrid);
    m_notes->setTabChangesFocus(true);
    pageLayout->addWidget(m_notes);
    auto* notesRow = new QHBoxLayout;
    m_notesState->setObjectName(QStringLiteral("inspectorNotesState"));
    notesRow->addWidget(m_notesState, 1);
    m_saveNotes->setEnabled(false);
    notesRow->addWidget(m_saveNotes);
    pageLayout->addLayout(notesRow);
    pageLayout->addStretch(1);

    m_scroll->setWidget(page);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_scroll);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_notes, &QPlainTextEdit::textChanged, this, [this] {
        const bool edited = m_notes->toPlainText() != m_savedNotes;
        m_saveNotes->setEnabled(edited && m_assetId != 0);
        m_notesState->setText(edited ? tr("Edited") : QString());
    });
    connect(m_saveNotes, &QPushButton::clicked, this, &AssetInspector::saveNotes);
    connect(&m_bridge, &CoreBridge::assetDetailsReady, this,
            [this](quint64 request, const AssetDetails& details) {
                if (request == m_request) {
                    m_request = 0;
                    show(details);
                }
            });
    connect(&m_bridge, &CoreBridge::notesSaved, this,
            [this](quint64 request, qint64 assetId, const QString& notes) {
                if (request == m_notesRequest && assetId == m_assetId) {
                    m_notesRequest = 0;
                    m_savedNotes = notes;
                    m_notesState->setText(m_notes->toPlainText() == notes ? tr("Saved")
                                                                          : tr("Edited"));
                    m_saveNotes->setEnabled(m_notes->toPlainText() != notes);
                }
            });
    // Culling keys change what the rating line says once the write is confirmed.
    connect(&m_bridge, &CoreBridge::curationApplied, this,
            [this](quint64, const CurationChange& change) {
                if (m_shown && std::find(change.ids.begin(), change.ids.end(), m_shown->asset.id) !=
                                   change.ids.end()) {
                    change.applyTo(m_shown->asset);
                    setField(QStringLiteral("culling"), cullingText(m_shown->asset));
                }
            });
    connect(&m_bridge, &CoreBridge::requestFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                if (request != 0 && request == m_request) {
                    m_request = 0;
                    showEmpty(tr("Could not load this asset"),
                              QString::fromStdString(error.message));
                } else if (request != 0 && request == m_notesRequest) {
                    m_notesRequest = 0;
                    m_notesState->setText(
                        tr("Not saved: %1").arg(QString::fromStdString(error.message)));
                    m_saveNotes->setEnabled(true);
                }
            });
    showEmpty(tr("No asset selected"),
              tr("Select an asset in the gallery to see how it was made, its lineage and "
                 "its notes."));
}

QLabel* AssetInspector::addField(const QString& name, const QString& label) {
    auto* value = new QLabel(this);
    value->setProperty(kFieldProperty, name);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto* caption = new QLabel(label, this);
    QPalette dim = caption->palette();
    dim.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
    caption->setPalette(dim);
    m_form->addRow(caption, value);
    return value;
}

void AssetInspector::showAsset(ripen::AssetId id) {
    if (id == m_assetId && (m_request != 0 || m_stack->currentWidget() == m_scroll)) {
        return;
    }
    if (m_assetId != 0 && m_notes->toPlainText() != m_savedNotes) {
        saveNotes(); // moving on keeps what was typed
    }
    m_assetId = id;
    m_request = 0;
    if (id == 0) {
        showEmpty(tr("No asset selected"),
                  tr("Select an asset in the gallery to see how it was made, its lineage and "
                     "its notes."));
        return;
    }
    m_request = m_bridge.loadAssetDetails(id);
}

void AssetInspector::saveNotes() {
    if (m_assetId == 0) {
        return;
    }
    m_notesRequest = m_bridge.saveNotes(m_assetId, m_notes->toPlainText());
    m_saveNotes->setEnabled(false);
    m_notesState->setText(tr("Saving…"));
}

bool AssetInspector::isShowingEmptyState() const {
    return m_stack->currentWidget() == m_empty;
}

QString AssetInspector::fieldText(const QString& field) const {
    if (field == QStringLiteral("title")) {
        return m_title->text();
    }
    if (field == QStringLiteral("parameters")) {
        return m_params->toPlainText();
    }
    for (const QLabel* label : findChildren<QLabel*>()) {
        if (label->property(kFieldProperty).toString() == field) {
            return label->text();
        }
    }
    return {};
}

QString AssetInspector::lineageLinks(const AssetRecords& records) const {
    if (records.empty()) {
        return QStringLiteral("—");
    }
    QStringList links;
    for (const AssetRecord& record : records) {
        links << QStringLiteral("<a href=\"asset:%1\">%2</a>")
                     .arg(record.asset.id)
                     .arg(nameOf(record.asset).toHtmlEscaped());
    }
    return links.join(QStringLiteral("<br>"));
}

void AssetInspector::show(const AssetDetails& details) {
    const ripen::Asset& asset = details.record.asset;
    const ripen::GenerationMetadata& g = asset.generation;
    const QLocale locale;
    m_shown = details.record;
    const auto set = [this](const QString& field, const QString& text) {
        setField(field, text);
    };
    m_title->setText(nameOf(asset));
    set(QStringLiteral("image"), tr("%1 × %2 px · %3 · %4")
                                     .arg(asset.width)
                                     .arg(asset.height)
                                     .arg(QString::fromStdString(asset.format).toUpper(),
                                          locale.formattedDataSize(asset.byteSize)));
    set(QStringLiteral("created"), dateText(asset.createdAtMs));
    set(QStringLiteral("imported"), dateText(asset.importedAtMs));
    set(QStringLiteral("culling"), cullingText(asset));
    set(QStringLiteral("prompt"), orDash(g.prompt));
    set(QStringLiteral("negativePrompt"), orDash(g.negativePrompt));
    set(QStringLiteral("provider"), orDash(g.provider));
    QString model = orDash(g.modelId);
    if (!g.modelVersion.empty()) {
        model += QStringLiteral(" (%1)").arg(QString::fromStdString(g.modelVersion));
    }
    set(QStringLiteral("model"), model);
    set(QStringLiteral("seed"), g.seed ? QString::number(*g.seed) : QStringLiteral("—"));
    set(QStringLiteral("cost"), moneyText(asset.costMicros, asset.costCurrency));
    set(QStringLiteral("parents"), lineageLinks(details.parents));
    set(QStringLiteral("children"), lineageLinks(details.children));
    QStringList tags;
    for (const auto& tag : asset.tags) {
        tags << QString::fromStdString(tag);
    }
    set(QStringLiteral("tags"),
        tags.isEmpty() ? QStringLiteral("—") : tags.join(QStringLiteral(", ")));
    // Only what the source reported beyond the fields above; nothing to show is no box.
    m_paramsLabel->setVisible(!g.params.empty());
    m_params->setVisible(!g.params.empty());
    m_params->setPlainText(QString::fromStdString(
        g.params.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
    m_savedNotes = QString::fromStdString(asset.notes);
    m_notes->setPlainText(m_savedNotes);
    m_notesState->clear();
    m_saveNotes->setEnabled(false);
    m_stack->setCurrentWidget(m_scroll);
}

void AssetInspector::setField(const QString& field, const QString& text) {
    for (QLabel* label : findChildren<QLabel*>()) {
        if (label->property(kFieldProperty).toString() == field) {
            label->setText(text);
        }
    }
}

void AssetInspector::showEmpty(const QString& title, const QString& body) {
    m_shown.reset();
    m_empty->setContent(title, body);
    m_stack->setCurrentWidget(m_empty);
}

} // namespace ripen::ui
