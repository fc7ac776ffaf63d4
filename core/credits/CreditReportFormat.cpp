#include "credits/CreditReportFormat.h"

#include <sstream>

namespace ripen {
namespace {

using nlohmann::json;

void putMoney(json& object, const std::string& key, Micros micros) {
    object[key] = formatMicros(micros);
    object[key + "_micros"] = micros;
}

void putOptionalMoney(json& object, const std::string& key, const std::optional<Micros>& micros) {
    if (micros) {
        putMoney(object, key, *micros);
    } else {
        object[key] = nullptr;
        object[key + "_micros"] = nullptr;
    }
}

json linesJson(const std::vector<SpendQuery::Line>& lines) {
    json out = json::array();
    for (const auto& l : lines) {
        json line{{"key", l.group},
                  {"amount", formatMicros(l.amount)},
                  {"unit", l.unit},
                  {"charges", l.charges}};
        putMoney(line, "usd", l.usd);
        out.push_back(std::move(line));
    }
    return out;
}

json balanceJson(const CreditAccounts::Balance& b) {
    json out{{"provider", b.account.provider}, {"currency", b.account.currency}};
    putMoney(out, "balance", b.balance);
    putMoney(out, "granted", b.granted);
    putMoney(out, "subscription_credits", b.subscriptionCredits);
    putMoney(out, "subscription_paid_usd", b.subscriptionPaidUsd);
    putMoney(out, "charged", b.charged);
    putMoney(out, "charged_usd", b.chargedUsd);
    putMoney(out, "adjusted", b.adjusted);
    putMoney(out, "reserved", b.reserved);
    putOptionalMoney(out, "effective_usd_per_credit", b.effectiveUsdPerCredit);
    putOptionalMoney(out, "value_usd", b.valueUsd);
    if (b.subscription) {
        json s{{"monthly_credits", formatMicros(b.subscription->monthlyCredits)},
               {"renewal_day", b.subscription->renewalDay},
               {"starts_on", formatCalendarDay(b.subscription->startsOn)}};
        putMoney(s, "monthly_price_usd", b.subscription->monthlyPriceUsd);
        out["subscription"] = std::move(s);
    } else {
        out["subscription"] = nullptr;
    }
    out["next_renewal"] = b.nextRenewal ? json(formatCalendarDay(*b.nextRenewal)) : json(nullptr);
    return out;
}

json yieldJson(const YieldQuery::Yield& y) {
    json out{{"name", y.name}, {"picks", y.picks}, {"rejects", y.rejects}, {"charges", y.charges}};
    putMoney(out, "discovery_usd", y.discoveryUsd);
    putMoney(out, "production_usd", y.productionUsd);
    putMoney(out, "lineage_usd", y.lineageUsd);
    putMoney(out, "total_usd", y.totalUsd());
    putOptionalMoney(out, "cost_per_pick_usd", y.costPerPickUsd());
    return out;
}

std::string period(const CreditReportRequest& r) {
    return (r.from ? formatCalendarDay(*r.from) : std::string("start")) + ".." +
           (r.to ? formatCalendarDay(*r.to) : std::string("today"));
}

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

std::string dollars(Micros usd) {
    return "$" + formatMicros(usd);
}

std::string optionalDollars(const std::optional<Micros>& usd) {
    return usd ? dollars(*usd) : "-";
}

} // namespace

std::string clientReportTitle(const ClientReport& report) {
    const auto& r = report.overview.request;
    std::string who = !r.project.empty() ? "project " + r.project : "";
    if (!r.client.empty()) {
        who += (who.empty() ? "client " : ", client ") + r.client;
    }
    return (who.empty() ? std::string("all projects") : who) + ", " + period(r);
}

json creditOverviewJson(const CreditOverview& o) {
    json out{{"as_of", formatCalendarDay(o.request.asOf)},
             {"bucket", toString(o.request.bucket)},
             {"grouping", toString(o.request.grouping)}};
    putMoney(out, "spent_usd", o.spentUsd);
    putMoney(out, "reserved_usd", o.reservedUsd);
    out["balances"] = json::array();
    for (const auto& b : o.balances) {
        out["balances"].push_back(balanceJson(b));
    }
    out["series"] = json::array();
    for (const auto& p : o.series) {
        json point{{"bucket", formatCalendarDay(p.bucket)},
                   {"key", p.group},
                   {"charges", p.charges},
                   {"amount", formatMicros(p.amount)},
                   {"unit", p.unit}};
        putMoney(point, "usd", p.usd);
        out["series"].push_back(std::move(point));
    }
    out["forecast"] = linesJson(o.forecast);
    out["budgets"] = json::array();
    for (const auto& b : o.budgets) {
        json budget{{"scope", b.scope},
                    {"name", b.name},
                    {"soft_percent", b.softPercent},
                    {"soft_alert", b.limitUsd > 0 && (b.spentUsd + b.reservedUsd) * 100 >=
                                                         b.limitUsd * b.softPercent}};
        putMoney(budget, "limit_usd", b.limitUsd);
        putMoney(budget, "spent_usd", b.spentUsd);
        putMoney(budget, "reserved_usd", b.reservedUsd);
        out["budgets"].push_back(std::move(budget));
    }
    out["yield"] = json::array();
    for (const auto& y : o.yieldByProject) {
        out["yield"].push_back(yieldJson(y));
    }
    return out;
}

json clientReportJson(const ClientReport& r) {
    const auto& req = r.overview.request;
    json out{{"title", clientReportTitle(r)},
             {"project", req.project},
             {"client", req.client},
             {"from", req.from ? json(formatCalendarDay(*req.from)) : json(nullptr)},
             {"to", req.to ? json(formatCalendarDay(*req.to)) : json(nullptr)},
             {"margin_percent", req.marginPercent}};
    out["deliverables"] = json::array();
    for (const auto& d : r.deliverables) {
        out["deliverables"].push_back({{"asset_id", d.assetId},
                                       {"stage", d.stage},
                                       {"provider", d.provider},
                                       {"model", d.model},
                                       {"date", formatCalendarDay(d.on)}});
    }
    out["attempts"] = {{"jobs", r.attempts.jobs},
                       {"submissions", r.attempts.submissions},
                       {"succeeded", r.attempts.succeeded},
                       {"failed", r.attempts.failed},
                       {"canceled", r.attempts.canceled}};
    out["spend_by_stage"] = linesJson(r.byStage);
    out["spend_by_model"] = linesJson(r.byModel);
    putMoney(out, "spent_usd", r.overview.spentUsd);
    putMoney(out, "subscription_usd", r.subscriptionUsd);
    putMoney(out, "cost_behind_deliverables_usd", r.costBehindDeliverablesUsd);
    putOptionalMoney(out, "cost_per_deliverable_usd", r.costPerDeliverableUsd);
    putMoney(out, "suggested_fee_usd", r.suggestedFeeUsd);
    putOptionalMoney(out, "suggested_fee_per_deliverable_usd", r.suggestedFeePerDeliverableUsd);
    out["overview"] = creditOverviewJson(r.overview);
    return out;
}

std::string clientReportTable(const ClientReport& r) {
    std::ostringstream out;
    const int margin = r.overview.request.marginPercent;
    out << "Credit report: " << clientReportTitle(r) << "\n\n"
        << "Deliverables (picks):      " << r.deliverables.size() << "\n"
        << "Attempts:                  " << r.attempts.jobs << " jobs, " << r.attempts.submissions
        << " submissions (" << r.attempts.succeeded << " succeeded, " << r.attempts.failed
        << " failed, " << r.attempts.canceled << " canceled)\n"
        << "Spent:                     " << dollars(r.overview.spentUsd) << "\n"
        << "  of it on subscriptions:  " << dollars(r.subscriptionUsd) << "\n"
        << "Reserved (queued):         " << dollars(r.overview.reservedUsd) << "\n"
        << "Cost behind deliverables:  " << dollars(r.costBehindDeliverablesUsd) << "\n"
        << "Cost per deliverable:      " << optionalDollars(r.costPerDeliverableUsd) << "\n"
        << "Suggested fee at " << margin << "% margin: " << dollars(r.suggestedFeeUsd) << " ("
        << optionalDollars(r.suggestedFeePerDeliverableUsd) << " per deliverable)\n";
    for (const auto& [title, lines] :
         {std::pair{"Spend by stage", &r.byStage}, std::pair{"Spend by model", &r.byModel}}) {
        out << "\n" << title << ":\n";
        for (const auto& l : *lines) {
            out << "  " << l.group << "  " << dollars(l.usd) << "  (" << l.charges << " charges)\n";
        }
    }
    if (!r.deliverables.empty()) {
        out << "\nDeliverables:\n";
        for (const auto& d : r.deliverables) {
            out << "  #" << d.assetId << "  " << d.stage << "  " << d.provider << " " << d.model
                << "  " << formatCalendarDay(d.on) << "\n";
        }
    }
    return out.str();
}

std::string clientReportCsv(const ClientReport& r) {
    std::string out = "section,key,detail,usd,count\r\n";
    const auto row = [&out](const std::string& section, const std::string& key,
                            const std::string& detail, const std::string& usd,
                            const std::string& count) {
        out += csvField(section) + "," + csvField(key) + "," + csvField(detail) + "," + usd + "," +
               count + "\r\n";
    };
    const auto optional = [](const std::optional<Micros>& m) {
        return m ? formatMicros(*m) : "";
    };
    row("report", "title", clientReportTitle(r), "", "");
    row("summary", "deliverables", "", "", std::to_string(r.deliverables.size()));
    row("summary", "jobs", "", "", std::to_string(r.attempts.jobs));
    row("summary", "submissions", "", "", std::to_string(r.attempts.submissions));
    row("summary", "failed", "", "", std::to_string(r.attempts.failed));
    row("summary", "spent", "", formatMicros(r.overview.spentUsd), "");
    row("summary", "subscription", "", formatMicros(r.subscriptionUsd), "");
    row("summary", "reserved", "", formatMicros(r.overview.reservedUsd), "");
    row("summary", "cost_behind_deliverables", "", formatMicros(r.costBehindDeliverablesUsd), "");
    row("summary", "cost_per_deliverable", "", optional(r.costPerDeliverableUsd), "");
    row("fee", "suggested", std::to_string(r.overview.request.marginPercent) + "% margin",
        formatMicros(r.suggestedFeeUsd), "");
    row("fee", "per_deliverable", std::to_string(r.overview.request.marginPercent) + "% margin",
        optional(r.suggestedFeePerDeliverableUsd), "");
    for (const auto& l : r.byStage) {
        row("spend_by_stage", l.group, "", formatMicros(l.usd), std::to_string(l.charges));
    }
    for (const auto& l : r.byModel) {
        row("spend_by_model", l.group, formatMicros(l.amount) + " " + l.unit, formatMicros(l.usd),
            std::to_string(l.charges));
    }
    for (const auto& d : r.deliverables) {
        row("deliverable", std::to_string(d.assetId),
            d.stage + " " + d.provider + " " + d.model + " " + formatCalendarDay(d.on), "", "");
    }
    return out;
}

} // namespace ripen
