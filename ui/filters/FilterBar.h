#pragma once

#include "FilterChoices.h"
#include "catalog/AssetQuery.h"

#include <QWidget>

class QComboBox;
class QPushButton;

namespace ripen::ui {

class CoreBridge;

// The smart filters above the gallery grid: stage, minimum rating, flag, colour label,
// provider, model and a date range (when the asset entered the library). Each is a combo
// box whose first entry, the filter's name, means "any"; changing one emits filtersChanged
// and a Clear button shows while any filter is set. The provider and
// model lists come from the catalog through the bridge (refreshChoices).
//
// Thread affinity: GUI thread.
class FilterBar final : public QWidget {
    Q_OBJECT
public:
    enum class DateRange { Any, Today, Week, Month, Year };

    explicit FilterBar(CoreBridge& bridge, QWidget* parent = nullptr);

    // Narrows `query` by every filter that is set.
    void applyTo(ripen::AssetQuery& query) const;
    bool isActive() const;
    // Resets every filter to "any" (emits filtersChanged once when something changed).
    void clear();
    // Asks the catalog for the providers and models to offer.
    void refreshChoices();

    void setStage(std::optional<ripen::Stage> stage);
    void setMinimumRating(int stars); // 0: any
    void setFlag(std::optional<ripen::Flag> flag);
    void setColorLabel(std::optional<ripen::ColorLabel> label);
    void setProvider(const QString& provider); // empty: any
    void setModel(const QString& model);       // empty: any
    void setDateRange(DateRange range);

signals:
    void filtersChanged();

private:
    QComboBox* addCombo(const QString& name, const QString& toolTip);
    void setChoices(const FilterChoices& choices);
    static void selectData(QComboBox* combo, const QVariant& data);

    CoreBridge& m_bridge;
    QComboBox* m_stage;
    QComboBox* m_rating;
    QComboBox* m_flag;
    QComboBox* m_label;
    QComboBox* m_provider;
    QComboBox* m_model;
    QComboBox* m_date;
    QPushButton* m_clear;
    quint64 m_choicesRequest = 0;
    bool m_quiet = false; // while clear() resets several boxes
};

} // namespace ripen::ui
