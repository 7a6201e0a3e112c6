// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors

// The public contract of LiteralSet (core/redact/literalset.h), with real
// strings and their near misses, plus a randomized comparison with a naive
// matcher written from the header's words and the one exception that only
// literalset.cpp states (the first word of an environment variable). It does
// not look at the set's internals, so that a rewrite can be checked against it.

#include "core/redact/literalset.h"

#include <QtTest>
#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>

using namespace dc::core;

namespace {

using Hit = LiteralSet::Hit;
using u8 = unsigned char;

bool isAsciiAlnum(u8 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool isAsciiUpper(u8 c) { return c >= 'A' && c <= 'Z'; }
bool isAsciiLower(u8 c) { return c >= 'a' && c <= 'z'; }
char foldByte(char c) { return isAsciiUpper(u8(c)) ? char(c + ('a' - 'A')) : c; }

std::string folded(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = foldByte(c);
    return out;
}

std::string_view view(const QByteArray &bytes) { return {bytes.constData(), size_t(bytes.size())}; }

// The text in a heap block of exactly its size: under ASan, a read before
// the first byte or past the last one fails (a QByteArray's terminator or a
// std::string's spare capacity would hide it).
class ExactText
{
public:
    explicit ExactText(std::string_view text)
        : m_size(text.size())
        , m_bytes(std::make_unique<char[]>(text.size()))
    {
        if (!text.empty())
            std::memcpy(m_bytes.get(), text.data(), text.size());
    }
    std::string_view view() const { return {m_bytes.get(), m_size}; }

private:
    size_t m_size;
    std::unique_ptr<char[]> m_bytes;
};

// Literals with payload = their index.
LiteralSet buildSet(const QByteArrayList &literals)
{
    LiteralSet::Builder builder;
    for (qsizetype i = 0; i < literals.size(); ++i)
        builder.add(view(literals[i]), quint32(i));
    return builder.build();
}

std::vector<Hit> findAll(const LiteralSet &set, std::string_view text, qint64 from = 0, qint64 to = -1)
{
    const ExactText exact(text);
    std::vector<Hit> hits;
    set.findAll(exact.view(), from, to < 0 ? qint64(text.size()) : to, hits);
    return hits;
}

// The text with each hit marked "<matched bytes#payload>"; "bad hits" when
// they are out of order, overlap, are empty or leave the text.
QByteArray annotate(std::string_view text, const std::vector<Hit> &hits)
{
    QByteArray out;
    qint64 at = 0;
    for (const Hit &h : hits) {
        if (h.offset < at || h.length <= 0 || h.end() > qint64(text.size()))
            return QByteArrayLiteral("bad hits");
        out.append(text.data() + at, h.offset - at);
        out.append('<');
        out.append(text.data() + h.offset, h.length);
        out.append('#');
        out.append(QByteArray::number(h.payload));
        out.append('>');
        at = h.end();
    }
    out.append(text.data() + at, qint64(text.size()) - at);
    return out;
}

QByteArray describe(const std::vector<Hit> &hits)
{
    QByteArray out;
    for (const Hit &h : hits)
        out += QByteArray::number(h.offset) + '+' + QByteArray::number(h.length) + '#' + QByteArray::number(h.payload) +
               ' ';
    return out;
}

// The contract of literalset.h, written out as plainly as possible: for each
// position where an occurrence may start (a word start or a byte that is not
// an ASCII letter or digit), the longest literal spelled there (ASCII case
// folded) whose boundaries hold and that is not the first word of an
// environment variable; then on past it.
class NaiveSet
{
public:
    void add(std::string_view bytes, quint32 payload)
    {
        if (bytes.empty())
            return;
        const auto [it, inserted] = m_literals.try_emplace(folded(bytes), Entry{payload, false});
        if (!inserted && it->second.payload != payload)
            it->second.ambiguous = true;
    }
    // After the last add().
    void finish()
    {
        for (const auto &[key, entry] : m_literals) {
            m_maxLength = std::max(m_maxLength, key.size());
            for (size_t k = 1; k <= key.size(); ++k)
                m_prefixes.insert(key.substr(0, k));
            for (size_t k = 1; k < key.size(); ++k)
                m_extensions[key.substr(0, k)] |= isAsciiAlnum(u8(key[k])) ? kByWord : kBySeparator;
        }
    }
    size_t size() const { return m_literals.size(); }
    // How often longestAt() passed over the first word of an environment variable.
    size_t environmentVariables() const { return m_environmentVariables; }
    size_t maxLength() const { return m_maxLength; }

    static bool mayStartAt(std::string_view t, qint64 p)
    {
        return p == 0 || !isAsciiAlnum(u8(t[size_t(p)])) || !isAsciiAlnum(u8(t[size_t(p - 1)]));
    }

    Hit longestAt(std::string_view t, qint64 p) const
    {
        const auto n = qint64(t.size());
        Hit best;
        if (p < 0 || p >= n || !mayStartAt(t, p))
            return best;
        std::string key;
        for (qint64 end = p + 1; end <= n; ++end) {
            key.push_back(foldByte(t[size_t(end - 1)]));
            if (!m_prefixes.contains(key))
                break;
            const auto it = m_literals.find(key);
            if (it == m_literals.end())
                continue;
            if (isAsciiAlnum(u8(t[size_t(end - 1)])) && end < n && isAsciiAlnum(u8(t[size_t(end)])))
                continue;
            if (isEnvironmentVariable(t, p, end)) {
                ++m_environmentVariables;
                continue;
            }
            best = Hit{p, qint32(end - p), it->second.payload};
        }
        return best;
    }

    std::vector<Hit> findAll(std::string_view t, qint64 from, qint64 to) const
    {
        std::vector<Hit> out;
        const qint64 n = std::min(qint64(t.size()), to);
        for (qint64 p = std::max<qint64>(from, 0); p < n;) {
            const Hit h = longestAt(t, p);
            if (h.length > 0) {
                out.push_back(h);
                p = h.end();
            } else {
                ++p;
            }
        }
        return out;
    }

    // The answer mayChangeMatchAt() must give; nullopt where the bytes are a
    // literal that something extends and the text ends right after them (the
    // header leaves that open).
    std::optional<bool> mayChange(std::string_view t, qint64 offset, qint64 length) const
    {
        const auto it = m_literals.find(folded(t.substr(size_t(offset), size_t(length))));
        if (it == m_literals.end())
            return false;
        if (it->second.ambiguous)
            return true;
        const auto ext = m_extensions.find(it->first);
        if (ext == m_extensions.end())
            return false;
        if (offset + length >= qint64(t.size()))
            return std::nullopt;
        return (ext->second & (isAsciiAlnum(u8(t[size_t(offset + length)])) ? kByWord : kBySeparator)) != 0;
    }

private:
    // "JAVA" in "JAVA_HOME": the matched bytes have a capital and no small
    // letter, and "_" and a capital follow.
    static bool isEnvironmentVariable(std::string_view t, qint64 start, qint64 end)
    {
        if (end + 1 >= qint64(t.size()) || t[size_t(end)] != '_' || !isAsciiUpper(u8(t[size_t(end + 1)])))
            return false;
        const std::string_view word = t.substr(size_t(start), size_t(end - start));
        return std::none_of(word.begin(), word.end(), [](char c) { return isAsciiLower(u8(c)); }) &&
               std::any_of(word.begin(), word.end(), [](char c) { return isAsciiUpper(u8(c)); });
    }

    static constexpr int kByWord = 1;
    static constexpr int kBySeparator = 2;
    struct Entry
    {
        quint32 payload;
        bool ambiguous;
    };
    std::unordered_map<std::string, Entry> m_literals;
    std::unordered_set<std::string> m_prefixes;
    std::unordered_map<std::string, int> m_extensions;
    size_t m_maxLength = 0;
    mutable size_t m_environmentVariables = 0;
};

NaiveSet naiveSet(const QByteArrayList &literals)
{
    NaiveSet naive;
    for (qsizetype i = 0; i < literals.size(); ++i)
        naive.add(view(literals[i]), quint32(i));
    naive.finish();
    return naive;
}

} // namespace

class TestLiteralSet : public QObject
{
    Q_OBJECT

private slots:
    void matches_data();
    void matches();
    void emptySet();
    void sizes();
    void firstOfDuplicatesWins();
    void wholePayloadRange();
    void range();
    void longestAt();
    void literalLengths();
    void prefixesOfEachOther();
    void sharedPrefixes();
    void textEnd();
    void mayChangeMatchAt();
    void urlEncoded();
    void insidePseudonym();
    void randomized_data();
    void randomized();
};

void TestLiteralSet::matches_data()
{
    QTest::addColumn<QByteArrayList>("literals"); // payload = index
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected"); // "<bytes#payload>" marks each hit

    const QByteArrayList jdoe{"jdoe"};
    // ASCII letters in any case, other bytes exactly.
    QTest::newRow("case-any") << jdoe << QByteArray("user JDoe, jdoe and JDOE")
                              << QByteArray("user <JDoe#0>, <jdoe#0> and <JDOE#0>");
    QTest::newRow("case-literal-upper") << QByteArrayList{"JDOE"} << QByteArray("jdoe") << QByteArray("<jdoe#0>");
    QTest::newRow("case-near-miss") << jdoe << QByteArray("jdoa jd0e j-doe") << QByteArray("jdoa jd0e j-doe");
    // "müller" in UTF-8: 'ü' is C3 BC, 'Ü' is C3 9C; only the ASCII letters fold.
    QTest::newRow("non-ascii-exact") << QByteArrayList{"m\xc3\xbcller"} << QByteArray("M\xc3\xbcLLER m\xc3\x9cller")
                                     << QByteArray("<M\xc3\xbcLLER#0> m\xc3\x9cller");
    QTest::newRow("non-ascii-latin1") << QByteArrayList{"caf\xe9"} << QByteArray("CAF\xc9 caf\xe9 CAF\xe9")
                                      << QByteArray("CAF\xc9 <caf\xe9#0> <CAF\xe9#0>");
    // Bytes above 0x7f are not ASCII letters: they are boundaries.
    QTest::newRow("non-ascii-boundary") << jdoe << QByteArray("\xc3\xa9jdoe jdoe\xc3\xa9")
                                        << QByteArray("\xc3\xa9<jdoe#0> <jdoe#0>\xc3\xa9");

    // A literal starting and ending with a letter or digit: a whole word.
    QTest::newRow("word-before") << jdoe << QByteArray("xjdoe 1jdoe") << QByteArray("xjdoe 1jdoe");
    QTest::newRow("word-after") << jdoe << QByteArray("jdoes jdoe1") << QByteArray("jdoes jdoe1");
    QTest::newRow("word-separators") << jdoe << QByteArray("(jdoe) -jdoe- _jdoe_x /jdoe:")
                                     << QByteArray("(<jdoe#0>) -<jdoe#0>- _<jdoe#0>_x /<jdoe#0>:");
    QTest::newRow("word-whole-text") << jdoe << QByteArray("jdoe") << QByteArray("<jdoe#0>");
    QTest::newRow("ipv4") << QByteArrayList{"10.0.0.5"} << QByteArray("ip=10.0.0.5, 10.0.0.5:8080")
                          << QByteArray("ip=<10.0.0.5#0>, <10.0.0.5#0>:8080");
    QTest::newRow("ipv4-near-miss") << QByteArrayList{"10.0.0.5"} << QByteArray("110.0.0.5 10.0.0.50 10.0.0.6 10.0.0")
                                    << QByteArray("110.0.0.5 10.0.0.50 10.0.0.6 10.0.0");
    // A literal that starts or ends with a separator needs no boundary on that side.
    QTest::newRow("separator-both-ends") << QByteArrayList{"/home/jdoe/"}
                                         << QByteArray("x/home/jdoe/y /HOME/JDOE/.cache")
                                         << QByteArray("x</home/jdoe/#0>y </HOME/JDOE/#0>.cache");
    QTest::newRow("separator-near-miss") << QByteArrayList{"/home/jdoe/"} << QByteArray("/home/jdoes/ /home/jdoe")
                                         << QByteArray("/home/jdoes/ /home/jdoe");
    QTest::newRow("separator-start") << QByteArrayList{"@corp.example"}
                                     << QByteArray("jdoe@corp.example, a@corp.examples")
                                     << QByteArray("jdoe<@corp.example#0>, a@corp.examples");
    QTest::newRow("separator-end") << QByteArrayList{"jdoe:"} << QByteArray("jdoe:x xjdoe: JDOE:")
                                   << QByteArray("<jdoe:#0>x xjdoe: <JDOE:#0>");

    // Leftmost, then longest at that start, not overlapping.
    const QByteArrayList mail{"jdoe", "jdoe@corp.example"};
    QTest::newRow("longest") << mail << QByteArray("mail jdoe@corp.example ok")
                             << QByteArray("mail <jdoe@corp.example#1> ok");
    QTest::newRow("longest-fails-boundary")
        << mail << QByteArray("jdoe@corp.examples jdoe@corp") << QByteArray("<jdoe#0>@corp.examples <jdoe#0>@corp");
    QTest::newRow("leftmost-wins") << QByteArrayList{"ab-cd", "cd-ef-gh"} << QByteArray("ab-cd-ef-gh")
                                   << QByteArray("<ab-cd#0>-ef-gh");
    QTest::newRow("overlap-later") << QByteArrayList{"a-b", "b-c-d"} << QByteArray("a-b-c-d x b-c-d")
                                   << QByteArray("<a-b#0>-c-d x <b-c-d#1>");
    QTest::newRow("inner-shorter") << QByteArrayList{"host-01.corp", "01.corp"} << QByteArray("host-01.corp 01.corp")
                                   << QByteArray("<host-01.corp#0> <01.corp#1>");
    QTest::newRow("inner-after-separator")
        << QByteArrayList{"x@y", "@y.z"} << QByteArray("x@y.z q@y.z") << QByteArray("<x@y#0>.z q<@y.z#1>");
    QTest::newRow("adjacent") << QByteArrayList{"jdoe", "/x/"} << QByteArray("jdoe,jdoe/x//x/jdoe")
                              << QByteArray("<jdoe#0>,<jdoe#0></x/#1></x/#1><jdoe#0>");
    QTest::newRow("shorter-when-longer-fails")
        << QByteArrayList{"host-01", "host-01.corp"} << QByteArray("host-01.corporate host-01.corp.")
        << QByteArray("<host-01#0>.corporate <host-01.corp#1>.");

    // The first word of an environment variable or constant is not the value of the same spelling.
    const QByteArrayList java{"java"};
    QTest::newRow("env-excluded") << java << QByteArray("JAVA_HOME=/opt $JAVA_OPTS")
                                  << QByteArray("JAVA_HOME=/opt $JAVA_OPTS");
    QTest::newRow("env-small-letters") << java << QByteArray("java_home Java_Home")
                                       << QByteArray("<java#0>_home <Java#0>_Home");
    QTest::newRow("env-not-capital-after") << java << QByteArray("JAVA_home JAVA_1 JAVA__X JAVA HOME")
                                           << QByteArray("<JAVA#0>_home <JAVA#0>_1 <JAVA#0>__X <JAVA#0> HOME");
    QTest::newRow("env-underscore-last") << java << QByteArray("JAVA_") << QByteArray("<JAVA#0>_");
    QTest::newRow("env-digits-only") << QByteArrayList{"1234"} << QByteArray("1234_ABC") << QByteArray("<1234#0>_ABC");
    QTest::newRow("env-host") << QByteArrayList{"ws-kim-04"} << QByteArray("WS-KIM-04_X ws-kim-04_X")
                              << QByteArray("WS-KIM-04_X <ws-kim-04#0>_X");
    QTest::newRow("env-cloudsdk") << QByteArrayList{"cloudsdk"} << QByteArray("CLOUDSDK_CORE_PROJECT=x")
                                  << QByteArray("CLOUDSDK_CORE_PROJECT=x");
    // Only the first word is exempt: a later one follows '_', a boundary.
    QTest::newRow("env-later-word") << QByteArrayList{"home"} << QByteArray("JAVA_HOME JAVA_HOME_DIR")
                                    << QByteArray("JAVA_<HOME#0> JAVA_HOME_DIR");
    QTest::newRow("env-shorter-literal") << QByteArrayList{"ab", "ab-cd"} << QByteArray("AB-CD_X ab-cd_X")
                                         << QByteArray("<AB#0>-CD_X <ab-cd#1>_X");
}

void TestLiteralSet::matches()
{
    QFETCH(QByteArrayList, literals);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);

