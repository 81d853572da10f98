"""Keep the Dutch catalog in step with the code: extract, update the .po, compile the .mo.

Run after changing any message: python tools/catalogs.py
Then translate the new (empty) entries in smr_register/locale/nl/LC_MESSAGES/smr.po and run it
again to compile. tests/test_i18n.py fails while any message lacks a translation or the .mo is
older than the .po.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PACKAGE = ROOT / "smr_register"
PO = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "smr.po"
MO = PO.with_suffix(".mo")
# Column("key", "Header") and key_column("key", "Header"): table and spreadsheet headers are
# translated where they are drawn.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "Column": (2,), "key_column": (2,)}


def template() -> Catalog:
    """Every message marked in the code."""
    catalog = Catalog(project="smr-register", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("Translators:",)):
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments,
                    context=context)
    # The audit's sentences are templates in dicts (wording.sentence() translates them on use).
    from smr_register.domain import wording
    from smr_register.importer import reasons
    from smr_register.render import audit

    pairs = wording.plural_pairs()
    in_pairs = {text for pair in pairs.values() for text in pair}
    for pair in pairs.values():
        catalog.add(pair, locations=[(f"{wording.__name__}.SENTENCES", 0)])
    for module, table in ((wording, "SENTENCES"), (wording, "PRACTICE_WORDS"),
                          (audit, "RULE_HEADERS"), (reasons, "OUTCOME_TEXTS"),
                          (reasons, "REASON_TEXTS")):
        for template_text in getattr(module, table).values():
            if template_text not in in_pairs:
                catalog.add(template_text, locations=[(f"{module.__name__}.{table}", 0)])
    for text in command_help():
        catalog.add(text, locations=[("help of smr and its commands", 0)])
    for text in vocabulary():
        catalog.add(text, locations=[("vocabularies (domain/i18n.py term)", 0)])
    return catalog


def command_help() -> list[str]:
    """Every help text of `smr`, its groups, commands and options (Typer builds them from the
    code's help= strings and docstrings; commands/localise.py translates them when shown)."""
    import typer

    from smr_register import cli
    from smr_register.commands.localise import help_texts

    root = typer.main.get_command(cli.app)
    texts = help_texts(root)
    for name, (_module, _attribute, short_help) in cli.LAZY_GROUPS.items():
        texts.append(short_help)
        texts.extend(help_texts(cli.load_group(name)))
    return list(dict.fromkeys(texts))


def vocabulary() -> list[str]:
    """The slugs people see translated by `term()`: statuses, rules, states, profiles,
    education levels, credit sources and the import's outcomes and reasons. A new member of
    any of them is a new catalog entry, which the tests want translated."""
    from smr_register import rules
    from smr_register.domain import vocabulary as words
    from smr_register.importer.reasons import Outcome, Reason
    from smr_register.render.audit import RULE_HEADERS
    from smr_register.services.exception_records import RULE_IDS

    slugs: list[str] = [status.value for status in rules.Status]
    slugs += [*RULE_HEADERS, *RULE_IDS]
    for enum in (words.CoachState, words.Education, words.Profile, words.CreditSource,
                 Outcome, Reason):
        slugs += [member.value for member in enum]
    return list(dict.fromkeys(slugs))


def updated() -> Catalog:
    """The Dutch catalog with the code's current messages (translations kept)."""
    if PO.exists():
        with PO.open("rb") as handle:
            catalog = read_po(handle, locale="nl")
    else:
        catalog = Catalog(locale="nl", project="smr-register")
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True,
             include_lineno=False)
    return buffer.getvalue()


def main() -> None:
    catalog = updated()
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(po_text(catalog))
    MO.write_bytes(compiled(catalog))
    missing = [m.id for m in catalog if m.id and not (
        all(m.string) if isinstance(m.string, tuple | list) else m.string)]
    sys.stderr.write(f"{PO}: {len(catalog)} messages, {len(missing)} untranslated\n")
    for message in missing:
        sys.stderr.write(f"  untranslated: {message!r}\n")


if __name__ == "__main__":
    main()
