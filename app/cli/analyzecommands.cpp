// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/analyzecommands.h"

#include "app/cli/clioutput.h"
#include "core/analysis/analyzer.h"
#include "core/analysis/bundlediff.h"
#include "core/analysis/bundlefolder.h"
#include "core/analysis/ruleset.h"
#include "core/util/exitcodes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dc::cli {

using namespace dc::core;
using namespace dc::core::analysis;

namespace {

// The human text of analyze and diff in the language chosen; their JSON stays English.
struct AnalyzeTexts
{
    Q_DECLARE_TR_FUNCTIONS(dc::cli::Analyze)
};

void addCommonOptions(QCommandLineParser &parser)
{
    // Our own -h/--help: Qt's (and its --help-all) would speak only the languages Qt's catalogue has.
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, AnalyzeTexts::tr("Show this help.")});
    parser.addOptions({
        {QStringLiteral("rules"), AnalyzeTexts::tr("Also apply the rules in FILE (repeatable)."),
         QStringLiteral("FILE")},
        {QStringLiteral("profile"), AnalyzeTexts::tr("Also apply the rules of profile FILE (FILE's .rules.json)."),
         QStringLiteral("FILE")},
        {QStringLiteral("disable"), AnalyzeTexts::tr("Leave out rule ID (repeatable)."), QStringLiteral("ID")},
        {QStringLiteral("key"), AnalyzeTexts::tr("Secret key file for sealed archives."), QStringLiteral("FILE")},
        {QStringLiteral("json"), AnalyzeTexts::tr("Print the result as one JSON object.")},
    });
}

// Parses; returns an exit code when the command must stop now, else -1.
int parse(QCommandLineParser &parser, const QStringList &args, const QString &description, int positionals)
{
    parser.setApplicationDescription(description);
    addCommonOptions(parser);
    if (!parser.parse(args))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(commandHelp(parser, args.constFirst()));
        return int(ExitCode::Ok);
    }
    if (parser.positionalArguments().size() != positionals)
        return usageError(AnalyzeTexts::tr("expected %1 argument(s), got %2; see --help")
                              .arg(positionals)
                              .arg(parser.positionalArguments().size()),
                          parser.isSet(QStringLiteral("json")));
    return -1;
}

Result<QList<Rule>> rulesFromOptions(const QCommandLineParser &parser, const Policy &policy)
{
    RuleSelection selection;
    selection.profileSourcePath = parser.value(QStringLiteral("profile"));
    if (!selection.profileSourcePath.isEmpty() && profileRulesPath(selection.profileSourcePath).isEmpty())
        return fail(ErrorCode::Usage,
                    QStringLiteral("--profile %1: no rules file beside it (%2)")
                        .arg(selection.profileSourcePath, QStringLiteral("NAME.rules.json next to NAME.json")));
    selection.extraFiles = parser.values(QStringLiteral("rules"));
    const QStringList disabled = parser.values(QStringLiteral("disable"));
    selection.disabled = QSet<QString>(disabled.cbegin(), disabled.cend());
    for (const QString &id : policy.disabledAnalysisRules)
        selection.disabled.insert(id);
    auto rules = selectRules(selection);
    if (!rules)
        return fail(ErrorCode::Usage, rules.error().message); // a bad rules file is the caller's mistake
    return rules;
}

Result<BundleView> openAndAnalyze(const QString &path, const QString &keyFile, const QList<Rule> &rules)
{
    auto bundle = BundleFolder::open(path, keyFile);
    if (!bundle)
        return tl::unexpected(bundle.error());
    auto findings = analyzeStaging((*bundle)->folder(), (*bundle)->manifest(), rules);
    if (!findings)
        return tl::unexpected(findings.error());
    // The view outlives the unpacked folder only for what was already read.
    return BundleView{QString(), (*bundle)->manifest(), *findings};
}

QString label(Severity severity)
{
    QString word;
    switch (severity) {
    case Severity::Error:
        word = AnalyzeTexts::tr("ERROR");
        break;
    case Severity::Warning:
        word = AnalyzeTexts::tr("WARNING");
        break;
    case Severity::Info:
        word = AnalyzeTexts::tr("INFO");
        break;
    }
    return word.leftJustified(8);
}

QString findingText(const Finding &finding)
{
    const RuleTexts texts = finding.localized();
    QString text = QStringLiteral("%1 %2  [%3]\n").arg(label(finding.severity), texts.title, finding.key());
    const QString indent(9, QLatin1Char(' '));
    text += indent + texts.explanation + QLatin1Char('\n');
    text += indent + AnalyzeTexts::tr("What to do: %1").arg(texts.advice) + QLatin1Char('\n');
    if (!finding.url.isEmpty())
        text += indent + AnalyzeTexts::tr("More: %1").arg(finding.url) + QLatin1Char('\n');
    for (const Evidence &evidence : finding.evidence) {
        if (!evidence.file.isEmpty())
            text += indent + AnalyzeTexts::tr("%1 (%n matching)", nullptr, int(evidence.count)).arg(evidence.file) +
                    QLatin1Char('\n');
        for (const EvidenceLine &line : evidence.lines)
            text += indent + QStringLiteral("  ") +
                    (line.number > 0 ? QStringLiteral("%1: ").arg(line.number) : QString()) + line.text +
                    QLatin1Char('\n');
    }
    return text;
}

QJsonObject jsonObject(const QByteArray &json) { return QJsonDocument::fromJson(json).object(); }

} // namespace

