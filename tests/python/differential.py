#!/usr/bin/env python3
"""Differential cases for the generated query-protocol code, with botocore as the reference.

For every operation of a botocore service model (and, with ``--suites``, for the model of
every operation of botocore's query protocol suites, which use what ElastiCache does not:
maps, flattened lists, floats, longs, blobs, epoch-second timestamps, idempotency tokens,
host labels, recursion) this writes random but valid cases:

* request cases: botocore-style params (members in model order, required members always,
  optional ones at random; strings with reserved and non-ASCII characters, empty lists,
  booleans, timestamps in several spellings, numbers at their limits) and the body that
  botocore's own query serializer makes of them, both as ``percent_encode_sequence`` writes
  it (RFC 3986: what the generated code also writes) and as botocore's client puts it on the
  wire (``AWSRequest.prepare()``: ``urlencode``, so a space is ``+``);
* response cases: a random value of the output shape rendered to XML the way the query
  protocol does (with spelling variations a conforming XML reader must accept: pretty
  printing, namespace prefixes, character references, CDATA, comments, processing
  instructions, unknown elements and attributes), and what botocore's parser makes of it,
  as botocore's client does it (modeled error members merged in); plus error documents with
  the operation's modeled codes and unknown ones.

Only botocore is needed. Each case has its own generator, seeded by ``seed``, kind and
index, so a case can be made again on its own (``--pick``) and kept (``--regression``).
Where botocore and the generated code differ on purpose, the generator stays clear and
``tests/data/differential/README.md`` says why.

    differential.py MODEL OUT.json [--seed S] [--cases N] [--suites DIR --suite-cases N]
    differential.py MODEL OUT.json --suites DIR --seed S --pick sreq-17
    differential.py MODEL REGRESSIONS.json --suites DIR --seed S --pick ID --regression NAME --why TEXT
    differential.py MODEL REGRESSIONS.json [--suites DIR --suite LABEL] --operation OP \\
        (--params JSON | --xml FILE [--status N]) --regression NAME --why TEXT
"""

import argparse
import base64
import datetime
import json
import math
import os
import random
import re
import sys

import botocore.awsrequest
import botocore.parsers
import botocore.serialize
import botocore.utils
from botocore.model import ServiceModel

#: The token a case puts in every idempotency-token member (botocore's serializer does not
#: make one up; its client would, from uuid4).
FIXED_TOKEN = "00000000-0000-4000-8000-000000000000"
REQUEST_ID = "7f3c2a1b-9d4e-4f60-8a1b-2c3d4e5f6a7b"
#: Structures deeper than this only get their required members.
MAX_DEPTH = 6

# ---------------------------------------------------------------------------------------
# Scalars


def valid_xml_char(cp):
    """XML 1.0 `Char`, less the noncharacters U+FFFE/U+FFFF."""
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF


RESERVED = "&=+ %/?#[]@!$'()*,;:<>\"\\^`{|}~-._"
UNICODE = "éüßñçÅØæœΩжЖя中文字日本語한국어עבריתالعربية😀🚀🎉𝄞\u00a0\u2028\u2029\u200b\u202e\ufeff\u0301"
CONTROL = "\t\n\r\x00\x01\x1f\x7f"
SPECIAL_STRINGS = ["", " ", "  ", "true", "false", "null", "0", "-1", "1e5", "NaN", "&", "=", "+", "%20", "a=b&c=d",
                   "Action=Foo", "?", "#", "/", "%", "~", "<tag>", "]]>", "&amp;", "\u00e9", "😀", "a b", "x" * 200]


def random_code_point(rng, xml):
    while True:
        r = rng.random()
        if r < 0.6:
            cp = rng.randint(0xA0, 0xD7FF)
        elif r < 0.8:
            cp = rng.randint(0xE000, 0xFFFD)
        else:
            cp = rng.randint(0x10000, 0x10FFFF)
        if not xml or valid_xml_char(cp):
            return chr(cp)


def random_char(rng, xml):
    r = rng.random()
    if r < 0.45:
        return rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    if r < 0.7:
        return rng.choice(RESERVED)
    if r < 0.85:
        return rng.choice(UNICODE)
    if r < 0.93:
        return random_code_point(rng, xml)
    if xml:
        return rng.choice("\t\n\r ")
    return rng.choice(CONTROL)


def clamp_length(n, shape):
    lo = shape.metadata.get("min", 0) if shape.type_name == "string" else 0
    hi = shape.metadata.get("max")
    n = max(n, lo)
    if hi is not None:
        n = min(n, hi)
    return n


def pattern_string(rng, pattern, lo, hi):
    """A string fully matching one of the patterns the model uses; None for others."""
    hi = hi if hi is not None else max(lo, 12)
    n = rng.randint(max(lo, 1), max(lo, 1, min(hi, 12)))
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if pattern == r"\d+":
        return "".join(rng.choice("0123456789") for _ in range(n))
    if pattern == "[a-zA-Z]*":
        return "".join(rng.choice(letters) for _ in range(rng.randint(lo, max(lo, min(hi, 12)))))
    if pattern == r"[a-zA-Z][a-zA-Z0-9\-]*":
        return rng.choice(letters) + "".join(rng.choice(letters + "0123456789-") for _ in range(n - 1))
    return None


