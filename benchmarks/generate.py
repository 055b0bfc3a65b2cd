"""Synthetic dossiers for the benchmark: N entities that follow the content contract.

Why synthetic: the default dossier has ~100 profiles; the benchmark needs 1,000
and 10,000 that look like real work (a realistic mix of types, about five
relations and two claims per profile, aliases in Latin and Cyrillic, partial
dates, inline `[[id]]` references, every statement sourced) so that every stage
does the work it would do on a real dossier. The output is deterministic: the
same size and seed give the same files, byte for byte.

    python benchmarks/generate.py 1000 benchmarks/out/dossier-1000
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: share of each type in a dossier (the rest of the rounding goes to people)
MIX = {"country": 0.02, "source": 0.15, "agency": 0.15, "domain": 0.03,
       "event": 0.18, "installation": 0.05, "person": 0.42}
FOLDERS = {"person": "people", "agency": "agencies", "domain": "domains", "event": "events",
           "installation": "installations", "country": "countries", "source": "sources"}
RELATIONS_PER_PROFILE = 5
CLAIMS_PER_PROFILE = 2

# Names in two scripts: (Latin, Cyrillic) pairs, combined into many distinct people.
FIRST = [("Ivan", "Иван"), ("Sergey", "Сергей"), ("Nikolai", "Николай"), ("Dmitry", "Дмитрий"),
         ("Alexei", "Алексей"), ("Olga", "Ольга"), ("Natalia", "Наталья"), ("Yelena", "Елена"),
         ("Mikhail", "Михаил"), ("Pavel", "Павел"), ("Andrei", "Андрей"), ("Irina", "Ирина"),
         ("Viktor", "Виктор"), ("Anna", "Анна"), ("Boris", "Борис"), ("Tatiana", "Татьяна")]
LAST = [("Petrov", "Петров"), ("Ivanov", "Иванов"), ("Sokolov", "Соколов"), ("Volkov", "Волков"),
        ("Morozov", "Морозов"), ("Lebedev", "Лебедев"), ("Kozlov", "Козлов"), ("Novikov", "Новиков"),
        ("Orlov", "Орлов"), ("Zaitsev", "Зайцев"), ("Pavlov", "Павлов"), ("Semenov", "Семёнов"),
        ("Golubev", "Голубев"), ("Vinogradov", "Виноградов"), ("Bogdanov", "Богданов"),
        ("Vorobyov", "Воробьёв")]
LATIN_FIRST = ["Carlos", "María", "José", "Luis", "Ana", "Diego", "Lucía", "Miguel", "Elena",
               "Rafael", "Isabel", "Jorge"]
LATIN_LAST = ["Rodríguez", "González", "Pérez", "Sánchez", "Ramírez", "Torres", "Flores",
              "Rivera", "Gómez", "Díaz", "Morales", "Herrera"]
AGENCY_WORDS = ["Directorate", "Service", "Bureau", "Command", "Agency", "Office", "Department",
                "Centre"]
AGENCY_TOPICS = ["Signals", "Foreign Intelligence", "Counterintelligence", "Cyber Defence",
                 "Military Intelligence", "Border Security", "Strategic Studies", "Logistics",
                 "Communications", "Special Operations"]
AGENCY_CYR = {"Directorate": "Управление", "Service": "Служба", "Bureau": "Бюро",
              "Command": "Командование", "Agency": "Агентство", "Office": "Отдел",
              "Department": "Департамент", "Centre": "Центр"}
AGENCY_KINDS = ["intelligence-service", "security-service", "armed-forces", "military-unit",
                "government-body", "ministry", "company", "private-military-company", "media"]
INSTALLATION_KINDS = ["military-base", "sigint-station", "radar", "satellite-ground-station",
                      "training-center", "other"]
SOURCE_KINDS = ["media-report", "official-statement", "letter", "analysis", "interview", "other"]
STATUSES = ["confirmed", "reported", "reported", "alleged", "disputed", "denied"]
CONFIDENCES = ["low", "moderate", "moderate", "high"]


def _hedged(status: str, confidence: str) -> tuple[str, str]:
    """A synthetic statement rests on sources picked at random, of any grade: it claims no
    more than `reported` at `moderate` confidence, as the tradecraft checks ask of a
    statement on one weak source (generator/tradecraft.py)."""
    return ("reported" if status == "confirmed" else status,
            "moderate" if confidence == "high" else confidence)
LIKELIHOODS = ["unlikely", "roughly-even", "likely", "very-likely", "almost-certain"]
EVENT_WORDS = ["meeting", "agreement", "visit", "exercise", "deployment", "statement",
               "delivery", "training course", "summit", "expulsion"]
DOMAIN_WORDS = ["signals intelligence", "arms supplies", "cyber operations", "energy cooperation",
                "sanctions evasion", "regime security", "training", "space cooperation",
                "financial support", "information operations"]
#: relation types that read sensibly from one type to another (source type → [(type, target types)])
RELATION_RULES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "person": [("member-of", ("agency",)), ("leads", ("agency",)), ("met-with", ("person",)),
               ("cooperates-with", ("person",)), ("involved-in", ("event", "domain")),
               ("reports-to", ("person",)), ("agent-of", ("agency",))],
    "agency": [("part-of", ("agency",)), ("cooperates-with", ("agency",)), ("trains", ("agency",)),
               ("supplies", ("agency",)), ("funds", ("agency",)), ("operates", ("installation",)),
               ("involved-in", ("domain", "event")), ("targets", ("agency", "person"))],
    "domain": [("involved-in", ("domain",)), ("cooperates-with", ("domain",))],
    "event": [("involved-in", ("domain",)), ("located-in", ("country", "installation")),
              ("succeeded", ("event",))],
    "installation": [("located-in", ("country",)), ("monitors", ("country", "installation")),
                     ("involved-in", ("domain",))],
    "country": [("cooperates-with", ("country",)), ("supplies", ("country",)),
                ("allied-with", ("country",))],
}
SYMMETRIC = {"cooperates-with", "met-with", "allied-with"}


@dataclass
class Stub:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)


def _partial_date(rng: random.Random, lo: int = 1990, hi: int = 2024) -> Any:
    """A year (int), a year-month or a full date (strings), as people write them."""
    year = rng.randint(lo, hi)
    shape = rng.random()
    if shape < 0.3:
        return year
    if shape < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _year(value: Any) -> int:
    return value if isinstance(value, int) else int(str(value)[:4])


def _stubs(n: int, rng: random.Random) -> dict[str, list[Stub]]:
    """Names and ids for every entity, so that references can point forward and back."""
    counts = {t: max(3, round(n * share)) for t, share in MIX.items()}
    counts["person"] += n - sum(counts.values())
    out: dict[str, list[Stub]] = {t: [] for t in MIX}
    for t, count in counts.items():
        for i in range(count):
            out[t].append(_stub(t, i, rng))
    return out


def _stub(type_: str, i: int, rng: random.Random) -> Stub:
    suffix = f"{i:05d}"
    if type_ == "person":
        if rng.random() < 0.7:
            (f, fc), (la, lc) = rng.choice(FIRST), rng.choice(LAST)
            name = f"{f} {la}"
            aliases = [f"{fc} {lc}", f"{f[0]}. {la}"]
        else:
            name = f"{rng.choice(LATIN_FIRST)} {rng.choice(LATIN_LAST)}"
            aliases = [name.split()[-1]]
        return Stub(f"{_slug(name)}-{suffix}", type_, name, aliases)
    if type_ == "agency":
        word, topic = rng.choice(AGENCY_WORDS), rng.choice(AGENCY_TOPICS)
        name = f"{topic} {word} {i}"
        abbrev = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
        return Stub(f"{_slug(topic)}-{word.lower()}-{suffix}", type_, name,
                    [f"{abbrev}-{i}", f"{AGENCY_CYR[word]} № {i}"])
    if type_ == "domain":
        topic = DOMAIN_WORDS[i % len(DOMAIN_WORDS)]
        return Stub(f"{_slug(topic)}-{suffix}", type_, f"{topic.capitalize()} ({i})", [])
    if type_ == "event":
        word = rng.choice(EVENT_WORDS)
        return Stub(f"{_slug(word)}-{suffix}", type_, f"{word.capitalize()} no. {i}", [])
    if type_ == "installation":
        kind = rng.choice(INSTALLATION_KINDS)
        return Stub(f"{kind}-{suffix}", type_, f"{kind.replace('-', ' ').title()} {i}",
                    [f"Объект {i}"])
    if type_ == "country":
        return Stub(f"country-{suffix}", type_, f"Republic of {_country_word(i)}",
                    [f"Республика {i}"])
    return Stub(f"source-{suffix}", type_, f"Report {i}", [])


def _country_word(i: int) -> str:
    letters = "bcdfghklmnprstvz"
    vowels = "aeiou"
    word = ""
    for k in range(3):
        word += letters[(i >> (k * 2)) % len(letters)] + vowels[(i + k) % len(vowels)]
    return word.capitalize() + f" {i}"


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


class DossierWriter:
    """Writes one synthetic dossier; all choices come from one seeded generator."""

    def __init__(self, n: int, seed: int):
        self.rng = random.Random(seed)
        self.stubs = _stubs(n, self.rng)
        self.by_id = {s.id: s for group in self.stubs.values() for s in group}
        self.sources = self.stubs["source"]
        self.seen_relations: set[tuple[Any, ...]] = set()
        self.claim_count = 0

    def pick(self, type_: str) -> Stub:
        return self.rng.choice(self.stubs[type_])

    def cite(self, with_locator: bool = True) -> Any:
        source = self.pick("source").id
        if with_locator:  # a statement says where: a cited source may be a long analysis
            return {"source": source, "locator": f"para {self.rng.randint(1, 40)}"}
        return source

    def prose(self, stub: Stub, sentences: int = 3) -> str:
        """A few sentences naming other entities with `[[id]]` and `[[id|text]]`."""
        parts = []
        for k in range(sentences):
            other = self.pick(self.rng.choice(["person", "agency", "event", "domain", "country"]))
            if other.id == stub.id:
                parts.append(f"{stub.name} appears in the record {k + 1} times.")
            elif k % 2:
                parts.append(f"Reporting links it to [[{other.id}|{other.name.lower()}]] "
                             f"since {self.rng.randint(1995, 2023)}.")
            else:
                parts.append(f"It has worked alongside [[{other.id}]] on matters of mutual "
                             "interest, according to several of the sources cited below.")
        return " ".join(parts)

    def relations(self, stub: Stub) -> list[dict[str, Any]]:
        rules = RELATION_RULES.get(stub.type)
        if not rules:
            return []
        out: list[dict[str, Any]] = []
        for _ in range(RELATIONS_PER_PROFILE * 3):
            if len(out) == RELATIONS_PER_PROFILE:
                break
            rtype, target_types = self.rng.choice(rules)
            target = self.pick(self.rng.choice(target_types))
            ends = tuple(sorted((stub.id, target.id))) if rtype in SYMMETRIC else (stub.id, target.id)
            if target.id == stub.id or (rtype, ends) in self.seen_relations:
                continue
            self.seen_relations.add((rtype, ends))
            rel: dict[str, Any] = {"type": rtype, "target": target.id}
            if self.rng.random() < 0.6:
                since = _partial_date(self.rng, 1995, 2015)
                rel["since"] = since
                if self.rng.random() < 0.3:
                    rel["until"] = self.rng.randint(_year(since) + 1, 2024)
            rel["status"], rel["confidence"] = _hedged(self.rng.choice(STATUSES),
                                                       self.rng.choice(CONFIDENCES))
            rel["sources"] = [self.cite()]
            if self.rng.random() < 0.2:
                rel["note"] = f"As described by [[{self.pick('source').id}]]."
            out.append(rel)
        return out

    def claims(self, stub: Stub) -> list[dict[str, Any]]:
        out = []
        for k in range(CLAIMS_PER_PROFILE):
            other = self.pick(self.rng.choice(["person", "agency", "installation"]))
            status, confidence = _hedged(self.rng.choice(STATUSES), self.rng.choice(CONFIDENCES))
            claim: dict[str, Any] = {
                "text": f"{stub.name} is reported to have had contact with [[{other.id}]] "
                        f"(statement {k + 1}).",
                "status": status,
                "confidence": confidence,
            }
            if self.rng.random() < 0.4:
                claim["likelihood"] = self.rng.choice(LIKELIHOODS)
            if self.rng.random() < 0.3:
                claim["credibility"] = self.rng.randint(1, 6)
            if self.rng.random() < 0.5:
                claim["date"] = _partial_date(self.rng, 2000, 2024)
            claim["sources"] = [self.cite() for _ in range(self.rng.randint(1, 2))]
            out.append(claim)
        return out

    def profile(self, stub: Stub) -> dict[str, Any]:
        rng = self.rng
        data: dict[str, Any] = {"name": stub.name}
        if stub.type == "source":
            data["title"] = f"{stub.name}: {rng.choice(DOMAIN_WORDS)} in {self.pick('country').name}"
            data["publisher"] = rng.choice(["Infobae", "Meduza", "El País", "Новая газета"])
            data["date"] = _partial_date(rng, 2005, 2024)
            data["kind"] = rng.choice(SOURCE_KINDS)
            data["reliability"] = rng.choice("ABCDEF")
            data["language"] = rng.choice(["en", "es", "ru"])
            data["url"] = f"https://example.org/reports/{stub.id}"
            data["summary"] = self.prose(stub, 1)
            data["updated"] = "2026-11-27"
            return data
        if stub.aliases:
            data["aliases"] = stub.aliases
        if stub.type == "person":
            data["born"] = _partial_date(rng, 1940, 1990)
            data["nationality"] = [self.pick("country").id]
            data["roles"] = [{"title": rng.choice(["Director", "Deputy head", "Officer", "Adviser"]),
                              "organization": self.pick("agency").id,
                              "since": _partial_date(rng, 1995, 2020),
                              "sources": [self.cite(False)]}]
        elif stub.type == "agency":
            data["abbreviation"] = stub.aliases[0]
            data["native_name"] = stub.aliases[1]
            data["country"] = self.pick("country").id
            data["kind"] = rng.choice(AGENCY_KINDS)
            position = int(stub.id.rsplit("-", 1)[1])
            if position > 0 and rng.random() < 0.5:  # parents point back: never a cycle
                data["parent"] = self.stubs["agency"][rng.randrange(position)].id
            data["founded"] = _partial_date(rng, 1920, 2015)
        elif stub.type == "domain":
            data["parties"] = sorted({self.pick("country").id for _ in range(3)})
            data["since"] = _partial_date(rng, 1995, 2010)
        elif stub.type == "event":
            date = _partial_date(rng, 1995, 2024)
            data["date"] = date
            if rng.random() < 0.2:
                data["circa"] = True
            data["location"] = self.pick("country").id
            data["participants"] = sorted({self.pick(rng.choice(["person", "agency"])).id
                                           for _ in range(3)})
            data["domains"] = [self.pick("domain").id]
        elif stub.type == "installation":
            data["country"] = self.pick("country").id
            data["operator"] = self.pick("agency").id
            data["kind"] = stub.id.rsplit("-", 1)[0]
            data["status"] = rng.choice(STATUSES)
            data["since"] = _partial_date(rng, 1990, 2020)
        elif stub.type == "country":
            i = int(stub.id.rsplit("-", 1)[1])
            data["iso"] = chr(65 + (i // 26) % 26) + chr(65 + i % 26)
        data["summary"] = self.prose(stub)
        data["tags"] = [rng.choice(["priority", "watch", "archive", "latam", "europe"])]
        relations = self.relations(stub)
        if relations:
            data["relations"] = relations
        data["claims"] = self.claims(stub)
        data["sources"] = [self.cite(False)]
        data["updated"] = "2026-11-27"
        return data

    def dossier(self) -> dict[str, Any]:
        people = self.stubs["person"]
        return {
            "title": f"Synthetic dossier of {len(self.by_id):,} entities",
            "subtitle": "Generated for the benchmark",
            "authors": ["benchmarks/generate.py"],
            "published": "2026-11-27",
            "summary": f"A synthetic network around [[{people[0].id}]] and [[{people[1].id}]].",
            "key_judgments": [
                {"key": "kj-one", "text": f"[[{people[2].id}]] probably leads the network.",
                 "confidence": "moderate", "likelihood": "likely", "sources": [self.cite()]},
                {"key": "kj-two", "text": "The network has grown since 2015.",
                 "confidence": "low", "sources": [self.cite()]},
            ],
            "questions": [{"text": "Who funds it?", "related": [self.pick("agency").id]}],
        }

    def write(self, out: Path) -> int:
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        _dump(out / "dossier.yml", self.dossier())
        count = 0
        for type_, stubs in self.stubs.items():
            folder = out / FOLDERS[type_]
            folder.mkdir()
            for stub in stubs:
                _dump(folder / f"{stub.id}.yml", self.profile(stub))
                count += 1
        return count


def _dump(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=90)
    path.write_text(text, encoding="utf-8")


class _Dumper(yaml.SafeDumper):
    """Plain block YAML, as people write it: dates unquoted, short lists of ids inline."""


_Dumper.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(x, str) and len(x) < 40 for x in items) and len(items) <= 4
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def generate(n: int, out: Path, seed: int = 6) -> int:
    """Write a dossier of `n` entities into `out` (replacing it); returns the file count."""
    return DossierWriter(n, seed).write(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="number of entities")
    parser.add_argument("out", type=Path, help="content folder to (re)create")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    count = generate(args.size, args.out, args.seed)
    print(f"wrote {count} profiles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
