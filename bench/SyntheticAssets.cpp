#include "SyntheticAssets.h"

#include <algorithm>
#include <cstdio>

namespace ripen::bench {
namespace {

// splitmix64: tiny, fast and fully specified, so row i is the same on every machine and
// library version (std:: distributions are not portable across standard libraries).
class Mix {
public:
    explicit Mix(std::uint64_t state) : m_state(state) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }

private:
    std::uint64_t m_state;
};

const std::vector<std::string> kWords = {
    "detailed", "lighting", "volumetric", "cinematic", "portrait", "dramatic", "dragon", "highly",
    "photorealistic", "soft", "sharp", "focus", "ultra", "intricate", "render", "concept", "art",
    "illustration", "atmospheric", "moody", "golden", "hour", "night", "neon", "glow",
    "reflections", "fog", "mist", "rain", "city", "street", "alley", "forest", "mountain",
    "river", "ocean", "desert", "castle", "temple", "ruins", "spaceship", "robot", "cyborg",
    "warrior", "knight", "wizard", "witch", "elf", "samurai", "ninja", "pirate", "astronaut",
    "princess", "queen", "king", "monster", "creature", "beast", "wolf", "fox", "owl", "cat",
    "tiger", "lion", "horse", "whale", "octopus", "butterfly", "flower", "rose", "garden", "tree",
    "cherry", "blossom", "autumn", "winter", "snow", "summer", "spring", "sunset", "sunrise",
    "twilight", "moonlight", "starry", "sky", "clouds", "storm", "lightning", "fire", "flames",
    "smoke", "ash", "ember", "lava", "ice", "crystal", "glass", "metal", "chrome", "gold",
    "silver", "copper", "bronze", "marble", "stone", "wood", "leather", "silk", "velvet", "lace",
    "armor", "cloak", "helmet", "sword", "shield", "staff", "bow", "arrow", "lantern", "candle",
    "book", "scroll", "map", "compass", "clock", "mirror", "throne", "crown", "jewel", "gem",
    "pearl", "feather", "wings", "horns", "scales", "fur", "texture", "pattern", "ornate",
    "baroque", "gothic", "nouveau", "deco", "minimalist", "futuristic", "retro", "vintage",
    "steampunk", "cyberpunk", "dieselpunk", "solarpunk", "fantasy", "scifi", "horror", "surreal",
    "dreamlike", "whimsical", "cozy", "serene", "melancholic", "epic", "heroic", "mysterious",
    "ethereal", "magical", "ancient", "medieval", "victorian", "modern", "abstract", "geometric",
    "organic", "symmetrical", "wide", "angle", "closeup", "macro", "aerial", "isometric",
    "panoramic", "bokeh", "depth", "field", "octane", "unreal", "engine", "ray", "tracing",
    "global", "illumination", "subsurface", "scattering", "rim", "backlight", "studio", "softbox",
    "hdr", "vibrant", "pastel", "muted", "monochrome", "sepia", "teal", "orange", "palette",
    "contrast", "saturated", "desaturated", "grainy", "film", "analog", "polaroid", "kodak",
    "portra", "watercolor", "oil", "painting", "gouache", "ink", "sketch", "charcoal", "pencil",
    "lineart", "anime", "manga", "comic", "cel", "shaded", "pixel", "voxel", "lowpoly", "clay",
    "papercraft", "origami", "stained", "mosaic", "tapestry", "fresco", "mural", "graffiti",
    "poster", "cover", "album", "magazine", "editorial", "fashion", "runway", "couture", "wear",
    "jacket", "dress", "hat", "boots", "gloves", "scarf", "tattoo", "freckles", "eyes", "hair",
    "braids", "smile", "gaze", "silhouette", "pose", "dynamic", "action", "running", "flying",
    "floating", "sitting", "standing", "dancing", "fighting", "reading", "sleeping", "crowd",
    "market", "harbor", "bridge", "tower", "lighthouse", "cathedral", "library", "laboratory",
    "workshop", "tavern", "kitchen", "bedroom", "balcony", "rooftop", "subway", "train", "car",
    "motorcycle", "airship", "submarine", "station", "planet", "galaxy", "nebula", "comet",
    "aurora", "eclipse",
};

const std::vector<std::string> kTags = {
    "cyberpunk", "portrait",  "landscape", "character",  "environment", "product",
    "keyart",    "storyboard", "moodboard", "texture",   "logo",        "icon",
    "poster",    "banner",    "hero",      "background", "sketch",      "final",
    "approved",  "wip",       "review",    "reference",  "lightingtest", "variation",
    "upscale",   "inpaint",   "social",    "print",      "packaging",   "animatic"};

const char* const kNegative[] = {"blurry, lowres, watermark", "bad anatomy, extra fingers",
                                 "jpeg artifacts, text, signature", "", "deformed, ugly"};
const char* const kProviders[] = {"comfyui", "a1111", "openai", "midjourney"};
const char* const kModels[] = {"sdxl-base-1.0", "sd-1.5", "flux-dev", "flux-schnell",
                               "dall-e-3", "mj-v6", "juggernaut-xl", "pony-v6"};
const int kSizes[][2] = {{1024, 1024}, {1216, 832}, {832, 1216}, {1536, 1536},
                         {2048, 2048}, {768, 1344}, {4096, 4096}};

std::string hex64(Mix& mix) {
    std::string out;
    for (int i = 0; i < 4; ++i) {
        char part[17];
        std::snprintf(part, sizeof part, "%016llx", static_cast<unsigned long long>(mix.next()));
        out += part;
    }
    return out;
}

// Skewed pick: u^2 puts most draws on the first words of the list.
const std::string& skewedWord(Mix& mix) {
    const double u = mix.unit();
    return kWords[static_cast<std::size_t>(u * u * static_cast<double>(kWords.size()))];
}

} // namespace

