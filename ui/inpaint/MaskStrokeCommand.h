#pragma once

#include <QImage>
#include <QRect>
#include <QUndoCommand>
#include <functional>

namespace ripen::ui {

// One brush or eraser stroke as one undo step (all its dabs merged): the pixels of the
// touched rectangle before and after. Memory is that rectangle only, never the whole mask.
class MaskStrokeCommand final : public QUndoCommand {
public:
    // `apply` writes a patch into the mask at its rectangle and repaints it. The stroke is
    // already on the mask when the command is pushed, so the first redo does nothing.
    using Apply = std::function<void(const QRect&, const QImage&)>;

    MaskStrokeCommand(QString text, QRect rect, QImage before, QImage after, Apply apply);

    void undo() override;
    void redo() override;

private:
    QRect m_rect;
    QImage m_before;
    QImage m_after;
    Apply m_apply;
    bool m_applied = true;
};

} // namespace ripen::ui
