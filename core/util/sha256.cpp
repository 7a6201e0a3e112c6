// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/sha256.h"

#ifdef DC_HAVE_NETTLE
#include <nettle/sha2.h>
#else
#include <QCryptographicHash>
#endif

namespace dc::core {

#ifdef DC_HAVE_NETTLE

struct Sha256::State
{
    sha256_ctx context;
};

Sha256::Sha256()
    : m_state(std::make_unique<State>())
{
    sha256_init(&m_state->context);
}

void Sha256::add(QByteArrayView data)
{
    sha256_update(&m_state->context, size_t(data.size()), reinterpret_cast<const uint8_t *>(data.data()));
}

QByteArray Sha256::hex()
{
    QByteArray digest(SHA256_DIGEST_SIZE, Qt::Uninitialized);
    sha256_digest(&m_state->context, SHA256_DIGEST_SIZE, reinterpret_cast<uint8_t *>(digest.data()));
    return digest.toHex();
}

#else

struct Sha256::State
{
    QCryptographicHash hash{QCryptographicHash::Sha256};
};

Sha256::Sha256()
    : m_state(std::make_unique<State>())
{
}

void Sha256::add(QByteArrayView data) { m_state->hash.addData(data); }

QByteArray Sha256::hex() { return m_state->hash.result().toHex(); }

#endif

Sha256::~Sha256() = default;

QByteArray Sha256::hex(QByteArrayView data)
{
    Sha256 hash;
    hash.add(data);
    return hash.hex();
}

} // namespace dc::core
