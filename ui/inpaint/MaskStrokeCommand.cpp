#include "inpaint/MaskStrokeCommand.h"

namespace ripen::ui {

MaskStrokeCommand::MaskStrokeCommand(QString text, QRect rect, QImage before, QImage after,
                                     Apply apply)
    : QUndoCommand(std::move(text)), m_rect(rect), m_before(std::move(before)),
      m_after(std::move(after)), m_apply(std::move(apply)) {}

void MaskStrokeCommand::undo() {
    m_apply(m_rect, m_before);
    m_applied = false;
}

void MaskStrokeCommand::redo() {
    if (m_applied) {
        return;
    }
    m_apply(m_rect, m_after);
    m_applied = true;
}

} // namespace ripen::ui
