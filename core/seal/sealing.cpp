// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/seal/sealing.h"

#include "core/log/logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <array>
#include <cstring>
#include <sodium.h>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace dc::core {

namespace {

// docs/SEALING.md describes this layout; change both together.
constexpr char kMagic[8] = {'D', 'C', 'S', 'E', 'A', 'L', '1', '\n'};
constexpr quint8 kVersion = 1;
constexpr quint8 kAlgorithm = 1; // X25519 sealed box + XChaCha20-Poly1305 secretstream
constexpr int kKeyIdBytes = 8;
constexpr int kSealedKeyBytes = crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES; // 80
constexpr int kOffsetChunk = 12;
constexpr int kOffsetKeyId = 16;
constexpr int kOffsetSealedKey = kOffsetKeyId + kKeyIdBytes;                                          // 24
constexpr int kOffsetStreamHeader = kOffsetSealedKey + kSealedKeyBytes;                               // 104
constexpr int kHeaderBytes = kOffsetStreamHeader + crypto_secretstream_xchacha20poly1305_HEADERBYTES; // 128
constexpr int kMinChunk = 1024;
constexpr int kMaxChunk = 64 * 1024 * 1024;
constexpr auto kSecretKeyPrefix = "diagcollect-seal-secret-key-1";

static_assert(kHeaderBytes == 128);

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

// Zeroes key material when it goes out of scope, on every path.
struct Wipe
{
    void *data;
    std::size_t size;
    ~Wipe() { sodium_memzero(data, size); }
};

void putU32(char *out, quint32 value)
{
    for (int i = 0; i < 4; ++i)
        out[i] = char((value >> (8 * i)) & 0xff);
}

quint32 getU32(const char *in)
{
    quint32 value = 0;
    for (int i = 0; i < 4; ++i)
        value |= quint32(quint8(in[i])) << (8 * i);
    return value;
}

QString partialPathFor(const QString &outputPath)
{
    const QFileInfo info(outputPath);
    return info.absolutePath() + QStringLiteral("/.") + info.fileName() + QStringLiteral(".partial");
}

// An output written to ".<name>.partial" with mode 0600 from creation on, and
// renamed over nothing at commit(); removed by the destructor unless committed.
class AtomicOutput
{
public:
    explicit AtomicOutput(QString finalPath)
        : m_final(std::move(finalPath))
        , m_partial(partialPathFor(m_final))
        , m_file(m_partial)
    {
    }
    ~AtomicOutput()
    {
        if (!m_committed) {
            m_file.close();
            QFile::remove(m_partial);
        }
    }

    Result<void> open()
    {
        if (QFileInfo::exists(m_final))
            return fail(ErrorCode::Io, QStringLiteral("%1 already exists").arg(m_final));
        QFile::remove(m_partial); // left by a killed run of ours
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner))
            return fail(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(m_partial, m_file.errorString()));
        return {};
    }
    QFile &file() { return m_file; }
    QByteArray sha256() const { return m_hash.result().toHex(); }
    Result<void> write(const unsigned char *data, qint64 size)
    {
        m_hash.addData(QByteArrayView(reinterpret_cast<const char *>(data), size));
        if (m_file.write(reinterpret_cast<const char *>(data), size) != size)
            return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(m_partial, m_file.errorString()));
        return {};
    }
    Result<void> commit()
    {
        if (!m_file.flush())
            return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(m_partial, m_file.errorString()));
#ifdef Q_OS_UNIX
        if (::fsync(m_file.handle()) != 0)
            return fail(ErrorCode::Io, QStringLiteral("cannot sync %1").arg(m_partial));
#endif
        m_file.close();
        if (!QFile::rename(m_partial, m_final))
            return fail(ErrorCode::Io, QStringLiteral("cannot rename %1 to %2").arg(m_partial, m_final));
        m_committed = true;
        return {};
    }

