"""A small, pure parser for SIE 4 files (types 1–4 and 4i). No Django: bytes in, dataclasses out.

SIE is SIE-gruppen's text format that Swedish accounting systems export: one record per line, a label such as
`#KONTO` followed by fields separated by blanks; a field with blanks is quoted ("Bank och kassa", a quote inside is
written \\"); an object list is written in braces (`{1 "100" 6 "P12"}`: pairs of dimension number and object code).
A verifikation (`#VER`) is followed by its transactions (`#TRANS`, `#RTRANS`, `#BTRANS`) between `{` and `}`.

The standard says IBM PC 8-bit (CP437), but real files are often ISO-8859-1 (Windows) or UTF-8; `detect_encoding`
decides from the bytes and the result says what was chosen.

Every problem is collected with its line number and field, in Swedish; nothing stops at the first error. What the
parser cannot know (the organisation's own organisationsnummer, the fiscal years already stored, the kontoplan)
is checked by finance.import_services.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

SWEDISH_LETTERS = "åäöÅÄÖ"
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "cp437": "IBM PC 8-bitars (CP437)",
    "latin-1": "ISO-8859-1",
    "ascii": "ASCII",
}
AMOUNT_RE = re.compile(r"^-?\d+(\.\d+)?$")
DATE_RE = re.compile(r"^\d{8}$")
PERIOD_RE = re.compile(r"^\d{6}$")
ACCOUNT_RE = re.compile(r"^\d{1,10}$")

# #KTYP: T tillgång, S skuld (eget kapital included), K kostnad, I intäkt.
ACCOUNT_TYPES = {"T", "S", "K", "I"}
TRANSACTION_LABELS = {"#TRANS", "#RTRANS", "#BTRANS"}
KNOWN_LABELS = {
    "#FLAGGA",
    "#FORMAT",
    "#SIETYP",
    "#PROGRAM",
    "#GEN",
    "#FNAMN",
    "#FNR",
    "#FTYP",
    "#ORGNR",
    "#ADRESS",
    "#BKOD",
    "#OMFATTN",
    "#RAR",
    "#TAXAR",
    "#PROSA",
    "#KPTYP",
    "#VALUTA",
    "#KONTO",
    "#KTYP",
    "#ENHET",
    "#SRU",
    "#DIM",
    "#UNDERDIM",
    "#OBJEKT",
    "#IB",
    "#UB",
    "#OIB",
    "#OUB",
    "#RES",
    "#PSALDO",
    "#PBUDGET",
    "#VER",
    "#TRANS",
    "#RTRANS",
    "#BTRANS",
    "#KSUMMA",
}


@dataclass(frozen=True)
class SieProblem:
    """One thing wrong (or worth knowing) in the file: where and what, in Swedish."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"Rad {self.line}" if self.line else "Filen"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


@dataclass
class SieAccount:
    number: str
    name: str
    line: int
    type: str = ""  # T, S, K or I from #KTYP; "" when the file does not say


@dataclass
class SieDimension:
    number: int
    name: str
    line: int


@dataclass
class SieObject:
    dimension: int
    code: str
    name: str
    line: int


ObjectList = tuple[tuple[int, str], ...]


@dataclass
class SieBalance:
    """#IB, #UB or #RES: a year's opening or closing balance, or the year's result on a result account."""

    year: int  # 0 this year, -1 the year before …
    account: str
    amount: Decimal
    line: int


@dataclass
class SiePeriodBalance:
    year: int
    period: str  # YYYYMM
    account: str
    objects: ObjectList
    amount: Decimal
    line: int


@dataclass
class SieTransaction:
    account: str
    objects: ObjectList
    amount: Decimal
    date: dt.date | None
    text: str
    quantity: Decimal | None
    line: int
    kind: str = "TRANS"  # TRANS, RTRANS (added afterwards) or BTRANS (removed afterwards)


@dataclass
class SieVoucher:
    series: str
    number: str
    date: dt.date | None
    text: str
    registered_on: dt.date | None
    line: int
    transactions: list[SieTransaction] = field(default_factory=list)

    @property
    def effective_transactions(self) -> list[SieTransaction]:
        """What the verifikation books: #TRANS and #RTRANS; a #BTRANS row was removed."""
        return [t for t in self.transactions if t.kind != "BTRANS"]

    @property
    def total(self) -> Decimal:
        return sum((t.amount for t in self.effective_transactions), Decimal(0))

    @property
    def label(self) -> str:
        return f"{self.series} {self.number}".strip()


