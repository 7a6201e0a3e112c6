// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"
#include "core/run/runrequest.h"

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

// `collect` delivery: --seal, --upload URL, --token-env, --ca-cert, --pin, --retention-days.
void addDeliveryOptions(QCommandLineParser &parser);
// Copies them into the run's request (the job checks them against the profile
// and the policy). Returns -1 to go on, or the exit code of a usage error.
int readDeliveryOptions(const QCommandLineParser &parser, core::RunRequest &request);

} // namespace dc::cli
