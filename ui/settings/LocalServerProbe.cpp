#include "settings/LocalServerProbe.h"

#include "providers/http/HttpClient.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <nlohmann/json.hpp>

namespace ripen::ui {

std::vector<LocalServerProbe::Candidate> LocalServerProbe::defaultCandidates() {
    return {{"comfyui", "http://127.0.0.1:8188", "/system_stats"},
            {"automatic1111", "http://127.0.0.1:7860", "/sdapi/v1/sd-models"}};
}

LocalServerProbe::LocalServerProbe(QObject* parent)
    : QObject(parent), m_http(std::make_shared<ripen::http::HttpClient>()) {
    m_pool.setMaxThreadCount(1);
}

LocalServerProbe::~LocalServerProbe() {
    m_stop.request_stop();
    m_pool.waitForDone();
}

void LocalServerProbe::probe(std::vector<Candidate> candidates) {
    if (m_running) {
        return;
    }
    m_running = true;
    (void)QtConcurrent::run(&m_pool, [this, http = m_http, candidates = std::move(candidates),
                                      stop = m_stop.get_token()] {
        for (const auto& candidate : candidates) {
            ripen::http::Request request;
            request.url = candidate.baseUrl + candidate.path;
            request.connectTimeout = std::chrono::milliseconds(300);
            request.deadline = std::chrono::milliseconds(1500);
            request.maxResponseBytes = 1 << 20;
            auto response = http->perform(request, stop);
            if (!response || response->status != 200 ||
                nlohmann::json::parse(response->body, nullptr, false).is_discarded()) {
                continue;
            }
            QMetaObject::invokeMethod(
                this,
                [this, provider = QString::fromStdString(candidate.provider),
                 url = QString::fromStdString(candidate.baseUrl)] { emit found(provider, url); },
                Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_running = false;
                emit finished();
            },
            Qt::QueuedConnection);
    });
}

} // namespace ripen::ui
