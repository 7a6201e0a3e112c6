// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/duplicatekeys.h"

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

namespace dc::core {

namespace {

// Walks the document's events (SAX) keeping one frame per open object or array,
// enough to name the path of every key.
class DuplicateKeyFinder : public nlohmann::json_sax<nlohmann::json>
{
public:
    QStringList paths;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t &) override { return value(); }
    bool string(string_t &) override { return value(); }
    bool binary(binary_t &) override { return value(); }

    bool start_object(std::size_t) override
    {
        m_frames.push_back(Frame{false, 0, {}, {}});
        return true;
    }
    bool key(string_t &name) override
    {
        Frame &frame = m_frames.back();
        if (!frame.keys.insert(name).second)
            paths.append(pathTo(name));
        frame.key = name;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override
    {
        m_frames.push_back(Frame{true, 0, {}, {}});
        return true;
    }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override { return false; }

private:
    struct Frame
    {
        bool array = false;
        std::size_t index = 0; // arrays: the element being read
        std::unordered_set<std::string> keys;
        std::string key; // objects: the member being read
    };

    // A finished value moves its array on to the next element.
    bool value()
    {
        if (!m_frames.empty() && m_frames.back().array)
            ++m_frames.back().index;
        return true;
    }
    bool close()
    {
        m_frames.pop_back();
        return value();
    }

    QString pathTo(const std::string &name) const
    {
        QString path;
        for (std::size_t i = 0; i + 1 < m_frames.size(); ++i) {
            const Frame &frame = m_frames[i];
            if (frame.array)
                path += QStringLiteral("[%1]").arg(frame.index);
            else
                path += (path.isEmpty() ? QString() : QStringLiteral(".")) + QString::fromStdString(frame.key);
        }
        return (path.isEmpty() ? QString() : path + QLatin1Char('.')) + QString::fromStdString(name);
    }

    std::vector<Frame> m_frames;
};

} // namespace

QStringList duplicateKeyPaths(const QByteArray &json)
{
    DuplicateKeyFinder finder;
    if (!nlohmann::json::sax_parse(json.constData(), json.constData() + json.size(), &finder))
        return {};
    return finder.paths;
}

} // namespace dc::core
