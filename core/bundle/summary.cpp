// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/summary.h"

#include "core/bundle/archive.h"
#include "core/util/bytesize.h"

#include <QStringList>
#include <algorithm>

namespace dc::core {

namespace {

// The page is opened by a support engineer, maybe offline, maybe from a mail
// attachment: everything is inline, nothing runs, nothing is fetched.
constexpr auto kStyle = R"css(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329;
       margin: 0 auto; padding: 24px; max-width: 1200px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d8dee4; padding-bottom: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: #57606a; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.totals span { display: inline-block; margin-right: 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #eaeef2; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.path, code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: 12px;
                overflow-wrap: anywhere; }
.bar { background: #eaeef2; height: 12px; min-width: 200px; border-radius: 2px; }
.bar > div { background: #2f81f7; height: 12px; border-radius: 2px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; font-weight: 600;
         white-space: nowrap; }
.st-collected .badge { background: #dafbe1; color: #116329; }
.st-truncated .badge { background: #fff8c5; color: #7d4e00; }
.st-skipped .badge { background: #eaeef2; color: #424a53; }
.st-failed .badge { background: #ffebe9; color: #a40e26; }
tr.st-truncated { background: #fffdf0; }
tr.st-skipped { background: #f9fafb; }
tr.st-failed { background: #fff5f4; }
.muted { color: #57606a; }
footer { margin-top: 32px; font-size: 12px; color: #57606a; }
.finding { border-left: 4px solid #d8dee4; padding: 4px 12px; margin: 10px 0; }
.finding h3 { font-size: 15px; margin: 0 0 4px; }
.finding p { margin: 2px 0; }
.finding pre { background: #f6f8fa; padding: 6px 8px; margin: 4px 0; white-space: pre-wrap;
               overflow-wrap: anywhere; font-size: 12px; }
.sev-error { border-left-color: #cf222e; } .sev-error .badge { background: #ffebe9; color: #a40e26; }
.sev-warning { border-left-color: #bf8700; } .sev-warning .badge { background: #fff8c5; color: #7d4e00; }
.sev-info { border-left-color: #2f81f7; } .sev-info .badge { background: #ddf4ff; color: #0550ae; }
)css";

QString esc(const QString &text) { return text.toHtmlEscaped(); }

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC")
                          : QStringLiteral("—");
}

QString orDash(const QString &text) { return text.isEmpty() ? QStringLiteral("—") : esc(text); }

QString statusCell(Status status)
{
    const QString key = statusKey(status);
    return QStringLiteral("<span class=\"badge\">%1</span>").arg(esc(key));
}

void fact(QString &html, const QString &label, const QString &valueHtml)
{
    html += QStringLiteral("<dt>%1</dt><dd>%2</dd>\n").arg(esc(label), valueHtml);
}

QString findingsSection(const analysis::Findings &findings)
{
    using analysis::Severity;
    QString html = QStringLiteral("<h2>Findings</h2>\n<p class=\"totals\">"
                                  "<span class=\"sev-error\"><b>%1</b> <span class=\"badge\">error</span></span>"
                                  "<span class=\"sev-warning\"><b>%2</b> <span class=\"badge\">warning</span></span>"
                                  "<span class=\"sev-info\"><b>%3</b> <span class=\"badge\">info</span></span>"
                                  "<span class=\"muted\">%4 rules checked; details in <code>findings.json</code></span>"
                                  "</p>\n")
                       .arg(findings.count(Severity::Error))
                       .arg(findings.count(Severity::Warning))
                       .arg(findings.count(Severity::Info))
                       .arg(findings.rulesEvaluated);
    if (findings.findings.isEmpty())
        html += QStringLiteral("<p class=\"muted\">None: no rule found a problem in the collected data.</p>\n");
    for (const analysis::Finding &finding : findings.findings) {
        const QString severity = analysis::severityKey(finding.severity);
        html += QStringLiteral("<div class=\"finding sev-%1\"><h3><span class=\"badge\">%1</span> %2 "
                               "<code class=\"muted\">%3</code></h3>\n<p>%4</p>\n<p><b>What to do:</b> %5</p>\n")
                    .arg(esc(severity), esc(finding.title), esc(finding.key()), esc(finding.explanation),
                         esc(finding.advice));
        if (!finding.url.isEmpty())
            html += QStringLiteral("<p><a href=\"%1\">%1</a></p>\n").arg(esc(finding.url));
        for (const analysis::Evidence &evidence : finding.evidence) {
            if (!evidence.file.isEmpty())
                html += QStringLiteral("<p class=\"muted\"><code>%1</code> (%2 matching)</p>\n")
                            .arg(esc(evidence.file))
                            .arg(evidence.count);
            if (evidence.lines.isEmpty())
                continue;
            QString lines;
            for (const analysis::EvidenceLine &line : evidence.lines)
                lines += (line.number > 0 ? QStringLiteral("%1: ").arg(line.number) : QString()) + esc(line.text) +
                         QLatin1Char('\n');
            html += QStringLiteral("<pre>%1</pre>\n").arg(lines);
        }
        html += QStringLiteral("</div>\n");
    }
    return html;
}

QByteArray page(const Manifest &manifest, const analysis::Findings *findings)
{
    QString html;
    html.reserve(16 * 1024);
    const QString host = manifest.host.isEmpty() ? QStringLiteral("unknown host") : manifest.host;
    html += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                           "<title>Diagnostics summary: %1</title>\n<style>%2</style>\n</head>\n<body>\n")
                .arg(esc(host), QLatin1String(kStyle));

    // Header: where, when, with what.
    html += QStringLiteral("<header>\n<h1>Diagnostics summary: %1</h1>\n<dl class=\"facts\">\n").arg(esc(host));
    fact(html, QStringLiteral("Host"), orDash(manifest.host));
    fact(html, QStringLiteral("Case ID"), orDash(manifest.caseId));
    fact(html, QStringLiteral("Platform"), orDash(manifest.platform));
    QString profile = orDash(manifest.profileName);
    if (!manifest.profileSource.isEmpty())
        profile += QStringLiteral(" <span class=\"muted\">(%1)</span>").arg(esc(manifest.profileSource));
    fact(html, QStringLiteral("Profile"), profile);
    fact(html, QStringLiteral("Profile sha256"),
         manifest.profileSha256.isEmpty()
             ? QStringLiteral("—")
             : QStringLiteral("<code>%1</code>").arg(esc(QString::fromLatin1(manifest.profileSha256))));
    fact(html, QStringLiteral("Tool version"), QStringLiteral("diagcollect %1").arg(orDash(manifest.toolVersion)));
    fact(html, QStringLiteral("Started"), esc(timeText(manifest.started)));
    fact(html, QStringLiteral("Finished"), esc(timeText(manifest.finished)));
    fact(html, QStringLiteral("Full logs"), manifest.fullLogs ? QStringLiteral("yes") : QStringLiteral("no"));
    fact(html, QStringLiteral("Administrator"), manifest.administrator ? QStringLiteral("yes") : QStringLiteral("no"));
    html += QStringLiteral("</dl>\n</header>\n");

    // What looks wrong comes first: it is what support reads before anything else.
    if (findings)
        html += findingsSection(*findings);

    // Totals.
    const Manifest::Totals totals = manifest.totals();
    html += QStringLiteral("<h2>Totals</h2>\n<p class=\"totals\">"
                           "<span><b>%1</b> items</span>"
                           "<span class=\"st-collected\"><b>%2</b> <span class=\"badge\">collected</span></span>"
                           "<span class=\"st-truncated\"><b>%3</b> <span class=\"badge\">truncated</span></span>"
                           "<span class=\"st-skipped\"><b>%4</b> <span class=\"badge\">skipped</span></span>"
                           "<span class=\"st-failed\"><b>%5</b> <span class=\"badge\">failed</span></span>"
                           "<span><b>%6</b> staged</span></p>\n")
                .arg(manifest.items.size())
                .arg(totals.collected)
                .arg(totals.truncated)
                .arg(totals.skipped)
                .arg(totals.failed)
                .arg(esc(byteSize(totals.bytes)));

    // Bytes per category, as bars relative to the largest.
    qint64 largest = 0;
    for (Category category : kAllCategories)
        largest = std::max(largest, manifest.bytesIn(category));
    html += QStringLiteral("<h2>Size per category</h2>\n<table class=\"categories\">\n"
                           "<tr><th>Category</th><th class=\"num\">Size</th><th>Share</th></tr>\n");
    for (Category category : kAllCategories) {
        const qint64 bytes = manifest.bytesIn(category);
        const double percent = largest > 0 ? 100.0 * double(bytes) / double(largest) : 0.0;
        html += QStringLiteral("<tr><td>%1 <span class=\"muted\">(%2)</span></td><td class=\"num\">%3</td>"
                               "<td><div class=\"bar\"><div style=\"width:%4%\"></div></div></td></tr>\n")
                    .arg(esc(categoryTitle(category)), esc(categoryKey(category)), esc(byteSize(bytes)),
                         QString::number(percent, 'f', 1));
    }
    html += QStringLiteral("</table>\n");

    // Items, grouped by category, in collection order within each.
    html += QStringLiteral("<h2>Items</h2>\n<table class=\"items\">\n"
                           "<tr><th>Category</th><th>Item</th><th>Status</th><th>Reason</th>"
                           "<th class=\"num\">Size</th><th>Files</th><th>Purpose</th></tr>\n");
    for (Category category : kAllCategories) {
        for (const ItemResult &item : manifest.items) {
            if (item.category != category)
                continue;
            QString title = esc(item.title.isEmpty() ? item.id : item.title);
            title += QStringLiteral("<br><code class=\"muted\">%1</code>").arg(esc(item.id));
            if (item.essential)
                title += QStringLiteral(" <span class=\"muted\">essential</span>");
            html += QStringLiteral("<tr class=\"st-%1\"><td>%2</td><td>%3</td><td>%4</td><td>%5</td>"
                                   "<td class=\"num\">%6</td><td class=\"num\">%7</td><td>%8</td></tr>\n")
                        .arg(esc(statusKey(item.status)), esc(categoryTitle(item.category)), title,
                             statusCell(item.status), orDash(item.reason), esc(byteSize(item.bytes())),
                             QString::number(item.files.size()), orDash(item.purpose));
        }
    }
    html += QStringLiteral("</table>\n");

    // Truncated files (collected in part) and sources that were not collected.
    QString truncatedRows;
    QString skippedRows;
    for (const ItemResult &item : manifest.items) {
        const QString itemName = esc(item.title.isEmpty() ? item.id : item.title);
        for (const FileEntry &file : item.files) {
            if (file.status == Status::Collected)
                continue;
            truncatedRows += QStringLiteral("<tr class=\"st-%1\"><td>%2</td><td class=\"path\">%3</td>"
                                            "<td class=\"path\">%4</td><td>%5</td><td>%6</td></tr>\n")
                                 .arg(esc(statusKey(file.status)), itemName, orDash(file.path), orDash(file.source),
                                      statusCell(file.status), orDash(file.reason));
        }
        for (const FileEntry &file : item.skippedFiles)
            skippedRows +=
                QStringLiteral("<tr class=\"st-%1\"><td>%2</td><td class=\"path\">%3</td><td>%4</td>"
                               "<td>%5</td></tr>\n")
                    .arg(esc(statusKey(file.status)), itemName, orDash(file.source.isEmpty() ? file.path : file.source),
                         statusCell(file.status), orDash(file.reason));
    }
    html += QStringLiteral("<h2>Partly collected files</h2>\n");
    if (truncatedRows.isEmpty())
        html += QStringLiteral("<p class=\"muted\">None: every staged file is complete.</p>\n");
    else
        html += QStringLiteral("<table class=\"truncated\">\n<tr><th>Item</th><th>In the archive</th><th>Source</th>"
                               "<th>Status</th><th>Reason</th></tr>\n") +
                truncatedRows + QStringLiteral("</table>\n");
    html += QStringLiteral("<h2>Not collected</h2>\n");
    if (skippedRows.isEmpty())
        html += QStringLiteral("<p class=\"muted\">None: every source that was found was collected.</p>\n");
    else
        html += QStringLiteral("<table class=\"not-collected\">\n<tr><th>Item</th><th>Source</th><th>Status</th>"
                               "<th>Reason</th></tr>\n") +
                skippedRows + QStringLiteral("</table>\n");

    html += QStringLiteral("<footer>Generated by diagcollect %1. Every file in this archive is listed with its "
                           "sha256 in <code>manifest.json</code>; <code>diagcollect verify ARCHIVE</code> checks "
                           "them.</footer>\n</body>\n</html>\n")
                .arg(orDash(manifest.toolVersion));
    return html.toUtf8();
}

} // namespace

QByteArray summaryHtml(const Manifest &manifest) { return page(manifest, nullptr); }

QByteArray summaryHtml(const Manifest &manifest, const analysis::Findings &findings)
{
    return page(manifest, &findings);
}

} // namespace dc::core
