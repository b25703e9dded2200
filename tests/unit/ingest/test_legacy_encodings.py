"""Legacy code pages through the real ingest stage: each text comes out as written.

The paragraphs are written for these tests; each is saved in a code page its language was
written in before UTF-8, with nothing to say which one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.config import IngestParams
from pipeline.ingest.stage import ingest

POLISH = (
    "Lech Wałęsa został wybrany na prezydenta w grudniu 1990 roku. Strajk w stoczni zaczął "
    "się w sierpniu, a robotnicy żądali wolnych związków zawodowych. Później mówił, że "
    "źródłem siły była solidarność zwykłych ludzi."
)
CZECH = (
    "Václav Havel byl zvolen prezidentem v prosinci 1989. Předtím strávil několik let ve "
    "vězení, protože psal divadelní hry, které se režimu nelíbily. Říkal, že pravda a láska "
    "zvítězí nad lží a nenávistí."
)
HUNGARIAN = (
    "Nagy Imre 1956 októberében lett miniszterelnök. A forradalom leverése után bíróság elé "
    "állították, és először titokban temették el. Sokan fűzték hozzá a reményt, hogy az "
    "ország szabad lesz."
)
TURKISH = (
    "Recep Tayyip Erdoğan 2003 yılında başbakan oldu. İstanbul'da doğdu ve gençliğinde futbol "
    "oynadı. Şehrin belediye başkanı olduğu yıllarda su ve çöp sorunlarıyla uğraştı; ağır "
    "eleştirilere rağmen seçimleri kazandı."
)
LITHUANIAN = (
    "Lietuva paskelbė nepriklausomybę 1990 metų kovo vienuoliktą dieną. Sąjūdžio vadovas "
    "Vytautas Landsbergis tapo Aukščiausiosios Tarybos pirmininku. Sausio įvykiai Vilniuje "
    "parodė, kad žmonės pasiryžę ginti savo laisvę."
)
RUSSIAN = (
    "Карибский кризис начался в октябре 1962 года, когда американские самолёты сфотографировали "
    "ракеты на Кубе. Через тринадцать дней Хрущёв согласился их вывезти."
)
GREEK = (
    "Η Ελλάδα έγινε μέλος της Ευρωπαϊκής Κοινότητας το 1981, επτά χρόνια μετά την πτώση της "
    "δικτατορίας."
)
SHORT_RUSSIAN = ("Война началась в июне.", "Москва и Киев.", "Он пришёл домой поздно.")
SHORT_GREEK = ("Η Αθήνα είναι η πρωτεύουσα.", "Ο Παπανδρέου κέρδισε.", "Το 1974 έπεσε η χούντα.")


def read(tmp_path: Path, files: dict[str, bytes]) -> pd.DataFrame:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in files.items():
        (raw / name).write_bytes(data)
    return ingest(raw, IngestParams(manifest=raw / "manifest.csv")).texts.set_index("path")


@pytest.mark.parametrize(
    ("text", "code_page", "language"),
    [
        (POLISH, "cp1250", "pl"),
        (POLISH, "iso8859_2", "pl"),
        (CZECH, "cp1250", "cs"),
        (CZECH, "iso8859_2", "cs"),
        (HUNGARIAN, "cp1250", "hu"),
        (TURKISH, "cp1254", "tr"),
        (LITHUANIAN, "cp1257", "lt"),
        (RUSSIAN, "koi8_r", "ru"),
        (RUSSIAN, "cp1251", "ru"),
        (GREEK, "cp1253", "el"),
    ],
)
def test_a_legacy_text_reads_in_the_code_page_of_its_language(tmp_path, text, code_page, language):
    document = read(tmp_path, {"text.txt": text.encode(code_page)}).loc["text.txt"]
    assert document["text"] == text
    assert document["language"] == language


def test_short_koi8_r_and_cp1253_texts_never_read_as_thai(tmp_path):
    files = {f"ru{i}.txt": text.encode("koi8_r") for i, text in enumerate(SHORT_RUSSIAN)}
    files |= {f"el{i}.txt": text.encode("cp1253") for i, text in enumerate(SHORT_GREEK)}
    texts = read(tmp_path, files)
    assert [texts.loc[f"ru{i}.txt", "text"] for i in range(3)] == list(SHORT_RUSSIAN)
    assert [texts.loc[f"el{i}.txt", "text"] for i in range(3)] == list(SHORT_GREEK)
    assert set(texts["encoding"]) == {"koi8-r", "cp1253"}


@pytest.mark.parametrize(
    ("words", "declared", "code_page"),
    [("Мир.", "windows-1251", "cp1251"), ("Şişli", "iso-8859-9", "iso8859_9")],
)
def test_the_charset_an_html_page_declares_wins(tmp_path, words, declared, code_page):
    page = f'<html><head><meta charset="{declared}"></head><body><p>{words}</p></body></html>'
    document = read(tmp_path, {"page.html": page.encode(code_page)}).loc["page.html"]
    assert document["text"] == words
    assert document["encoding"] == ("cp1254" if declared == "iso-8859-9" else code_page)


def test_a_declaration_in_a_content_attribute_counts_too(tmp_path):
    page = (
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">'
        "<p>Zażółć gęślą jaźń.</p>"
    )
    document = read(tmp_path, {"page.html": page.encode("iso8859_2")}).loc["page.html"]
    assert (document["text"], document["encoding"]) == ("Zażółć gęślą jaźń.", "iso8859-2")
