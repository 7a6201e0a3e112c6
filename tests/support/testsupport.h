// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// dc_testsupport: the fixtures several test executables share, built once
// (tests/CMakeLists.txt links it into every test). Test-only; any thread unless said.

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace dc::test {

// docs/examples/acme-shield.json: the example product profile the CLI, GUI and
// full-log tests collect with.
QString acmeProfile();
// tests/data/acme: the file tree that profile reads (through --define ACME_ROOT=...).
QString acmeFixture();

// The whole file, or empty when it cannot be read.
QByteArray readAll(const QString &path);
// Writes (replaces) a file, creating its folders; false when it cannot.
bool writeAll(const QString &path, const QByteArray &bytes);
// Copies every file below from (hidden ones too) into to (folders made as needed, permissions kept);
// false on any failure.
bool copyTree(const QString &from, const QString &to);

// The environment of a diagcollect run that touches nothing of the real user's:
// HOME and XDG_CACHE_HOME / XDG_STATE_HOME / XDG_DATA_HOME below home, no display.
QProcessEnvironment isolatedEnvironment(const QString &home);
// The same for this process, for tests that run the CLI or a job in-process: sets HOME and
// the XDG folders below home, unsets DISPLAY and WAYLAND_DISPLAY. Main thread, before any
// other thread reads the environment.
void useIsolatedEnvironment(const QString &home);

struct BinaryRun
{
    int exitCode = -1; // -1: did not start, crashed or timed out (then killed)
    QByteArray out;
    QByteArray err;
};
// Runs the built diagcollect with arguments and environment, stdin from /dev/null.
BinaryRun runBinary(const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs = 120000);

} // namespace dc::test