def random_string(rng, shape, xml):
    lo = shape.metadata.get("min", 0)
    hi = shape.metadata.get("max")
    pattern = shape.metadata.get("pattern")
    if pattern is not None and pattern != r".*\S.*":
        s = pattern_string(rng, pattern, lo, hi)
        if s is not None:
            return s
    for _ in range(50):
        r = rng.random()
        if r < 0.12:
            s = rng.choice(SPECIAL_STRINGS)
        elif r < 0.13:
            n = clamp_length(rng.randint(1000, 5000), shape)
            s = "".join(random_char(rng, xml) for _ in range(n))
        else:
            n = clamp_length(int(rng.expovariate(1 / 10)), shape)
            s = "".join(random_char(rng, xml) for _ in range(n))
        if xml:
            s = "".join(c for c in s if valid_xml_char(ord(c)))
        if len(s) < lo or (hi is not None and len(s) > hi):
            continue
        if pattern is not None and not re.search(pattern, s):
            continue
        return s
    # Constraints the loop could not meet by chance: plain letters.
    return "x" * max(lo, 1)


UNKNOWN_ENUMS = ["future-value", "FUTURE_VALUE", "", "x y", "é", "a&b"]


def random_enum(rng, shape, xml):
    values = shape.enum
    if rng.random() < 0.85:
        return rng.choice(values)
    if rng.random() < 0.5:
        return rng.choice(UNKNOWN_ENUMS)
    return random_string(rng, shape, xml)


def random_int(rng, shape, bits):
    lo = shape.metadata.get("min", -(2 ** (bits - 1)))
    hi = shape.metadata.get("max", 2 ** (bits - 1) - 1)
    r = rng.random()
    if r < 0.4:
        candidates = [lo, hi, 0, 1, -1, lo + 1, hi - 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, -(2 ** 53)]
        return rng.choice([c for c in candidates if lo <= c <= hi])
    if r < 0.7:
        return max(lo, min(hi, rng.randint(-100, 1000)))
    return rng.randint(lo, hi)


SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.5, 0.1, 10.8, 123.456, 1e16, 1e-5, 0.0001, 1e21, 1e22, 2.0 ** 53, 2.0 ** 53 + 2,
                  5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 3.4028234663852886e38,
                  1.4e-45, math.nan, math.inf, -math.inf]


def random_float(rng):
    r = rng.random()
    if r < 0.35:
        v = rng.choice(SPECIAL_FLOATS)
    elif r < 0.6:
        v = round(rng.uniform(-1000, 1000), rng.randint(0, 4))
    elif r < 0.8:
        v = rng.uniform(-1, 1) * 10.0 ** rng.randint(-300, 300)
    else:
        v = float(rng.randint(-10 ** 6, 10 ** 6))
    return v


def random_float32(rng):
    """A value of a `float` (32-bit) shape: at most 6 significant digits within f32's normal
    range, so that the double botocore keeps and the f32 the generated code keeps print the
    same (a longer double such as 0.1234567891 has no f32 of its own: see README.md)."""
    if rng.random() < 0.3:
        return rng.choice([0.0, -0.0, 1.0, -1.5, 0.1, 10.8, 123.456, 3.40282e38, -3.40282e38, 1.1755e-38,
                           16777216.0, 1e-37, math.nan, math.inf, -math.inf])
    digits = rng.randint(1, 6)
    mantissa = rng.randint(10 ** (digits - 1), 10 ** digits - 1) * rng.choice([1, -1])
    exponent = rng.randint(-37, 38 - digits) if rng.random() < 0.5 else rng.randint(-digits - 2, 3)
    return float(f"{mantissa}e{exponent}")


UTC = datetime.timezone.utc


EDGE_DATETIMES = [
    datetime.datetime(1000, 1, 1, tzinfo=UTC),
    datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime.datetime(1970, 1, 1, tzinfo=UTC),
    datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime.datetime(2038, 1, 19, 3, 14, 7, tzinfo=UTC),
    datetime.datetime(2038, 1, 19, 3, 14, 8, tzinfo=UTC),
    datetime.datetime(2000, 2, 29, 12, 0, 0, 1, tzinfo=UTC),
    datetime.datetime(2016, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
]


def random_datetime(rng):
    r = rng.random()
    if r < 0.05:
        return rng.choice(EDGE_DATETIMES)
    if r < 0.6:
        year = rng.randint(1970, 2100)
    elif r < 0.8:
        # Years before 1000: Python's strftime writes them without padding ("999-01-01T…"),
        # which is not ISO-8601, so botocore cannot be the reference there.
        year = rng.choice([1000, 1969, 1970, 2038, 2106, 9999])
    else:
        year = rng.randint(1000, 9999)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28 if month == 2 else 30)
    micro = 0 if rng.random() < 0.5 else rng.choice([rng.randint(0, 999999), 500000, 1, 999999, rng.randint(1, 999) * 1000])
    return datetime.datetime(year, month, day, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), micro, tzinfo=UTC)


