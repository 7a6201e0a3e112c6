// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/analyzer.h"

#include "core/analysis/timestamp.h"
#include "core/util/safefs.h"

#include <QByteArrayMatcher>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QStorageInfo>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <atomic>

#ifdef Q_OS_UNIX
#include <sys/statvfs.h>
#endif

namespace dc::core::analysis {

namespace {

constexpr qint64 kChunkBytes = 256 * 1024;
constexpr qsizetype kMaxLineBytes = 64 * 1024;
// Lines stamped a little after the run started were written while it ran.
constexpr qint64 kAfterStartSlackMs = 15 * 60 * 1000;

bool isCancelled(const std::atomic_bool *cancelled) { return cancelled && cancelled->load(); }

// "*" within a path component, "**" across components, "?" one character.
QRegularExpression globToRegex(const QString &glob)
{
    QString pattern = QStringLiteral("^");
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QStringView rest = QStringView(glob).mid(i);
        if (rest.startsWith(QLatin1String("**/"))) {
            pattern += QStringLiteral("(?:.*/)?"); // "**/x" matches "x" too
            i += 2;
        } else if (rest.startsWith(QLatin1String("**"))) {
            pattern += QStringLiteral(".*");
            ++i;
        } else if (rest.front() == QLatin1Char('*')) {
            pattern += QStringLiteral("[^/]*");
        } else if (rest.front() == QLatin1Char('?')) {
            pattern += QStringLiteral("[^/]");
        } else {
            pattern += QRegularExpression::escape(rest.left(1));
        }
    }
    return QRegularExpression(pattern + QLatin1Char('$'));
}

QString cut(QString text)
{
    if (text.size() > kMaxEvidenceChars) {
        text.truncate(kMaxEvidenceChars);
        text += QStringLiteral("…");
    }
    return text;
}

struct GroupState
{
    qint64 count = 0;
    QList<Evidence> evidence; // per file, in reading order
};

// What the lines read tell about one condition: of one file while it is
// read (files are read in parallel), then of every file, added up in
// manifest order so that the outcome is the same as one reading in order.
struct Tally
{
    bool fieldSeen = false; // Field: the key occurred
    QHash<QString, GroupState> groups;
    QStringList groupOrder; // first appearance

    void record(const QString &group, const QString &file, qint64 lineNumber, const QString &text)
    {
        auto it = groups.find(group);
        if (it == groups.end()) {
            it = groups.insert(group, GroupState{});
            groupOrder.append(group);
        }
        ++it->count;
        if (it->evidence.isEmpty() || it->evidence.constLast().file != file)
            it->evidence.append(Evidence{file, 0, {}});
        Evidence &evidence = it->evidence.last();
        ++evidence.count;
        // The most recent lines are the telling ones: keep the last few.
        if (evidence.lines.size() == kMaxEvidenceLines)
            evidence.lines.removeFirst();
        if (lineNumber >= 0)
            evidence.lines.append(EvidenceLine{lineNumber, cut(text)});
    }

    // The tally of a file read after every file already added.
    void add(Tally &&later)
    {
        fieldSeen = fieldSeen || later.fieldSeen;
        for (const QString &group : std::as_const(later.groupOrder)) {
            GroupState &next = later.groups[group];
            auto it = groups.find(group);
            if (it == groups.end()) {
                groups.insert(group, std::move(next));
                groupOrder.append(group);
                continue;
            }
            it->count += next.count;
            for (Evidence &evidence : next.evidence) {
                if (it->evidence.isEmpty() || it->evidence.constLast().file != evidence.file) {
                    it->evidence.append(std::move(evidence));
                    continue;
                }
                // The same file listed twice: one evidence, as when read in one go.
                Evidence &same = it->evidence.last();
                same.count += evidence.count;
                same.lines += evidence.lines;
                if (same.lines.size() > kMaxEvidenceLines)
                    same.lines.remove(0, same.lines.size() - kMaxEvidenceLines);
            }
        }
    }
};

// One condition of one rule while the files are read.
struct ConditionState
{
    const Condition *condition = nullptr;
    QList<QRegularExpression> itemGlobs;
    QList<QRegularExpression> pathGlobs;
    QByteArrayMatcher contains;
    bool sawData = false; // a selected file was read
    QStringList filesRead;
    Tally tally;

