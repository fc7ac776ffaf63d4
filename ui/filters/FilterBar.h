#pragma once

#include "FilterChoices.h"
#include "catalog/AssetQuery.h"
#include "filters/SmartFilter.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QPushButton;

namespace ripen::ui {

class CoreBridge;

// The smart filters above the gallery grid: stage, minimum rating, flag, colour label,
// provider, model and a date range (when the asset entered the library: a recent period or
// a custom span of days). Each is a combo box whose first entry, the filter's name, means
// "any"; changing one emits filtersChanged, and Clear and Save buttons show while any
// filter is set. The provider and model lists come from the catalog through the bridge
// (refreshChoices). The whole set reads and writes as a SmartFilter, which is what the
// sidebar's smart filters apply.
//
// Thread affinity: GUI thread.
class FilterBar final : public QWidget {
    Q_OBJECT
public:
    using DateRange = SmartFilter::Period;

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
    // Assets added on these days (both included); shows the span in the date box.
    void setCustomDateRange(QDate from, QDate to);

    // Every filter as one set (unnamed), and setting them all at once (one filtersChanged
    // when something changed). Filter values missing from the lists are kept and added.
    SmartFilter current() const;
    void apply(const SmartFilter& filter);

signals:
    void filtersChanged();
    // The Save button: keep the current filters as a smart filter.
    void saveRequested();

private:
    QComboBox* addCombo(const QString& name, const QString& toolTip);
    void setChoices(const FilterChoices& choices);
    static void selectData(QComboBox* combo, const QVariant& data);
    void onDateChosen(int index);
    void showCustomRange();
    void onChanged();

    CoreBridge& m_bridge;
    QComboBox* m_stage;
    QComboBox* m_rating;
    QComboBox* m_flag;
    QComboBox* m_label;
    QComboBox* m_provider;
    QComboBox* m_model;
    QComboBox* m_date;
    QPushButton* m_clear;
    QPushButton* m_save = nullptr;
    QDate m_customFrom;
    QDate m_customTo;
    int m_dateIndex = 0; // the date box's choice before "Custom range…" was picked
    quint64 m_choicesRequest = 0;
    std::optional<FilterChoices> m_shownChoices; // what the provider and model boxes offer
    bool m_quiet = false; // while clear() resets several boxes
};

} // namespace ripen::ui
