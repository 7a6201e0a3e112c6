// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <memory>

namespace dc::core {

// SHA-256 as lowercase hex, the form the manifest, the profile and the full-log
// state record. Qt 6.4's implementation is portable C (about 100-150 MB/s here),
// which on a 2-core machine costs as much wall time as a third of the archive's
// compression; with nettle (libarchive's own crypto library on Debian) the CPU's
// SHA instructions make it 5-10x faster. Without nettle, QCryptographicHash.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(QByteArrayView data);
    // The digest of everything added; call once.
    QByteArray hex();

    static QByteArray hex(QByteArrayView data);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace dc::core