    const LiteralSet set = buildSet(literals);
    const std::vector<Hit> hits = findAll(set, view(text));
    QCOMPARE(annotate(view(text), hits), expected);
    // The naive reading of the contract agrees, and longestAt() finds each hit.
    QCOMPARE(describe(hits), describe(naiveSet(literals).findAll(view(text), 0, text.size())));
    const ExactText exact(view(text));
    for (const Hit &h : hits)
        QCOMPARE(describe({set.longestAt(exact.view(), h.offset)}), describe({h}));
}

void TestLiteralSet::emptySet()
{
    const LiteralSet none;
    QVERIFY(none.isEmpty());
    QCOMPARE(none.size(), size_t(0));
    QCOMPARE(none.maxLength(), size_t(0));
    QVERIFY(findAll(none, "jdoe a b").empty());
    QCOMPARE(none.longestAt("jdoe", 0).length, 0);
    QVERIFY(!none.mayChangeMatchAt("jdoe", 0, 4));

    LiteralSet::Builder builder;
    QCOMPARE(builder.size(), size_t(0));
    const LiteralSet built = builder.build();
    QVERIFY(built.isEmpty());
    QVERIFY(findAll(built, "").empty());

    // An empty literal matches nowhere.
    LiteralSet::Builder withEmpty;
    withEmpty.add("", 1);
    withEmpty.add("jdoe", 2);
    const LiteralSet one = withEmpty.build();
    QCOMPARE(one.size(), size_t(1));
    QCOMPARE(annotate("a jdoe b", findAll(one, "a jdoe b")), QByteArray("a <jdoe#2> b"));
    QVERIFY(findAll(one, "").empty());
}

