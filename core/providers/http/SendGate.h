#pragma once

#include "common/Error.h"

#include <functional>
#include <optional>

namespace ripen::http {

// Lets the queue record durably that a paid request is leaving, just before it does. While a
// SendGate is open on a thread, the first request that thread sends through
// HttpClient::perform calls `beforeFirstSend` before its transfer starts. Not later, once
// connected (libcurl's CURLOPT_PREREQFUNCTION would allow it): a durable catalog write can
// take seconds on a busy machine, and a connection held idle that long runs into the
// server's header timeout and our own deadline and low-speed limits, which made requests
// fail after the mark said "sent". A kill while connecting therefore leaves the job in
// doubt, which is the safe side. When the hook fails, that request and every later one on
// the thread are abandoned unsent (Failure::Kind::LocalIo, requestSent false).
//
// Providers perform their requests on the calling thread (ProviderContext), so a gate
// opened around Provider::submit sees all of them. Gates do not nest; one per thread.
class SendGate {
public:
    explicit SendGate(std::function<Status()> beforeFirstSend);
    ~SendGate();
    SendGate(const SendGate&) = delete;
    SendGate& operator=(const SendGate&) = delete;

    // The hook ran and succeeded: a request may have reached the server.
    bool passed() const { return m_passed; }
    // The hook failed (its error): nothing was sent while the gate was open.
    const std::optional<Error>& refusal() const { return m_refusal; }

    // For HttpClient, on the thread about to send: true when there is no gate or the
    // request may leave; false (with `why` filled) when it must not.
    static bool admit(std::string& why);

private:
    std::function<Status()> m_beforeFirstSend;
    bool m_passed = false;
    std::optional<Error> m_refusal;
};

} // namespace ripen::http