def iso(dt, digits=None, extra="", offset=None):
    """`dt` as ISO-8601: `digits` fraction digits (None: 6 when there is a fraction, else 0),
    `extra` digits appended to the fraction, and `offset` minutes east of UTC."""
    if offset:
        dt = dt.astimezone(datetime.timezone(datetime.timedelta(minutes=offset)))
    s = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    if digits is None:
        digits = 6 if dt.microsecond else 0
    if digits or extra:
        s += "." + f"{dt.microsecond:06d}"[:digits] + extra
    if offset:
        sign = "+" if offset > 0 else "-"
        s += f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    else:
        s += "Z"
    return s


def random_offset(rng, dt):
    if not 1971 <= dt.year <= 9998:
        return None
    return rng.choice([60, -60, 330, -480, 345, 14 * 60, -12 * 60])


def param_timestamp(rng):
    """A timestamp as params give it: an ISO-8601 string (UTC or with an offset; whole
    seconds, or a fraction of any length — both sides keep microseconds), or epoch seconds."""
    dt = random_datetime(rng)
    r = rng.random()
    if r < 0.45:
        return iso(dt)
    if r < 0.6:
        digits = rng.randint(1, 6)
        dt = dt.replace(microsecond=int(f"{dt.microsecond:06d}"[:digits].ljust(6, "0")))
        return iso(dt, digits)
    if r < 0.7:
        return iso(dt, 6, extra="".join(rng.choice("0123456789") for _ in range(rng.randint(1, 3))))
    if r < 0.75:
        return iso(dt, offset=random_offset(rng, dt))
    if r < 0.8:
        # Other spellings both read: no zone (UTC), `+0000`, a space or lowercase separators.
        text = iso(dt)
        return rng.choice([text[:-1], text[:-1] + "+0000", text[:-1] + "+00:00", text.replace("T", " "), text.lower()])
    epoch = int(dt.replace(microsecond=0).timestamp())
    if r < 0.85:
        return str(epoch)
    if r < 0.92 or abs(epoch) >= 2 ** 31:
        return epoch
    # Epoch seconds with milliseconds. botocore reads the double, the generated code the
    # decimal digits; below 2^31 a double is within 0.5 µs of them, so both land on the same
    # microsecond (at year 9999, 253398944910.525 is the double 253398944910.52499389…).
    return round(epoch + rng.randint(0, 999) / 1000, 3)