private:
    QString m_final;
    QString m_partial;
    QFile m_file;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    bool m_committed = false;
};

Result<void> checkCancelled(const SealOptions &options)
{
    if (options.cancelled && options.cancelled->load())
        return fail(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    return {};
}

} // namespace

Result<SealKeyPair> generateSealKeyPair()
{
    if (!sodiumReady())
        return fail(ErrorCode::Internal, QStringLiteral("libsodium could not be initialized"));
    SealKeyPair pair;
    pair.publicKey.resize(crypto_box_PUBLICKEYBYTES);
    pair.secretKey.resize(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(reinterpret_cast<unsigned char *>(pair.publicKey.data()),
                       reinterpret_cast<unsigned char *>(pair.secretKey.data()));
    return pair;
}

QString encodeKey(const QByteArray &rawKey) { return QString::fromLatin1(rawKey.toBase64()); }

QString sealKeyId(const QByteArray &publicKey)
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char *>(publicKey.constData()),
                       publicKey.size(), nullptr, 0);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), kKeyIdBytes).toHex());
}

Result<void> writeSecretKeyFile(const QString &path, const QByteArray &secretKey)
{
    if (secretKey.size() != crypto_box_SECRETKEYBYTES)
        return fail(ErrorCode::Internal, QStringLiteral("secret key has the wrong size"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner))
        return fail(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(path, file.errorString()));
    QByteArray line = QByteArray(kSecretKeyPrefix) + ' ' + secretKey.toBase64() + '\n';
    const bool written = file.write(line) == line.size() && file.flush();
    sodium_memzero(line.data(), line.size());
    if (!written) {
        file.close();
        file.remove();
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1").arg(path));
    }
    return {};
}

