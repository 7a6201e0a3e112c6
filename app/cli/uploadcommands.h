// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"
#include "core/run/runrequest.h"
#include "core/upload/uploader.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QStringList>

class QCommandLineParser;

namespace dc::cli {

// The support-side and sending commands (docs/UPLOAD.md, docs/SEALING.md).
// Each takes its arguments with arguments[0] = "diagcollect <command>" and
// returns the exit code: 0 ok, 1 failure, 2 usage error, 130 cancelled.

// diagcollect upload ARCHIVE --url URL [--case-id ID] [--token-env VAR] [--ca-cert FILE] [--pin SHA256] [--json]
// The administrator's policy is enforced in core (core/run/policyupload.h).
int runUploadCommand(const QStringList &arguments, const core::Policy &policy);
// diagcollect keygen --out FILE [--public-out FILE] [--json]
int runKeygenCommand(const QStringList &arguments);
// diagcollect seal ARCHIVE --public-key KEY [--keep-plain]
int runSealCommand(const QStringList &arguments);
// diagcollect unseal ARCHIVE.sealed --key FILE [--out FILE]
int runUnsealCommand(const QStringList &arguments);

// Upload progress on stderr for `upload` and `collect --upload`. On a terminal
// one redrawn line; otherwise (a pipe, a management agent's log) plain lines:
// one per 10 % step, and at least one every 30 s while the upload runs, so a
// headless caller sees that bytes move. Status notes (retries, resumes) are
// printed once each: not here when --verbose logging already shows them.
class UploadProgressPrinter
{
public:
    UploadProgressPrinter(bool quiet, bool verbose);
    void progress(qint64 sent, qint64 total);
    void status(const QString &message);
    void done(); // clears a terminal's progress line

private:
    bool m_quiet;
    bool m_verbose;
    bool m_terminal;
    int m_lastPercent = -1;
    int m_lastStep = -1;
    qint64 m_lastLineMs = 0;
    QElapsedTimer m_clock;
};

// The JSON of an upload that failed after the archive was saved: "sent": false,
// "status": "saved, not sent", the archive's path, the reason, requests and retries.
QJsonObject notSentJson(const QString &archive, const core::UploadReport &attempt, const QString &reason);

// `collect` delivery: --seal, --upload URL, --token-env, --ca-cert, --pin, --retention-days.
void addDeliveryOptions(QCommandLineParser &parser);
// Copies them into the run's request (the job checks them against the profile
// and the policy). Returns -1 to go on, or the exit code of a usage error.
int readDeliveryOptions(const QCommandLineParser &parser, core::RunRequest &request);

} // namespace dc::cli
