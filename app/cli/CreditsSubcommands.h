#pragma once

#include "ArgParser.h"
#include "Command.h"

namespace ripen::cli {

// `credits report ...` and `credits account add|grant|subscribe ...`: the options they
// take (declared on the credits command's parser) and how they run.
void declareCreditsReportOptions(ArgParser& parser);
void declareCreditsAccountOptions(ArgParser& parser);
void declareCreditsPriceOptions(ArgParser& parser);
int runCreditsReport(const CommandContext& context, const ArgParser& args);
int runCreditsAccount(const CommandContext& context, const ArgParser& args);
int runCreditsPrice(const CommandContext& context, const ArgParser& args);

inline constexpr const char* kCreditsSubcommandHelp =
    "\n\nSubcommands:\n"
    "  credits report [--project NAME] [--client NAME] [--from DATE] [--to DATE]\n"
    "                 [--format table|csv|json|pdf] [--out FILE] [--margin PERCENT]\n"
    "                 [--bucket day|week|month] [--group provider|model|project|client|stage]\n"
    "                 [--as-of DATE]\n"
    "    The client report for a project and/or client over a period of whole UTC days\n"
    "    (DATE is YYYY-MM-DD, both ends included): deliverables (assets flagged pick),\n"
    "    attempts, spend by stage (concept = discovery, later stages = production) and by\n"
    "    model, the part paid through subscriptions, the cost behind the deliverables (every\n"
    "    charge of the scope's jobs plus the earlier-stage jobs their lineage came from),\n"
    "    the cost per deliverable and a suggested fee at --margin percent (default 30:\n"
    "    fee = cost / (1 - margin)). json also carries the dashboard's figures (balances as\n"
    "    of --as-of, spend over time by --bucket and --group, the queued-jobs forecast,\n"
    "    budgets, yield per project). pdf needs a build with the UI; --out is required for\n"
    "    it and optional otherwise (stdout).\n"
    "  credits account add PROVIDER --currency USD|credits [--usd-per-credit AMOUNT]\n"
    "    Adds (or changes) the account of a provider; a credits account may give the list\n"
    "    price of one credit in USD.\n"
    "  credits account grant PROVIDER --amount AMOUNT [--date DATE] [--note TEXT]\n"
    "    Records bonus credits (e.g. a daily check-in bonus) in the account's unit; a\n"
    "    negative amount corrects an earlier grant. --date defaults to today.\n"
    "  credits account subscribe PROVIDER --price USD --credits AMOUNT --renewal-day N\n"
    "                 [--start DATE]\n"
    "    A subscription from --start (default today): --price USD and --credits of the\n"
    "    account's unit on its start and on day N (1-28) of every later month. Subscribing\n"
    "    again replaces it from the new start; --price 0 --credits 0 ends it.\n"
    "  credits account list [--as-of DATE]\n"
    "    Balances: grants and subscription credits in, charges out, the next renewal and\n"
    "    the effective cost per credit (subscription USD / (subscription credits + grants)).\n"
    "    Estimates, reservations and budgets value a credits account's credits at that cost.\n"
    "  credits price list [--as-of DATE] [--json]\n"
    "    Every price with its source and date, yours marked with the shipped price, and a\n"
    "    warning on prices older than 90 days.\n"
    "  credits price set PROVIDER MODEL --amount AMOUNT [--image-size SIZE] [--quality Q]\n"
    "                 [--mode MODE] [--per image|second|call] [--unit USD|credits]\n"
    "    Your own price for a model (kept in the library, source \"user\", dated today):\n"
    "    the next estimate, reservation and budget check use it.\n"
    "  credits price reset PROVIDER MODEL [--image-size SIZE] [--quality Q] [--mode MODE]\n"
    "    Removes your price: the price book's applies again.";

} // namespace ripen::cli
