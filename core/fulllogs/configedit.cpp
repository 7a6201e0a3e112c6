// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/fulllogs/configedit.h"

#include <QDir>
#include <QStringList>
#include <QXmlStreamReader>
#include <cerrno>
#include <nlohmann/json.hpp>

namespace dc::core {

namespace {

constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024;

// ---- INI ------------------------------------------------------------------

struct IniKey
{
    QString section; // empty: before the first section
    QString name;
};

IniKey splitIniKey(const QString &key)
{
    const qsizetype dot = key.lastIndexOf(QLatin1Char('.'));
    if (dot < 0)
        return {QString(), key};
    return {key.left(dot), key.mid(dot + 1)};
}

struct IniLine
{
    QString text; // without the line ending
    QString section;
    bool isHeader = false;
    bool isKey = false;
    QString keyName;
    qsizetype valueStart = 0; // index of the value in text
};

struct IniDocument
{
    QList<IniLine> lines;
    QString eol = QStringLiteral("\n");
    bool finalEol = true;
};

IniDocument parseIni(const QByteArray &bytes)
{
    IniDocument doc;
    QString text = QString::fromUtf8(bytes);
    if (text.contains(QStringLiteral("\r\n")))
        doc.eol = QStringLiteral("\r\n");
    doc.finalEol = text.isEmpty() || text.endsWith(QLatin1Char('\n'));
    QStringList raw = text.split(QLatin1Char('\n'));
    if (doc.finalEol && !raw.isEmpty())
        raw.removeLast();
    QString section;
    for (QString line : raw) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        IniLine entry;
        entry.text = line;
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1Char('[')) && trimmed.endsWith(QLatin1Char(']'))) {
            section = trimmed.mid(1, trimmed.size() - 2).trimmed();
            entry.isHeader = true;
        } else if (!trimmed.isEmpty() && !trimmed.startsWith(QLatin1Char(';')) &&
                   !trimmed.startsWith(QLatin1Char('#'))) {
            const qsizetype equals = line.indexOf(QLatin1Char('='));
            if (equals > 0) {
                entry.isKey = true;
                entry.keyName = line.left(equals).trimmed();
                qsizetype start = equals + 1;
                while (start < line.size() && (line[start] == QLatin1Char(' ') || line[start] == QLatin1Char('\t')))
                    ++start;
                entry.valueStart = start;
            }
        }
        entry.section = section;
        doc.lines.append(entry);
    }
    return doc;
}

QByteArray serializeIni(const IniDocument &doc)
{
    QString out;
    for (qsizetype i = 0; i < doc.lines.size(); ++i) {
        out += doc.lines[i].text;
        if (i + 1 < doc.lines.size() || doc.finalEol)
            out += doc.eol;
    }
    return out.toUtf8();
}