@dataclass
class SieFiscalYear:
    year: int
    start: dt.date
    end: dt.date
    line: int


@dataclass
class SieFile:
    encoding: str  # a Python codec name: utf-8, cp437, latin-1 or ascii
    sie_type: str = ""
    format: str = ""
    program: str = ""
    generated_on: dt.date | None = None
    company_name: str = ""
    org_number: str = ""
    fiscal_years: dict[int, SieFiscalYear] = field(default_factory=dict)
    accounts: dict[str, SieAccount] = field(default_factory=dict)
    dimensions: dict[int, SieDimension] = field(default_factory=dict)
    objects: dict[tuple[int, str], SieObject] = field(default_factory=dict)
    opening_balances: list[SieBalance] = field(default_factory=list)
    closing_balances: list[SieBalance] = field(default_factory=list)
    results: list[SieBalance] = field(default_factory=list)
    period_balances: list[SiePeriodBalance] = field(default_factory=list)
    vouchers: list[SieVoucher] = field(default_factory=list)
    checksum_present: bool = False
    checksum_ok: bool | None = None
    errors: list[SieProblem] = field(default_factory=list)
    warnings: list[SieProblem] = field(default_factory=list)

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def current_year(self) -> SieFiscalYear | None:
        return self.fiscal_years.get(0)

    @property
    def transaction_count(self) -> int:
        return sum(len(v.effective_transactions) for v in self.vouchers)

    def balances(self, kind: str, year: int = 0) -> dict[str, Decimal]:
        rows = {"IB": self.opening_balances, "UB": self.closing_balances, "RES": self.results}[kind]
        return {row.account: row.amount for row in rows if row.year == year}


# Encoding ---------------------------------------------------------------------------------------------------


def _plausibility(text: str) -> int:
    """Swedish letters count for a decoding; box-drawing, Greek and control characters count against it."""
    score = 0
    for char in text:
        if char in SWEDISH_LETTERS or char in "éÉüÜ":
            score += 2
        elif "\u2500" <= char <= "\u25ff" or "\u0370" <= char <= "\u03ff" or "\x80" <= char <= "\x9f":
            score -= 3
        elif char in "÷±²·¬½¼¡«»ßµ":
            score -= 1
    return score


