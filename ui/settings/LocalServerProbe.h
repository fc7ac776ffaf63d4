#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace ripen::http {
class HttpClient;
}

namespace ripen::ui {

// Looks for self-hosted image servers on this machine, off the GUI thread, through core's
// HttpClient with a short timeout: ComfyUI on 127.0.0.1:8188 (GET /system_stats) and
// AUTOMATIC1111/Forge on 127.0.0.1:7860 (GET /sdapi/v1/sd-models). A server counts as
// found when that path answers 200 with JSON, so another program on the port is not
// mistaken for one.
//
// Thread affinity: GUI thread; the destructor stops and waits for the probe.
class LocalServerProbe final : public QObject {
    Q_OBJECT
public:
    struct Candidate {
        std::string provider; // "comfyui", "automatic1111"
        std::string baseUrl;  // "http://127.0.0.1:8188"
        std::string path;     // what to ask
    };
    static std::vector<Candidate> defaultCandidates();

    explicit LocalServerProbe(QObject* parent = nullptr);
    ~LocalServerProbe() override;

    void probe(std::vector<Candidate> candidates = defaultCandidates());
    bool isBusy() const { return m_running; }

signals:
    void found(const QString& provider, const QString& baseUrl);
    void finished();

private:
    QThreadPool m_pool;
    std::stop_source m_stop;
    std::shared_ptr<ripen::http::HttpClient> m_http;
    bool m_running = false;
};

} // namespace ripen::ui