    bool selectsItem(const QString &itemId) const
    {
        return itemGlobs.isEmpty() || std::any_of(itemGlobs.cbegin(), itemGlobs.cend(),
                                                  [&](const auto &re) { return re.match(itemId).hasMatch(); });
    }
    bool selects(const QString &itemId, const QString &path) const
    {
        return selectsItem(itemId) &&
               (pathGlobs.isEmpty() || std::any_of(pathGlobs.cbegin(), pathGlobs.cend(),
                                                   [&](const auto &re) { return re.match(path).hasMatch(); }));
    }
    bool inRange(qint64 count) const
    {
        return count >= condition->minCount && (!condition->maxCount || count <= *condition->maxCount);
    }
};

// Each thread matches with compiled copies of its own: a match holds a
// reference to its expression, and a count that both cores' threads change
// on every line costs more than many matches.
std::atomic<quint64> g_analysisRuns{0};
struct ThreadRegexes
{
    quint64 run = 0;
    QHash<const QRegularExpression *, QRegularExpression> copies;
};
thread_local ThreadRegexes t_regexes;

// The analysis this thread reads files for: copies of an earlier one's expressions are dropped.
void readFor(quint64 run)
{
    if (t_regexes.run != run) {
        t_regexes.copies.clear();
        t_regexes.run = run;
    }
}

const QRegularExpression &ownCopy(const QRegularExpression &shared)
{
    auto it = t_regexes.copies.find(&shared);
    if (it == t_regexes.copies.end())
        it = t_regexes.copies.insert(&shared, QRegularExpression(shared.pattern(), shared.patternOptions()));
    return *it;
}

struct StagedText
{
    QString path;
    QString itemId;
};

// The line's leading number ("93%", "12.5 GB" -> 93, 12.5).
std::optional<double> leadingNumber(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^\\s*([-+]?\\d+(?:\\.\\d+)?)"));
    const auto match = number.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const double value = match.captured(1).toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

class FileScan
{
public:
    // Each of `states` records into the tally of the same index.
    FileScan(const QString &path,
             const QList<ConditionState *> &states,
             std::vector<Tally> &tallies,
             qint64 windowEndMs,
             const QDateTime &reference)
        : m_path(path)
        , m_states(states)
        , m_tallies(tallies)
        , m_windowEndMs(windowEndMs)
        , m_reference(reference)
    {
    }

    void line(QByteArrayView bytes, qint64 number)
    {
        std::optional<QString> text;
        std::optional<std::optional<qint64>> stamp;
        for (qsizetype i = 0; i < m_states.size(); ++i) {
            const ConditionState &state = *m_states[i];
            Tally &tally = m_tallies[size_t(i)];
            const Condition &condition = *state.condition;
            if (!condition.contains.isEmpty() && state.contains.indexIn(bytes.data(), bytes.size()) < 0)
                continue;
            if (!text)
                text = QString::fromUtf8(bytes);
            if (condition.kind == TestKind::Field) {
                field(condition, tally, *text, number);
                continue;
            }
            const QRegularExpressionMatch match = ownCopy(condition.regex).match(*text);
            if (!match.hasMatch())
                continue;
            if (condition.capture > 0) {
                bool ok = false;
                const double value = match.captured(condition.capture).toDouble(&ok);
                if (!ok || !condition.compare->holds(value))
                    continue;
            }
            if (condition.withinMinutes > 0) {
                if (!stamp)
                    stamp = leadingTimestampMs(bytes, m_reference);
                const qint64 windowStart = m_windowEndMs - kAfterStartSlackMs - qint64(condition.withinMinutes) * 60000;
                if (!*stamp || **stamp < windowStart || **stamp > m_windowEndMs)
                    continue;
            }
            tally.record(condition.groupBy > 0 ? match.captured(condition.groupBy) : QString(), m_path, number, *text);
        }
    }

private:
    void field(const Condition &condition, Tally &tally, const QString &text, qint64 number) const
    {
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return;
        const QString key = text.left(colon).simplified().toCaseFolded();
        if (key != condition.field && !key.endsWith(QLatin1Char(' ') + condition.field))
            return;
        tally.fieldSeen = true;
        const QString value = text.mid(colon + 1).trimmed();
        bool holds = false;
        if (condition.equals)
            holds = value.compare(*condition.equals, Qt::CaseInsensitive) == 0;
        else if (condition.notEquals)
            holds = value.compare(*condition.notEquals, Qt::CaseInsensitive) != 0;
        else if (condition.valueRegex.isValid() && !condition.valueRegex.pattern().isEmpty())
            holds = ownCopy(condition.valueRegex).match(value).hasMatch();
        else if (condition.compare)
            holds = leadingNumber(value).has_value() && condition.compare->holds(*leadingNumber(value));
        if (holds)
            tally.record(QString(), m_path, number, text);
    }

    QString m_path;
    const QList<ConditionState *> &m_states;
    std::vector<Tally> &m_tallies;
    qint64 m_windowEndMs;
    QDateTime m_reference;
};

// Reads one staged file line by line; false when it cannot be read or is binary.
bool scanFile(const QString &absolutePath, FileScan &scan, const std::atomic_bool *cancelled)
{
    auto opened = safefs::openRegular(absolutePath);
    if (!opened)
        return false;
    QFile file;
    if (!file.open(opened->fd.release(), QIODevice::ReadOnly, QFileDevice::AutoCloseHandle))
        return false;
    QByteArray pending;
    qint64 number = 0;
    bool first = true;
    bool skippingLongLine = false;
    while (!file.atEnd()) {
        if (isCancelled(cancelled))
            return true;
        const QByteArray chunk = file.read(kChunkBytes);
        if (chunk.isEmpty())
            break;
        if (first && chunk.left(8192).contains('\0'))
            return false; // binary: nothing to match line by line
        first = false;
        qsizetype start = 0;
        while (start < chunk.size()) {
            const qsizetype newline = chunk.indexOf('\n', start);
            const qsizetype end = newline < 0 ? chunk.size() : newline;
            if (!skippingLongLine) {
                pending.append(chunk.constData() + start, qMin(end - start, kMaxLineBytes - pending.size()));
            }
            if (newline < 0) {
                skippingLongLine = pending.size() >= kMaxLineBytes;
                break;
            }
            QByteArrayView line(pending);
            if (line.endsWith('\r'))
                line.chop(1);
            scan.line(line, ++number);
            pending.clear();
            skippingLongLine = false;
            start = newline + 1;
        }
    }
    if (!pending.isEmpty())
        scan.line(QByteArrayView(pending), ++number);
    return true;
}

struct SpaceUse
{
    double bytesPercent = 0;
    std::optional<double> inodesPercent;
};

std::optional<SpaceUse> spaceUse(const QString &path)
{
    SpaceUse use;
#ifdef Q_OS_UNIX
    // statvfs answers for any folder; QStorageInfo needs its mount in
    // /proc/self/mounts, which a container or a chroot may not list.
    struct statvfs st = {};
    if (::statvfs(QFile::encodeName(path).constData(), &st) != 0 || st.f_blocks == 0)
        return std::nullopt;
    const double used = double(st.f_blocks - st.f_bfree);
    const double usable = used + double(st.f_bavail);
    use.bytesPercent = usable > 0 ? 100.0 * used / usable : 0.0;
    if (st.f_files > 0)
        use.inodesPercent = 100.0 * double(st.f_files - st.f_ffree) / double(st.f_files);
#else
    QStorageInfo storage(path);
    if (!storage.isValid() || storage.bytesTotal() <= 0)
        return std::nullopt;
    const qint64 usable = storage.bytesTotal() - storage.bytesFree() + storage.bytesAvailable();
    use.bytesPercent = usable > 0 ? 100.0 * double(usable - storage.bytesAvailable()) / double(usable) : 0.0;
#endif
    return use;
}

enum class Outcome { Missing, Met, NotMet };

struct Evaluated
{
    Outcome outcome = Outcome::Missing;
    QList<Evidence> evidence; // ungrouped
    QStringList metGroups;    // grouped
    QHash<QString, QList<Evidence>> groupEvidence;
};

Evaluated evaluateLines(const ConditionState &state)
{
    Evaluated out;
    const Condition &condition = *state.condition;
    const Tally &tally = state.tally;
    if (!state.sawData || (condition.kind == TestKind::Field && !tally.fieldSeen))
        return out;
    if (condition.groupBy > 0) {
        for (const QString &group : tally.groupOrder) {
            const GroupState &g = tally.groups[group];
            if (state.inRange(g.count)) {
                out.metGroups.append(group);
                out.groupEvidence.insert(group, g.evidence);
            }
        }
        out.outcome = out.metGroups.isEmpty() ? Outcome::NotMet : Outcome::Met;
        return out;
    }
    const GroupState g = tally.groups.value(QString());
    out.outcome = state.inRange(g.count) ? Outcome::Met : Outcome::NotMet;
    if (g.count > 0) {
        out.evidence = g.evidence;
    } else {
        for (const QString &file : state.filesRead) // an absence: where it was looked for
            out.evidence.append(Evidence{file, 0, {}});
    }
    return out;
}

QList<const ItemResult *> selectedItems(const ConditionState &state, const Manifest &manifest)
{
    QList<const ItemResult *> items;
    for (const ItemResult &item : manifest.items)
        if (state.selectsItem(item.id))
            items.append(&item);
    return items;
}

Evaluated evaluatePresent(const ConditionState &state, const Manifest &manifest)
{
    Evaluated out;
    const QList<const ItemResult *> items = selectedItems(state, manifest);
    if (items.isEmpty())
        return out;
    Evidence evidence{QString::fromLatin1(Manifest::kFileName), 0, {}};
    for (const ItemResult *item : items) {
        // Staged files, including those left out of this copy at packaging
        // (binary dumps; stagingredactor records them as skipped and "excluded",
        // the manifest keeps their source but not their staging path).
        QList<FileEntry> staged = item->files;
        for (const FileEntry &file : item->skippedFiles)
            if (!file.path.isEmpty() || file.reason.contains(QLatin1String("excluded")))
                staged.append(file);
        for (const FileEntry &file : std::as_const(staged)) {
            const QString name = file.path.isEmpty() ? file.source : file.path;
            if (!state.selects(item->id, name))
                continue;
            ++evidence.count;
            if (evidence.lines.size() < kMaxEvidenceLines)
                evidence.lines.append(EvidenceLine{0, cut(name)});
        }
    }
    const bool present = evidence.count > 0;
    out.outcome = present == state.condition->present ? Outcome::Met : Outcome::NotMet;
    if (present)
        out.evidence.append(evidence);
    return out;
}

Evaluated evaluateStatus(const ConditionState &state, const Manifest &manifest)
{
    Evaluated out;
    const Condition &condition = *state.condition;
    const QList<const ItemResult *> items = selectedItems(state, manifest);
    if (items.isEmpty())
        return out;
    const auto matches = [&](Status status, const QString &reason) {
        return condition.statuses.contains(statusKey(status)) &&
               (condition.reasonRegex.pattern().isEmpty() || condition.reasonRegex.match(reason).hasMatch());
    };
    Evidence evidence{QString::fromLatin1(Manifest::kFileName), 0, {}};
    for (const ItemResult *item : items) {
        // One line per item: its own status, else its first file that matches.
        QString line;
        if (matches(item->status, item->reason)) {
            line = QStringLiteral("%1: %2").arg(item->id, statusKey(item->status));
            if (!item->reason.isEmpty())
                line += QStringLiteral(": ") + item->reason;
        }
        for (const QList<FileEntry> *files : {&item->files, &item->skippedFiles}) {
            for (const FileEntry &file : *files) {
                if (!line.isEmpty())
                    break;
                if (matches(file.status, file.reason))
                    line = QStringLiteral("%1: %2: %3 (%4)")
                               .arg(item->id, statusKey(file.status), file.reason,
                                    file.source.isEmpty() ? file.path : file.source);
            }
        }
        if (line.isEmpty())
            continue;
        ++evidence.count;
        if (evidence.lines.size() < kMaxEvidenceLines)
            evidence.lines.append(EvidenceLine{0, cut(line)});
    }
    out.outcome = state.inRange(evidence.count) ? Outcome::Met : Outcome::NotMet;
    if (evidence.count > 0)
        out.evidence.append(evidence);
    return out;
}

Evaluated evaluateSpace(const ConditionState &state, const QList<LiveFolder> &folders)
{
    Evaluated out;
    Evidence evidence;
    bool measured = false;
    for (const LiveFolder &folder : folders) {
        const auto use = spaceUse(folder.path);
        if (!use)
            continue;
        measured = true;
        const double limit = state.condition->usedPercentAbove;
        if (use->bytesPercent <= limit && (!use->inodesPercent || *use->inodesPercent <= limit))
            continue;
        ++evidence.count;
        QString line = QStringLiteral("%1: %2 % of the space used").arg(folder.label).arg(qRound(use->bytesPercent));
        if (use->inodesPercent)
            line += QStringLiteral(", %1 % of the inodes").arg(qRound(*use->inodesPercent));
        evidence.lines.append(EvidenceLine{0, line});
    }
    if (!measured)
        return out;
    out.outcome = evidence.count > 0 ? Outcome::Met : Outcome::NotMet;
    if (evidence.count > 0)
        out.evidence.append(evidence);
    return out;
}

Finding findingFor(const Rule &rule, const QString &subject, QList<Evidence> evidence)
{
    Finding finding;
    finding.rule = rule.id;
    finding.subject = subject;
    finding.severity = rule.severity;
    finding.titleTemplate = rule.title;
    finding.title = rule.title.contains(QLatin1String("%1")) ? QString(rule.title).replace(QLatin1String("%1"), subject)
                                                             : rule.title;
    finding.explanation = rule.explanation;
    finding.advice = rule.advice;
    finding.url = rule.url;
    finding.translations = rule.translations;
    finding.evidence = std::move(evidence);
    return finding;
}

} // namespace

Result<Findings> analyzeStaging(const QString &stagingDir,
                                const Manifest &manifest,
                                const QList<Rule> &rules,
                                const AnalysisOptions &options)
{
    const QDateTime reference = options.reference.isValid()  ? options.reference
                                : manifest.started.isValid() ? manifest.started
                                                             : QDateTime::currentDateTimeUtc();
    const qint64 windowEndMs = reference.toMSecsSinceEpoch() + kAfterStartSlackMs;

    // One state per condition of every rule, kept in place while files are read.
    QList<QList<ConditionState>> states(rules.size());
    for (qsizetype r = 0; r < rules.size(); ++r) {
        for (const Condition &condition : rules[r].conditions) {
            ConditionState state;
            state.condition = &condition;
            for (const QString &item : condition.items)
                state.itemGlobs.append(globToRegex(item));
            for (const QString &path : condition.paths)
                state.pathGlobs.append(globToRegex(path));
            state.contains = QByteArrayMatcher(condition.contains);
            states[r].append(std::move(state));
        }
    }

    // Every text file the manifest names, with the conditions that read it.
    struct FileRead
    {
        QString path;
        QList<ConditionState *> readers;
        std::vector<Tally> tallies; // one per reader
        bool read = false;
    };
    std::vector<FileRead> files;
    for (const ItemResult &item : manifest.items) {
        if (!item.redactable)
            continue; // crash dumps and other binary data
        for (const FileEntry &file : item.files) {
            if (!file.redactable || !safefs::isNormalizedRelative(file.path))
                continue;
            QList<ConditionState *> readers;
            for (QList<ConditionState> &ruleStates : states)
                for (ConditionState &state : ruleStates)
                    if ((state.condition->kind == TestKind::Lines || state.condition->kind == TestKind::Field) &&
                        state.selects(item.id, file.path))
                        readers.append(&state);
            if (!readers.isEmpty())
                files.push_back(FileRead{file.path, std::move(readers), {}, false});
        }
    }
    // The files are read in parallel, each into tallies of its own, which are
    // then added up in manifest order.
    const QFileInfo root(stagingDir);
    const QString base = root.canonicalFilePath().isEmpty() ? root.absoluteFilePath() : root.canonicalFilePath();
    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    const quint64 run = ++g_analysisRuns;
    QtConcurrent::blockingMap(&pool, files, [&](FileRead &file) {
        if (isCancelled(options.cancelled))
            return;
        readFor(run);
        file.tallies.resize(size_t(file.readers.size()));
        FileScan scan(file.path, file.readers, file.tallies, windowEndMs, reference);
        file.read = scanFile(base + QLatin1Char('/') + file.path, scan, options.cancelled);
    });
    if (isCancelled(options.cancelled))
        return fail(ErrorCode::Cancelled, QStringLiteral("analysis cancelled"));
    for (FileRead &file : files) {
        if (!file.read)
            continue;
        for (qsizetype i = 0; i < file.readers.size(); ++i) {
            ConditionState &state = *file.readers[i];
            state.tally.add(std::move(file.tallies[size_t(i)]));
            state.sawData = true;
            state.filesRead.append(file.path);
        }
    }

    Findings out;
    for (qsizetype r = 0; r < rules.size(); ++r) {
        const Rule &rule = rules[r];
        bool missing = false;
        bool met = true;
        QList<Evidence> shared;
        qsizetype grouped = -1;
        QList<Evaluated> results;
        for (const ConditionState &state : std::as_const(states[r])) {
            switch (state.condition->kind) {
            case TestKind::Lines:
            case TestKind::Field:
                results.append(evaluateLines(state));
                break;
            case TestKind::Present:
                results.append(evaluatePresent(state, manifest));
                break;
            case TestKind::Status:
                results.append(evaluateStatus(state, manifest));
                break;
            case TestKind::Space:
                results.append(evaluateSpace(state, options.liveFolders));
                break;
            }
            const Evaluated &result = results.constLast();
            if (result.outcome == Outcome::Missing) {
                if (!state.condition->matchIfMissing)
                    missing = true;
                continue;
            }
            met = met && result.outcome == Outcome::Met;
            if (state.condition->groupBy > 0)
                grouped = results.size() - 1;
            else
                shared += result.evidence;
        }
        if (missing) {
            out.notEvaluated.append(rule.id);
            continue;
        }
        ++out.rulesEvaluated;
        if (!met)
            continue;
        if (grouped < 0) {
            out.findings.append(findingFor(rule, QString(), shared));
            continue;
        }
        for (const QString &group : std::as_const(results[grouped].metGroups))
            out.findings.append(findingFor(rule, group, results[grouped].groupEvidence.value(group) + shared));
    }
    std::stable_sort(out.findings.begin(), out.findings.end(),
                     [](const Finding &a, const Finding &b) { return int(a.severity) < int(b.severity); });
    return out;
}

} // namespace dc::core::analysis