void TestLiteralSet::sizes()
{
    LiteralSet::Builder builder;
    builder.reserve(4, 64);
    builder.add("jdoe", 0);
    builder.add("JDoe", 1); // the same literal, case folded
    builder.add("10.0.0.5", 2);
    const std::string longOne(70, 'x');
    builder.add(longOne, 3);
    QCOMPARE(builder.size(), size_t(4));
    const LiteralSet set = builder.build();
    QVERIFY(!set.isEmpty());
    QCOMPARE(set.size(), size_t(3));
    QCOMPARE(set.maxLength(), size_t(70));
    QVERIFY(set.memoryBytes() > 0);

    const LiteralSet small = buildSet({"a", "bc"});
    QCOMPARE(small.size(), size_t(2));
    QCOMPARE(small.maxLength(), size_t(2));
}

void TestLiteralSet::firstOfDuplicatesWins()
{
    // Literals that differ only in ASCII case are one literal: the first added keeps its payload.
    const LiteralSet set = buildSet({"JDoe", "jdoe", "JDOE", "m\xc3\xbcller", "M\xc3\xbcLLER", "m\xc3\x9cller"});
    QCOMPARE(set.size(), size_t(3)); // 'ü' and 'Ü' differ: two literals
    QCOMPARE(annotate("jdoe JDOE jDoE", findAll(set, "jdoe JDOE jDoE")), QByteArray("<jdoe#0> <JDOE#0> <jDoE#0>"));
    QCOMPARE(annotate("m\xc3\xbcller m\xc3\x9cller", findAll(set, "m\xc3\xbcller m\xc3\x9cller")),
             QByteArray("<m\xc3\xbcller#3> <m\xc3\x9cller#5>"));

    // Also when the duplicate comes after other literals and is itself extended.
    LiteralSet::Builder builder;
    builder.add("host-01", 7);
    builder.add("host-01.corp", 8);
    builder.add("HOST-01", 9);
    builder.add("Host-01.Corp", 10);
    const LiteralSet hosts = builder.build();
    QCOMPARE(hosts.size(), size_t(2));
    QCOMPARE(annotate("HOST-01 host-01.CORP", findAll(hosts, "HOST-01 host-01.CORP")),
             QByteArray("<HOST-01#7> <host-01.CORP#8>"));
}

