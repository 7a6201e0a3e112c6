// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collect/reasontexts.h"

#include <QCoreApplication>
#include <QList>
#include <QRegularExpression>

namespace dc::core {

namespace {

// Every reason the collectors (core/collectors, core/collect), the probes and
// unmetRequirement() write, with %1, %2, ... where they put a value. When a
// collector gains a reason, add its template here: test_profiletexts collects
// the default profile under Japanese and fails on an English reason.
// clang-format off
constexpr const char *kTemplates[] = {
    // Files
    QT_TRANSLATE_NOOP("ItemReasons", "not found"),
    QT_TRANSLATE_NOOP("ItemReasons", "nothing found"),
    QT_TRANSLATE_NOOP("ItemReasons", "permission denied"),
    QT_TRANSLATE_NOOP("ItemReasons", "vanished while collecting"),
    QT_TRANSLATE_NOOP("ItemReasons", "symlink loop"),
    QT_TRANSLATE_NOOP("ItemReasons", "cancelled"),
    QT_TRANSLATE_NOOP("ItemReasons", "dangling symlink"),
    QT_TRANSLATE_NOOP("ItemReasons", "dangling symlink or symlink loop"),
    QT_TRANSLATE_NOOP("ItemReasons", "not a regular file"),
    QT_TRANSLATE_NOOP("ItemReasons", "not a regular file (FIFO)"),
    QT_TRANSLATE_NOOP("ItemReasons", "not a regular file (socket)"),
    QT_TRANSLATE_NOOP("ItemReasons", "not a regular file (character device)"),
    QT_TRANSLATE_NOOP("ItemReasons", "not a regular file (block device)"),
    QT_TRANSLATE_NOOP("ItemReasons", "not a regular file (folder)"),
    QT_TRANSLATE_NOOP("ItemReasons", "not an absolute path"),
    QT_TRANSLATE_NOOP("ItemReasons", "folder nested too deeply"),
    QT_TRANSLATE_NOOP("ItemReasons", "symbolic link (not followed)"),
    QT_TRANSLATE_NOOP("ItemReasons", "symbolic link to %1 (not followed)"),
    QT_TRANSLATE_NOOP("ItemReasons", "symbolic link to %1 (not followed: outside %2)"),
    QT_TRANSLATE_NOOP("ItemReasons", "symbolic link to %1 (not followed: owned by %2)"),
    QT_TRANSLATE_NOOP("ItemReasons", "replaced while collecting (not collected)"),
    QT_TRANSLATE_NOOP("ItemReasons", "hard link to a file owned by %1 in a folder of %2 (not collected)"),
    QT_TRANSLATE_NOOP("ItemReasons", "rotated copy of %1 (the item does not take rotated logs)"),
    QT_TRANSLATE_NOOP("ItemReasons", "older than %1 days"),
    QT_TRANSLATE_NOOP("ItemReasons", "read error: %1"),
    QT_TRANSLATE_NOOP("ItemReasons", "cannot write to staging"),
    QT_TRANSLATE_NOOP("ItemReasons", "cannot write to staging: %1"),
    QT_TRANSLATE_NOOP("ItemReasons", "cannot write %1: %2"),
    QT_TRANSLATE_NOOP("ItemReasons", "the file shrank while it was read (%1 bytes when opened, %2 after, modified %3 -> %4); kept %5 bytes"),
    QT_TRANSLATE_NOOP("ItemReasons", "kept the newest %1 of %2 bytes"),
    QT_TRANSLATE_NOOP("ItemReasons", "kept the first %1 of %2 bytes"),
    QT_TRANSLATE_NOOP("ItemReasons", "kept the first %1 bytes"),
    QT_TRANSLATE_NOOP("ItemReasons", "kept the newest %1 of %2 matching files"),
    QT_TRANSLATE_NOOP("ItemReasons", "stopped: %1"),
    QT_TRANSLATE_NOOP("ItemReasons", "and %1 more: %2"),
    // The run's budget
    QT_TRANSLATE_NOOP("ItemReasons", "cut to the newest %1 bytes to fit the run's %2-byte budget"),
    QT_TRANSLATE_NOOP("ItemReasons", "left out: over the run's %1-byte budget"),
    // Commands
    QT_TRANSLATE_NOOP("ItemReasons", "not installed"),
    QT_TRANSLATE_NOOP("ItemReasons", "needs administrator rights"),
    QT_TRANSLATE_NOOP("ItemReasons", "needs administrator rights (%1)"),
    QT_TRANSLATE_NOOP("ItemReasons", "empty command"),
    QT_TRANSLATE_NOOP("ItemReasons", "cannot run: %1"),
    QT_TRANSLATE_NOOP("ItemReasons", "timed out after %1 s"),
    QT_TRANSLATE_NOOP("ItemReasons", "timed out after %1 s; output is partial"),
    QT_TRANSLATE_NOOP("ItemReasons", "output capped at %1 bytes"),
    QT_TRANSLATE_NOOP("ItemReasons", "killed by signal %1"),
    QT_TRANSLATE_NOOP("ItemReasons", "crashed"),
    QT_TRANSLATE_NOOP("ItemReasons", "exit status unknown"),
    QT_TRANSLATE_NOOP("ItemReasons", "exit status %1: %2"),
    QT_TRANSLATE_NOOP("ItemReasons", "exit status %1"),
    QT_TRANSLATE_NOOP("ItemReasons", "nothing to report (%1)"),
    // Probes
    QT_TRANSLATE_NOOP("ItemReasons", "unknown probe \"%1\""),
    QT_TRANSLATE_NOOP("ItemReasons", "the probe found nothing to report"),
    QT_TRANSLATE_NOOP("ItemReasons", "output cut at max_bytes (%1 of %2 bytes kept)"),
    QT_TRANSLATE_NOOP("ItemReasons", "not available on this platform"),
    QT_TRANSLATE_NOOP("ItemReasons", "no \"path\" argument"),
    QT_TRANSLATE_NOOP("ItemReasons", "%1 does not exist"),
    QT_TRANSLATE_NOOP("ItemReasons", "%1 is not a directory"),
    QT_TRANSLATE_NOOP("ItemReasons", "/proc/self/mountinfo is not readable"),
    QT_TRANSLATE_NOOP("ItemReasons", "unknown format \"%1\" (expected table, tsv or jsonl)"),
    // Requirements (unmetRequirement)
    QT_TRANSLATE_NOOP("ItemReasons", "systemd is not running here (a container or chroot?)"),
    QT_TRANSLATE_NOOP("ItemReasons", "this system has no systemd journal"),
    // The C library's words for the errors files meet most (strerror in the C locale)
    QT_TRANSLATE_NOOP("ItemReasons", "No such file or directory"),
    QT_TRANSLATE_NOOP("ItemReasons", "Permission denied"),
    QT_TRANSLATE_NOOP("ItemReasons", "Operation not permitted"),
    QT_TRANSLATE_NOOP("ItemReasons", "Not a directory"),
    QT_TRANSLATE_NOOP("ItemReasons", "Is a directory"),
    QT_TRANSLATE_NOOP("ItemReasons", "Input/output error"),
    QT_TRANSLATE_NOOP("ItemReasons", "Too many levels of symbolic links"),
    QT_TRANSLATE_NOOP("ItemReasons", "No such device or address"),
    QT_TRANSLATE_NOOP("ItemReasons", "No space left on device"),
    QT_TRANSLATE_NOOP("ItemReasons", "Stale file handle"),
    QT_TRANSLATE_NOOP("ItemReasons", "File name too long"),
};
// clang-format on

// A template with a value in the middle is tried before a shorter one it
// starts with ("exit status %1: %2" before "exit status %1"): the patterns are
// anchored at both ends, and the first that matches wins.
struct Template
{
    const char *english;
    QRegularExpression pattern; // the whole reason, one capture per %N in order of appearance
    QList<int> order;           // the N of each capture
};

const QList<Template> &templates()
{
    static const QList<Template> list = [] {
        static const QRegularExpression placeholder(QStringLiteral("%(\\d)"));
        QList<Template> result;
        for (const char *english : kTemplates) {
            const QString text = QString::fromUtf8(english);
            Template entry{english, {}, {}};
            QString pattern = QStringLiteral("^");
            qsizetype at = 0;
            for (auto it = placeholder.globalMatch(text); it.hasNext();) {
                const QRegularExpressionMatch match = it.next();
                pattern += QRegularExpression::escape(text.mid(at, match.capturedStart() - at));
                pattern += QStringLiteral("(.+?)");
                entry.order << match.captured(1).toInt();
                at = match.capturedEnd();
            }
            pattern += QRegularExpression::escape(text.mid(at)) + QStringLiteral("$");
            entry.pattern = QRegularExpression(pattern, QRegularExpression::DotMatchesEverythingOption);
            result << entry;
        }
        return result;
    }();
    return list;
}

QString translated(const QString &reason, int depth)
{
    if (reason.isEmpty() || depth > 3)
        return reason;
    for (const Template &entry : templates()) {
        const QRegularExpressionMatch match = entry.pattern.match(reason);
        if (!match.hasMatch())
            continue;
        QString text = QCoreApplication::translate("ItemReasons", entry.english);
        if (entry.order.isEmpty())
            return text;
        // Put each value back by its number; one that is itself a reason is translated.
        QStringList values(entry.order.size());
        for (qsizetype i = 0; i < entry.order.size(); ++i) {
            const int n = entry.order.at(i);
            if (n >= 1 && n <= values.size())
                values[n - 1] = translated(match.captured(int(i) + 1), depth + 1);
        }
        static const QRegularExpression placeholder(QStringLiteral("%(\\d)"));
        QString out;
        qsizetype at = 0;
        for (auto it = placeholder.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch marker = it.next();
            out += text.mid(at, marker.capturedStart() - at);
            const int n = marker.captured(1).toInt();
            out += n >= 1 && n <= values.size() ? values.at(n - 1) : marker.captured(0);
            at = marker.capturedEnd();
        }
        return out + text.mid(at);
    }
    return reason;
}

} // namespace

QString reasonText(const QString &reason) { return translated(reason, 0); }

QString itemReasonText(const QString &reason, int unreadableFiles, const QString &firstFileReason)
{
    if (!reason.isEmpty() || unreadableFiles <= 0)
        return reasonText(reason);
    return QCoreApplication::translate("ItemReasons", "%n file(s) cannot be read: %1", nullptr, unreadableFiles)
        .arg(reasonText(firstFileReason));
}

QStringList reasonTemplates()
{
    QStringList list;
    for (const char *english : kTemplates)
        list << QString::fromUtf8(english);
    return list;
}

} // namespace dc::core