Result<SealKeyPair> readSecretKeyFile(const QString &path)
{
    if (!sodiumReady())
        return fail(ErrorCode::Internal, QStringLiteral("libsodium could not be initialized"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read key file %1: %2").arg(path, file.errorString()));
    QByteArray content = file.read(4096);
    Wipe wipeContent{content.data(), std::size_t(content.size())};
    const QList<QByteArray> parts = content.trimmed().split(' ');
    SealKeyPair pair;
    if (parts.size() == 2 && parts[0] == kSecretKeyPrefix)
        pair.secretKey = QByteArray::fromBase64(parts[1]);
    if (pair.secretKey.size() != crypto_box_SECRETKEYBYTES)
        return fail(ErrorCode::Usage,
                    QStringLiteral("%1 is not a diagcollect secret key file (made by 'diagcollect keygen')").arg(path));
    pair.publicKey.resize(crypto_box_PUBLICKEYBYTES);
    crypto_scalarmult_base(reinterpret_cast<unsigned char *>(pair.publicKey.data()),
                           reinterpret_cast<const unsigned char *>(pair.secretKey.constData()));
    return pair;
}

Result<SealResult>
sealFile(const QString &inputPath, const QString &outputPath, const QByteArray &publicKey, const SealOptions &options)
{
    if (!sodiumReady())
        return fail(ErrorCode::Internal, QStringLiteral("libsodium could not be initialized"));
    if (publicKey.size() != crypto_box_PUBLICKEYBYTES)
        return fail(ErrorCode::Usage, QStringLiteral("the sealing public key must be 32 bytes"));
    if (options.chunkBytes < kMinChunk || options.chunkBytes > kMaxChunk)
        return fail(ErrorCode::Usage, QStringLiteral("sealing chunk size out of range"));

    QFile input(inputPath);
    if (!input.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(inputPath, input.errorString()));
    const qint64 total = input.size();

    AtomicOutput output(outputPath);
    if (auto opened = output.open(); !opened)
        return tl::unexpected(opened.error());

    // The per-archive key exists only in memory and inside the sealed box.
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    Wipe wipeKey{key, sizeof key};
    crypto_secretstream_xchacha20poly1305_keygen(key);

    unsigned char header[kHeaderBytes] = {};
    std::memcpy(header, kMagic, sizeof kMagic);
    header[8] = kVersion;
    header[9] = kAlgorithm;
    putU32(reinterpret_cast<char *>(header + kOffsetChunk), quint32(options.chunkBytes));
    const QByteArray keyId = QByteArray::fromHex(sealKeyId(publicKey).toLatin1());
    std::memcpy(header + kOffsetKeyId, keyId.constData(), kKeyIdBytes);
    if (crypto_box_seal(header + kOffsetSealedKey, key, sizeof key,
                        reinterpret_cast<const unsigned char *>(publicKey.constData())) != 0)
        return fail(ErrorCode::Usage, QStringLiteral("the sealing public key is not a valid X25519 key"));
    crypto_secretstream_xchacha20poly1305_state state;
    Wipe wipeState{&state, sizeof state};
    crypto_secretstream_xchacha20poly1305_init_push(&state, header + kOffsetStreamHeader, key);
    if (auto written = output.write(header, kHeaderBytes); !written)
        return tl::unexpected(written.error());

    QByteArray plain(options.chunkBytes, Qt::Uninitialized);
    QByteArray cipher(options.chunkBytes + int(crypto_secretstream_xchacha20poly1305_ABYTES), Qt::Uninitialized);
    Wipe wipePlain{plain.data(), std::size_t(plain.size())};
    qint64 done = 0;
    for (;;) {
        if (auto cancelled = checkCancelled(options); !cancelled)
            return tl::unexpected(cancelled.error());
        // A short read only happens at the end of a regular file.
        qint64 got = 0;
        while (got < options.chunkBytes) {
            const qint64 n = input.read(plain.data() + got, options.chunkBytes - got);
            if (n < 0)
                return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(inputPath, input.errorString()));
            if (n == 0)
                break;
            got += n;
        }
        done += got;
        const bool last = got < options.chunkBytes || input.atEnd();
        unsigned long long cipherLength = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &state, reinterpret_cast<unsigned char *>(cipher.data()), &cipherLength,
            reinterpret_cast<const unsigned char *>(plain.constData()), quint64(got), header, kHeaderBytes,
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        if (auto written =
                output.write(reinterpret_cast<const unsigned char *>(cipher.constData()), qint64(cipherLength));
            !written)
            return tl::unexpected(written.error());
        if (options.progress)
            options.progress(done, total);
        if (last)
            break;
    }
    const qint64 bytes = output.file().size();
    if (auto committed = output.commit(); !committed)
        return tl::unexpected(committed.error());
    return SealResult{QFileInfo(outputPath).absoluteFilePath(), bytes, sealKeyId(publicKey), output.sha256()};
}

namespace {

Result<QByteArray> readHeader(QFile &input, const QString &path)
{
    QByteArray header = input.read(kHeaderBytes);
    if (header.size() < 8 || std::memcmp(header.constData(), kMagic, sizeof kMagic) != 0)
        return fail(ErrorCode::Verification, QStringLiteral("%1 is not a sealed diagcollect archive").arg(path));
    if (header.size() < kHeaderBytes)
        return fail(ErrorCode::Verification, QStringLiteral("%1 is truncated (incomplete header)").arg(path));
    if (quint8(header[8]) != kVersion || quint8(header[9]) != kAlgorithm)
        return fail(ErrorCode::Verification,
                    QStringLiteral("%1 uses sealing format version %2, this tool reads version %3")
                        .arg(path)
                        .arg(quint8(header[8]))
                        .arg(kVersion));
    return header;
}

} // namespace

Result<QString> sealedFileKeyId(const QString &sealedPath)
{
    QFile input(sealedPath);
    if (!input.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(sealedPath, input.errorString()));
    auto header = readHeader(input, sealedPath);
    if (!header)
        return tl::unexpected(header.error());
    return QString::fromLatin1(header->mid(kOffsetKeyId, kKeyIdBytes).toHex());
}

namespace {

// Chi-square of a byte histogram against the uniform distribution (255 degrees
// of freedom: mean 255, standard deviation 22.6 for random bytes).
double chiSquare(const std::array<qint64, 256> &counts, qint64 total)
{
    const double expected = double(total) / 256.0;
    double sum = 0;
    for (qint64 count : counts)
        sum += (double(count) - expected) * (double(count) - expected) / expected;
    return sum;
}

} // namespace

Result<QString> checkSealedFile(const QString &sealedPath, const std::atomic_bool *cancelled)
{
    QFile input(sealedPath);
    if (!input.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(sealedPath, input.errorString()));
    auto header = readHeader(input, sealedPath);
    if (!header)
        return tl::unexpected(header.error());
    const quint32 chunkBytes = getU32(header->constData() + kOffsetChunk);
    if (chunkBytes < quint32(kMinChunk) || chunkBytes > quint32(kMaxChunk))
        return fail(ErrorCode::Verification, QStringLiteral("%1 has an invalid chunk size").arg(sealedPath));
    // Every chunk but the last is full; the last carries at least its tag.
    const qint64 cipherChunk = qint64(chunkBytes) + crypto_secretstream_xchacha20poly1305_ABYTES;
    const qint64 body = input.size() - kHeaderBytes;
    const qint64 last = body - (body > 0 ? (body - 1) / cipherChunk * cipherChunk : 0);
    if (body <= 0 || last < qint64(crypto_secretstream_xchacha20poly1305_ABYTES))
        return fail(ErrorCode::Verification, QStringLiteral("%1 is not a complete sealed archive (its length does "
                                                            "not fit the sealed chunk layout)")
                                                 .arg(sealedPath));
    // Ciphertext looks random; an archive, compressed or not, does not. 450 is
    // 8.6 standard deviations above the mean for random bytes.
    constexpr qint64 kWindow = 1024 * 1024;
    constexpr qint64 kMinWindow = 64 * 1024;
    constexpr double kMaxChiSquare = 450;
    std::array<qint64, 256> counts{};
    qint64 inWindow = 0;
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    auto windowIsRandom = [&] {
        const bool random = inWindow < kMinWindow || chiSquare(counts, inWindow) <= kMaxChiSquare;
        counts.fill(0);
        inWindow = 0;
        return random;
    };
    while (true) {
        if (cancelled && cancelled->load())
            return fail(ErrorCode::Cancelled, QStringLiteral("cancelled"));
        const qint64 n = input.read(buffer.data(), qMin<qint64>(buffer.size(), kWindow - inWindow));
        if (n < 0)
            return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(sealedPath, input.errorString()));
        if (n == 0)
            break;
        for (qint64 i = 0; i < n; ++i)
            ++counts[quint8(buffer[i])];
        inWindow += n;
        if (inWindow == kWindow && !windowIsRandom())
            return fail(ErrorCode::Verification,
                        QStringLiteral("%1 is not sealed: behind its sealed header are bytes that are not encrypted")
                            .arg(sealedPath));
    }
    if (!windowIsRandom())
        return fail(ErrorCode::Verification,
                    QStringLiteral("%1 is not sealed: behind its sealed header are bytes that are not encrypted")
                        .arg(sealedPath));
    return QString::fromLatin1(header->mid(kOffsetKeyId, kKeyIdBytes).toHex());
}

