// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Internal to core/redact: fixed tables of short words (placeholders, system
// accounts, vendor domains, key names) that the scanner consults for many
// candidates. std::unordered_set costs a library hash call, a modulo and a
// node walk per lookup; this is one multiply-mix hash over the bytes and a
// probe in a flat, mostly empty table.

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dc::core::detail {

// A hash of short byte strings: eight bytes at a time, multiply-xorshift mixing.
inline std::uint64_t hashBytes(const char *p, std::size_t n, std::uint64_t seed = 0)
{
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ seed ^ n;
    while (n >= 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    if (n) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    h = (h ^ (h >> 29)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 32);
}

// An immutable map from short strings to small values (a set when the value
// is not used). Keys are views: they must outlive the map (string literals).
template <typename Value = bool> class FixedStringMap
{
public:
    FixedStringMap(std::initializer_list<std::pair<std::string_view, Value>> entries)
        : FixedStringMap(entries.begin(), entries.end())
    {
    }
    // From a range of std::pair<std::string_view, Value>.
    template <typename It> FixedStringMap(It begin, It end)
    {
        reserve(std::size_t(end - begin));
        for (It it = begin; it != end; ++it)
            insert(it->first, it->second);
    }
    // A set: every key maps to true.
    FixedStringMap(std::initializer_list<std::string_view> keys) requires std::is_same_v<Value, bool>
    {
        reserve(keys.size());
        for (std::string_view key : keys)
            insert(key, Value{true});
    }

    const Value *find(std::string_view key) const
    {
        if (key.size() > m_maxLength)
            return nullptr;
        const std::uint64_t h = hashBytes(key.data(), key.size());
        const auto check = std::uint32_t(h >> 32);
        for (std::size_t i = std::size_t(h) & m_mask; m_slots[i].used; i = (i + 1) & m_mask) {
            const Slot &s = m_slots[i];
            if (s.check == check && s.key.size() == key.size() &&
                std::memcmp(s.key.data(), key.data(), key.size()) == 0)
                return &s.value;
        }
        return nullptr;
    }
    bool contains(std::string_view key) const { return find(key) != nullptr; }

private:
    struct Slot
    {
        std::string_view key;
        Value value{};
        std::uint32_t check = 0;
        bool used = false;
    };

    void reserve(std::size_t count)
    {
        std::size_t size = 8;
        while (size < count * 4) // at most a quarter full: probes stay short
            size *= 2;
        m_slots.resize(size);
        m_mask = size - 1;
    }
    void insert(std::string_view key, const Value &value)
    {
        if (find(key))
            return; // the first entry wins
        const std::uint64_t h = hashBytes(key.data(), key.size());
        std::size_t i = std::size_t(h) & m_mask;
        while (m_slots[i].used)
            i = (i + 1) & m_mask;
        m_slots[i] = Slot{key, value, std::uint32_t(h >> 32), true};
        if (key.size() > m_maxLength)
            m_maxLength = key.size();
    }

    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_maxLength = 0;
};

using FixedStringSet = FixedStringMap<bool>;

} // namespace dc::core::detail
