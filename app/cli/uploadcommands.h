// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/archive.h"
#include "core/profile/profile.h"

#include <QJsonObject>
#include <QStringList>
#include <atomic>

class QCommandLineParser;

namespace dc::cli {

// The support-side and sending commands (docs/UPLOAD.md, docs/SEALING.md).
// Each takes its arguments with arguments[0] = "diagcollect <command>" and
// returns the exit code: 0 ok, 1 failure, 2 usage error, 130 cancelled.

// diagcollect upload ARCHIVE --url URL [--case-id ID] [--token-env VAR] [--ca-cert FILE] [--pin SHA256] [--json]
int runUploadCommand(const QStringList &arguments);
// diagcollect keygen --out FILE [--public-out FILE] [--json]
int runKeygenCommand(const QStringList &arguments);
// diagcollect seal ARCHIVE --public-key KEY [--keep-plain]
int runSealCommand(const QStringList &arguments);
// diagcollect unseal ARCHIVE.sealed --key FILE [--out FILE]
int runUnsealCommand(const QStringList &arguments);

// `collect` delivery: --seal, --upload URL, --token-env, --ca-cert, --pin, --retention-days.
void addDeliveryOptions(QCommandLineParser &parser);
// Before collecting: checks the delivery options against the profile and expires old archives
// in outputDir (retention). Returns -1 to go on, or the exit code to stop with.
int prepareDelivery(const QCommandLineParser &parser, const core::Profile &profile, const QString &outputDir);
// After packaging: seals (--seal or seal.required; fails closed) and uploads (--upload).
// Updates archive to the delivered file and adds "sealed"/"upload" to jsonExtra. Returns -1
// to go on, or the exit code to stop with (the error is already reported).
int deliverArchive(const QCommandLineParser &parser,
                   const core::Profile &profile,
                   core::PackageResult &archive,
                   bool json,
                   QJsonObject &jsonExtra,
                   const std::atomic_bool *cancelled);

} // namespace dc::cli
