"""Typed device options, parsed from the text ``scanimage -d DEV -A`` prints.

``scanimage`` is the only interface to SANE here (the driver stays in a child
process), so its option listing is the source of truth: each option line is
``--name CONSTRAINT [current] [flags]`` under a group heading, followed by an
indented description. The constraint is a ``|`` list, a ``min..max`` range with an
optional unit and ``(in steps of q)``, or ``<int>``/``<float>``/``<string>``; booleans
read ``--name[=(yes|no)]``; buttons have no constraint at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["DeviceOption", "DeviceOptions", "OptionKind", "OptionRange", "parse_options"]

OptionKind = Literal["bool", "number", "string", "button"]

_UNITS = ("pel", "bit", "mm", "dpi", "%", "us")
# Trailers scanimage appends after the current value; printed in this order.
_FLAGS = (" [inactive]", " [hardware]", " [read-only]", " [advanced]")
_NUMBER = re.compile(
    r"^(-?\d+(?:\.\d*)?(?:e[+-]?\d+)?)(" + "|".join(map(re.escape, _UNITS)) + ")?$"
)
_RANGE = re.compile(
    r"^(?P<min>-?[\d.e+-]+)\.\.(?P<max>-?[\d.e+]+)(?P<unit>[a-z%]*)(?P<array>,\.\.\.)?"
    r"(?: \(in steps of (?P<step>[\d.e+-]+)\))?$"
)
_OPTION_LINE = re.compile(r"^ {4}(?P<dash>--?)(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)(?P<rest>.*)$")
_GROUP_LINE = re.compile(r"^ {2}(?P<title>\S.*):$")


@dataclass(frozen=True)
class OptionRange:
    """A numeric range constraint; ``step`` is None when the device quantises nothing."""

    minimum: float
    maximum: float
    step: float | None = None


@dataclass(frozen=True)
class DeviceOption:
    """One backend option as ``scanimage`` presents it.

    ``value`` is the current value as text, or None when the option is inactive or an
    array. ``settable`` is False for options only the hardware changes (buttons on the
    device) and for read-only sensors.
    """

    name: str
    kind: OptionKind
    group: str = ""
    description: str = ""
    choices: tuple[str, ...] = ()
    range: OptionRange | None = None
    unit: str = ""
    value: str | None = None
    active: bool = True
    settable: bool = True
    advanced: bool = False
    is_array: bool = False
    auto: bool = False

    @property
    def numeric_choices(self) -> tuple[float, ...]:
        """``choices`` as numbers (empty unless the option is numeric)."""
        if self.kind != "number":
            return ()
        return tuple(float(c) for c in self.choices)


@dataclass(frozen=True)
class DeviceOptions:
    """All options of one device, in the order the backend lists them."""

    device: str
    options: tuple[DeviceOption, ...]

    def get(self, name: str) -> DeviceOption | None:
        """The option called ``name``, if the device has it."""
        for option in self.options:
            if option.name == name:
                return option
        return None

    def choices(self, name: str) -> tuple[str, ...]:
        """The allowed values of list option ``name`` (empty if absent or a range)."""
        option = self.get(name)
        return () if option is None else option.choices

    @property
    def sources(self) -> tuple[str, ...]:
        """Document sources, in the device's own words ("Flatbed", "ADF Front", ...)."""
        return self.choices("source")

    @property
    def modes(self) -> tuple[str, ...]:
        """Colour modes, in the device's own words ("Gray", "Color", "Lineart", ...)."""
        return self.choices("mode")

    @property
    def resolutions(self) -> tuple[int, ...] | OptionRange | None:
        """The allowed resolutions in dpi: a list, a range, or None if not settable."""
        option = self.get("resolution")
        if option is None:
            return None
        if option.range is not None:
            return option.range
        return tuple(round(v) for v in option.numeric_choices)


