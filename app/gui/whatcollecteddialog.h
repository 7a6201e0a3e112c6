// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/profile/profile.h"

#include <QDialog>

namespace dc::gui {

// Every item the profile collects on this platform, by category, with its
// purpose and source: the same data as `diagcollect list`.
class WhatCollectedDialog : public QDialog
{
    Q_OBJECT

public:
    WhatCollectedDialog(const core::Profile &profile, bool fullLogs, QWidget *parent = nullptr);
};

} // namespace dc::gui
