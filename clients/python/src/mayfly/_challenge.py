"""WWW-Authenticate challenges (RFC 9110 §11.6.1, syntax of §11.3 and RFC 7235 §2.1).

A port of mayfly-client's ``Challenge`` parser: a header value may hold several challenges, a response
several headers. Scheme and parameter names are lower-cased.

Lenient where real servers are not RFC-conformant: auth-params separated by spaces instead of commas (AWS API
Gateway's JWT authorizer: ``Bearer scope="" error="invalid_token" error_description="..."``; Kong; Azure
Storage's ``Bearer authorization_uri=https://... resource_id=https://...``), and unquoted values holding
characters a token may not (``:`` in a URL): such a value runs to the next space or comma.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_NOT_TCHAR = '"(),:;<=>?@[\\]{}'
_MAX_VALUE = 16_384


def _is_token_char(c: str) -> bool:
    # RFC 9110 §5.6.2 tchar, plus '/' so that a token68 is read whole.
    o = ord(c)
    return 0x20 < o < 0x7F and c not in _NOT_TCHAR


@dataclass(frozen=True)
class Challenge:
    scheme: str
    params: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> str | None:
        return self.params.get(name)


def parse_challenges(values: list[str]) -> list[Challenge]:
    out: list[Challenge] = []
    for value in values:
        if value is not None and len(value) <= _MAX_VALUE:
            _Parser(value).challenges(out)
    return out


class _Parser:
    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0

    def challenges(self, out: list[Challenge]) -> None:
        while True:
            self._skip(" \t,")
            if self.i >= len(self.s):
                return
            scheme = self._token()
            if not scheme:
                self.i += 1  # not a token character: skip it rather than loop
                continue
            params: dict[str, str] = {}
            self._params(params)
            out.append(Challenge(scheme.lower(), params))

    def _params(self, params: dict[str, str]) -> None:
        s = self.s
        while True:
            mark = self.i
            self._skip(" \t")
            name = self._token()
            self._skip(" \t")
            if not name or self.i >= len(s) or s[self.i] != "=":
                if (name and not params and mark < self.i
                        and (self.i >= len(s) or s[self.i] == ",")
                        and not (mark > 0 and s[mark - 1] == ",")):
                    return  # a token68 credential; nothing we need from it
                self.i = mark
                return
            self.i += 1  # '='
            if self.i < len(s) and s[self.i] == "=":
                # token68 ending in '=' padding: not an auth-param
                while self.i < len(s) and s[self.i] == "=":
                    self.i += 1
                return
            self._skip(" \t")
            value = self._quoted() if self.i < len(s) and s[self.i] == '"' else self._bare_value()
            params[name.lower()] = value
            self._skip(" \t")
            if self.i < len(s) and s[self.i] == ",":
                self.i += 1
                continue
            if self._next_is_param():
                continue  # space-separated auth-params
            return

    def _next_is_param(self) -> bool:
        """True when the text ahead is ``name=`` (an auth-param), not a new scheme or a token68."""
        s = self.s
        mark = self.i
        name = self._token()
        self._skip(" \t")
        param = bool(name) and self.i < len(s) and s[self.i] == "=" and (self.i + 1 >= len(s) or s[self.i + 1] != "=")
        self.i = mark
        return param

    def _bare_value(self) -> str:
        """An unquoted value: a token, or leniently anything up to the next space or comma."""
        s = self.s
        start = self.i
        while self.i < len(s) and 0x20 < ord(s[self.i]) < 0x7F and s[self.i] not in ',"':
            self.i += 1
        return s[start:self.i]

    def _token(self) -> str:
        start = self.i
        while self.i < len(self.s) and _is_token_char(self.s[self.i]):
            self.i += 1
        return self.s[start:self.i]

    def _quoted(self) -> str:
        s = self.s
        out: list[str] = []
        self.i += 1  # opening quote
        while self.i < len(s):
            c = s[self.i]
            self.i += 1
            if c == "\\" and self.i < len(s):
                out.append(s[self.i])
                self.i += 1
            elif c == '"':
                return "".join(out)
            else:
                out.append(c)
        return "".join(out)

    def _skip(self, chars: str) -> None:
        while self.i < len(self.s) and self.s[self.i] in chars:
            self.i += 1
