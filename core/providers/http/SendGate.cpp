#include "providers/http/SendGate.h"

namespace ripen::http {
namespace {

thread_local SendGate* t_gate = nullptr;

} // namespace

SendGate::SendGate(std::function<Status()> beforeFirstSend)
    : m_beforeFirstSend(std::move(beforeFirstSend)) {
    t_gate = this;
}

SendGate::~SendGate() {
    if (t_gate == this) {
        t_gate = nullptr;
    }
}

bool SendGate::admit(std::string& why) {
    SendGate* gate = t_gate;
    if (gate == nullptr || gate->m_passed) {
        return true;
    }
    if (!gate->m_refusal) {
        if (auto recorded = gate->m_beforeFirstSend(); recorded) {
            gate->m_passed = true;
            return true;
        } else {
            gate->m_refusal = recorded.error();
        }
    }
    why = "not sent: Ripen could not record that the request was leaving (" +
          gate->m_refusal->message + ")";
    return false;
}

} // namespace ripen::http