Result<SealResult>
unsealFile(const QString &sealedPath, const QString &outputPath, const SealKeyPair &keys, const SealOptions &options)
{
    if (!sodiumReady())
        return fail(ErrorCode::Internal, QStringLiteral("libsodium could not be initialized"));
    if (keys.publicKey.size() != crypto_box_PUBLICKEYBYTES || keys.secretKey.size() != crypto_box_SECRETKEYBYTES)
        return fail(ErrorCode::Usage, QStringLiteral("the key pair has the wrong size"));
    QFile input(sealedPath);
    if (!input.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(sealedPath, input.errorString()));
    const qint64 total = input.size();
    auto headerBytes = readHeader(input, sealedPath);
    if (!headerBytes)
        return tl::unexpected(headerBytes.error());
    const auto *header = reinterpret_cast<const unsigned char *>(headerBytes->constData());
    const QString fileKeyId = QString::fromLatin1(headerBytes->mid(kOffsetKeyId, kKeyIdBytes).toHex());
    const QString ourKeyId = sealKeyId(keys.publicKey);
    if (fileKeyId != ourKeyId)
        return fail(
            ErrorCode::Verification,
            QStringLiteral("%1 was sealed for key %2, not for this key (%3)").arg(sealedPath, fileKeyId, ourKeyId));
    const quint32 chunkBytes = getU32(headerBytes->constData() + kOffsetChunk);
    if (chunkBytes < quint32(kMinChunk) || chunkBytes > quint32(kMaxChunk))
        return fail(ErrorCode::Verification, QStringLiteral("%1 has an invalid chunk size").arg(sealedPath));

    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    Wipe wipeKey{key, sizeof key};
    if (crypto_box_seal_open(key, header + kOffsetSealedKey, kSealedKeyBytes,
                             reinterpret_cast<const unsigned char *>(keys.publicKey.constData()),
                             reinterpret_cast<const unsigned char *>(keys.secretKey.constData())) != 0)
        return fail(ErrorCode::Verification,
                    QStringLiteral("%1 cannot be opened with this key (wrong key or damaged header)").arg(sealedPath));
    crypto_secretstream_xchacha20poly1305_state state;
    Wipe wipeState{&state, sizeof state};
    if (crypto_secretstream_xchacha20poly1305_init_pull(&state, header + kOffsetStreamHeader, key) != 0)
        return fail(ErrorCode::Verification, QStringLiteral("%1 has a damaged stream header").arg(sealedPath));

    AtomicOutput output(outputPath);
    if (auto opened = output.open(); !opened)
        return tl::unexpected(opened.error());

    const qint64 cipherChunk = qint64(chunkBytes) + crypto_secretstream_xchacha20poly1305_ABYTES;
    QByteArray cipher(cipherChunk, Qt::Uninitialized);
    QByteArray plain(qsizetype(chunkBytes), Qt::Uninitialized);
    Wipe wipePlain{plain.data(), std::size_t(plain.size())};
    qint64 done = kHeaderBytes;
    for (qint64 index = 0;; ++index) {
        if (auto cancelled = checkCancelled(options); !cancelled)
            return tl::unexpected(cancelled.error());
        qint64 got = 0;
        while (got < cipherChunk) {
            const qint64 n = input.read(cipher.data() + got, cipherChunk - got);
            if (n < 0)
                return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(sealedPath, input.errorString()));
            if (n == 0)
                break;
            got += n;
        }
        done += got;
        if (got < qint64(crypto_secretstream_xchacha20poly1305_ABYTES))
            return fail(ErrorCode::Verification,
                        QStringLiteral("%1 is truncated (the final chunk is missing)").arg(sealedPath));
        unsigned long long plainLength = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(
                &state, reinterpret_cast<unsigned char *>(plain.data()), &plainLength, &tag,
                reinterpret_cast<const unsigned char *>(cipher.constData()), quint64(got), header, kHeaderBytes) != 0)
            return fail(ErrorCode::Verification,
                        QStringLiteral("%1 is damaged or was modified (chunk %2 fails authentication)")
                            .arg(sealedPath)
                            .arg(index));
        if (auto written =
                output.write(reinterpret_cast<const unsigned char *>(plain.constData()), qint64(plainLength));
            !written)
            return tl::unexpected(written.error());
        if (options.progress)
            options.progress(done, total);
        const bool final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (final) {
            if (!input.atEnd())
                return fail(ErrorCode::Verification,
                            QStringLiteral("%1 has unexpected data after its final chunk").arg(sealedPath));
            break;
        }
        if (got < cipherChunk)
            return fail(ErrorCode::Verification,
                        QStringLiteral("%1 is truncated (the final chunk is missing)").arg(sealedPath));
    }
    const qint64 bytes = output.file().size();
    if (auto committed = output.commit(); !committed)
        return tl::unexpected(committed.error());
    return SealResult{QFileInfo(outputPath).absoluteFilePath(), bytes, fileKeyId, output.sha256()};
}