void TestLiteralSet::wholePayloadRange()
{
    // Any quint32 is a payload, the largest too, whatever the literal's shape.
    LiteralSet::Builder builder;
    builder.add("alice", 0xffffffffu);
    builder.add("alice-x", 1);
    builder.add("ALICE", 5);
    builder.add("ab", 0xffffffffu);
    builder.add("abc", 0);
    builder.add("zed", 0xfffffffeu);
    const LiteralSet set = builder.build();
    QCOMPARE(set.size(), size_t(5));
    const std::string_view text = "alice alice-x ab abc zed";
    QCOMPARE(annotate(text, findAll(set, text)),
             QByteArray("<alice#4294967295> <alice-x#1> <ab#4294967295> <abc#0> <zed#4294967294>"));
}

void TestLiteralSet::range()
{
    const LiteralSet set = buildSet({"jdoe", "doe", "/x", "jdoe@corp.example"});
    const std::string_view text = "jdoe jdoe jdoe";
    // Starts in [from, to) only; a hit may end past `to`.
    QCOMPARE(describe(findAll(set, text, 5, 9)), QByteArray("5+4#0 "));
    QCOMPARE(describe(findAll(set, text, 0, 1)), QByteArray("0+4#0 "));
    QCOMPARE(describe(findAll(set, text, 0, 5)), QByteArray("0+4#0 "));
    QCOMPARE(describe(findAll(set, text, 4, 6)), QByteArray("5+4#0 "));
    QCOMPARE(describe(findAll(set, text, 4, 5)), QByteArray());
    QCOMPARE(describe(findAll(set, text, 10, 100)), QByteArray("10+4#0 "));
    QCOMPARE(describe(findAll(set, text, 14, 14)), QByteArray());
    QCOMPARE(describe(findAll(set, text, 9, 5)), QByteArray());
    // The text before `from` decides the left boundary: no start inside a word.
    QCOMPARE(describe(findAll(set, text, 6, 14)), QByteArray("10+4#0 "));
    QCOMPARE(describe(findAll(set, "jdoe", 1, 4)), QByteArray()); // "doe" follows 'j'
    QCOMPARE(describe(findAll(set, "xjdoe", 1, 5)), QByteArray());
    QCOMPARE(describe(findAll(set, ".jdoe", 1, 5)), QByteArray("1+4#0 "));
    QCOMPARE(describe(findAll(set, "a/x", 1, 3)), QByteArray("1+2#2 "));
    // The bytes after `to` decide the right boundary and the length.
    QCOMPARE(describe(findAll(set, "jdoes", 0, 1)), QByteArray());
    QCOMPARE(describe(findAll(set, "jdoe@corp.example", 0, 2)), QByteArray("0+17#3 "));
    QCOMPARE(describe(findAll(set, "a jdoe@corp.example", 2, 3)), QByteArray("2+17#3 "));

    // Hits are appended; the shorter overload runs to the text's end.
    const ExactText exact(text);
    std::vector<Hit> hits{Hit{99, 1, 42}};
    set.findAll(exact.view(), 3, hits);
    QCOMPARE(describe(hits), QByteArray("99+1#42 5+4#0 10+4#0 "));
}

