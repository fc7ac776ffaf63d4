#include "catalog/internal/Exiv2Session.h"

#include "catalog/XmpPacket.h"

#include <exiv2/exiv2.hpp>
#include <mutex>

namespace ripen {
namespace {

std::mutex g_xmpToolkitMutex;

void lockXmpToolkit(void* data, bool lock) {
    auto* mutex = static_cast<std::mutex*>(data);
    if (lock) {
        mutex->lock();
    } else {
        mutex->unlock();
    }
}

} // namespace

void ensureExiv2Ready() {
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
        Exiv2::XmpParser::initialize(&lockXmpToolkit, &g_xmpToolkitMutex);
        Exiv2::XmpProperties::registerNs(std::string(XmpPacket::kRipenXmpNamespace), "ripen");
    });
}

} // namespace ripen