def xml_timestamp(rng):
    """A timestamp as a response may spell it; fractions beyond microseconds are zeros,
    because botocore keeps microseconds and the comparison is by instant."""
    dt = random_datetime(rng)
    r = rng.random()
    if r < 0.4:
        digits = rng.choice([0, 3, 3, 6]) if dt.microsecond else 0
        if digits == 3:
            dt = dt.replace(microsecond=dt.microsecond // 1000 * 1000)
        if digits == 0:
            dt = dt.replace(microsecond=0)
        return iso(dt, digits), dt
    if r < 0.55:
        return iso(dt, 6, extra="0" * rng.randint(1, 3)), dt
    if r < 0.65:
        return iso(dt, offset=random_offset(rng, dt)), dt
    if r < 0.7:
        dt = dt.replace(microsecond=0)
        text = iso(dt)
        return rng.choice([text[:-1], text[:-1] + "+0000", text.replace("T", " "), text.lower()]), dt
    if r < 0.8:
        dt = dt.replace(microsecond=0)
        return dt.strftime("%a, %d %b ") + f"{dt.year:04d}" + dt.strftime(" %H:%M:%S GMT"), dt
    if r < 0.9:
        dt = dt.replace(microsecond=0)
        return str(int(dt.timestamp())), dt
    dt = dt.replace(microsecond=dt.microsecond // 1000 * 1000)
    epoch = int(dt.replace(microsecond=0).timestamp())
    if abs(epoch) >= 2 ** 31:
        # botocore reads epoch seconds as a double (see param_timestamp): beyond 2^31 its
        # microseconds are the double's, not the digits'.
        return str(epoch), dt.replace(microsecond=0)
    return f"{epoch}.{dt.microsecond // 1000:03d}", dt


# ---------------------------------------------------------------------------------------
# Values


def ref_flattened_list_with_item_name(service, member):
    """A list member whose reference (not its list shape) says `flattened`, and whose list
    names its items. botocore then names the items (`item.1`, `<item>`) by the list's member
    name; the Smithy protocol suites (QueryFlattenedListArgWithXmlName, QueryXmlLists) and the
    generated code by the structure member's. The suites are the protocol's definition, so
    these members are left out (see README.md)."""
    if member.type_name != "list" or not member.serialization.get("flattened"):
        return False
    target = service.shape_for(member.name)
    return not target.serialization.get("flattened") and bool(member.member.serialization.get("name"))


def flattened_list_with_item_name(member):
    """A list flattened on its shape whose items have a name. botocore sends such a list,
    empty, as `MemberName=` but its items as `ItemName.N`; the generated code sends the empty
    list as `ItemName=`, the name the service reads the list by. Such lists in requests are
    never empty here (see README.md)."""
    return member.type_name == "list" and member.serialization.get("flattened") and bool(member.member.serialization.get("name"))


class ValueGen:
    """Random values of a shape, as botocore-style Python data."""

    def __init__(self, rng, xml, service):
        self.rng = rng
        self.xml = xml  # values for a response: only characters XML can carry
        self.service = service
        self.density = rng.choice([0.15, 0.4, 0.7, 0.95])

    def value(self, shape, depth=0):
        t = shape.type_name
        rng = self.rng
        if t == "structure":
            out = {}
            for name, member in shape.members.items():
                if member.serialization.get("location"):
                    continue
                if member.metadata.get("idempotencyToken") and not self.xml:
                    out[name] = FIXED_TOKEN
                    continue
                if member.serialization.get("hostLabel") and not self.xml:
                    # A host label must make a valid host name.
                    out[name] = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(1, 12)))
                    continue
                if ref_flattened_list_with_item_name(self.service, member):
                    continue
                required = name in shape.required_members and depth < 3 * MAX_DEPTH
                if required or (depth < MAX_DEPTH and rng.random() < self.density):
                    out[name] = self.value(member, depth + 1)
                    if not self.xml and out[name] == [] and flattened_list_with_item_name(member):
                        out[name] = [self.value(member.member, depth + 2)]
            return out
        if t == "list":
            lo = shape.metadata.get("min", 0)
            hi = shape.metadata.get("max", 1000)
            n = 0 if rng.random() < 0.15 else rng.randint(1, 4 if depth < 3 else 2)
            n = max(lo, min(hi, n))
            return [self.value(shape.member, depth + 1) for _ in range(n)]
        if t == "map":
            n = 0 if rng.random() < 0.15 else rng.randint(1, 3)
            out = {}
            for _ in range(n):
                out[self.value(shape.key, depth + 1)] = self.value(shape.value, depth + 1)
            return out
        if t == "character":
            return random_char(rng, self.xml)
        if t == "string":
            if shape.enum:
                return random_enum(rng, shape, self.xml)
            return random_string(rng, shape, self.xml)
        if t == "boolean":
            return rng.random() < 0.5
        if t == "integer":
            return random_int(rng, shape, 32)
        if t == "long":
            return random_int(rng, shape, 64)
        if t == "double":
            return random_float(rng)
        if t == "float":
            return random_float32(rng)
        if t == "timestamp":
            return param_timestamp(rng) if not self.xml else xml_timestamp(rng)
        if t == "blob":
            return random_string(rng, shape, self.xml)
        raise ValueError(f"no generator for {t}")


# ---------------------------------------------------------------------------------------
# Responses: rendering XML