void TestLiteralSet::longestAt()
{
    const LiteralSet set = buildSet({"jdoe", "jdoe@corp.example", "/home/jdoe/", "@corp.example"});
    const ExactText mail("mail jdoe@corp.example");
    QCOMPARE(describe({set.longestAt(mail.view(), 5)}), QByteArray("5+17#1 "));
    QCOMPARE(describe({set.longestAt(mail.view(), 9)}), QByteArray("9+13#3 "));
    QCOMPARE(set.longestAt(mail.view(), 4).length, 0);
    QCOMPARE(set.longestAt(mail.view(), 22).length, 0); // the text's end
    const ExactText longer("mail jdoe@corp.examples");
    QCOMPARE(describe({set.longestAt(longer.view(), 5)}), QByteArray("5+4#0 "));
    QCOMPARE(set.longestAt(longer.view(), 9).length, 0);
    const ExactText path("x/home/jdoe/y");
    QCOMPARE(describe({set.longestAt(path.view(), 1)}), QByteArray("1+11#2 "));
    QCOMPARE(describe({set.longestAt(path.view(), 7)}), QByteArray("7+4#0 "));
    const ExactText env("JDOE_X jdoe");
    QCOMPARE(set.longestAt(env.view(), 0).length, 0);
    QCOMPARE(describe({set.longestAt(env.view(), 7)}), QByteArray("7+4#0 "));
}

void TestLiteralSet::literalLengths()
{
    // Each length alone and all together (short literals and long ones take
    // different paths in a matcher): starting and ending with a letter or digit.
    const std::string alphabet = "k7m2q9x4z0";
    std::vector<std::string> literals;
    for (size_t length : {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 63, 64, 65, 100, 300}) {
        std::string s;
        for (size_t i = 0; i < length; ++i)
            s.push_back(i % 5 == 4 && i + 1 < length ? '.' : alphabet[(i * 7 + length) % alphabet.size()]);
        literals.push_back(s);
    }
    QByteArrayList all;
    for (const std::string &s : literals)
        all.append(QByteArray::fromStdString(s));
    const LiteralSet together = buildSet(all);
    QCOMPARE(together.size(), literals.size());
    QCOMPARE(together.maxLength(), size_t(300));

    for (size_t i = 0; i < literals.size(); ++i) {
        const std::string &lit = literals[i];
        const LiteralSet alone = buildSet({QByteArray::fromStdString(lit)});
        const QByteArray tag = "#" + QByteArray::number(qulonglong(i)) + '>';
        for (const LiteralSet *set : {&alone, &together}) {
            const QByteArray p = set == &alone ? QByteArray("#0>") : tag;
            const std::string upper = [&] {
                std::string u = lit;
                for (char &c : u)
                    c = char(std::toupper(u8(c)));
                return u;
            }();
            const std::string text = "a " + lit + " b=" + upper + ", (" + lit + ")";
            const QByteArray expected = QByteArray::fromStdString("a <" + lit) + p + " b=<" +
                                        QByteArray::fromStdString(upper) + p + ", (<" + QByteArray::fromStdString(lit) +
                                        p + ")";
            QCOMPARE(annotate(text, findAll(*set, text)), expected);
            // Near misses: glued to a word on either side, one byte changed, cut short.
            std::string changed = lit;
            changed.back() = changed.back() == 'q' ? 'w' : 'q';
            const std::string cut = lit.substr(0, lit.size() - 1);
            for (const std::string &miss : {"x" + lit, lit + "7", changed, " " + cut + " ", cut}) {
                const std::vector<Hit> hits = findAll(*set, miss);
                const bool same =
                    std::any_of(hits.begin(), hits.end(), [&](const Hit &h) { return size_t(h.length) == lit.size(); });
                if (same) {
                    const QByteArray message = "literal of " + QByteArray::number(qulonglong(lit.size())) +
                                               " bytes found in near miss " + QByteArray::fromStdString(miss);
                    QFAIL(message.constData());
                }
            }
        }
    }
    // One byte that is not a letter or digit: found inside words.
    const LiteralSet at = buildSet({"@", "x"});
    QCOMPARE(annotate("a@b x xx @", findAll(at, "a@b x xx @")), QByteArray("a<@#0>b <x#1> xx <@#0>"));
}

