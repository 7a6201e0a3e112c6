// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace dc::core {

// Accepts a 32-byte value written as hex (64 digits), base64 (44 characters) or
// base64url (43, optional "="); surrounding white space is ignored. X25519 public keys
// (sealing, profiles, policies) and SHA-256 upload pins are written this way; the
// profile and policy loaders read them without depending on the sealing code.
std::optional<QByteArray> decodeKey32(const QString &text);

} // namespace dc::core
