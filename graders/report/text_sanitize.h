// Student output is arbitrary bytes; every report format has its own idea of
// which bytes it may carry. These functions turn any byte string into one
// that a format's strictest consumer accepts, keeping what was there visible
// instead of dropping it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ipclab {

/// Well-formed UTF-8: every invalid byte sequence (stray continuation bytes,
/// truncated sequences, overlong forms, UTF-16 surrogates, code points above
/// U+10FFFF) becomes U+FFFD, one per maximal invalid subpart as Unicode
/// recommends. Valid input comes back unchanged.
std::string ValidUtf8(std::string_view in);

/// ValidUtf8, restricted to XML 1.0 `Char`s. C0 controls other than TAB, LF
/// and CR (NUL included) become a visible escape such as `\x1b`; U+FFFE and
/// U+FFFF become U+FFFD. DEL and C1 controls are legal XML and are kept.
std::string XmlSafe(std::string_view in);

/// ValidUtf8 under the name of its use: a JSON serializer escapes control
/// characters itself, but it cannot encode bytes that are not UTF-8.
std::string JsonSafe(std::string_view in);

/// ValidUtf8 with every control character a terminal might act on made
/// visible: C0 controls except LF and TAB (ESC, CR, BEL and NUL included)
/// and DEL as `\x1b`, C1 controls as `\u009b`.
std::string TerminalSafe(std::string_view in);

/// The longest prefix of `in` of at most `max_bytes` that does not end in the
/// middle of a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view in, std::size_t max_bytes);

/// At most `max_bytes` of `in`: its head and its tail around a marker line
/// `\n[... N bytes not shown ...]\n`, so the start (what went wrong first)
/// and the end (how it ended) both survive. Cuts fall on UTF-8 boundaries,
/// and on line ends when one is near. Input that fits comes back unchanged;
/// a limit too small for the marker keeps a plain prefix.
std::string Truncate(std::string_view in, std::size_t max_bytes);

/// `in` as one line of at most `max_bytes`: runs of CR, LF and TAB become a
/// single space, and a cut is marked with "...". Meant for text that has
/// already been sanitized, e.g. an XML attribute value.
std::string OneLine(std::string_view in, std::size_t max_bytes);

}  // namespace ipclab