void TestLiteralSet::prefixesOfEachOther()
{
    // Every prefix of one string is a literal: the longest that fits wins.
    const std::string base = "ab.7-x@corp.example/path-to/some.file.with.a.long.name-and-more-parts.log.1.gz";
    QByteArrayList literals;
    for (size_t k = 1; k <= base.size(); ++k)
        literals.append(QByteArray::fromStdString(base.substr(0, k)));
    const LiteralSet set = buildSet(literals);
    QCOMPARE(set.size(), base.size());
    QCOMPARE(set.maxLength(), base.size());
    const NaiveSet naive = naiveSet(literals);
    for (size_t k = 1; k <= base.size(); ++k) {
        // '~' continues no literal; the prefix stands alone when a boundary follows.
        const std::string text = " " + base.substr(0, k) + "~" + base.substr(0, k);
        const std::vector<Hit> hits = findAll(set, text);
        QCOMPARE(describe(hits), describe(naive.findAll(text, 0, qint64(text.size()))));
        QVERIFY(!hits.empty());
        QCOMPARE(hits.front().offset, qint64(1));
        QCOMPARE(size_t(hits.front().length), k);
        QCOMPARE(hits.front().payload, quint32(k - 1));
    }
    // Inside a longer word, the longest prefix that ends at a boundary.
    QCOMPARE(annotate("ab.7-xyz", findAll(set, "ab.7-xyz")), QByteArray("<ab.7-#4>xyz"));
    QCOMPARE(annotate("ab.7-x@corpus", findAll(set, "ab.7-x@corpus")), QByteArray("<ab.7-x@#6>corpus"));
}

void TestLiteralSet::sharedPrefixes()
{
    // 1 000 host names that share "host-" and their first digits, and one that extends another.
    QByteArrayList literals;
    for (int i = 1; i <= 1000; ++i)
        literals.append(QByteArray("host-" + QByteArray::number(i).rightJustified(4, '0')));
    literals.append("host-0001.corp");
    const LiteralSet set = buildSet(literals);
    QCOMPARE(set.size(), size_t(1001));
    QCOMPARE(set.maxLength(), size_t(14));

    QByteArray all;
    for (int i = 1000; i >= 1; --i)
        all += (i % 2 ? "host-" : "HOST-") + QByteArray::number(i).rightJustified(4, '0') + (i % 3 ? " " : ",");
    const std::vector<Hit> hits = findAll(set, view(all));
    QCOMPARE(hits.size(), size_t(1000));
    for (size_t k = 0; k < hits.size(); ++k) {
        QCOMPARE(hits[k].payload, quint32(999 - k));
        QCOMPARE(hits[k].length, 9);
    }
    const QByteArray text = "host-0001.corp host-0001.corpx host-0001.c host-1000 HOST-0500";
    QCOMPARE(annotate(view(text), findAll(set, view(text))),
             QByteArray("<host-0001.corp#1000> <host-0001#0>.corpx <host-0001#0>.c <host-1000#999> <HOST-0500#499>"));
    const QByteArray misses = "host-1001 host-0000 host-00010 xhost-0001 host-001 host-0001x host_0001 host-";
    QCOMPARE(annotate(view(misses), findAll(set, view(misses))), misses);

    // Long literals that share a 64-byte prefix and differ in their tails.
    const QByteArray prefix = "/var/lib/containers/storage/overlay/4f1c2a9e8b7d6c5a4f3e2d1c0b9/";
    QCOMPARE(prefix.size(), 64);
    QByteArrayList paths;
    for (int i = 0; i < 200; ++i)
        paths.append(QByteArray(prefix + "diff/file-" + QByteArray::number(i)));
    paths.append(prefix);
    const LiteralSet pathSet = buildSet(paths);
    const QByteArray pathText = prefix + "diff/file-17 " + prefix + "diff/file-170 " + prefix + "diff/file-1700 " +
                                prefix + "diff/file-" + " " + prefix.left(63);
    const QByteArray expected = "<" + prefix + "diff/file-17#17> <" + prefix + "diff/file-170#170> <" + prefix +
                                "#200>diff/file-1700 <" + prefix + "#200>diff/file- " + prefix.left(63);
    QCOMPARE(annotate(view(pathText), findAll(pathSet, view(pathText))), expected);
}

void TestLiteralSet::textEnd()
{
    const LiteralSet set = buildSet({"jdoe", "jdoe@corp.example", "abcdefghij", std::string(100, 'z').c_str()});
    // A literal at the very end; literals cut by the end (exact buffers: no read past it).
    QCOMPARE(annotate("user jdoe", findAll(set, "user jdoe")), QByteArray("user <jdoe#0>"));
    QCOMPARE(annotate("user jdo", findAll(set, "user jdo")), QByteArray("user jdo"));
    QCOMPARE(annotate("mail jdoe@corp.exampl", findAll(set, "mail jdoe@corp.exampl")),
             QByteArray("mail <jdoe#0>@corp.exampl"));
    QCOMPARE(annotate("jdoe@corp.example", findAll(set, "jdoe@corp.example")), QByteArray("<jdoe@corp.example#1>"));
    QCOMPARE(annotate("abcdefghi", findAll(set, "abcdefghi")), QByteArray("abcdefghi"));
    QCOMPARE(annotate("x abcdefghij", findAll(set, "x abcdefghij")), QByteArray("x <abcdefghij#2>"));
    const std::string zs(99, 'z');
    QVERIFY(findAll(set, zs).empty());
    QCOMPARE(findAll(set, zs + "z").size(), size_t(1));
    // Every prefix of a text as its own exact buffer.
    const std::string text = "jdoe@corp.example abcdefghij " + std::string(100, 'Z') + " jdoe";
    const NaiveSet naive = naiveSet({"jdoe", "jdoe@corp.example", "abcdefghij", std::string(100, 'z').c_str()});
    for (size_t k = 0; k <= text.size(); ++k) {
        const std::string_view part = std::string_view(text).substr(0, k);
        QCOMPARE(describe(findAll(set, part)), describe(naive.findAll(part, 0, qint64(k))));
        for (size_t from = k > 8 ? k - 8 : 0; from < k; ++from) {
            QCOMPARE(describe(findAll(set, part, qint64(from), qint64(k))),
                     describe(naive.findAll(part, qint64(from), qint64(k))));
            const ExactText exact(part);
            if (NaiveSet::mayStartAt(part, qint64(from)))
                QCOMPARE(describe({set.longestAt(exact.view(), qint64(from))}),
                         describe({naive.longestAt(part, qint64(from))}));
        }
    }
}