SyntheticAssets::SyntheticAssets(std::uint64_t seed) : m_seed(seed) {}

std::string SyntheticAssets::projectName(int project) {
    char name[32];
    std::snprintf(name, sizeof name, "Project %02d", project);
    return name;
}

std::string SyntheticAssets::clientName(int client) {
    return "Client " + std::to_string(client);
}

const std::vector<std::string>& SyntheticAssets::tagPool() { return kTags; }
const std::vector<std::string>& SyntheticAssets::words() { return kWords; }

Asset SyntheticAssets::make(std::int64_t index) const {
    Mix mix(m_seed * 0x2545F4914F6CDD1DULL + static_cast<std::uint64_t>(index));
    Asset a;
    a.kind = AssetKind::Image;
    a.sha256 = hex64(mix);
    const bool png = mix.below(10) < 7;
    a.format = png ? "png" : "jpeg";
    a.blobPath = "blobs/" + a.sha256.substr(0, 2) + "/" + a.sha256 + (png ? ".png" : ".jpg");
    const auto& size = kSizes[mix.below(7)];
    a.width = size[0];
    a.height = size[1];
    a.byteSize = 200'000 + mix.below(3'000'000);
    const int project = mix.below(kProjects);
    a.project = projectName(project);
    a.client = clientName(project % kClients);
    char source[96];
    std::snprintf(source, sizeof source, "/home/artist/renders/project-%02d/img_%06lld.%s", project,
                  static_cast<long long>(index), png ? "png" : "jpg");
    a.sourcePath = source;
    a.stage = static_cast<Stage>(mix.below(6));       // none .. final; clips are videos
    a.rating = mix.below(6);
    const int flag = mix.below(20);
    a.flag = flag < 16 ? Flag::None : flag < 19 ? Flag::Pick : Flag::Reject;
    a.colorLabel = mix.below(4) == 0 ? static_cast<ColorLabel>(1 + mix.below(5)) : ColorLabel::None;

    auto& g = a.generation;
    const int promptWords = 12 + mix.below(29);
    for (int w = 0; w < promptWords; ++w) {
        g.prompt += (w == 0 ? "" : (w % 5 == 0 ? ", " : " ")) + skewedWord(mix);
    }
    g.negativePrompt = kNegative[mix.below(5)];
    g.provider = kProviders[mix.below(4)];
    g.modelId = kModels[mix.below(8)];
    g.seed = static_cast<std::int64_t>(mix.next() >> 33);
    g.params = {{"steps", 20 + mix.below(31)}, {"cfg", 3.5 + mix.below(8) * 0.5},
                {"sampler", mix.below(2) == 0 ? "euler_a" : "dpmpp_2m"}};
    a.costMicros = mix.below(4) == 0 ? 40'000 : 0;

    // Three distinct tags, uniform over the pool: each tag lands on about 10% of assets.
    while (a.tags.size() < 3) {
        const std::string& tag = kTags[static_cast<std::size_t>(mix.below(30))];
        if (std::find(a.tags.begin(), a.tags.end(), tag) == a.tags.end()) {
            a.tags.push_back(tag);
        }
    }
    // One import a minute, newest last, as a library grows; the file is a little older.
    a.importedAtMs = kFirstImportMs + index * 60'000;
    a.createdAtMs = a.importedAtMs - mix.below(86'400'000);
    return a;
}

} // namespace ripen::bench
