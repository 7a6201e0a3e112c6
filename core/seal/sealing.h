// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/key32.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <atomic>
#include <functional>
#include <optional>

namespace dc::core {

// Sealing encrypts an archive to support's X25519 public key so that only the
// holder of the private key can read it (libsodium: a sealed box around a
// random per-archive key, then crypto_secretstream_xchacha20poly1305 over the
// archive in chunks). The file format is documented in docs/SEALING.md.
// Memory use is bounded by two chunks, whatever the archive size.

inline constexpr int kSealKeyBytes = 32;
inline constexpr auto kSealedSuffix = ".sealed";

struct SealKeyPair
{
    QByteArray publicKey; // 32 raw bytes
    QByteArray secretKey; // 32 raw bytes
};

// A fresh X25519 key pair. Fails only when libsodium cannot initialize.
Result<SealKeyPair> generateSealKeyPair();

// decodeKey32 (a key in hex or base64) is in core/util/key32.h, included above.
QString encodeKey(const QByteArray &rawKey); // base64

// "ab12cd34ef56ab78": the first 8 bytes of BLAKE2b-256(public key), in hex.
// Written into every sealed file so that unseal can say which key it needs.
QString sealKeyId(const QByteArray &publicKey);

// Secret key file: one line "diagcollect-seal-secret-key-1 <base64>" written
// with mode 0600 from creation on (never world-readable for an instant);
// refuses to overwrite an existing file.
Result<void> writeSecretKeyFile(const QString &path, const QByteArray &secretKey);
// Reads a secret key file; the public key is derived from it.
Result<SealKeyPair> readSecretKeyFile(const QString &path);

struct SealOptions
{
    int chunkBytes = 1024 * 1024; // plaintext bytes per authenticated chunk
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic_bool *cancelled = nullptr;
};

struct SealResult
{
    QString path; // the written file (sealed, or unsealed by unsealFile)
    qint64 bytes = 0;
    QString keyId;
    QByteArray sha256; // lower-case hex of the written file, computed while writing
};

// Seals inputPath for publicKey into outputPath. Writes ".<name>.partial"
// (0600) beside outputPath, fsyncs and renames it; on any error or cancel
// nothing is left under either name. ErrorCode::Io for file errors,
// ErrorCode::Usage for a malformed key, ErrorCode::Cancelled.
Result<SealResult> sealFile(const QString &inputPath,
                            const QString &outputPath,
                            const QByteArray &publicKey,
                            const SealOptions &options = {});

// Decrypts a sealed file into outputPath (same atomic write as sealFile).
// Fails closed with ErrorCode::Verification, leaving nothing behind, when the
// file is not a sealed archive, was sealed for another key, was modified
// (any flipped byte) or truncated, or has data after its final chunk.
Result<SealResult> unsealFile(const QString &sealedPath,
                              const QString &outputPath,
                              const SealKeyPair &keys,
                              const SealOptions &options = {});

// What the collector calls after packaging when sealing is on: seals
// archivePath into archivePath + ".sealed" and removes the plaintext archive.
// Fails closed: when sealing cannot complete, the plaintext archive is removed
// too (no unsealed archive stays in place of the sealed one) and the error is
// returned.
Result<SealResult>
sealArchive(const QString &archivePath, const QByteArray &publicKey, const SealOptions &options = {});

// What `diagcollect seal FILE` calls. FILE is the user's, not created by this
// run: it is never removed on a failure. The preconditions (a valid key, no file
// or symlink at FILE.sealed, FILE a readable regular file) are checked before
// anything is written; FILE is removed only after FILE.sealed is complete, and
// not at all with keepInput.
Result<SealResult>
sealUserFile(const QString &inputPath, const QByteArray &publicKey, bool keepInput, const SealOptions &options = {});

// Reads the header of a sealed file: the recipient key id, or an error when
// the file is not a sealed archive.
Result<QString> sealedFileKeyId(const QString &sealedPath);

// Checks a whole sealed file without the secret key, as far as that is
// possible: the header, a chunk size in range, a length the chunk layout
// allows, and ciphertext that is statistically indistinguishable from random
// bytes (a chi-square test per MiB), so that a borrowed header in front of a
// plaintext or compressed archive is refused (ErrorCode::Verification).
// Returns the recipient key id. The policy's require_sealing on upload checks
// the very bytes it then sends with this.
Result<QString> checkSealedFile(const QString &sealedPath, const std::atomic_bool *cancelled = nullptr);

} // namespace dc::core