void TestLiteralSet::mayChangeMatchAt()
{
    LiteralSet::Builder builder;
    builder.add("jdoe", 0);
    builder.add("jdoe@corp.example", 1); // extends "jdoe" with a separator
    builder.add("host-01", 2);
    builder.add("host-012", 3); // extends "host-01" with a digit
    builder.add("alice", 4);    // extended by nothing
    builder.add("bob", 5);
    builder.add("BOB", 6); // "bob" with two payloads
    builder.add("carol", 7);
    builder.add("Carol", 7); // the same payload twice: not ambiguous
    const LiteralSet set = builder.build();
    const auto may = [&](std::string_view text, qint64 offset, qint64 length) {
        const ExactText exact(text);
        return set.mayChangeMatchAt(exact.view(), offset, length);
    };
    // Extended with the kind of byte that follows.
    QVERIFY(may("jdoe@corp.example", 0, 4));
    QVERIFY(may("jdoe x", 0, 4));
    QVERIFY(may("to JDOE, x", 3, 4));
    QVERIFY(!may("jdoe1 x", 0, 4));
    QVERIFY(may("host-015 x", 0, 7));
    QVERIFY(!may("host-01 x", 0, 7));
    QVERIFY(!may("host-01.x", 0, 7));
    // Extended by nothing.
    QVERIFY(!may("alice x", 0, 5));
    QVERIFY(!may("alice@x", 0, 5));
    QVERIFY(!may("alicex", 0, 5));
    QVERIFY(!may("alice", 0, 5));
    QVERIFY(!may("jdoe@corp.example x", 0, 17));
    QVERIFY(!may("host-012 x", 0, 8));
    // Added with two payloads, whatever follows.
    QVERIFY(may("bob x", 0, 3));
    QVERIFY(may("bobx", 0, 3));
    QVERIFY(!may("carol x", 0, 5));
    QVERIFY(!may("carol.x", 0, 5));
    // Bytes that are not a literal, even the start of one.
    QVERIFY(!may("jdo x", 0, 3));
    QVERIFY(!may("host-0 x", 0, 6));
    QVERIFY(!may("jdoe@corp x", 0, 9));
    QVERIFY(!may("zzz x", 0, 3));
    QVERIFY(!may("xjdoe x", 0, 5));
}

void TestLiteralSet::urlEncoded()
{
    QCOMPARE(urlEncodedSpelling("jane@corp.example"), QByteArray("jane%40corp.example"));
    QCOMPARE(urlEncodedSpelling("AZaz09._~-"), QByteArray("AZaz09._~-"));
    QCOMPARE(urlEncodedSpelling("p@ss w/rd!+%"), QByteArray("p%40ss%20w%2Frd%21%2B%25"));
    QCOMPARE(urlEncodedSpelling("m\xc3\xbcller"), QByteArray("m%C3%BCller"));
    QCOMPARE(urlEncodedSpelling(QByteArray("a\0b", 3)), QByteArray("a%00b"));
    QCOMPARE(urlEncodedSpelling(QByteArray()), QByteArray());
    // The encoded spelling is a literal like any other.
    const QByteArray encoded = urlEncodedSpelling("jane@corp.example");
    const LiteralSet set = buildSet({encoded});
    QCOMPARE(annotate("?u=jane%40corp.example&x", findAll(set, "?u=jane%40corp.example&x")),
             QByteArray("?u=<jane%40corp.example#0>&x"));
}

void TestLiteralSet::insidePseudonym()
{
    const std::vector<QByteArray> prefixes{"user", "host"};
    const auto inside = [&](std::string_view text, qint64 start, qint64 end) {
        const ExactText exact(text);
        return isInsidePseudonym(exact.view(), start, end, prefixes);
    };
    // "[user-3]": the prefix, the number, both.
    QVERIFY(inside("[user-3]", 1, 5));
    QVERIFY(inside("[user-3]", 6, 7));
    QVERIFY(inside("[user-3]", 1, 7));
    QVERIFY(inside("as [host-12] now", 4, 8));
    QVERIFY(inside("as [host-12] now", 9, 11));
    // Near misses.
    QVERIFY(!inside("[users-3]", 1, 6));      // prefix not in the list
    QVERIFY(!inside("[email-1]", 1, 6));      // idem
    QVERIFY(!inside("[user-x]", 1, 5));       // no number
    QVERIFY(!inside("[user-]", 1, 5));        // idem
    QVERIFY(!inside("user-3]", 0, 4));        // no '['
    QVERIFY(!inside("[user-3", 1, 5));        // no ']'
    QVERIFY(!inside("[user 3]", 1, 5));       // not a token
    QVERIFY(!inside("[user-3] user", 9, 13)); // after the pseudonym
    QVERIFY(!inside("[a user-3]", 3, 7));
}

void TestLiteralSet::randomized_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("literals");
    QTest::addColumn<int>("minLength");
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<QByteArray>("alphabet");

    QTest::newRow("many-short") << 1u << 3000 << 1 << 8 << QByteArray("abc12.-@");
    QTest::newRow("medium") << 2u << 3000 << 3 << 16 << QByteArray("abcd1234.-@");
    QTest::newRow("long-shared") << 3u << 800 << 8 << 90 << QByteArray("ab1.-@");
    QTest::newRow("few") << 4u << 40 << 1 << 12 << QByteArray("ab1.-@");
    QTest::newRow("capitals") << 5u << 2000 << 2 << 10 << QByteArray("ABC12.-@");
    QTest::newRow("words") << 6u << 2000 << 4 << 24 << QByteArray("abcdefgh0123");
}

