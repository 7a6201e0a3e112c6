// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/redactcommands.h"

#include "app/cli/clioutput.h"
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactfile.h"
#include "core/redact/redactionplan.h"
#include "core/redact/redactor.h"
#include "core/run/redactionsetup.h"
#include "core/util/exitcodes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dc::cli {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(dc::cli::RedactCommands)
};

int code(core::ExitCode c) { return static_cast<int>(c); }

// Parses; on --help prints the help and returns 0, on a usage error prints it and returns 2.
std::optional<int> parse(QCommandLineParser &parser, const QStringList &args)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    parser.addOption(help);
    QStringList argv = args;
    if (argv.isEmpty())
        argv.append(QStringLiteral("diagcollect"));
    if (!parser.parse(argv)) {
        printErr(parser.errorText() + QLatin1Char('\n') + commandHelp(parser, argv.constFirst()));
        return code(core::ExitCode::Usage);
    }
    if (parser.isSet(help)) {
        printOut(commandHelp(parser, argv.constFirst()));
        return code(core::ExitCode::Ok);
    }
    if (!parser.positionalArguments().isEmpty()) {
        printErr(Tr::tr("Unexpected argument: %1").arg(parser.positionalArguments().constFirst()) + QLatin1Char('\n') +
                 commandHelp(parser, argv.constFirst()));
        return code(core::ExitCode::Usage);
    }
    return std::nullopt;
}

int failWith(const core::Error &error)
{
    printErr(Tr::tr("error: %1").arg(error.message) + QLatin1Char('\n'));
    return static_cast<int>(core::exitCodeFor(error.code));
}

} // namespace

int runRedactCommand(const QStringList &args, const core::Policy &policy)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("Redact one file: personal data and secrets become pseudonyms."));
    const QCommandLineOption in(QStringLiteral("in"), Tr::tr("Input file (plain or .gz/.xz/.zst/.bz2)."),
                                QStringLiteral("FILE"));
    const QCommandLineOption outFile(QStringLiteral("out"), Tr::tr("Output file (always uncompressed)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption rulesFile(QStringLiteral("rules"),
                                       Tr::tr("Extra rules: JSON with \"keywords\", \"patterns\", \"disable\"."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption mapFile(QStringLiteral("map"),
                                     Tr::tr("Pseudonym map (value -> token) to continue and write, mode 0600."),
                                     QStringLiteral("FILE"));
    parser.addOptions({in, outFile, rulesFile, mapFile});
    if (auto r = parse(parser, args))
        return *r;
    if (!parser.isSet(in) || !parser.isSet(outFile)) {
        printErr(Tr::tr("redact needs --in FILE and --out FILE.") + QLatin1Char('\n') +
                 commandHelp(parser, args.value(0, QStringLiteral("diagcollect"))));
        return code(core::ExitCode::Usage);
    }
    const QString inPath = parser.value(in);
    const QString outPath = parser.value(outFile);
    if (QFileInfo(inPath).canonicalFilePath() == QFileInfo(outPath).canonicalFilePath() && QFileInfo::exists(outPath)) {
        printErr(Tr::tr("--in and --out must be different files.") + QLatin1Char('\n'));
        return code(core::ExitCode::Usage);
    }

    // The same rules as a run: the administrator's keywords and patterns too,
    // and no rule disabled under force_redaction.
    auto rules = core::redactionRulesFor(policy, {}, parser.value(rulesFile));
    if (!rules)
        return failWith(rules.error());
    core::PseudonymMap map;
    if (parser.isSet(mapFile) && QFileInfo::exists(parser.value(mapFile))) {
        if (auto r = map.load(parser.value(mapFile)); !r)
            return failWith(r.error());
    }
    // Two passes, as a collection does: the scan chooses the file's values, and the
    // apply pass replaces each of them wherever it occurs in the file, also where no
    // rule would find it ("kim" in prose once "user=kim" was seen further down).
    core::StreamOptions scanOptions;
    scanOptions.maxStoredFindings = 0;
    if (auto scanned = core::scanFile(inPath, core::Redactor(*rules), map, inPath, scanOptions); !scanned)
        return failWith(scanned.error());
    const core::Redactor redactor(core::RedactionPlan().applyRules(*rules, {}, map));
    auto result = core::redactFile(inPath, outPath, redactor, core::RedactionPlan(), map);
    if (!result)
        return failWith(result.error());
    if (!result->written) {
        printErr(Tr::tr("error: %1 is binary and cannot be redacted as text; nothing written.").arg(inPath) +
                 QLatin1Char('\n'));
        return code(core::ExitCode::Failure);
    }
    if (parser.isSet(mapFile)) {
        if (auto r = map.save(parser.value(mapFile)); !r)
            return failWith(r.error());
    }
    qint64 total = 0;
    QStringList parts;
    QStringList ids = result->redactedPerRule.keys();
    ids.sort();
    for (const QString &id : std::as_const(ids)) {
        total += result->redactedPerRule.value(id);
        parts.append(id + QLatin1Char('=') + QString::number(result->redactedPerRule.value(id)));
    }
    QString summary = Tr::tr("Redacted %1 values in %2 lines").arg(total).arg(result->linesIn);
    if (!parts.isEmpty())
        summary += QStringLiteral(" (") + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
    printOut(summary + QLatin1Char('\n'));
    return code(core::ExitCode::Ok);
}

int runRulesCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("List the redaction rules."));
    const QCommandLineOption json(QStringLiteral("json"), Tr::tr("Print JSON (ids and keys are never translated)."));
    parser.addOption(json);
    if (auto r = parse(parser, args))
        return *r;
    const QList<core::RuleInfo> &rules = core::RedactionRules::builtinRules();
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const core::RuleInfo &r : rules) {
            QJsonObject o;
            o.insert(QLatin1String("id"), r.id);
            o.insert(QLatin1String("token"), r.tokenPrefix);
            o.insert(QLatin1String("description"), r.description);
            array.append(o);
        }
        printOut(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
    } else {
        qsizetype width = 0;
        for (const core::RuleInfo &r : rules)
            width = std::max(width, r.id.size());
        QString text;
        for (const core::RuleInfo &r : rules)
            text += r.id.leftJustified(width + 2) + r.description + QLatin1Char('\n');
        printOut(text);
    }
    return code(core::ExitCode::Ok);
}

} // namespace dc::cli
