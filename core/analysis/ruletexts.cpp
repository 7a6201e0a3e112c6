// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/ruletexts.h"

#include <QCoreApplication>

namespace dc::core::analysis {

namespace {

// Kept in the order of resources/analysis/builtin-rules.json: title, explanation, advice per rule.
const char *const kTexts[] = {
    //: Title of the analysis finding "systemd-unit-failed"; %1 is what the finding is about (a unit, a file system, a
    //: program).
    QT_TRANSLATE_NOOP("AnalysisRules", "Unit %1 failed"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "systemd reports this unit in the failed state: the service it runs is not working."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Read the unit's status and journal (services/failed-status.txt), fix the cause, then run: "
                      "systemctl restart UNIT."),
    //: Title of the analysis finding "systemd-restart-loop"; %1 is what the finding is about (a unit, a file system, a
    //: program).
    QT_TRANSLATE_NOOP("AnalysisRules", "Unit %1 keeps restarting"),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "systemd restarted this unit five times or more in a row: it starts, fails and is started again."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Look for the first error after each start in the journal of this unit; a wrong configuration or "
                      "a missing file is the usual cause."),
    //: Title of the analysis finding "disk-full"; %1 is what the finding is about (a unit, a file system, a program).
    QT_TRANSLATE_NOOP("AnalysisRules", "File system %1 is almost full"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "More than 90 % of this file system is used. Programs fail in unexpected ways when they cannot "
                      "write logs, databases or temporary files."),
    QT_TRANSLATE_NOOP("AnalysisRules", "Free space on it (old logs, package caches, core dumps) or make it larger."),
    //: Title of the analysis finding "inodes-exhausted"; %1 is what the finding is about (a unit, a file system, a
    //: program).
    QT_TRANSLATE_NOOP("AnalysisRules", "File system %1 is running out of inodes"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "More than 90 % of the inodes (file entries) of this file system are used: no new file can be "
                      "created there, even with free space left."),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "Find the folders holding millions of small files (mail queues, caches, session files) and clean them up."),
    //: Title of the analysis finding "output-folder-full".
    QT_TRANSLATE_NOOP("AnalysisRules", "The folder this run writes to is almost full"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "The staging or output folder of this collection has more than 90 % of its space or inodes used: "
                      "the archive may be cut short, and the machine itself is short of space."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Free space there, or collect again with --output pointing at a folder on another disk."),
    //: Title of the analysis finding "oom-kill"; %1 is what the finding is about (a unit, a file system, a program).
    QT_TRANSLATE_NOOP("AnalysisRules", "The kernel killed %1 when memory ran out"),
    QT_TRANSLATE_NOOP("AnalysisRules", "The system ran out of memory and the kernel's OOM killer ended this process."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Check which process used the memory (processes.txt, the kernel log before the kill) and add "
                      "memory or limit that process."),
    //: Title of the analysis finding "segfault"; %1 is what the finding is about (a unit, a file system, a program).
    QT_TRANSLATE_NOOP("AnalysisRules", "%1 crashed with a segmentation fault"),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "The kernel logged a segmentation fault of this program: it accessed memory it must not and was stopped."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Update the program; if it keeps crashing, send its crash dump (coredumpctl) to its vendor."),
    //: Title of the analysis finding "clock-not-synchronized".
    QT_TRANSLATE_NOOP("AnalysisRules", "The clock is not synchronized"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "The system clock is not kept in step with a time server. A wrong clock breaks certificate "
                      "checks, licences and Kerberos, and makes logs hard to correlate."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Enable time synchronization (timedatectl set-ntp true, or chrony/ntpd) and check that the time "
                      "server can be reached."),
    //: Title of the analysis finding "dns-no-resolver".
    QT_TRANSLATE_NOOP("AnalysisRules", "No DNS server is configured"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "/etc/resolv.conf names no name server, so host names cannot be resolved: updates, licence "
                      "checks and cloud services fail."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Configure a DNS server (NetworkManager, systemd-resolved or /etc/resolv.conf) and check with: "
                      "getent hosts example.com."),
    //: Title of the analysis finding "proxy-environment-only".
    QT_TRANSLATE_NOOP("AnalysisRules", "A proxy is set for this session but not system-wide"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "The environment of this session names a proxy, but no system configuration does: services "
                      "started by the system connect without the proxy and may fail where this session succeeds."),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "Configure the proxy system-wide (/etc/environment and the package manager) or for the product's service."),
    //: Title of the analysis finding "proxy-system-only".
    QT_TRANSLATE_NOOP("AnalysisRules", "A proxy is configured system-wide but not in this session"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "System configuration names a proxy, but the environment of this session does not: programs "
                      "started from here connect directly and may fail where services succeed."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "If this network needs the proxy, set http_proxy and https_proxy for this session too."),
    //: Title of the analysis finding "crash-recent"; %1 is what the finding is about (a unit, a file system, a
    //: program).
    QT_TRANSLATE_NOOP("AnalysisRules", "%1 crashed in the last 7 days"),
    QT_TRANSLATE_NOOP("AnalysisRules", "systemd-coredump recorded a crash of this program during the last week."),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "See coredump-info.txt for the signal and stack; update the program or send the dump to its vendor."),
    //: Title of the analysis finding "crash-reports"; %1 is what the finding is about (a unit, a file system, a
    //: program).
    QT_TRANSLATE_NOOP("AnalysisRules", "Crash report %1 in /var/crash"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "A crash report was left in /var/crash: the program named in it crashed on this machine."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Open the report (apport-unpack or the distribution's crash reporter) to see the program and the "
                      "stack; send it to the program's vendor."),
    //: Title of the analysis finding "product-crash-dumps".
    QT_TRANSLATE_NOOP("AnalysisRules", "The product wrote crash dumps"),
    QT_TRANSLATE_NOOP("AnalysisRules", "The product's crash dump folder holds dumps: one of its processes crashed."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Send the dumps to the product's support; they show where it crashed (collect them with full "
                      "logs when asked)."),
    //: Title of the analysis finding "product-service-failed".
    QT_TRANSLATE_NOOP("AnalysisRules", "The product's service failed in the last day"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "The journal of the product's service shows that it stopped with an error or could not start "
                      "during the last 24 hours."),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "Read the lines before the failure in the service's journal; restart the service once the cause is fixed."),
    //: Title of the analysis finding "product-log-errors".
    QT_TRANSLATE_NOOP("AnalysisRules", "The product's log shows repeated errors in the last hour"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "The product logged five errors or more during the hour before this collection."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Read the error lines in the product's log: the first one usually names the cause."),
    //: Title of the analysis finding "items-failed".
    QT_TRANSLATE_NOOP("AnalysisRules", "Some data could not be collected"),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "Items of this collection failed or timed out: support will not find their data in this archive."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "See the reasons below; fix them (a missing tool, a hung command) and collect again if support "
                      "needs this data."),
    //: Title of the analysis finding "items-permission-denied".
    QT_TRANSLATE_NOOP("AnalysisRules", "Some data could not be read without more rights"),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Files or commands of this collection were refused for lack of rights: support will not find "
                      "them in this archive."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "Run the collection as administrator (sudo diagcollect collect) if support needs this data."),
    //: Title of the analysis finding "items-truncated".
    QT_TRANSLATE_NOOP("AnalysisRules", "Some files were cut to fit the size limits"),
    QT_TRANSLATE_NOOP(
        "AnalysisRules",
        "Files of this collection were larger than the profile's limits and only their newest part was kept."),
    QT_TRANSLATE_NOOP("AnalysisRules",
                      "If support needs the older part, collect again with full logs or a profile with larger limits."),
};

} // namespace

const QList<const char *> &builtinRuleTexts()
{
    static const QList<const char *> texts(std::begin(kTexts), std::end(kTexts));
    return texts;
}

QString translateRuleText(const QString &english)
{
    const QByteArray key = english.toUtf8();
    return QCoreApplication::translate(kRuleTextContext, key.constData());
}

} // namespace dc::core::analysis
