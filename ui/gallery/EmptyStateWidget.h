#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace ripen::ui {

// The pane a view shows instead of a blank area: a title, a sentence saying what to do
// next and, where there is one, a button that does it.
class EmptyStateWidget final : public QWidget {
    Q_OBJECT
public:
    explicit EmptyStateWidget(QWidget* parent = nullptr);

    // An empty actionText hides the button.
    void setContent(const QString& title, const QString& body, const QString& actionText = {});
    QString title() const;
    QString body() const;

signals:
    void actionTriggered();

protected:
    void changeEvent(QEvent* event) override;

private:
    void updateBodyColor();

    QLabel* m_title;
    QLabel* m_body;
    QPushButton* m_action;
};

} // namespace ripen::ui
