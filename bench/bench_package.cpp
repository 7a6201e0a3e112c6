// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors

// Packages a directory the way `diagcollect collect` does and reports the
// time taken; bench/package.sh runs it next to the tar and zstd command lines.
//
//   bench_package [--format tar.zst|zip] [--level N] [--threads N]
//                 [--engine libzstd|libarchive] [--verify] DIR OUTPUT

#include "core/bundle/archive.h"
#include "core/bundle/archive_p.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <cstdio>

using namespace dc::core;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Packaging benchmark for diagcollect"));
    parser.addHelpOption();
    const QCommandLineOption formatOption(QStringLiteral("format"), QStringLiteral("tar.zst (default) or zip"),
                                          QStringLiteral("format"), QStringLiteral("tar.zst"));
    const QCommandLineOption levelOption(QStringLiteral("level"), QStringLiteral("zstd level (default 3)"),
                                         QStringLiteral("level"), QStringLiteral("3"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("compression threads, 0 = all cores"),
                                           QStringLiteral("threads"), QStringLiteral("0"));
    const QCommandLineOption engineOption(QStringLiteral("engine"),
                                          QStringLiteral("zstd engine: libzstd (default, what diagcollect uses) or "
                                                         "libarchive (libarchive's zstd filter)"),
                                          QStringLiteral("engine"), QStringLiteral("libzstd"));
    const QCommandLineOption verifyOption(QStringLiteral("verify"),
                                          QStringLiteral("also re-read the archive (timed separately)"));
    parser.addOptions({formatOption, levelOption, threadsOption, engineOption, verifyOption});
    parser.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("directory to package"));
    parser.addPositionalArgument(QStringLiteral("output"), QStringLiteral("archive to write (must not exist)"));
    parser.process(app);
    if (parser.positionalArguments().size() != 2)
        parser.showHelp(2);

    const auto format = archiveFormatFromName(parser.value(formatOption));
    const QString engineName = parser.value(engineOption);
    if (!format || (engineName != QLatin1String("libzstd") && engineName != QLatin1String("libarchive"))) {
        std::fprintf(stderr, "bench_package: bad --format or --engine\n");
        return 2;
    }
    PackageOptions options;
    options.format = *format;
    options.zstdLevel = parser.value(levelOption).toInt();
    options.threads = parser.value(threadsOption).toInt();
    options.topDir = QStringLiteral("bench");
    options.entryTime = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    qint64 total = 0;
    options.progress = [&total](qint64, qint64 all) { total = all; };

    const QString input = parser.positionalArguments().at(0);
    const QString output = parser.positionalArguments().at(1);
    const auto engine =
        engineName == QLatin1String("libarchive") ? detail::ZstdEngine::LibArchiveFilter : detail::ZstdEngine::LibZstd;
    QElapsedTimer timer;
    timer.start();
    const auto result = detail::packageDirectory(input, output, options, engine);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!result) {
        std::fprintf(stderr, "bench_package: %s\n", qPrintable(result.error().message));
        return 1;
    }
    const double mb = double(total) / (1024.0 * 1024.0);
    std::printf(
        "format=%s engine=%s level=%d threads=%d in=%.1fMiB out=%.1fMiB ratio=%.2f time=%.2fs speed=%.1fMiB/s\n",
        qPrintable(archiveExtension(*format)), qPrintable(engineName), options.zstdLevel, options.threads, mb,
        double(result->bytes) / (1024.0 * 1024.0), double(total) / double(std::max<qint64>(result->bytes, 1)), seconds,
        mb / seconds);

    if (parser.isSet(verifyOption)) {
        timer.restart();
        const auto report = verifyArchive(result->path);
        if (!report) {
            std::fprintf(stderr, "bench_package: verify: %s\n", qPrintable(report.error().message));
            return 1;
        }
        std::printf("verify: %d entries read in %.2fs\n", report->entries, double(timer.nsecsElapsed()) / 1e9);
    }
    return 0;
}