def attribute_escape(text):
    """An attribute value: markup escaped, and whitespace as character references (a reader
    turns literal tabs and newlines in an attribute into spaces)."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return out.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


class XmlWriter:
    """Renders values to query-protocol XML, with spelling variations chosen per document."""

    def __init__(self, rng):
        self.rng = rng
        self.pretty = rng.random() < 0.5
        self.prefix = "a:" if rng.random() < 0.1 else ""
        self.refs = rng.random() < 0.3  # some characters as character references
        self.cdata = rng.random() < 0.15
        self.literal_cr = rng.random() < 0.1  # a CR as is: XML readers make it LF
        self.comments = rng.random() < 0.1
        self.unknown = rng.random() < 0.2
        self.shuffle = rng.random() < 0.2
        self.padding = rng.random() < 0.2  # whitespace around numbers
        self.parts = []

    def raw(self, s):
        self.parts.append(s)

    def newline(self, depth):
        if self.pretty:
            self.raw("\n" + "  " * depth)

    def escape(self, s):
        """Text content for `s`: escaped, in pieces split by a comment or a processing
        instruction (both are no part of the text), or in CDATA sections."""
        rng = self.rng
        if len(s) > 1 and (self.comments or self.cdata) and rng.random() < 0.15:
            at = rng.randint(1, len(s) - 1)
            between = rng.choice(["<!-- split -->", "<?pi some data?>", ""])
            return self.escape(s[:at]) + between + self.escape(s[at:])
        if self.cdata and s and "\r" not in s and "]]>" not in s and rng.random() < 0.3:
            return f"<![CDATA[{s}]]>"
        out = []
        for i, c in enumerate(s):
            if c == "&":
                out.append("&amp;")
            elif c == "<":
                out.append("&lt;")
            elif c == ">":
                # A literal `>` is fine but for ending `]]>` (which may span pieces).
                literal = i > 0 and s[i - 1] != "]" and rng.random() < 0.3
                out.append(">" if literal else "&gt;")
            elif c == '"':
                out.append(rng.choice(['"', "&quot;"]))
            elif c == "'":
                out.append(rng.choice(["'", "&apos;"]))
            elif c == "\r":
                out.append("\r" if self.literal_cr else rng.choice(["&#13;", "&#xD;"]))
            elif self.refs and (ord(c) > 127 or c in "\t\n") and rng.random() < 0.3:
                out.append(f"&#{ord(c)};" if rng.random() < 0.5 else f"&#x{ord(c):x};")
            else:
                out.append(c)
        return "".join(out)

    def leaf(self, name, text, depth, attrs=""):
        self.newline(depth)
        p = self.prefix
        if text == "" and self.rng.random() < 0.5:
            self.raw(f"<{p}{name}{attrs}/>")
        else:
            self.raw(f"<{p}{name}{attrs}>{text}</{p}{name}>")

    def open(self, name, depth, attrs=""):
        if self.unknown and not attrs and self.rng.random() < 0.05:
            attrs = ' zz:note="an &quot;attribute&quot; &amp; more" xmlns:zz="urn:x"'
        self.newline(depth)
        self.raw(f"<{self.prefix}{name}{attrs}>")

    def close(self, name, depth):
        self.newline(depth)
        self.raw(f"</{self.prefix}{name}>")

    def maybe_noise(self, depth):
        rng = self.rng
        if self.unknown and rng.random() < 0.05:
            self.raw(self.escape(" stray text between elements "))
        if self.comments and rng.random() < 0.2:
            self.newline(depth)
            self.raw("<!-- a comment, <b>not</b> data & not a member -->")
        if self.unknown and rng.random() < 0.15:
            self.open("ZzUnmodeledMember", depth)
            self.leaf("Nested", self.escape("ignored & skipped"), depth + 1)
            self.leaf("Member", "", depth + 1)
            self.close("ZzUnmodeledMember", depth)

    def scalar_text(self, shape, value, attribute=False):
        t = shape.type_name
        rng = self.rng
        if t == "boolean":
            return "true" if value else "false"
        if t in ("integer", "long"):
            text = str(value)
            if self.padding and rng.random() < 0.2:
                text = ("+" if value >= 0 else "-") + "00" + str(abs(value))
            if self.padding and rng.random() < 0.3:
                text = rng.choice([" ", "\n  ", ""]) + text + rng.choice([" ", "\n", ""])
            return text
        if t in ("float", "double"):
            if math.isnan(value):
                return "NaN"
            if math.isinf(value):
                return "Infinity" if value > 0 else "-Infinity"
            text = repr(value)
            r = rng.random()
            if r < 0.1 and value == int(value) and abs(value) < 1e15:
                text = str(int(value))
            elif r < 0.2 and "e" in text:
                text = text.replace("e", "E")
            elif r < 0.25 and value > 0:
                text = "+" + text
            if self.padding and rng.random() < 0.3:
                text = " " + text + "\n"
            return text
        if t == "timestamp":
            return value[0]
        if t == "blob":
            return base64.b64encode(value.encode("utf-8")).decode("ascii")
        return value if attribute else self.escape(value)

    def value(self, name, shape, value, depth):
        """Writes member `name` (its element name) holding `value` of `shape`."""
        t = shape.type_name
        if t == "structure":
            attrs = ""
            for mname, member in shape.members.items():
                if member.serialization.get("xmlAttribute") and mname in value:
                    text = self.scalar_text(member, value[mname], attribute=True)
                    attrs += f' {member.serialization["name"]}="{attribute_escape(text)}"'
            items = list(value.items())
            if self.shuffle:
                self.rng.shuffle(items)
            if not any(not shape.members[k].serialization.get("xmlAttribute") for k, _ in items) and self.rng.random() < 0.5:
                self.leaf(name, "", depth, attrs)
                return
            self.open(name, depth, attrs)
            for mname, mvalue in items:
                member = shape.members[mname]
                if member.serialization.get("xmlAttribute"):
                    continue
                self.maybe_noise(depth + 1)
                self.member(mname, member, mvalue, depth + 1)
            self.maybe_noise(depth + 1)
            self.close(name, depth)
        elif t == "list":
            if not value and self.rng.random() < 0.5:
                self.leaf(name, "", depth)
                return
            item_name = shape.member.serialization.get("name", "member")
            self.open(name, depth)
            for item in value:
                self.value(item_name, shape.member, item, depth + 1)
            self.close(name, depth)
        elif t == "map":
            self.open(name, depth)
            for k, v in value.items():
                self.map_entry("entry", shape, k, v, depth + 1)
            self.close(name, depth)
        else:
            self.leaf(name, self.scalar_text(shape, value), depth)

    def map_entry(self, name, shape, k, v, depth):
        self.open(name, depth)
        self.value(shape.key.serialization.get("name", "key"), shape.key, k, depth + 1)
        self.value(shape.value.serialization.get("name", "value"), shape.value, v, depth + 1)
        self.close(name, depth)

    def member(self, mname, member, value, depth):
        """A structure member: its element, or its repeated elements when flattened."""
        flattened = member.serialization.get("flattened")
        if member.type_name == "list" and flattened:
            name = member.member.serialization.get("name") or member.serialization.get("name", mname)
            for item in value:
                self.value(name, member.member, item, depth)
        elif member.type_name == "map" and flattened:
            name = member.serialization.get("name", mname)
            for k, v in value.items():
                self.map_entry(name, member, k, v, depth)
        else:
            self.value(member.serialization.get("name", mname), member, value, depth)

    def text(self):
        return "".join(self.parts)


def xml_document(rng, op, value, namespace):
    w = XmlWriter(rng)
    p = w.prefix
    if rng.random() < 0.7:
        w.raw('<?xml version="1.0" encoding="UTF-8"?>\n')
    namespace = namespace or ("https://example.com/" if p or rng.random() < 0.5 else None)
    ns = f' xmlns{":a" if p else ""}="{namespace}"' if namespace and (p or rng.random() < 0.9) else ""
    w.raw(f"<{p}{op.name}Response{ns}>")
    shape = op.output_shape
    if shape is not None:
        w.value(shape.serialization.get("resultWrapper", f"{op.name}Result"), shape, value, 1)
    w.open("ResponseMetadata", 1)
    w.leaf("RequestId", REQUEST_ID, 2)
    w.close("ResponseMetadata", 1)
    w.newline(0)
    w.raw(f"</{p}{op.name}Response>\n")
    return w.text()


UNKNOWN_CODES = ["Throttling", "ThrottlingException", "InternalFailure", "ServiceUnavailable", "RequestExpired",
                 "InvalidClientTokenId", "SignatureDoesNotMatch", "OptInRequired", "Some.Dotted.Code", "NewFault"]


def error_document(rng, code, message, kind, shape, members, namespace):
    """`<ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>` (or the
    `<Response><Errors><Error>` spelling), with the modeled error's `members` in `<Error>`."""
    w = XmlWriter(rng)
    w.prefix = ""
    w.raw('<?xml version="1.0" encoding="UTF-8"?>\n' if rng.random() < 0.7 else "")
    # botocore reads a modeled error's members (`Message` included, when the shape has one)
    # only from <ErrorResponse><Error> (see README.md).
    outer = not (shape is not None and shape.members) and rng.random() < 0.15
    ns = f' xmlns="{namespace}"' if namespace and rng.random() < 0.9 else ""
    w.raw("<Response><Errors>" if outer else f"<ErrorResponse{ns}>")
    w.open("Error", 1)
    fields = []
    if kind is not None:
        fields.append(("Type", kind))
    if code is not None:
        fields.append(("Code", code))
    if message is not None:
        fields.append(("Message", message))
    fields += [(name, None) for name in members]
    if w.shuffle:
        rng.shuffle(fields)
    for name, text in fields:
        if text is None:
            w.member(name, shape.members[name], members[name], 2)
        else:
            w.leaf(name, w.escape(text), 2)
    w.close("Error", 1)
    if outer:
        w.raw("</Errors>")
    w.leaf("RequestId", REQUEST_ID, 1)
    w.newline(0)
    w.raw("</Response>\n" if outer else "</ErrorResponse>\n")
    return w.text()