def _split_number(text: str) -> tuple[str, str] | None:
    match = _NUMBER.match(text)
    return None if match is None else (match.group(1), match.group(2) or "")


@dataclass
class _Constraint:
    kind: OptionKind = "button"
    choices: tuple[str, ...] = ()
    range: OptionRange | None = None
    unit: str = ""
    is_array: bool = False
    auto: bool = False


def _parse_constraint(text: str) -> _Constraint:
    """Kind, choices, range and unit of one constraint text."""
    result = _Constraint()
    if not text:
        return result
    if text.startswith("auto|"):
        result.auto = True
        text = text[len("auto|") :]
    if text.endswith(",...") and not _RANGE.match(text):
        result.is_array = True
        text = text[: -len(",...")]
    if text in ("<int>", "<float>"):
        result.kind = "number"
        return result
    if text == "<string>":
        result.kind = "string"
        return result
    match = _RANGE.match(text)
    if match is not None:
        step = match.group("step")
        result.kind = "number"
        result.range = OptionRange(
            float(match.group("min")),
            float(match.group("max")),
            float(step) if step is not None else None,
        )
        result.unit = match.group("unit")
        result.is_array = bool(match.group("array"))
        return result
    items = text.split("|")
    numbers = [_split_number(item) for item in items]
    if all(n is not None for n in numbers):
        # A word list: the unit is printed once, after the last number.
        result.kind = "number"
        result.choices = tuple(n[0] for n in numbers if n is not None)
        result.unit = next((n[1] for n in numbers if n is not None and n[1]), "")
    else:
        result.kind = "string"
        result.choices = tuple(items)
    return result


def _parse_option_line(name: str, rest: str, group: str) -> DeviceOption:
    flags: set[str] = set()
    stripped = True
    while stripped:
        stripped = False
        for flag in _FLAGS:
            if rest.endswith(flag):
                flags.add(flag.strip(" []"))
                rest = rest[: -len(flag)]
                stripped = True
    boolean: _Constraint | None = None
    if rest.startswith("[=("):
        close = rest.find(")]")
        boolean = _Constraint(kind="bool", auto="auto" in rest[3:close].split("|"))
        rest = rest[close + 2 :]
    value: str | None = None
    # The current value is the first " [" group: constraints never contain one.
    open_at = rest.find(" [")
    if open_at >= 0 and rest.endswith("]"):
        value = rest[open_at + 2 : -1]
        rest = rest[:open_at]
    constraint = boolean or _parse_constraint(rest.strip())
    if constraint.kind == "number" and value is not None:
        split = _split_number(value)
        if split is not None:
            value = split[0]
    return DeviceOption(
        name=name,
        kind=constraint.kind,
        group=group,
        choices=constraint.choices,
        range=constraint.range,
        unit=constraint.unit,
        value=value,
        active="inactive" not in flags,
        settable=not ({"hardware", "read-only"} & flags),
        advanced="advanced" in flags,
        is_array=constraint.is_array,
        auto=constraint.auto,
    )


def parse_options(device: str, text: str) -> DeviceOptions:
    """Parse the output of ``scanimage --device-name=DEVICE -A``."""
    options: list[DeviceOption] = []
    descriptions: list[list[str]] = []
    group = ""
    for line in text.splitlines():
        if line.startswith(" " * 8):
            if descriptions:
                descriptions[-1].append(line.strip())
            continue
        option_match = _OPTION_LINE.match(line)
        if option_match is not None:
            options.append(_parse_option_line(option_match["name"], option_match["rest"], group))
            descriptions.append([])
            continue
        group_match = _GROUP_LINE.match(line)
        if group_match is not None:
            group = group_match["title"]
    return DeviceOptions(
        device=device,
        options=tuple(
            _with_description(option, " ".join(lines))
            for option, lines in zip(options, descriptions, strict=True)
        ),
    )


def _with_description(option: DeviceOption, description: str) -> DeviceOption:
    return replace(option, description=description)
