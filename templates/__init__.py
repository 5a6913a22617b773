"""Every word the bot says, per locale.

`templates/<locale>/` holds Jinja2 screens (`*.j2`, HTML autoescaped: user text is always escaped),
`strings.toml` for one-line messages and button labels, and `content/` for the checklist, the question
bank and guidance as data. A second language is a second folder; no code changes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import markupsafe
from babel.dates import format_date, format_datetime

from templates.content import Content, load_content

ROOT = Path(__file__).parent
DEFAULT_LOCALE = "en"


def locales() -> tuple[str, ...]:
    """The locales that have words: a folder with a strings.toml."""
    return tuple(sorted(p.name for p in ROOT.iterdir() if (p / "strings.toml").is_file()))


class Renderer:
    """Renders screens (HTML for Telegram) and button labels (plain text) for one locale."""

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        folder = ROOT / locale
        self.locale = locale
        self.content: Content = load_content(folder / "content")
        with (folder / "strings.toml").open("rb") as f:
            self._strings: dict[str, Any] = tomllib.load(f)
        # StrictUndefined: a misspelt name in a template fails the tests instead of rendering blank.
        self._html = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # Plain text (button labels, calendar files): nothing is escaped, nothing is HTML.
        self._plain = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._cache: dict[tuple[int, str], jinja2.Template] = {}
        for env in (self._html, self._plain):
            env.globals.update(content=self.content, label=self.label, locale=locale)
            env.filters["day"] = lambda d: self.dated(d, "day")
            env.filters["dated"] = self.dated
            env.filters["when"] = lambda moment, zone: self._when(moment, zone)
            env.filters["until"] = lambda moment, now: self._until(moment, now)
            env.filters["city"] = city_name
        # A screen may include a one-line message; it is rendered (and escaped) on its own, then marked safe.
        self._html.globals["say"] = lambda key, /, **ctx: markupsafe.Markup(self.render(key, **ctx))

    def render(self, name: str, /, **context: object) -> str:
        """A screen or message as Telegram HTML: `name.j2` if the file exists, else a line in strings."""
        path = f"{name}.j2"
        if (ROOT / self.locale / path).is_file():
            template = self._html.get_template(path)
        else:
            template = self._compiled(self._html, self._string(name))
        return template.render(**context).strip()

    def text(self, name: str, /, **context: object) -> str:
        """Plain text from `name.txt` (a calendar file's description): no HTML, no escaping."""
        return self._plain.get_template(f"{name}.txt").render(**context).strip()

    def plain(self, name: str, /, **context: object) -> str:
        """Plain text for paper (the PDFs): `name.txt` if the file exists, else a line in strings. Nothing is
        escaped: the PDF shows text as it is."""
        path = f"{name}.txt"
        if (ROOT / self.locale / path).is_file():
            template = self._plain.get_template(path)
        else:
            template = self._compiled(self._plain, self._string(name))
        return template.render(**context).strip()

    def label(self, key: str, /, **context: object) -> str:
        """A button label: plain text (Telegram shows button text as is, so no HTML escaping)."""
        return self._compiled(self._plain, self._string(f"buttons/{key}")).render(**context).strip()

    def dated(self, value: date | datetime, form: str) -> str:
        """A date or a wall-clock time in this locale's words (Babel, CLDR): `form` names a pattern in
        strings.toml's [formats] ("day": "Thu 3 Dec 2026"; "jue 3 dic 2026" in Spanish)."""
        pattern = self._string(f"formats/{form}")
        if isinstance(value, datetime):
            return format_datetime(value.replace(tzinfo=None), pattern, locale=self.locale)
        return format_date(value, pattern, locale=self.locale)

    def _when(self, moment: datetime, zone: str) -> str:
        """ "Thursday 3 December 2026, 2:30 PM, Chicago time": always with the zone, never a bare offset."""
        text = self.dated(moment.astimezone(ZoneInfo(zone)), "when")
        return self._string("formats/in_zone").replace("{when}", text).replace("{city}", city_name(zone))

    def _until(self, moment: datetime, now: datetime) -> str:
        """How far away, in words: "in 40 minutes", "in 3 hours", "in 2 days"."""
        minutes = int((moment - now).total_seconds() // 60)
        words = self._strings["until"]
        if minutes < 0:
            return str(words["past"])
        if minutes <= 1:
            return str(words["one_minute"])
        if minutes < 90:
            return str(words["minutes"]).replace("{n}", str(minutes))
        if minutes < 36 * 60:
            return str(words["hours"]).replace("{n}", str(round(minutes / 60)))
        return str(words["days"]).replace("{n}", str(round(minutes / (24 * 60))))

    def _string(self, name: str) -> str:
        found = self._lookup(name)
        if found is None:
            raise KeyError(f"no template or string named {name!r} for locale {self.locale!r}")
        return found

    def _lookup(self, name: str) -> str | None:
        node: object = self._strings
        for part in name.split("/"):
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, str) else None

    def _compiled(self, env: jinja2.Environment, source: str) -> jinja2.Template:
        key = (id(env), source)
        if key not in self._cache:
            self._cache[key] = env.from_string(source)
        return self._cache[key]


class Words:
    """One Renderer per locale, all built at start (renders run in worker threads: nothing is built
    lazily there). A locale without words falls back to the default one."""

    def __init__(self, default: str = DEFAULT_LOCALE) -> None:
        self.default = Renderer(default)
        self._by_locale = {default: self.default}
        for locale in locales():
            if locale not in self._by_locale:
                self._by_locale[locale] = Renderer(locale)

    def of(self, locale: str | None) -> Renderer:
        return self._by_locale.get(locale or "", self.default)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self._by_locale)


def city_name(zone: str) -> str:
    """ "America/Los_Angeles" -> "Los Angeles", for "Los Angeles time"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")