def iso_utc(dt):
    """A datetime in the one spelling the generated JSON uses: UTC, `Z`, microseconds only
    when not zero (`2014-04-29T18:30:38.123456Z`), so that timestamps compare as strings."""
    dt = dt.astimezone(UTC)
    fraction = f".{dt.microsecond:06d}" if dt.microsecond else ""
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}{fraction}Z"


def to_json(value):
    """botocore's value as JSON: datetimes as ISO-8601 in UTC (`iso_utc`), bytes as text,
    non-finite floats as the strings the generated code reads and writes."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        return iso_utc(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def botocore_parse(service, op, status, xml):
    """What botocore's client makes of a response: the parse, then for an error the members
    of the modeled error shape with that code, if any (endpoint.py
    `_add_modeled_error_fields`)."""
    parser = botocore.parsers.create_parser("query")
    response = {"status_code": status, "headers": {}, "body": xml.encode("utf-8")}
    parsed = parser.parse(response, op.output_shape)
    if status >= 300:
        code = parsed.get("Error", {}).get("Code")
        shape = service.shape_for_error_code(code) if code is not None else None
        if shape is not None:
            modeled = parser.parse(response, shape)
            # botocore's generic error parse copies every child of <Error> into `Error`, so a
            # modeled member is there twice: in `Error` and (from the modeled parse) at the
            # top. The generated code keeps `Error` to Code, Message and Type and the modeled
            # members at the top: drop the copies in `Error`, and nothing else (README.md).
            for name, member in shape.members.items():
                xml_name = member.serialization.get("name", name)
                if xml_name not in ("Code", "Message", "Type"):
                    parsed["Error"].pop(xml_name, None)
            parsed.update(modeled)
    parsed.pop("ResponseMetadata", None)
    return to_json(parsed)


# ---------------------------------------------------------------------------------------
# Cases


def send_body(body):
    """The body botocore's client sends for a serialized body dict (AWSRequest.prepare())."""
    request = botocore.awsrequest.AWSRequest(method="POST", url="https://example.com/", data=body)
    sent = request.prepare().body
    return sent if isinstance(sent, str) else sent.decode("utf-8")