def detect_encoding(data: bytes) -> str:
    """The codec the bytes are written in: utf-8, cp437, latin-1, or ascii when every byte is below 128.

    UTF-8 when the bytes decode strictly as UTF-8 and hold non-ASCII characters (a random CP437 or ISO-8859-1
    file almost never does). Otherwise the 8-bit reading that gives plausible Swedish letters wins: in CP437 å ä ö
    are 0x86 0x84 0x94, which ISO-8859-1 reads as control characters; in ISO-8859-1 they are 0xE5 0xE4 0xF6, which
    CP437 reads as σ Σ ÷. A tie goes to what #FORMAT says, else to the standard's CP437.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if all(byte < 0x80 for byte in data):
        return "ascii"
    try:
        data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    high = bytes(byte for byte in data if byte >= 0x80)
    cp437 = _plausibility(high.decode("cp437"))
    latin1 = _plausibility(high.decode("latin-1"))
    if latin1 > cp437:
        return "latin-1"
    if cp437 > latin1:
        return "cp437"
    declared = re.search(rb"^#FORMAT\s+(\S+)", data, re.MULTILINE)
    if declared and declared.group(1).upper() != b"PC8":
        return "latin-1"
    return "cp437"


def decode(data: bytes) -> tuple[str, str]:
    encoding = detect_encoding(data)
    text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    return text, encoding


# Tokens -----------------------------------------------------------------------------------------------------


class _TokenError(ValueError):
    pass


@dataclass(frozen=True)
class _Token:
    value: str | list[str]
    quoted: bool = False

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


def tokenize(line: str) -> list[_Token]:
    """Split one record into fields: plain words, quoted strings (\\" inside), and {object lists}."""
    tokens: list[_Token] = []
    i, n = 0, len(line)
    current_list: list[str] | None = None
    while i < n:
        char = line[i]
        if char in " \t":
            i += 1
            continue
        if char == "{":
            if current_list is not None:
                raise _TokenError("en objektlista får inte innehålla en annan objektlista")
            current_list = []
            i += 1
            continue
        if char == "}":
            if current_list is None:
                raise _TokenError("”}” utan en ”{” före")
            tokens.append(_Token(current_list))
            current_list = None
            i += 1
            continue
        if char == '"':
            i += 1
            value = []
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '"\\':
                    i += 1
                value.append(line[i])
                i += 1
            if i >= n:
                raise _TokenError('ett citattecken (") öppnas men stängs aldrig')
            i += 1
            word, quoted = "".join(value), True
        else:
            start = i
            while i < n and line[i] not in ' \t{}"':
                i += 1
            word, quoted = line[start:i], False
        if current_list is not None:
            current_list.append(word)
        else:
            tokens.append(_Token(word, quoted))
    if current_list is not None:
        raise _TokenError("en objektlista öppnas med ”{” men stängs aldrig med ”}”")
    return tokens


# Field readers ----------------------------------------------------------------------------------------------


class _FieldError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def _text(tokens: list[_Token], index: int, name: str, *, required: bool = True) -> str:
    if index >= len(tokens):
        if required:
            raise _FieldError(name, "fältet saknas")
        return ""
    token = tokens[index]
    if token.is_list:
        raise _FieldError(name, "här ska det stå ett värde, inte en objektlista")
    return token.value  # type: ignore[return-value]


def _amount(tokens: list[_Token], index: int, name: str = "belopp", *, required: bool = True) -> Decimal | None:
    raw = _text(tokens, index, name, required=required)
    if raw == "" and not required:
        return None
    if not AMOUNT_RE.match(raw):
        hint = " (SIE skriver belopp med punkt som decimaltecken, t.ex. 1234.50)" if "," in raw else ""
        raise _FieldError(name, f"”{raw}” är inget belopp{hint}")
    try:
        return Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refused it
        raise _FieldError(name, f"”{raw}” är inget belopp") from exc


def _date(tokens: list[_Token], index: int, name: str, *, required: bool = True) -> dt.date | None:
    raw = _text(tokens, index, name, required=required)
    if raw == "" and not required:
        return None
    if not DATE_RE.match(raw):
        raise _FieldError(name, f"”{raw}” är inget datum (SIE skriver datum ÅÅÅÅMMDD, t.ex. 20190131)")
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError as exc:
        raise _FieldError(name, f"”{raw}” är inget giltigt datum") from exc


def _int(tokens: list[_Token], index: int, name: str) -> int:
    raw = _text(tokens, index, name)
    try:
        return int(raw)
    except ValueError as exc:
        raise _FieldError(name, f"”{raw}” är inget heltal") from exc


def _account(tokens: list[_Token], index: int, name: str = "kontonummer") -> str:
    raw = _text(tokens, index, name)
    if not ACCOUNT_RE.match(raw):
        raise _FieldError(name, f"”{raw}” är inget kontonummer (bara siffror)")
    return raw


def _objects(tokens: list[_Token], index: int, name: str = "objektlista") -> ObjectList:
    if index >= len(tokens):
        raise _FieldError(name, "objektlistan saknas (skriv {} för en tom lista)")
    token = tokens[index]
    if not token.is_list:
        raise _FieldError(name, f"här ska det stå en objektlista inom {{}}, inte ”{token.value}”")
    items: list[str] = token.value  # type: ignore[assignment]
    if len(items) % 2:
        raise _FieldError(name, "objektlistan ska bestå av par: dimensionsnummer och objektkod")
    pairs = []
    for dim, code in zip(items[::2], items[1::2], strict=True):
        try:
            pairs.append((int(dim), code))
        except ValueError as exc:
            raise _FieldError(name, f"”{dim}” är inget dimensionsnummer") from exc
    return tuple(pairs)


# Parsing ----------------------------------------------------------------------------------------------------


@dataclass
class _State:
    result: SieFile
    voucher: SieVoucher | None = None
    voucher_open: bool = False
    last_rtrans: SieTransaction | None = None
    checksum_parts: list[str] | None = None
    checksum_value: str = ""
    checksum_line: int = 0

    def error(self, line: int, field_name: str, message: str) -> None:
        self.result.errors.append(SieProblem(line, field_name, message))

    def warning(self, line: int, field_name: str, message: str) -> None:
        self.result.warnings.append(SieProblem(line, field_name, message))


def parse(data: bytes) -> SieFile:
    """Read a SIE file. Always returns a SieFile; `errors` lists everything wrong, `warnings` what to know."""
    text, encoding = decode(data)
    state = _State(SieFile(encoding=encoding))
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line:
            continue
        _parse_line(state, number, line)
    if state.voucher_open and state.voucher is not None:
        state.error(state.voucher.line, "", f"verifikation {state.voucher.label} öppnas med ”{{” men stängs aldrig")
    _finish_checksum(state)
    _check(state)
    return state.result


def _parse_line(state: _State, number: int, line: str) -> None:
    if line == "{":
        if state.voucher is None or state.voucher_open:
            state.error(number, "", "”{” utan en #VER före")
        else:
            state.voucher_open = True
        return
    if line == "}":
        if not state.voucher_open:
            state.error(number, "", "”}” utan en öppen verifikation")
        state.voucher, state.voucher_open, state.last_rtrans = None, False, None
        return
    if not line.startswith("#"):
        state.error(number, "", "raden börjar inte med en etikett (#…)")
        return
    try:
        tokens = tokenize(line)
    except _TokenError as exc:
        state.error(number, "", str(exc))
        return
    label = tokens[0].value.upper()  # type: ignore[union-attr]
    fields = tokens[1:]
    if state.checksum_parts is not None and label != "#KSUMMA":
        state.checksum_parts.append(tokens[0].value)  # type: ignore[arg-type]  as written, not upper-cased
        for token in fields:
            state.checksum_parts.extend(token.value if token.is_list else [token.value])  # type: ignore[list-item]
    if state.voucher is not None and not state.voucher_open and label not in TRANSACTION_LABELS:
        # A #VER without its {} block: the standard requires the block even when empty.
        state.error(state.voucher.line, "", f"verifikation {state.voucher.label} saknar sitt block {{ … }}")
        state.voucher = None
    if state.voucher_open and label not in TRANSACTION_LABELS:
        state.error(number, "", f"{label} får inte stå inne i en verifikation (bara #TRANS, #RTRANS och #BTRANS)")
        return
    handler = _HANDLERS.get(label)
    if handler is None:
        if label not in KNOWN_LABELS:
            state.warning(number, "", f"okänd etikett {label} lästes inte")
        return
    try:
        handler(state, number, fields)
    except _FieldError as exc:
        state.error(number, f"{label} {exc.field_name}", exc.message)


def _flagga(state: _State, number: int, fields: list[_Token]) -> None:
    return None


def _format(state: _State, number: int, fields: list[_Token]) -> None:
    state.result.format = _text(fields, 0, "format")


def _sietyp(state: _State, number: int, fields: list[_Token]) -> None:
    value = _text(fields, 0, "typ").upper()
    if value not in {"1", "2", "3", "4", "4I", "4E"}:
        raise _FieldError("typ", f"”{value}” är ingen SIE-typ (1, 2, 3 eller 4)")
    state.result.sie_type = value


def _program(state: _State, number: int, fields: list[_Token]) -> None:
    state.result.program = " ".join(t.value for t in fields if not t.is_list)  # type: ignore[misc]


def _gen(state: _State, number: int, fields: list[_Token]) -> None:
    state.result.generated_on = _date(fields, 0, "datum")


def _fnamn(state: _State, number: int, fields: list[_Token]) -> None:
    state.result.company_name = _text(fields, 0, "namn")


def _orgnr(state: _State, number: int, fields: list[_Token]) -> None:
    state.result.org_number = _text(fields, 0, "organisationsnummer")


def _rar(state: _State, number: int, fields: list[_Token]) -> None:
    year = _int(fields, 0, "årsnummer")
    start = _date(fields, 1, "startdatum")
    end = _date(fields, 2, "slutdatum")
    if end < start:  # type: ignore[operator]
        raise _FieldError("slutdatum", "räkenskapsåret slutar före det börjar")
    if year in state.result.fiscal_years:
        raise _FieldError("årsnummer", f"räkenskapsår {year} finns redan på rad {state.result.fiscal_years[year].line}")
    state.result.fiscal_years[year] = SieFiscalYear(year, start, end, number)  # type: ignore[arg-type]


def _konto(state: _State, number: int, fields: list[_Token]) -> None:
    account = _account(fields, 0)
    name = _text(fields, 1, "kontonamn")
    existing = state.result.accounts.get(account)
    if existing is not None and existing.name:
        raise _FieldError("kontonummer", f"konto {account} finns redan på rad {existing.line}")
    if existing is not None:
        existing.name, existing.line = name, number
    else:
        state.result.accounts[account] = SieAccount(account, name, number)


def _ktyp(state: _State, number: int, fields: list[_Token]) -> None:
    account = _account(fields, 0)
    kind = _text(fields, 1, "kontotyp").upper()
    if kind not in ACCOUNT_TYPES:
        raise _FieldError("kontotyp", f"”{kind}” är ingen kontotyp (T, S, K eller I)")
    entry = state.result.accounts.setdefault(account, SieAccount(account, "", number))
    entry.type = kind


def _dim(state: _State, number: int, fields: list[_Token]) -> None:
    dimension = _int(fields, 0, "dimensionsnummer")
    state.result.dimensions[dimension] = SieDimension(dimension, _text(fields, 1, "namn"), number)


def _objekt(state: _State, number: int, fields: list[_Token]) -> None:
    dimension = _int(fields, 0, "dimensionsnummer")
    code = _text(fields, 1, "objektkod")
    if not code:
        raise _FieldError("objektkod", "objektkoden är tom")
    state.result.objects[(dimension, code)] = SieObject(dimension, code, _text(fields, 2, "objektnamn"), number)


def _balance_handler(target: str):
    def handle(state: _State, number: int, fields: list[_Token]) -> None:
        year = _int(fields, 0, "årsnummer")
        account = _account(fields, 1)
        amount = _amount(fields, 2, "saldo")
        getattr(state.result, target).append(SieBalance(year, account, amount, number))  # type: ignore[arg-type]

    return handle


def _psaldo(state: _State, number: int, fields: list[_Token]) -> None:
    year = _int(fields, 0, "årsnummer")
    period = _text(fields, 1, "period")
    if not PERIOD_RE.match(period) or not 1 <= int(period[4:]) <= 12:
        raise _FieldError("period", f"”{period}” är ingen period (ÅÅÅÅMM, t.ex. 201901)")
    account = _account(fields, 2)
    objects = _objects(fields, 3)
    amount = _amount(fields, 4, "saldo")
    state.result.period_balances.append(SiePeriodBalance(year, period, account, objects, amount, number))  # type: ignore[arg-type]


def _ver(state: _State, number: int, fields: list[_Token]) -> None:
    if state.voucher_open:
        raise _FieldError("", "en ny #VER börjar innan föregående verifikation stängts med ”}”")
    series = _text(fields, 0, "serie", required=False)
    voucher_number = _text(fields, 1, "verifikationsnummer", required=False)
    date = _date(fields, 2, "verifikationsdatum")
    text = _text(fields, 3, "verifikationstext", required=False)
    registered_on = _date(fields, 4, "registreringsdatum", required=False)
    voucher = SieVoucher(series, voucher_number, date, text, registered_on, number)
    state.result.vouchers.append(voucher)
    state.voucher = voucher


def _trans_handler(kind: str):
    def handle(state: _State, number: int, fields: list[_Token]) -> None:
        if not state.voucher_open or state.voucher is None:
            raise _FieldError("", f"#{kind} står utanför en verifikation (efter #VER och ”{{”)")
        account = _account(fields, 0)
        objects = _objects(fields, 1)
        amount = _amount(fields, 2)
        date = _date(fields, 3, "transaktionsdatum", required=False)
        text = _text(fields, 4, "transaktionstext", required=False)
        quantity = _amount(fields, 5, "kvantitet", required=False) if len(fields) > 5 and fields[5].value else None
        transaction = SieTransaction(account, objects, amount, date, text, quantity, number, kind)  # type: ignore[arg-type]
        previous = state.last_rtrans
        state.last_rtrans = transaction if kind == "RTRANS" else None
        if (
            kind == "TRANS"
            and previous is not None
            and (previous.account, previous.objects, previous.amount) == (account, objects, amount)
        ):
            # The standard has every #RTRANS followed by the same row as #TRANS, for readers that do not know
            # #RTRANS; it is the same booking, counted once.
            return
        state.voucher.transactions.append(transaction)

    return handle


def _ksumma(state: _State, number: int, fields: list[_Token]) -> None:
    state.result.checksum_present = True
    if state.checksum_parts is None and not fields:
        state.checksum_parts = []
        return
    if fields:
        state.checksum_value = _text(fields, 0, "kontrollsumma")
        state.checksum_line = number


_HANDLERS = {
    "#FLAGGA": _flagga,
    "#FORMAT": _format,
    "#SIETYP": _sietyp,
    "#PROGRAM": _program,
    "#GEN": _gen,
    "#FNAMN": _fnamn,
    "#ORGNR": _orgnr,
    "#RAR": _rar,
    "#KONTO": _konto,
    "#KTYP": _ktyp,
    "#DIM": _dim,
    "#OBJEKT": _objekt,
    "#IB": _balance_handler("opening_balances"),
    "#UB": _balance_handler("closing_balances"),
    "#RES": _balance_handler("results"),
    "#PSALDO": _psaldo,
    "#VER": _ver,
    "#TRANS": _trans_handler("TRANS"),
    "#RTRANS": _trans_handler("RTRANS"),
    "#BTRANS": _trans_handler("BTRANS"),
    "#KSUMMA": _ksumma,
}


def checksum(parts: list[str], encoding: str) -> int:
    """CRC-32 over the labels and field contents (without blanks, quotes and braces) in the file's encoding."""
    codec = "cp437" if encoding == "ascii" else encoding
    value = 0
    for part in parts:
        value = zlib.crc32(part.encode(codec, errors="replace"), value)
    return value


def _finish_checksum(state: _State) -> None:
    result = state.result
    if state.checksum_parts is None or not state.checksum_value:
        if result.checksum_present and state.checksum_parts is not None:
            state.warning(0, "#KSUMMA", "filen börjar med #KSUMMA men slutar utan kontrollsumma")
        return
    expected = checksum(state.checksum_parts, result.encoding)
    try:
        found = int(state.checksum_value)
    except ValueError:
        state.warning(state.checksum_line, "#KSUMMA", f"”{state.checksum_value}” är ingen kontrollsumma")
        return
    result.checksum_ok = found == expected
    if not result.checksum_ok:
        state.warning(
            state.checksum_line,
            "#KSUMMA",
            "kontrollsumman stämmer inte med innehållet; filen kan ha ändrats efter att den skapades",
        )


# Checks over the whole file ---------------------------------------------------------------------------------


def _check(state: _State) -> None:
    result = state.result
    if not result.sie_type:
        state.warning(0, "#SIETYP", "filen anger inte vilken SIE-typ den är; den läses som typ 4")
    year = result.current_year
    if year is None and (result.vouchers or result.opening_balances or result.closing_balances):
        state.warning(
            0, "#RAR", "filen anger inget räkenskapsår (#RAR 0); det räkenskapsår som väljs vid importen gäller"
        )
    for voucher in result.vouchers:
        total = voucher.total
        if total != 0:
            state.error(
                voucher.line,
                "#VER",
                f"verifikation {voucher.label} balanserar inte: debet och kredit skiljer {_sv(total)} kr",
            )
        if not voucher.effective_transactions:
            state.warning(voucher.line, "#VER", f"verifikation {voucher.label} har inga transaktioner")
        if year is not None and voucher.date is not None and not year.start <= voucher.date <= year.end:
            state.error(
                voucher.line,
                "#VER verifikationsdatum",
                f"{voucher.date.isoformat()} ligger utanför räkenskapsåret "
                f"{year.start.isoformat()}–{year.end.isoformat()}",
            )
        for transaction in voucher.transactions:
            if year is not None and transaction.date is not None and not year.start <= transaction.date <= year.end:
                state.error(
                    transaction.line,
                    f"#{transaction.kind} transaktionsdatum",
                    f"{transaction.date.isoformat()} ligger utanför räkenskapsåret "
                    f"{year.start.isoformat()}–{year.end.isoformat()}",
                )
            for dimension, code in transaction.objects:
                if result.objects and (dimension, code) not in result.objects:
                    state.error(
                        transaction.line,
                        f"#{transaction.kind} objektlista",
                        f"objekt {code} i dimension {dimension} finns inte bland filens #OBJEKT",
                    )
    _check_duplicates(state)
    _check_opening_against_previous(state)
    _check_closing_against_transactions(state)


def _check_duplicates(state: _State) -> None:
    seen: dict[tuple[str, str], int] = {}
    for voucher in state.result.vouchers:
        if not voucher.number:
            continue
        key = (voucher.series, voucher.number)
        if key in seen:
            state.error(
                voucher.line, "#VER verifikationsnummer", f"verifikation {voucher.label} finns redan på rad {seen[key]}"
            )
        else:
            seen[key] = voucher.line
    for kind, rows in (("#IB", state.result.opening_balances), ("#UB", state.result.closing_balances)):
        lines: dict[tuple[int, str], int] = {}
        for row in rows:
            key = (row.year, row.account)
            if key in lines:
                state.error(
                    row.line, kind, f"konto {row.account} har redan ett saldo för år {row.year} på rad {lines[key]}"
                )
            lines[key] = row.line


def _check_opening_against_previous(state: _State) -> None:
    """#IB 0 must equal #UB -1 for every balance account the file gives both for."""
    result = state.result
    previous_closing = result.balances("UB", -1)
    if not previous_closing:
        return
    for row in result.opening_balances:
        if row.year != 0:
            continue
        before = previous_closing.get(row.account, Decimal(0))
        if before != row.amount:
            state.error(
                row.line,
                "#IB saldo",
                f"ingående balans för konto {row.account} ({_sv(row.amount)} kr) är inte föregående års utgående "
                f"balans ({_sv(before)} kr)",
            )


def _check_closing_against_transactions(state: _State) -> None:
    """In a type 4 file with every verifikation, UB = IB + the year's transactions for each balance account."""
    result = state.result
    if not result.vouchers or result.sie_type.upper() == "4I":
        return
    closing = result.balances("UB", 0)
    if not closing:
        return
    opening = result.balances("IB", 0)
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for voucher in result.vouchers:
        for transaction in voucher.effective_transactions:
            moved[transaction.account] += transaction.amount
    lines = {row.account: row.line for row in result.closing_balances if row.year == 0}
    for account in sorted(set(closing) | {a for a in opening if a in moved}):
        expected = opening.get(account, Decimal(0)) + moved.get(account, Decimal(0))
        stated = closing.get(account, Decimal(0))
        if expected != stated:
            state.error(
                lines.get(account, 0),
                "#UB saldo",
                f"utgående balans för konto {account} är {_sv(stated)} kr, men ingående balans och årets "
                f"transaktioner ger {_sv(expected)} kr",
            )
    result_lines = {row.account: row.line for row in result.results if row.year == 0}
    for account, stated in result.balances("RES", 0).items():
        expected = moved.get(account, Decimal(0))
        if expected != stated:
            state.error(
                result_lines[account],
                "#RES saldo",
                f"årets resultat för konto {account} är {_sv(stated)} kr, men årets transaktioner ger "
                f"{_sv(expected)} kr",
            )


def _sv(amount: Decimal) -> str:
    """1234.5 -> "1 234,50" (the parser stays free of Django and of core.formatting's non-breaking spaces)."""
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{fraction}"


def account_kind(account: SieAccount | None, number: str) -> str:
    """Our kind for an account: from #KTYP when given, else from the BAS/Kommun-Bas class (first digit).

    Returns one of: income, expense, asset, liability, equity.
    """
    sie_type = account.type if account is not None else ""
    if sie_type == "T":
        return "asset"
    if sie_type == "S":
        return "equity" if number.startswith("20") else "liability"
    if sie_type == "I":
        return "income"
    if sie_type == "K":
        return "expense"
    first = number[:1]
    if first == "1":
        return "asset"
    if first == "2":
        return "equity" if number.startswith("20") else "liability"
    if first == "3":
        return "income"
    return "expense"