int runAnalyzeCommand(const QStringList &args, const Policy &policy)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("path"), AnalyzeTexts::tr("An archive or a staging folder."));
    if (int code = parse(parser, args,
                         AnalyzeTexts::tr("Run the analysis rules over an archive or a staging folder and print the "
                                          "findings."),
                         1);
        code >= 0)
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));
    auto rules = rulesFromOptions(parser, policy);
    if (!rules)
        return reportError(rules.error(), json);
    auto view = openAndAnalyze(parser.positionalArguments().constFirst(), parser.value(QStringLiteral("key")), *rules);
    if (!view)
        return reportError(view.error(), json);
    const Findings &findings = view->findings;
    if (json) {
        QJsonObject object = jsonObject(findings.toJson());
        object.insert(QStringLiteral("disabled_by_policy"), QJsonArray::fromStringList(policy.disabledAnalysisRules));
        printJson(object);
        return int(ExitCode::Ok);
    }
    //: analyze: findings by severity, then how many rules could be evaluated.
    QString text = AnalyzeTexts::tr("%1 error(s), %2 warning(s), %3 info; %4 of %5 rules evaluated\n")
                       .arg(findings.count(Severity::Error))
                       .arg(findings.count(Severity::Warning))
                       .arg(findings.count(Severity::Info))
                       .arg(findings.rulesEvaluated)
                       .arg(rules->size());
    for (const Finding &finding : findings.findings)
        text += QLatin1Char('\n') + findingText(finding);
    if (!findings.notEvaluated.isEmpty())
        text += AnalyzeTexts::tr("\nNot evaluated (their data is not in this collection): %1\n")
                    .arg(findings.notEvaluated.join(QStringLiteral(", ")));
    if (!policy.disabledAnalysisRules.isEmpty())
        text += AnalyzeTexts::tr("\nDisabled by your administrator's policy (%1): %2\n")
                    .arg(policy.source, policy.disabledAnalysisRules.join(QStringLiteral(", ")));
    printOut(text);
    return int(ExitCode::Ok);
}

int runDiffCommand(const QStringList &args, const Policy &policy)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("a"), AnalyzeTexts::tr("The earlier archive or staging folder."));
    parser.addPositionalArgument(QStringLiteral("b"), AnalyzeTexts::tr("The later archive or staging folder."));
    if (int code = parse(parser, args,
                         AnalyzeTexts::tr("Compare two collections of one machine: items, packages, units and "
                                          "findings."),
                         2);
        code >= 0)
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));
    auto rules = rulesFromOptions(parser, policy);
    if (!rules)
        return reportError(rules.error(), json);
    const QString key = parser.value(QStringLiteral("key"));
    // Both bundles are open at once: packages and units are read from their folders.
    auto a = BundleFolder::open(parser.positionalArguments().at(0), key);
    if (!a)
        return reportError(a.error(), json);
    auto b = BundleFolder::open(parser.positionalArguments().at(1), key);
    if (!b)
        return reportError(b.error(), json);
    BundleView views[2];
    const BundleFolder *folders[2] = {a->get(), b->get()};
    for (int i = 0; i < 2; ++i) {
        auto findings = analyzeStaging(folders[i]->folder(), folders[i]->manifest(), *rules);
        if (!findings)
            return reportError(findings.error(), json);
        views[i] = BundleView{folders[i]->folder(), folders[i]->manifest(), *findings};
    }
    const BundleDiff diff = diffBundles(views[0], views[1]);
    if (json) {
        printJson(jsonObject(diff.toJson()));
        return int(ExitCode::Ok);
    }
    QString text;
    const auto section = [&text](const QString &title, qsizetype count) {
        text += QStringLiteral("%1 (%2)%3\n").arg(title).arg(count).arg(count ? QStringLiteral(":") : QString());
    };
    section(AnalyzeTexts::tr("Items added"), diff.itemsAdded.size());
    for (const QString &id : diff.itemsAdded)
        text += QStringLiteral("  + %1\n").arg(id);
    section(AnalyzeTexts::tr("Items removed"), diff.itemsRemoved.size());
    for (const QString &id : diff.itemsRemoved)
        text += QStringLiteral("  - %1\n").arg(id);
    section(AnalyzeTexts::tr("Items changed"), diff.itemsChanged.size());
    for (const ItemChange &change : diff.itemsChanged) {
        QString what = change.statusBefore == change.statusAfter
                           ? AnalyzeTexts::tr("content changed")
                           : QStringLiteral("%1 -> %2").arg(change.statusBefore, change.statusAfter);
        if (change.statusBefore != change.statusAfter && change.contentChanged)
            what += AnalyzeTexts::tr(", content changed");
        text += QStringLiteral("  ~ %1: %2\n").arg(change.id, what);
    }
    const auto values = [&](const QString &title, const QList<ValueChange> &changes) {
        section(title, changes.size());
        for (const ValueChange &change : changes) {
            if (change.before.isEmpty())
                text += QStringLiteral("  + %1 %2\n").arg(change.name, change.after);
            else if (change.after.isEmpty())
                text += QStringLiteral("  - %1 %2\n").arg(change.name, change.before);
            else
                text += QStringLiteral("  ~ %1 %2 -> %3\n").arg(change.name, change.before, change.after);
        }
    };
    values(AnalyzeTexts::tr("Packages changed"), diff.packages);
    values(AnalyzeTexts::tr("Units changed"), diff.units);
    section(AnalyzeTexts::tr("Findings appeared"), diff.findingsAppeared.size());
    for (const Finding &finding : diff.findingsAppeared)
        text +=
            QStringLiteral("  + %1 %2  [%3]\n").arg(label(finding.severity), finding.localized().title, finding.key());
    section(AnalyzeTexts::tr("Findings cleared"), diff.findingsCleared.size());
    for (const Finding &finding : diff.findingsCleared)
        text +=
            QStringLiteral("  - %1 %2  [%3]\n").arg(label(finding.severity), finding.localized().title, finding.key());
    printOut(text);
    return int(ExitCode::Ok);
}

} // namespace dc::cli
