"""The settings registry: each package declares its settings once, typed and described.

A :class:`Setting` names a setting, its type, its default, what it means and whether it
is a secret. Packages declare theirs with :func:`declare` (the shell in
:mod:`app.config`, each feature in its ``wiring`` module) and hand them to
:func:`app.config.set_defaults` when they plug into an app.

``PST_<NAME>`` environment values are parsed by the declared type — numbers, ``true``
/``false``, comma-separated lists, JSON objects; an empty value for a setting that may
be unset — and a value that does not parse stops the start with one line naming the
variable and what it expects (:class:`ConfigurationError`). Secret settings are never
printed: :func:`shown` masks them for ``pst config`` and ``pst settings``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: What :func:`shown` prints instead of a secret's value.
MASK = "********"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message names the setting to fix."""


#: The types a setting may have. ``object`` is a Python value (a callable…) that only
#: the instance ``config.py`` or a test can give, never the environment.
KINDS: dict[object, str] = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
    list[str]: "a comma-separated list",
    list[int]: "a comma-separated list of whole numbers",
    dict: "a JSON object",
    object: "a Python value (set in the instance config.py)",
}


@dataclass(frozen=True)
class Setting:
    """One setting: ``PST_<name>`` in the environment, ``<name>`` in ``config.py``."""

    name: str
    type: Any  # one of KINDS
    default: Any
    description: str
    secret: bool = False
    #: May be unset (None); an empty environment value means unset. Implied by a
    #: default of None.
    optional: bool = False

    def __post_init__(self) -> None:
        if self.type not in KINDS:
            raise TypeError(f"setting {self.name}: unsupported type {self.type!r}")

    @property
    def may_be_unset(self) -> bool:
        return self.optional or self.default is None

    @property
    def env_name(self) -> str:
        return f"PST_{self.name}"

    def expects(self) -> str:
        """What an environment value must look like, in words."""
        words = KINDS[self.type]
        return f"{words}, or empty for none" if self.may_be_unset else words

    def parse(self, raw: str) -> Any:
        """The typed value of an environment string, or :class:`ConfigurationError`."""
        text = raw.strip()
        if self.type is object:
            raise ConfigurationError(
                f"{self.env_name} cannot be set in the environment: it is "
                "a Python value (set it in the instance config.py)."
            )
        if self.may_be_unset and not text:
            return None
        try:
            return _parse(self.type, raw, text)
        except (ValueError, TypeError):
            got = "" if self.secret else f" (got {raw!r})"
            raise ConfigurationError(f"{self.env_name} must be {self.expects()}{got}.") from None


def _parse(kind: Any, raw: str, text: str) -> Any:
    if kind is bool:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(raw)
    if kind is int:
        return int(text)
    if kind is float:
        return float(text)
    if kind is str:
        return raw
    if kind is dict:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError(raw)
        return value
    item = int if kind == list[int] else str
    if text.startswith("["):  # a JSON array is accepted too: ["10.17.0.0/24"]
        items = json.loads(text)
        if not isinstance(items, list):
            raise ValueError(raw)
    else:
        items = [part.strip() for part in text.split(",") if part.strip()]
    if item is int:
        return [int(value) for value in items]
    if not all(isinstance(value, str) for value in items):
        raise ValueError(raw)
    return list(items)


_REGISTRY: dict[str, Setting] = {}


def declare(*settings: Setting) -> tuple[Setting, ...]:
    """Add settings to the registry (declaring the same one twice changes nothing)."""
    for setting in settings:
        known = _REGISTRY.get(setting.name)
        if known is not None and known != setting:
            raise ValueError(f"setting {setting.name} declared twice, differently")
        _REGISTRY[setting.name] = setting
    return settings


def lookup(name: str) -> Setting | None:
    return _REGISTRY.get(name)


def registered() -> list[Setting]:
    """Every declared setting, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def shown(setting: Setting, value: Any) -> Any:
    """``value`` as it may be printed: a secret that is set is masked."""
    if setting.secret and value not in (None, ""):
        return MASK
    return value


def describe(settings: Iterable[Setting]) -> list[dict[str, Any]]:
    """Rows for ``pst settings``: name, type, default (secrets masked), description."""
    return [
        {
            "name": setting.name,
            "env": setting.env_name,
            "type": setting.expects(),
            "default": shown(setting, setting.default),
            "secret": setting.secret,
            "description": setting.description,
        }
        for setting in settings
    ]