def json_params(value):
    """Params as the generated code's `json` layer reads them: non-finite floats as strings."""
    if isinstance(value, dict):
        return {k: json_params(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_params(v) for v in value]
    return to_json(value)


def exact_floats(value, path=()):
    """Where params hold a finite float, with its exact text. serde_json (without its
    `float_roundtrip` feature) may read a long double 1 ulp off; the test puts these back
    before handing the params to the generated code, which then gets botocore's double."""
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in exact_floats(v, path + (k,))]
    if isinstance(value, list):
        return [f for i, v in enumerate(value) for f in exact_floats(v, path + (i,))]
    if isinstance(value, float) and math.isfinite(value):
        return [[list(path), repr(value)]]
    return []


def request_case(op, params):
    serialized = botocore.serialize.create_serializer("query", include_validation=True).serialize_to_request(params, op)
    body = serialized["body"]
    case = {
        "kind": "request",
        "operation": op.name,
        "params": json_params(params),
        "body": botocore.utils.percent_encode_sequence(body),
        "client_body": send_body(body),
    }
    floats = exact_floats(params)
    if floats:
        case["exact_floats"] = floats
    return case


def response_case(service, op, status, xml):
    return {"kind": "response", "operation": op.name, "status": status, "xml": xml,
            "expected": botocore_parse(service, op, status, xml)}


def make_request_case(service, op, rng):
    params = ValueGen(rng, False, service).value(op.input_shape) if op.input_shape is not None else {}
    return request_case(op, params)


class _MessageShape:
    """An error message: any text but the empty one (see README.md: botocore reads an empty
    `<Message/>` of an error as None)."""

    type_name = "string"
    metadata = {"min": 1}
    enum = []


def make_response_case(service, op, rng):
    namespace = service.metadata.get("xmlNamespace")
    if rng.random() < 0.15:
        modeled = [(s, s.metadata.get("error", {}).get("httpStatusCode", 400)) for s in op.error_shapes]
        shape = None
        if modeled and rng.random() < 0.7:
            shape, status = rng.choice(modeled)
            code = shape.error_code
        else:
            code, status = rng.choice(UNKNOWN_CODES), rng.choice([400, 403, 500, 503])
        message = None if rng.random() < 0.1 else random_string(rng, _MessageShape(), xml=True)
        if message is not None and rng.random() < 0.03:
            # No code (but never an empty <Error/>: botocore's `Error` would not be a dict).
            code = None
        kind = rng.choice(["Sender", "Receiver", None]) if rng.random() < 0.3 else ("Receiver" if status >= 500 else "Sender")
        members = {}
        if shape is not None and code is not None and rng.random() < 0.5:
            gen = ValueGen(rng, True, service)
            for name, member in shape.members.items():
                if member.serialization.get("name", name) not in ("Code", "Message", "Type") and rng.random() < 0.7:
                    members[name] = gen.value(member, 1)
        xml = error_document(rng, code, message, kind, shape, members, namespace)
    else:
        status = 200
        value = ValueGen(rng, True, service).value(op.output_shape) if op.output_shape is not None else {}
        xml = xml_document(rng, op, value, namespace)
    return response_case(service, op, status, xml)


# ---------------------------------------------------------------------------------------
# Models

#: The protocol suites, in the order `xtask` generates them into `tests/protocol-suite`.
SUITES = ["input-query.json", "output-query.json", "legacy/input-query.json", "legacy/output-query.json"]


def suite_models(folder):
    """Each distinct (suite, operation) of botocore's query suites as a model, with the index
    of a `protocol_suite::CASES` entry generated from it. As botocore's own suite runner
    does, an output with members but no `resultWrapper` is read from `<OpResult>`."""
    out = []
    seen = set()
    index = 0
    for suite_file in SUITES:
        with open(os.path.join(folder, suite_file), encoding="utf-8") as f:
            suites = json.load(f)
        for si, suite in enumerate(suites):
            for case in suite["cases"]:
                given = json.loads(json.dumps(case["given"]))
                name = given["name"]
                key = (suite_file, si, name)
                if key not in seen:
                    seen.add(key)
                    output = given.get("output")
                    if output and "resultWrapper" not in output and suite["shapes"][output["shape"]].get("members"):
                        output["resultWrapper"] = f"{name}Result"
                    model = {"metadata": suite["metadata"], "operations": {name: given}, "shapes": suite["shapes"]}
                    out.append((f"{suite_file}#{si}", index, ServiceModel(model)))
                index += 1
    return out


