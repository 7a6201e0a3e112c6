// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QObject>
#include <QString>
#include <QUrl>
#include <atomic>
#include <functional>
#include <memory>

namespace dc::core {

// Sends an archive to support over HTTPS (docs/UPLOAD.md).
//
// - HTTPS only, TLS 1.2 or newer, certificate chain and host name verified;
//   an optional extra CA bundle and an optional SHA-256 pin of the server's
//   public key (SubjectPublicKeyInfo). There is no switch to skip verification.
// - HTTP PUT to the resolved URL, bearer token from an environment variable
//   (never logged, never in messages), the case ID as a header and/or in the path.
// - Files larger than chunkBytes go up in chunks (first chunk a plain PUT, then
//   PUTs with "Content-Range: bytes a-b/total", each confirmed by HEAD); after a
//   failure the uploader asks the server (HEAD) how much it holds and continues
//   from there. A server that refuses Content-Range (400/405/411/416/501) or
//   ignores it (wrong size afterwards) gets one whole streamed PUT instead.
// - Connection errors, stalls, 408, 429 and 5xx are retried with exponential
//   backoff and jitter (Retry-After honoured), each retry on a new connection,
//   at most maxAttempts times in a row without progress; other 4xx fail at once
//   with the server's message. A stall is transferTimeoutMs without a byte
//   moving on the wire (acknowledged by the server or received), never a limit
//   on a whole request: a slow link that moves bytes is never cut.
// - Each confirmed chunk is recorded (resumeStateDir), so a later upload of the
//   same unchanged file to the same URL continues where the server holds its bytes.
// - Finally HEAD must report the file's size, and its sha256 when the server
//   sends one (X-Checksum-Sha256, Digest: SHA-256=, Repr-Digest: sha-256=).
// - The system proxy is used, and HTTPS_PROXY/https_proxy (with NO_PROXY).
struct UploadOptions
{
    // "https://host/path" (the file name is appended after a '/') or a template
    // with {file} and/or {case}: "https://host/cases/{case}/{file}".
    QString url;
    QString caseId;                                   // must pass isValidCaseId() when set
    QString caseHeader = QStringLiteral("X-Case-Id"); // sent when caseId is set; empty: no header
    QString tokenEnv;   // name of the environment variable holding the bearer token; empty: none
    QString caCertFile; // PEM bundle trusted in addition to the system's CAs
    QString pinSha256;  // hex, base64 or "sha256//base64" of SHA-256(SubjectPublicKeyInfo); empty: no pin
    qint64 chunkBytes = 8LL * 1024 * 1024; // 0: always one whole PUT
    int maxAttempts = 6;                   // tries of one step before giving up
    int initialBackoffMs = 1000;           // doubled per retry, with jitter, up to maxBackoffMs
    int maxBackoffMs = 60000;
    int maxRetryAfterMs = 300000;  // a server's Retry-After is honoured up to this
    int transferTimeoutMs = 60000; // no byte moving on the wire for this long: the attempt fails (and is retried)
    QString resumeStateDir;        // where chunked uploads record their progress; empty: paths::dataDir()/uploads
    QByteArray sha256;             // lower-case hex of the file when already known (PackageResult::sha256)
};

struct UploadReport
{
    QString url;  // where the file went, without user info or query
    QString host; // host[:port], for "sent to ..." messages
    qint64 bytes = 0;
    bool chunked = false;        // uploaded in resumable chunks
    bool rangeFallback = false;  // the server did not support Content-Range: one whole PUT was used
    int requests = 0;            // HTTP requests made
    int retries = 0;             // failed attempts that were retried (each on a new connection)
    int connections = 0;         // TLS connections opened
    int resumes = 0;             // times an interrupted chunked upload continued from the server's size
    bool sizeVerified = false;   // HEAD reported exactly `bytes`
    bool sha256Verified = false; // the server sent a SHA-256 and it matches
    QString verification;        // one English sentence saying what was checked
    QString failure;             // for a failed upload: the reason (without the "still saved at" sentence)
};

// The signal argument of Uploader::finished.
struct UploadOutcome
{
    Result<UploadReport> result;
    UploadReport report; // what was done, also when the upload failed (requests, retries, failure)
};

// Resolves the upload URL for fileName: substitutes {case} and {file}
// (percent-encoded) or appends "/<file>". Refuses anything but https:// (with
// a clear message for http://), URLs with user info, and {case} without a case
// ID. ErrorCode::Usage.
Result<QUrl> resolveUploadUrl(const QString &urlTemplate, const QString &caseId, const QString &fileName);
// "https://host:port/path": no user info, no query (which may carry signatures).
QString displayUrl(const QUrl &url);
// text with the bearer token replaced by "[token]": every occurrence of a token
// of 8 characters or more; a shorter one only where it stands alone (not inside
// a word, so a one-letter token does not mangle every message).
QString scrubToken(QString text, const QByteArray &token);

// Asynchronous uploader for the GUI: create, connect, start(). Lives on the
// thread that created it (needs an event loop); every signal is emitted there.
// finished is emitted exactly once, also when start() fails at once.
class Uploader : public QObject
{
    Q_OBJECT

public:
    Uploader(QString filePath, UploadOptions options, QObject *parent = nullptr);
    ~Uploader() override;

    void start();
    // Stops the transfer; finished carries ErrorCode::Cancelled. Safe to call any time.
    void cancel();
    bool isRunning() const;

signals:
    void progress(qint64 sent, qint64 total);
    // Human progress notes: "retrying in 4 s after: connection reset", "falling back to one whole PUT".
    void status(const QString &message);
    void finished(const dc::core::UploadOutcome &outcome);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

struct UploadCallbacks
{
    std::function<void(qint64 sent, qint64 total)> progress;
    std::function<void(const QString &message)> status;
    const std::atomic_bool *cancelled = nullptr; // polled every 50 ms
};

// Synchronous upload for the CLI: runs an Uploader in a local QEventLoop (a
// QCoreApplication must exist). On failure the message ends by saying that the
// archive is still at filePath. attempt (optional) receives UploadOutcome::report.
Result<UploadReport> uploadFile(const QString &filePath,
                                const UploadOptions &options,
                                const UploadCallbacks &callbacks = {},
                                UploadReport *attempt = nullptr);

} // namespace dc::core