void TestLiteralSet::randomized()
{
    QFETCH(quint32, seed);
    QFETCH(int, literals);
    QFETCH(int, minLength);
    QFETCH(int, maxLength);
    QFETCH(QByteArray, alphabet);

    std::mt19937 rng(seed);
    const auto below = [&rng](size_t n) { return size_t(rng() % n); };
    const auto flipCase = [&](std::string s) {
        for (char &c : s) {
            if (below(5) == 0)
                c = char(std::isupper(u8(c)) ? std::tolower(u8(c)) : std::toupper(u8(c)));
        }
        return s;
    };

    // Literals: random ones, then as many that extend or cut an earlier one
    // (shared prefixes, literals that are prefixes of others), some repeated in
    // another case with another payload.
    std::vector<std::string> lits;
    LiteralSet::Builder builder;
    NaiveSet naive;
    for (int i = 0; i < literals; ++i) {
        std::string s;
        const size_t kind = below(10);
        if (i > 0 && kind < 3) {
            s = lits[below(lits.size())];
            const size_t extra = 1 + below(6);
            for (size_t k = 0; k < extra; ++k)
                s.push_back(alphabet[qsizetype(below(size_t(alphabet.size())))]);
        } else if (i > 0 && kind < 4) {
            s = lits[below(lits.size())];
            s.resize(std::max<size_t>(1, below(s.size() + 1)));
        } else if (i > 0 && kind < 5) {
            s = flipCase(lits[below(lits.size())]);
        } else {
            const size_t length = size_t(minLength) + below(size_t(maxLength - minLength + 1));
            for (size_t k = 0; k < length; ++k)
                s.push_back(alphabet[qsizetype(below(size_t(alphabet.size())))]);
        }
        if (s.size() < size_t(minLength) || s.size() > size_t(maxLength))
            continue;
        const auto payload = quint32(below(4) == 0 ? 1000 + below(3) : size_t(i)); // some payloads repeat
        lits.push_back(s);
        builder.add(s, payload);
        naive.add(s, payload);
    }
    naive.finish();
    const LiteralSet set = builder.build();
    QCOMPARE(set.size(), naive.size());
    QCOMPARE(set.maxLength(), naive.maxLength());

    // Texts: literals (case flipped, cut, extended) among noise, including
    // capitals after '_' (environment variables) and bytes above 0x7f.
    const std::string noise = alphabet.toStdString() + "  __XYZxyz,;:/\xc3\xa9\x80\xff" + "09";
    size_t changing = 0;
    size_t hitsSeen = 0;
    for (int round = 0; round < 12; ++round) {
        std::string text;
        while (text.size() < 3000) {
            const size_t kind = below(10);
            if (kind < 4) {
                // Mostly between separators, sometimes glued to what is around.
                if (below(3) != 0)
                    text.push_back(" ,;:/"[below(5)]);
                std::string lit = lits[below(lits.size())];
                if (below(4) == 0) // as a constant's name would be written
                    std::transform(lit.begin(), lit.end(), lit.begin(),
                                   [](char c) { return char(std::toupper(u8(c))); });
                text += flipCase(lit);
                if (below(3) != 0)
                    text.push_back(" ,;:/"[below(5)]);
            } else if (kind < 5) {
                const std::string &s = lits[below(lits.size())];
                text += s.substr(0, below(s.size()) + 1);
            } else if (kind < 6) {
                text += lits[below(lits.size())] + noise[below(noise.size())];
            } else if (kind < 7) {
                text += "_" + std::string(1, char('A' + below(26)));
            } else {
                const size_t length = 1 + below(4);
                for (size_t k = 0; k < length; ++k)
                    text.push_back(noise[below(noise.size())]);
            }
        }
        const ExactText exact(text);
        const std::string_view t = exact.view();
        const auto n = qint64(t.size());

        const std::vector<Hit> expected = naive.findAll(t, 0, n);
        QCOMPARE(describe(findAll(set, t)), describe(expected));
        hitsSeen += expected.size();
        for (int w = 0; w < 20; ++w) {
            const auto from = qint64(below(size_t(n) + 1));
            const auto to = from + qint64(below(64));
            QCOMPARE(describe(findAll(set, t, from, to)), describe(naive.findAll(t, from, to)));
        }
        for (qint64 p = 0; p < n; ++p) {
            if (!NaiveSet::mayStartAt(t, p))
                continue;
            const Hit got = set.longestAt(t, p);
            const Hit want = naive.longestAt(t, p);
            if (got.length != want.length || got.payload != want.payload)
                QCOMPARE(describe({got}), describe({want}));
        }
        // mayChangeMatchAt() at every hit and at a few other spans: it may be
        // cautious (true where nothing can change) but never answer false
        // where a longer literal or another payload can change the match.
        for (const Hit &h : expected) {
            const std::optional<bool> want = naive.mayChange(t, h.offset, h.length);
            changing += want.value_or(false) ? 1 : 0;
            if (want.value_or(false) && !set.mayChangeMatchAt(t, h.offset, h.length)) {
                const QByteArray message = "mayChangeMatchAt false at " + QByteArray::number(h.offset) + ": " +
                                           QByteArray(t.data() + h.offset, h.length);
                QFAIL(message.constData());
            }
        }
    }
    // The cases that matter were there.
    QVERIFY(hitsSeen > 300);
    QVERIFY(changing > 0);
    QVERIFY(naive.environmentVariables() > 0);
}

QTEST_GUILESS_MAIN(TestLiteralSet)
#include "test_literalset.moc"