qsizetype findIniKey(const IniDocument &doc, const IniKey &key)
{
    for (qsizetype i = 0; i < doc.lines.size(); ++i) {
        const IniLine &line = doc.lines[i];
        if (line.isKey && line.section.compare(key.section, Qt::CaseInsensitive) == 0 &&
            line.keyName.compare(key.name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

Result<ConfigValue> readIni(const QByteArray &bytes, const QString &key)
{
    const IniDocument doc = parseIni(bytes);
    const qsizetype at = findIniKey(doc, splitIniKey(key));
    if (at < 0)
        return ConfigValue{};
    const IniLine &line = doc.lines[at];
    return ConfigValue{true, line.text.mid(line.valueStart).trimmed()};
}

Result<QByteArray> editIni(const QByteArray &bytes, const QString &key, const std::optional<QString> &value)
{
    IniDocument doc = parseIni(bytes);
    const IniKey k = splitIniKey(key);
    const qsizetype at = findIniKey(doc, k);
    if (at >= 0) {
        if (!value) {
            doc.lines.removeAt(at);
        } else {
            IniLine &line = doc.lines[at];
            line.text = line.text.left(line.valueStart) + *value;
        }
        return serializeIni(doc);
    }
    if (!value)
        return bytes; // nothing to remove
    IniLine added;
    added.text = k.name + QStringLiteral(" = ") + *value;
    added.section = k.section;
    if (k.section.isEmpty()) {
        qsizetype firstHeader = 0;
        while (firstHeader < doc.lines.size() && !doc.lines[firstHeader].isHeader)
            ++firstHeader;
        doc.lines.insert(firstHeader, added);
        return serializeIni(doc);
    }
    // After the last key of the section, or after its header.
    qsizetype insertAt = -1;
    for (qsizetype i = 0; i < doc.lines.size(); ++i) {
        const IniLine &line = doc.lines[i];
        if (line.section.compare(k.section, Qt::CaseInsensitive) != 0)
            continue;
        if (line.isHeader || line.isKey)
            insertAt = i + 1;
    }
    if (insertAt < 0) {
        if (!doc.lines.isEmpty() && !doc.lines.last().text.trimmed().isEmpty())
            doc.lines.append(IniLine{});
        IniLine header;
        header.text = QLatin1Char('[') + k.section + QLatin1Char(']');
        header.isHeader = true;
        doc.lines.append(header);
        doc.lines.append(added);
        doc.finalEol = true;
    } else {
        doc.lines.insert(insertAt, added);
    }
    return serializeIni(doc);
}

// ---- JSON -----------------------------------------------------------------

using ordered_json = nlohmann::ordered_json;

Result<ordered_json> parseJsonConfig(const QByteArray &bytes)
{
    try {
        return ordered_json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const ordered_json::exception &e) {
        return fail(ErrorCode::Io, QStringLiteral("not valid JSON: %1").arg(QString::fromUtf8(e.what())));
    }
}

int jsonIndent(const QByteArray &bytes)
{
    // The indentation of the first indented line, so a rewritten file looks the same.
    const qsizetype newline = bytes.indexOf('\n');
    if (newline < 0)
        return 2;
    int spaces = 0;
    for (qsizetype i = newline + 1; i < bytes.size() && bytes[i] == ' '; ++i)
        ++spaces;
    return spaces > 0 && spaces <= 8 ? spaces : 2;
}

Result<ConfigValue> readJson(const QByteArray &bytes, const QString &key)
{
    auto root = parseJsonConfig(bytes);
    if (!root)
        return tl::unexpected(root.error());
    const ordered_json *node = &*root;
    for (const QString &part : key.split(QLatin1Char('.'))) {
        if (!node->is_object())
            return ConfigValue{};
        const auto it = node->find(part.toStdString());
        if (it == node->end())
            return ConfigValue{};
        node = &*it;
    }
    return ConfigValue{true, QString::fromStdString(node->dump())};
}

Result<QByteArray> editJson(const QByteArray &bytes, const QString &key, const std::optional<QString> &value)
{
    auto root = parseJsonConfig(bytes);
    if (!root)
        return tl::unexpected(root.error());
    ordered_json newValue;
    if (value) {
        try {
            newValue = ordered_json::parse(value->toStdString());
        } catch (const ordered_json::exception &) {
            return fail(ErrorCode::Usage, QStringLiteral("%1 is not a JSON value").arg(*value));
        }
    }
    const QStringList parts = key.split(QLatin1Char('.'));
    ordered_json *node = &*root;
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        if (!node->is_object())
            return fail(ErrorCode::Io,
                        QStringLiteral("\"%1\" is not an object").arg(parts.mid(0, i).join(QLatin1Char('.'))));
        const std::string name = parts[i].toStdString();
        if (!node->contains(name)) {
            if (!value)
                return bytes;
            (*node)[name] = ordered_json::object();
        }
        node = &(*node)[name];
    }
    if (!node->is_object())
        return fail(ErrorCode::Io, QStringLiteral("the parent of \"%1\" is not an object").arg(key));
    if (value)
        (*node)[parts.last().toStdString()] = newValue;
    else
        node->erase(parts.last().toStdString());
    return QByteArray::fromStdString(root->dump(jsonIndent(bytes))) + '\n';
}

// ---- XML ------------------------------------------------------------------

struct XmlSpan
{
    qsizetype contentStart = -1; // in the decoded text
    qsizetype contentEnd = -1;
    bool selfClosing = false;
    qsizetype tagStart = -1; // self-closing: the whole tag is replaced
    QString elementName;
};

// nullopt: no such element.
Result<std::optional<XmlSpan>> findXmlElement(const QString &text, const QString &key)
{
    const QStringList wanted = key.split(QLatin1Char('.'));
    QXmlStreamReader reader(text);
    QStringList stack;
    XmlSpan span;
    int depthOfMatch = -1;
    bool hasChildren = false;
    while (!reader.atEnd()) {
        const auto token = reader.readNext();
        const qsizetype offset = reader.characterOffset();
        if (token == QXmlStreamReader::StartElement) {
            if (depthOfMatch >= 0)
                hasChildren = true;
            stack.append(reader.name().toString());
            if (depthOfMatch < 0 && span.contentStart < 0 && stack == wanted) {
                depthOfMatch = int(stack.size());
                span.contentStart = offset;
                span.elementName = stack.last();
                // "<level/>": the start tag ends with "/>".
                span.selfClosing = offset >= 2 && text.mid(offset - 2, 2) == QLatin1String("/>");
                span.tagStart = text.lastIndexOf(QLatin1Char('<'), offset - 1);
            }
        } else if (token == QXmlStreamReader::EndElement) {
            if (depthOfMatch >= 0 && int(stack.size()) == depthOfMatch) {
                if (hasChildren)
                    return fail(ErrorCode::Io, QStringLiteral("element %1 has child elements, not a value").arg(key));
                span.contentEnd =
                    span.selfClosing ? span.contentStart : text.lastIndexOf(QStringLiteral("</"), offset - 1);
                depthOfMatch = -2; // found; keep reading to check the document is well-formed
            }
            stack.removeLast();
        }
    }
    if (reader.hasError())
        return fail(
            ErrorCode::Io,
            QStringLiteral("not well-formed XML (line %1): %2").arg(reader.lineNumber()).arg(reader.errorString()));
    if (span.contentEnd < 0)
        return std::optional<XmlSpan>();
    return std::optional<XmlSpan>(span);
}

QString unescapeXml(const QString &text)
{
    QXmlStreamReader reader(QStringLiteral("<x>") + text + QStringLiteral("</x>"));
    reader.readNextStartElement();
    return reader.readElementText();
}

QString escapeXml(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('&'), QStringLiteral("&amp;"));
    out.replace(QLatin1Char('<'), QStringLiteral("&lt;"));
    out.replace(QLatin1Char('>'), QStringLiteral("&gt;"));
    return out;
}

Result<ConfigValue> readXml(const QByteArray &bytes, const QString &key)
{
    const QString text = QString::fromUtf8(bytes);
    auto found = findXmlElement(text, key);
    if (!found)
        return tl::unexpected(found.error());
    if (!*found)
        return ConfigValue{};
    const XmlSpan &span = **found;
    return ConfigValue{true, unescapeXml(text.mid(span.contentStart, span.contentEnd - span.contentStart)).trimmed()};
}

Result<QByteArray> editXml(const QByteArray &bytes, const QString &key, const std::optional<QString> &value)
{
    QString text = QString::fromUtf8(bytes);
    auto found = findXmlElement(text, key);
    if (!found)
        return tl::unexpected(found.error());
    if (!*found)
        return fail(ErrorCode::Io, QStringLiteral("element %1 not found (XML elements are never created)").arg(key));
    const XmlSpan *span = &**found;
    const QString content = value ? escapeXml(*value) : QString();
    if (span->selfClosing) {
        text.replace(span->tagStart, span->contentStart - span->tagStart,
                     QLatin1Char('<') + span->elementName + QLatin1Char('>') + content + QStringLiteral("</") +
                         span->elementName + QLatin1Char('>'));
    } else {
        text.replace(span->contentStart, span->contentEnd - span->contentStart, content);
    }
    return text.toUtf8();
}

// Root plus the caller: a user editing their own product's file is not refused.
safefs::Trust withCaller(safefs::Trust trust)
{
    const quint32 self = safefs::effectiveUid();
    if (self != 0 && !trust.owners.contains(self))
        trust.owners.append(self);
    return trust;
}

constexpr auto kEditRule = "full-log mode changes a configuration file only when it and every folder above it "
                           "belong to root (or the product's account) and no other user can change them";

Error refusal(const QString &path, const QString &why)
{
    return Error{ErrorCode::PolicyRefused,
                 QStringLiteral("refusing to edit %1: %2 (%3)").arg(path, why, QLatin1String(kEditRule))};
}

// The file below an already trusted folder: a regular file with one link, owned
// by a trusted account and not writable by others.
Result<safefs::OpenedFile> openTrustedFileAt(int dirFd, const QString &path, const safefs::Trust &trust)
{
    int error = 0;
    auto file = safefs::openRegularAt(dirFd, safefs::nameOf(path), &error);
    if (!file) {
        if (error == ENOENT)
            return fail(ErrorCode::Io, QStringLiteral("cannot read %1: it does not exist").arg(path));
        if (error == EACCES || error == EPERM)
            return fail(ErrorCode::Io, QStringLiteral("cannot read %1: permission denied").arg(path));
        return tl::unexpected(refusal(path, file.error().message));
    }
    const safefs::Stat &st = file->stat;
    if (st.nlink != 1)
        return tl::unexpected(refusal(path, QStringLiteral("it has %1 hard links").arg(st.nlink)));
    if (!trust.trusts(st.uid))
        return tl::unexpected(refusal(path, QStringLiteral("it is owned by %1").arg(safefs::describeUid(st.uid))));
    if (st.writableByOthers())
        return tl::unexpected(refusal(
            path,
            QStringLiteral("other users can write to it (mode %1)").arg(st.mode & 07777, 4, 8, QLatin1Char('0'))));
    return file;
}

Result<safefs::Fd> openTrustedFolderOf(const QString &path, const safefs::Trust &trust)
{
    if (!QDir::isAbsolutePath(path))
        return fail(ErrorCode::Usage, QStringLiteral("%1 is not an absolute path").arg(path));
    auto dir = safefs::openTrustedDir(safefs::parentOf(path), trust);
    if (!dir)
        return tl::unexpected(refusal(path, dir.error().message));
    return dir;
}

} // namespace

Result<ConfigFile> readTrustedConfig(const QString &path, const safefs::Trust &requested)
{
    const safefs::Trust trust = withCaller(requested);
    auto dir = openTrustedFolderOf(path, trust);
    if (!dir)
        return tl::unexpected(dir.error());
    auto file = openTrustedFileAt(dir->get(), path, trust);
    if (!file)
        return tl::unexpected(file.error());
    auto bytes = safefs::readAll(file->fd.get(), kMaxConfigBytes, path);
    if (!bytes)
        return tl::unexpected(bytes.error());
    return ConfigFile{*bytes, file->stat};
}

Result<void> replaceTrustedConfig(const QString &path, const QByteArray &bytes, const safefs::Trust &requested)
{
    const safefs::Trust trust = withCaller(requested);
    auto dir = openTrustedFolderOf(path, trust);
    if (!dir)
        return tl::unexpected(dir.error());
    auto existing = openTrustedFileAt(dir->get(), path, trust);
    if (!existing)
        return tl::unexpected(existing.error());
    safefs::WriteOptions options;
    options.mode = existing->stat.mode & 07777;
    options.replace = true;
    if (safefs::effectiveUid() == 0) {
        options.uid = existing->stat.uid;
        options.gid = existing->stat.gid;
    }
    auto written = safefs::writeFileAt(dir->get(), safefs::nameOf(path), bytes, options);
    if (!written)
        return fail(written.error().code, QStringLiteral("cannot write %1: %2").arg(path, written.error().message));
    return {};
}

std::optional<ConfigFormat> configFormatFromName(const QString &name)
{
    if (name == QLatin1String("ini"))
        return ConfigFormat::Ini;
    if (name == QLatin1String("json"))
        return ConfigFormat::Json;
    if (name == QLatin1String("xml"))
        return ConfigFormat::Xml;
    return std::nullopt;
}

Result<ConfigValue> readConfigText(const QByteArray &text, ConfigFormat format, const QString &key)
{
    switch (format) {
    case ConfigFormat::Ini:
        return readIni(text, key);
    case ConfigFormat::Json:
        return readJson(text, key);
    case ConfigFormat::Xml:
        return readXml(text, key);
    }
    return fail(ErrorCode::Internal, QStringLiteral("unknown configuration format"));
}

Result<QByteArray>
editConfigText(const QByteArray &text, ConfigFormat format, const QString &key, const std::optional<QString> &value)
{
    switch (format) {
    case ConfigFormat::Ini:
        return editIni(text, key, value);
    case ConfigFormat::Json:
        return editJson(text, key, value);
    case ConfigFormat::Xml:
        return editXml(text, key, value);
    }
    return fail(ErrorCode::Internal, QStringLiteral("unknown configuration format"));
}

Result<ConfigValue>
readConfigValue(const QString &file, ConfigFormat format, const QString &key, const safefs::Trust &trust)
{
    auto read = readTrustedConfig(file, trust);
    if (!read)
        return tl::unexpected(read.error());
    auto value = readConfigText(read->bytes, format, key);
    if (!value)
        return fail(value.error().code, file + QStringLiteral(": ") + value.error().message);
    return value;
}

Result<void> writeConfigValue(const QString &file,
                              ConfigFormat format,
                              const QString &key,
                              const std::optional<QString> &value,
                              const safefs::Trust &trust)
{
    auto read = readTrustedConfig(file, trust);
    if (!read)
        return tl::unexpected(read.error());
    auto edited = editConfigText(read->bytes, format, key, value);
    if (!edited)
        return fail(edited.error().code, file + QStringLiteral(": ") + edited.error().message);
    if (*edited == read->bytes)
        return {};
    return replaceTrustedConfig(file, *edited, trust);
}

} // namespace dc::core
