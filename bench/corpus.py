"""A deterministic corpus of report files made from the seed corpus's sentences.

    python bench/corpus.py --reports 10000 --out bench/out/corpus-10000

Each report is about 3,000 characters: a title, a metadata line and numbered
sections of sentences drawn (with a fixed seed) from the five seed reports.
A third are converted to Traditional with OpenCC, a few are English, and they
are spread over ~300 associations and the years 2012-2025. The same arguments
always give the same files, so runs can be compared.
"""

import argparse
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROVINCES = ["北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省",
             "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
             "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "宁夏回族自治区", "新疆维吾尔自治区"]
CITIES = ["石家庄市", "唐山市", "成都市", "绵阳市", "广州市", "深圳市", "南京市", "苏州市", "杭州市", "宁波市",
          "武汉市", "长沙市", "郑州市", "济南市", "青岛市", "西安市", "沈阳市", "大连市", "哈尔滨市", "昆明市"]
KINDS = ["医学会", "医院协会", "医师协会", "护理学会", "药学会"]
SECTION_NUMBERS = "一二三四五六七八"
TARGET_LENGTH = 3000
TRADITIONAL_SHARE = 1 / 3
ENGLISH_SHARE = 0.03


def seed_sentences() -> tuple[list[str], list[str], list[str]]:
    """(Chinese sentences, English sentences, short Chinese headings) from the cleaned seed reports."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from reports.ingest import parse_bytes

    chinese, english, headings = [], [], []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        parsed = parse_bytes(path.read_bytes(), filename=path.name)
        for section in parsed.sections:
            if section.heading and parsed.language != "en":
                title = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.]\s*", "", section.heading)
                if 4 <= len(title) <= 24:
                    headings.append(title)
            if parsed.language == "en":
                english += [s.strip() + "." for s in re.split(r"(?<=[a-z])\.\s+", section.text) if len(s) > 30]
            else:
                found = re.findall(r"[^。！？\n]+[。！？]", section.text)
                # Drop list numbers ("（五）") that began an item: a sentence is reused out of order.
                found = [re.sub(r"^[（(][一二三四五六七八九十\d]+[)）]", "", s) for s in found]
                chinese += [s for s in found if 12 <= len(s) <= 200 and "\ufffd" not in s]
    return chinese, english, headings


def associations(rng: random.Random) -> list[tuple[str, str]]:
    names = [(place + kind, place) for place in PROVINCES for kind in KINDS[:3]]
    names += [(city + kind, city) for city in CITIES for kind in KINDS]
    rng.shuffle(names)
    return names


def make_report(rng: random.Random, number: int, association: str, year: int, sentences, headings) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    lines = [f"{association}{year}年度工作总结",
             f"发布日期:{year + 1}-{month:02d}-{day:02d} 来源:{association}办公室 作者:{association}", ""]
    length = 0
    for index in range(rng.randint(3, 6)):
        lines += [f"{SECTION_NUMBERS[index]}、{rng.choice(headings)}", ""]
        for _ in range(rng.randint(2, 4)):
            paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
            lines += [paragraph, ""]
            length += len(paragraph)
        if length >= TARGET_LENGTH:
            break
    lines.append(f"（编号 {number}）")
    return "\n".join(lines)


def make_english_report(rng: random.Random, number: int, year: int, sentences) -> str:
    zone = rng.choice(["Chengdu Hi-tech Zone", "Wuhan East Lake Zone", "Suzhou Industrial Park Zone"])
    lines = [f"Work report of the Medical Association of {zone} for {year}",
             f"Author:Secretariat  Addtime:{year + 1}-01-{rng.randint(10, 28)}", "",
             f"The Medical Association of {zone} reports on its work in {year}.", ""]
    length = 0
    for index in range(1, 6):
        lines += [f"{index}. {rng.choice(sentences)[:60].rstrip('.')}", ""]
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(4, 8)))
        lines += [paragraph, ""]
        length += len(paragraph)
        if length >= TARGET_LENGTH:
            break
    lines.append(f"(No. {number})")
    return "\n".join(lines)


def generate(count: int, out: Path, *, seed: int = 20261123) -> list[Path]:
    from reports.text import to_traditional

    chinese, english, headings = seed_sentences()
    rng = random.Random(seed)
    names = associations(rng)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        year = 2012 + number % 14
        if rng.random() < ENGLISH_SHARE:
            text = make_english_report(rng, number, year, english)
        else:
            association, _ = names[number % len(names)]
            text = make_report(rng, number, association, year, chinese, headings)
            if rng.random() < TRADITIONAL_SHARE:
                text = to_traditional(text)
        path = out / f"report-{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "out" / f"corpus-{args.reports}"
    paths = generate(args.reports, out)
    size = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    print(f"{len(paths)} reports, {size / 1e6:.1f} million characters, in {out}")


if __name__ == "__main__":
    main()
