"""The numbers of a manual payment, checked alike by forms, API schemas and services.

* A SIMPONI **billing code** (*kode billing*) has exactly 15 digits.
* The **NTPN** (*Nomor Transaksi Penerimaan Negara*) that the bank or post office returns
  for a SIMPONI payment has 16 letters and digits; it proves the money reached the state.
* A bank transfer is proven by the bank's own **reference** (4 to 40 letters, digits,
  spaces, ``.``, ``/`` or ``-``).

Officers often paste codes with spaces ("8201 2411 2500 123"): spaces are dropped from
billing codes and NTPNs before checking, and NTPNs are kept in capitals.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

BILLING_CODE = re.compile(r"[0-9]{15}")
NTPN = re.compile(r"[A-Z0-9]{16}")
BANK_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]{3,39}")

BILLING_CODE_MESSAGE = _l("A SIMPONI billing code has exactly 15 digits.")
NTPN_MESSAGE = _l("An NTPN has exactly 16 letters and digits.")
BANK_REFERENCE_MESSAGE = _l(
    "Give the bank's reference of the transfer (4 to 40 letters, digits, spaces, '.', '/' or '-')."
)
REFERENCE_REQUIRED = {
    "simponi": _l("Give the NTPN of the SIMPONI payment."),
    "bank_transfer": _l("Give the bank's reference of the transfer."),
}


def clean_billing_code(value: str | None) -> str:
    return "".join((value or "").split())


def billing_code_error(value: str | None) -> Any:
    """Why ``value`` is not a billing code (a translated message), or None."""
    return None if BILLING_CODE.fullmatch(clean_billing_code(value)) else BILLING_CODE_MESSAGE


def clean_reference(method: str | None, value: str | None) -> str:
    if method == "simponi":
        return "".join((value or "").split()).upper()
    return " ".join((value or "").split())


def reference_error(method: str | None, value: str | None) -> Any:
    """Why ``value`` is not the NTPN (SIMPONI) or bank reference (transfer), or None."""
    clean = clean_reference(method, value)
    if not clean:
        return REFERENCE_REQUIRED.get(method or "", BANK_REFERENCE_MESSAGE)
    if method == "simponi":
        return None if NTPN.fullmatch(clean) else NTPN_MESSAGE
    return None if BANK_REFERENCE.fullmatch(clean) else BANK_REFERENCE_MESSAGE