namespace {

// Checked before anything is touched: the key seals, the output name is free.
Result<void> checkSealPreconditions(const QString &outputPath, const QByteArray &publicKey)
{
    if (!sodiumReady())
        return fail(ErrorCode::Internal, QStringLiteral("libsodium could not be initialized"));
    if (publicKey.size() != crypto_box_PUBLICKEYBYTES)
        return fail(ErrorCode::Usage, QStringLiteral("the sealing public key must be 32 bytes"));
    unsigned char probe[crypto_box_SEALBYTES + 1];
    const unsigned char nothing = 0;
    if (crypto_box_seal(probe, &nothing, 1, reinterpret_cast<const unsigned char *>(publicKey.constData())) != 0)
        return fail(ErrorCode::Usage, QStringLiteral("the sealing public key is not a valid X25519 key"));
    const QFileInfo output(outputPath);
    if (output.exists() || output.isSymLink())
        return fail(ErrorCode::Io, QStringLiteral("%1 already exists").arg(outputPath));
    return {};
}

} // namespace

Result<SealResult>
sealUserFile(const QString &inputPath, const QByteArray &publicKey, bool keepInput, const SealOptions &options)
{
    const QString sealedPath = inputPath + QLatin1String(kSealedSuffix);
    if (auto ready = checkSealPreconditions(sealedPath, publicKey); !ready)
        return fail(ready.error().code,
                    QStringLiteral("%1; nothing was changed, %2 is kept").arg(ready.error().message, inputPath));
    const QFileInfo input(inputPath);
    if (input.isSymLink() || !input.isFile())
        return fail(ErrorCode::Usage, QStringLiteral("%1 is not a regular file").arg(inputPath));
    auto sealed = sealFile(inputPath, sealedPath, publicKey, options);
    if (!sealed)
        return fail(sealed.error().code,
                    QStringLiteral("%1; %2 is kept as it was").arg(sealed.error().message, inputPath));
    if (!keepInput && !QFile::remove(inputPath))
        log::get("core")->warn("sealed {}, but cannot remove the unsealed {}", sealedPath, inputPath);
    log::get("core")->info("sealed {} for key {} ({} bytes)", sealedPath, sealed->keyId, sealed->bytes);
    return sealed;
}

Result<SealResult> sealArchive(const QString &archivePath, const QByteArray &publicKey, const SealOptions &options)
{
    const QString sealedPath = archivePath + QLatin1String(kSealedSuffix);
    auto sealed = sealFile(archivePath, sealedPath, publicKey, options);
    // Fail closed: the plaintext never stays where the sealed archive should be.
    if (!QFile::remove(archivePath) && QFileInfo::exists(archivePath))
        return fail(ErrorCode::Io,
                    QStringLiteral("cannot remove the unsealed archive %1; delete it by hand").arg(archivePath));
    if (!sealed) {
        log::get("core")->warn("sealing {} failed, unsealed archive removed: {}", archivePath, sealed.error().message);
        return fail(sealed.error().code,
                    QStringLiteral("sealing failed, so no archive was kept: %1").arg(sealed.error().message));
    }
    log::get("core")->info("sealed {} for key {} ({} bytes)", sealedPath, sealed->keyId, sealed->bytes);
    return sealed;
}

} // namespace dc::core