class Models:
    """The models cases come from: the service model (`req-N`, `res-N`, spread over its
    operations) and, with `--suites`, the protocol suites' models (`sreq-N`, `sres-N`)."""

    def __init__(self, model_path, suites_folder):
        with open(model_path, encoding="utf-8") as f:
            self.service = ServiceModel(json.load(f))
        self.ops = sorted(self.service.operation_names)
        self.suites = suite_models(suites_folder) if suites_folder else []

    def make(self, seed, case_id):
        kind, _, index = case_id.partition("-")
        index = int(index)
        rng = random.Random(f"{seed}:{kind}:{index}")
        if kind in ("req", "res"):
            service, op = self.service, self.service.operation_model(self.ops[index % len(self.ops)])
            extra = {}
        elif kind in ("sreq", "sres") and self.suites:
            # botocore serializes a request only for a model with an API version (the legacy
            # output suites have none).
            pool = [m for m in self.suites if kind == "sres" or "apiVersion" in m[2].metadata]
            label, module, service = pool[index % len(pool)]
            op = service.operation_model(service.operation_names[0])
            extra = {"suite": label, "module": module}
        else:
            raise SystemExit(f"no case {case_id!r} (req-N, res-N; sreq-N, sres-N with --suites)")
        case = make_request_case(service, op, rng) if kind.endswith("req") else make_response_case(service, op, rng)
        return dict(case, id=case_id, **extra)


# ---------------------------------------------------------------------------------------
# Driver


def write_json(path, data, indent=None):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=indent)
        f.write("\n")


def add_regression(path, case, case_id, why):
    data = {"cases": []}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    case = dict(case, id=case_id, why=why)
    data["cases"] = [c for c in data["cases"] if c["id"] != case_id] + [case]
    write_json(path, data, indent=1)
    print(f"{path}: case {case_id} ({case['kind']}, {case['operation']}) saved", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="the service model (botocore's service-2.json)")
    ap.add_argument("out", help="where the cases go (with --regression: the regressions file)")
    ap.add_argument("--seed", default="20150202")
    ap.add_argument("--cases", type=int, default=5000, help="service-model cases each way")
    ap.add_argument("--suites", help="folder of botocore's query suites: also make cases from their models")
    ap.add_argument("--suite-cases", type=int, default=1000, help="suite-model cases each way")
    ap.add_argument("--pick", help="make only this case (req-N, res-N, sreq-N, sres-N)")
    ap.add_argument("--regression", metavar="ID", help="add the case to OUT (a regressions file) as ID")
    ap.add_argument("--why", default="", help="what the regression case caught")
    ap.add_argument("--operation", help="a hand-written case's operation")
    ap.add_argument("--suite", help="a hand-written case's suite model (`input-query.json#12`; with --suites)")
    ap.add_argument("--params", help="a hand-written request case's params (JSON)")
    ap.add_argument("--xml", help="a file with a hand-written response case's body")
    ap.add_argument("--status", type=int, default=200, help="a hand-written response case's status")
    args = ap.parse_args()
    models = Models(args.model, args.suites)

    if args.pick:
        case = models.make(args.seed, args.pick)
    elif args.operation:
        service, extra = models.service, {}
        if args.suite:
            found = [(module, model) for label, module, model in models.suites if label == args.suite]
            if not found:
                ap.error(f"no suite model {args.suite!r} (give --suites)")
            service, extra = found[0][1], {"suite": args.suite, "module": found[0][0]}
        op = service.operation_model(args.operation)
        if args.params is not None:
            case = request_case(op, json.loads(args.params))
        elif args.xml:
            with open(args.xml, encoding="utf-8", newline="") as f:
                case = response_case(service, op, args.status, f.read())
        else:
            ap.error("--operation needs --params or --xml")
        case.update(extra)
    else:
        case = None
    if args.regression:
        if case is None:
            ap.error("--regression needs --pick, or --operation with --params or --xml")
        add_regression(args.out, case, args.regression, args.why)
    elif case is not None:
        write_json(args.out, {"seed": args.seed, "cases": [case]}, indent=1)
    else:
        cases = [models.make(args.seed, f"{kind}-{i}") for kind in ("req", "res") for i in range(args.cases)]
        if models.suites:
            cases += [models.make(args.seed, f"{kind}-{i}") for kind in ("sreq", "sres") for i in range(args.suite_cases)]
        write_json(args.out, {"seed": args.seed, "operations": len(models.ops), "suite_models": len(models.suites),
                              "cases": cases})


if __name__ == "__main__":
    main()
