// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/finding.h"
#include "core/bundle/manifest.h"

#include <QList>
#include <QString>

namespace dc::core::analysis {

// One bundle of a comparison: its folder, manifest and findings.
struct BundleView
{
    QString folder;
    Manifest manifest;
    Findings findings;
};

// A named value before and after; an empty side means added or removed.
struct ValueChange
{
    QString name;
    QString before;
    QString after;
};

struct ItemChange
{
    QString id;
    QString statusBefore;
    QString statusAfter;
    bool contentChanged = false; // the staged files differ (paths or sha256)
};

// What changed between two collections of one machine (`diagcollect diff A B`).
struct BundleDiff
{
    QStringList itemsAdded;
    QStringList itemsRemoved;
    QList<ItemChange> itemsChanged;
    QList<ValueChange> packages; // dpkg-packages and rpm-packages: name -> version
    QList<ValueChange> units;    // systemd-units: unit -> "active/sub"
    QList<Finding> findingsAppeared;
    QList<Finding> findingsCleared;

    QByteArray toJson() const; // stable keys; English
};

// Compares two bundles. Lists are sorted by name (findings in B's, resp. A's,
// order); package and unit lists are read from the staged files of those items
// (at most 64 MiB each, without following links).
BundleDiff diffBundles(const BundleView &a, const BundleView &b);

} // namespace dc::core::analysis
