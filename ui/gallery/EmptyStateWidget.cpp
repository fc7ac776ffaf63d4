#include "gallery/EmptyStateWidget.h"

#include "theme/Theme.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ripen::ui {

EmptyStateWidget::EmptyStateWidget(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_body(new QLabel(this)),
      m_action(new QPushButton(this)) {
    setObjectName(QStringLiteral("emptyState"));
    setAttribute(Qt::WA_StyledBackground);
    m_title->setObjectName(QStringLiteral("emptyStateTitle"));
    m_body->setObjectName(QStringLiteral("emptyStateBody"));
    m_title->setAlignment(Qt::AlignCenter);
    m_body->setAlignment(Qt::AlignCenter);
    m_body->setWordWrap(true);
    m_action->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4 * Theme::kGrid, 4 * Theme::kGrid, 4 * Theme::kGrid,
                               4 * Theme::kGrid);
    layout->setSpacing(Theme::kGrid);
    layout->addStretch(2);
    layout->addWidget(m_title);
    layout->addWidget(m_body);
    layout->addSpacing(Theme::kGrid);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
    layout->addStretch(3);

    connect(m_action, &QPushButton::clicked, this, &EmptyStateWidget::actionTriggered);
    updateBodyColor();
}

void EmptyStateWidget::setContent(const QString& title, const QString& body,
                                  const QString& actionText) {
    m_title->setText(title);
    m_body->setText(body);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
}

QString EmptyStateWidget::title() const {
    return m_title->text();
}

QString EmptyStateWidget::body() const {
    return m_body->text();
}

void EmptyStateWidget::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        updateBodyColor();
    }
    QWidget::changeEvent(event);
}

void EmptyStateWidget::updateBodyColor() {
    QPalette palette = m_body->palette();
    palette.setColor(QPalette::WindowText, this->palette().color(QPalette::PlaceholderText));
    m_body->setPalette(palette);
}

} // namespace ripen::ui
