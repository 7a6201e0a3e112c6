// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/manifest.h"
#include "core/util/result.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace dc::core::analysis {

// What support analyses: a staging folder as it is, or an archive (tar.zst or
// zip; sealed ones with the secret key file) unpacked into a private temporary
// folder that is removed with this object.
class BundleFolder
{
public:
    // Unpacking keeps regular files with normalized paths below the archive's
    // top folder only (no link, no "..", nothing outside it) and stops with
    // ErrorCode::Archive past maxBytes of content. A sealed archive without
    // secretKeyFile is ErrorCode::Usage. manifest.json must be there and valid.
    static Result<std::unique_ptr<BundleFolder>>
    open(const QString &path, const QString &secretKeyFile = {}, qint64 maxBytes = 8LL * 1024 * 1024 * 1024);

    const QString &folder() const { return m_folder; }
    const Manifest &manifest() const { return m_manifest; }
    bool unpacked() const { return m_temporary != nullptr; }

private:
    BundleFolder() = default;
    std::unique_ptr<QTemporaryDir> m_temporary;
    QString m_folder;
    Manifest m_manifest;
};

} // namespace dc::core::analysis
