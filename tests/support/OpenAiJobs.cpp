#include "support/OpenAiJobs.h"

#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "credits/PriceBook.h"
#include "jobs/JobStore.h"

#include <catch2/catch.hpp>

namespace ripen::test {

void enqueueOpenAiJobs(const std::filesystem::path& root, const std::vector<std::string>& prompts) {
    auto library = Library::open(root);
    REQUIRE(library);
    auto prices = PriceBook::load(resourceFile("pricebook.json"));
    REQUIRE(prices);
    JobStore store(**library);
    for (const std::string& prompt : prompts) {
        GenerationRequest r;
        r.provider = "openai";
        r.model = "gpt-image-1";
        r.prompt = prompt;
        REQUIRE(store.enqueue(r, {}, *prices->estimate(r)));
    }
}

std::vector<std::string> numberedPrompts(const std::string& prefix, int count) {
    std::vector<std::string> prompts;
    for (int i = 0; i < count; ++i) {
        prompts.push_back(prefix + " " + std::to_string(i));
    }
    return prompts;
}

} // namespace ripen::test
