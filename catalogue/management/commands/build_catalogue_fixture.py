"""Rebuild fixtures/catalogue.json from the research CSVs (titles.csv and qualifications.csv).

    manage.py build_catalogue_fixture <folder holding the two CSVs> [--output fixtures/catalogue.json]

Every CSV row becomes one fixture object keyed by its natural key. The CSVs keep the English provenance
(it goes to `source`); the short Chinese `note` an applicant reads, the aliases and the 待核实 status
of rows the research flags are decided here, row by row, so the mapping is reviewable in one place.
"""

import csv
import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Kind, Registration, Status, Tier

TITLE_ALIASES = {
    "主治医师(主管医师)": ["主治医师", "主管医师"],
    "教授级高级工程师": ["研究员级高级工程师"],
    "高级教师": ["中学高级教师"],
    "一级教师": ["中学一级教师", "小学高级教师"],
}
TITLE_NOTES = {
    "教授级高级工程师": "正高级工程师的旧称（也称研究员级高级工程师），按正高级计。",
    "农业技术推广研究员": "正高级的旧称，上海目录仍列出。",
    "教练": "2020 年起正式名称为“中级教练”。",
    "中级教练": "“教练”2020 年起的正式名称；上海目录仍写作“教练”，是否按此名称认定待核实。",
    "主任播音员主持人": "“主任播音员”改革后的名称；上海目录写作“主任播音员”，是否按此名称认定待核实。",
    "一级播音员主持人": "“一级播音员”改革后的名称；上海目录写作“一级播音员”，是否按此名称认定待核实。",
    "高级教师": "原“中学高级教师”按此计。",
    "一级教师": "原“中学一级教师”按此计；原“小学高级教师”为中级，是否按此计待核实。",
}
UNVERIFIED_TITLES = {"中级教练", "主任播音员主持人", "一级播音员主持人", "三级翻译"}
TCM_NOTE = "上海职称目录原表未单列此名称，按卫生系列通行名称收录，待核实。"
FLIGHT_ROLE_NOTE = "该岗位是否仍设此级别职称待核实。"
EXAM_NOTE = "中级为以考代评（全国统一考试取得），外省市取得的也认可。"
JUNIOR_NOTE = "初级职称不计分。"

QUALIFICATION_SERIES = "专业技术类职业资格"
QUALIFICATION_ALIASES = {
    "注册消防工程师(一级)": ["一级注册消防工程师", "一级消防工程师"],
    "注册建筑师(一级)": ["一级注册建筑师"],
    "造价工程师(一级)/造价工程师(2018年前取得)": ["一级造价工程师", "造价工程师", "注册造价工程师"],
    "注册城乡规划师(原注册城市规划师)": ["注册城乡规划师", "注册城市规划师"],
    "建造师(一级)/一级建造师": ["一级建造师", "一建"],
    "注册验船师(A级、B级)": ["注册验船师", "A级注册验船师", "B级注册验船师"],
    "注册计量师(一级)": ["一级注册计量师"],
    "注册安全工程师(中级)": ["中级注册安全工程师", "注册安全工程师"],
    "执业药师(执业中药师)": ["执业药师", "执业中药师"],
    "咨询工程师(投资)/工程咨询(投资)专业技术人员职业资格/注册咨询工程师(投资)": [
        "咨询工程师(投资)",
        "工程咨询(投资)专业技术人员职业资格",
        "注册咨询工程师(投资)",
        "咨询工程师",
    ],
    "通信专业技术人员职业资格(中级)": ["通信工程师", "中级通信工程师"],
    "计算机技术与软件专业技术资格(中级、高级)": ["软考中级", "软考高级", "软考", "计算机软件水平考试"],
    "社会工作者职业资格(中级)/社会工作师": ["社会工作师", "中级社会工作者", "中级社工"],
    "经济专业技术资格(中级)": ["中级经济师"],
    "会计专业技术资格(中级)": ["中级会计师", "中级会计职称"],
    "统计专业技术资格(中级)": ["中级统计师"],
    "审计专业技术资格(中级)": ["中级审计师"],
    "土地登记代理专业人员职业资格(土地登记代理人/不动产登记代理人)": ["土地登记代理人", "不动产登记代理人"],
    "房地产经纪专业人员职业资格(房地产经纪人)": ["房地产经纪人"],
    "银行业专业人员职业资格(中级)": ["中级银行从业资格"],
    "税务师/注册税务师": ["税务师", "注册税务师"],
    "环境影响评价工程师": ["环评工程师"],
    "公路水运工程试验检测专业技术人员职业资格(试验检测师)": ["试验检测师", "公路水运工程试验检测师"],
    "机动车检测维修专业技术人员职业资格(机动车检测维修工程师)": ["机动车检测维修工程师"],
    "注册结构工程师(一级)": ["一级注册结构工程师"],
    "注册土木工程师(岩土)": ["注册岩土工程师"],
    "注册采矿/矿物工程师": ["注册采矿工程师", "注册矿物工程师"],
    "注册会计师": ["CPA"],
    "出版专业技术人员职业资格(中级)": ["中级出版专业资格"],
    "翻译专业资格(水平)(二级)": ["二级翻译资格", "CATTI二级"],
    "卫生专业技术资格(中级)": ["卫生中级"],
    "民用核安全设备无损检验人员资格(III级)": ["III级无损检验人员"],
    "二级建造师": ["二建"],
    "注册计量师(二级)": ["二级注册计量师"],
    "医师资格(执业医师)": ["执业医师", "医师资格"],
    "护士执业资格": ["护士资格"],
    "导游资格": ["导游证"],
    "房地产经纪专业人员职业资格(房地产经纪人协理)": ["房地产经纪人协理"],
    "银行业专业人员职业资格(初级)": ["初级银行从业资格"],
    "社会工作者职业资格(初级)/助理社会工作师": ["助理社会工作师", "初级社工"],
    "计算机技术与软件专业技术资格(初级)": ["软考初级"],
    "通信专业技术人员职业资格(初级)": ["初级通信工程师"],
}
QUALIFICATION_NOTES = {
    "计算机技术与软件专业技术资格(中级、高级)": (
        "上海对应目录把软考中级、高级都对应工程师（中级）；软考高级能否按高级计待核实。"
    ),
    "卫生专业技术资格(中级)": "以考代评，取得即为中级职称（主治医师、主管药师、主管护师、主管技师）。",
    "注册会计师": "上海对应目录中未见此项；外省市对应表列为会计师（中级）。待核实。",
    "法律职业资格": ("未列入职业资格与职称对应目录，不直接计分；律师可凭律师系列职称计分（三级律师为中级）。待核实。"),
}
UNVERIFIED_QUALIFICATION_NOTE = "上海职业资格与职称对应目录中未能核实此项，待核实。"
HISTORICAL_NOTE = "历史口径：已退出国家职业资格目录，上海是否仍认可已取得的证书未确认，默认不计分。"
REGISTRATION_NOTES = {
    Registration.YES: "注册类：须注册并在注册有效期内才计分。",
    Registration.CONDITIONAL: "执业须登记；积分是否要求登记待核实。",
}

SKILL_SERIES = "技能等级"
OTHER_SKILL_SERIES = "其他技能类证书"
SKILL_LEVELS = {  # tier -> (level, common name)
    Tier.SKILL_5: ("五级", "初级工"),
    Tier.SKILL_4: ("四级", "中级工"),
    Tier.SKILL_3: ("三级", "高级工"),
    Tier.INTERMEDIATE: ("二级", "技师"),
    Tier.SENIOR: ("一级", "高级技师"),
}
SKILL_NOTE = (
    "技能人员职业资格证书（含 2021 年前的国家职业资格证书）或职业技能等级证书，按此等级计分；"
    "须在本市工作期间取得，工种与岗位相符。"
)
SKILL_ELSEWHERE_NOTE = "外省市取得的须经本市复评或验证。"
OTHER_SKILL_ALIASES = {
    "特种作业人员(操作证)": ["特种作业操作证", "特种作业证"],
    "建筑施工特种作业人员(操作资格证)": ["建筑施工特种作业操作资格证"],
    "特种设备安全管理和作业人员": ["特种设备作业人员证"],
    "道路运输从业人员": ["道路运输从业资格证"],
    "危险货物、化学品运输从业人员": ["危险货物运输从业资格", "危险化学品运输从业资格"],
    "专项职业能力证书": ["专项职业能力"],
}
OTHER_SKILL_NOTE = "没有五级至一级的等级，不计分。"

TRADE_ALIASES = {
    "印制电路制作工": ["印刷电路制作工"],
    "金属热处理工/热处理工": ["金属热处理工", "热处理工"],
    "焊工(含民用核安全设备焊工、焊接操作工)": ["焊工", "民用核安全设备焊工", "焊接操作工"],
}
SH_TRADE_LIST = "上海市高技能人才职业（工种）目录"
NATIONAL_TRADE_LIST = "国家职业资格目录（2021 年版）"

CONFIRMED, UNVERIFIED, HISTORICAL = Status.CONFIRMED.value, Status.UNVERIFIED.value, Status.HISTORICAL.value


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def title_aliases(row: dict[str, str]) -> list[str]:
    name = row["title"]
    aliases = list(TITLE_ALIASES.get(name, []))
    for pair, first, second in (("导演(编导)", "导演", "编导"), ("摄影(摄像)师", "摄影师", "摄像师")):
        if pair in name:
            aliases += [name.replace(pair, first), name.replace(pair, second)]
    if "飞行通信员" in name:
        aliases.append(name.replace("通信", "通讯"))
    return aliases


def title_object(row: dict[str, str], position: int) -> dict:
    name, notes = row["title"], row["notes"]
    status, note = CONFIRMED, TITLE_NOTES.get(name, "")
    if row["level"] == "初级":
        note = JUNIOR_NOTE
    elif "以考代评" in notes:
        note = EXAM_NOTE
    if notes.startswith("added (not in seed): 中医/中药"):
        status, note = UNVERIFIED, TCM_NOTE
    elif "verify these roles" in notes:
        status, note = UNVERIFIED, FLIGHT_ROLE_NOTE
    if name in UNVERIFIED_TITLES:
        status = UNVERIFIED
    return entry(
        "catalogue.certificate",
        kind=Kind.TITLE.value,
        series=row["series"],
        name=name,
        level=row["level"],
        tier=Tier(row["tier"]).value,
        registration=Registration.NOT_APPLICABLE.value,
        aliases=title_aliases(row),
        status=status,
        note=note,
        source=f"titles.csv: {notes}",
        active=True,
        position=position,
    )


def qualification_note(row: dict[str, str], registration: str) -> str:
    name, status, tier = row["name"], row["status"], row["tier"]
    if status == HISTORICAL:
        return HISTORICAL_NOTE
    if name in QUALIFICATION_NOTES:
        parts = [QUALIFICATION_NOTES[name]]
    else:
        equivalent = row["equivalent_level"].split(" — ")[0]
        match = re.fullmatch(r"(中级|初级)(?:\((.+)\))?", equivalent)
        if match is None:
            raise CommandError(f"unexpected equivalent_level for {name}: {row['equivalent_level']}")
        grade, titles = match.groups()
        parts = [f"对应{grade}职称" + (f"（{titles}）" if titles else "") + ("，不计分。" if tier == "none" else "。")]
        if status == UNVERIFIED:
            parts.append(UNVERIFIED_QUALIFICATION_NOTE)
    if registration in REGISTRATION_NOTES:
        parts.append(REGISTRATION_NOTES[Registration(registration)])
    return "".join(parts)


def qualification_object(row: dict[str, str], position: int) -> dict:
    registration = Registration(row["registration"]).value
    tier = Tier(row["tier"]).value
    return entry(
        "catalogue.certificate",
        kind=Kind.QUALIFICATION.value,
        series=QUALIFICATION_SERIES,
        name=row["name"],
        level="相当于中级" if tier == Tier.INTERMEDIATE else "不计分",
        tier=tier,
        registration=registration,
        aliases=QUALIFICATION_ALIASES.get(row["name"], []),
        status=Status(row["status"]).value,
        note=qualification_note(row, registration),
        source=f"qualifications.csv: {row['notes']}",
        active=row["status"] != HISTORICAL,
        position=position,
    )


def skill_level_object(row: dict[str, str], position: int) -> dict:
    tier = Tier(row["tier"])
    level, common = SKILL_LEVELS[tier]
    aliases = [
        common,
        level,
        f"{level}{common}",
        f"技能{level}",
        f"{common}证",
        f"国家职业资格{level}",
        f"职业资格{level}",
        f"技能人员职业资格{level}",
        f"职业技能等级证书{level}",
    ]
    note = SKILL_NOTE + (SKILL_ELSEWHERE_NOTE if tier not in (Tier.SKILL_5, Tier.SKILL_4) else "")
    return entry(
        "catalogue.certificate",
        kind=Kind.SKILL.value,
        series=SKILL_SERIES,
        name=f"{SKILL_SERIES} {level}({common})",
        level=level,
        tier=tier.value,
        registration=Registration(row["registration"]).value,
        aliases=aliases,
        status=Status(row["status"]).value,
        note=note,
        source=f"qualifications.csv: {row['name']}: {row['notes']}",
        active=True,
        position=position,
    )


def other_skill_object(row: dict[str, str], position: int) -> dict:
    note = OTHER_SKILL_NOTE
    if row["name"] == "专项职业能力证书":
        note = "没有五级至一级的等级，按推断不计分。"
    return entry(
        "catalogue.certificate",
        kind=Kind.SKILL.value,
        series=OTHER_SKILL_SERIES,
        name=row["name"],
        level="不计分",
        tier=Tier.NONE.value,
        registration=Registration(row["registration"]).value,
        aliases=OTHER_SKILL_ALIASES.get(row["name"], []),
        status=Status(row["status"]).value,
        note=note,
        source=f"qualifications.csv: {row['notes']}",
        active=True,
        position=position,
    )


def trade_object(row: dict[str, str], position: int) -> dict:
    item = re.search(r"高技能人才职业\(工种\)目录 item (\d+)", row["notes"])
    if item:
        listing, note = SH_TRADE_LIST, f"{SH_TRADE_LIST}第 {item[1]} 项。"
    else:
        listing, note = NATIONAL_TRADE_LIST, f"{NATIONAL_TRADE_LIST}技能人员职业资格，名单待核实。"
    return entry(
        "catalogue.trade",
        name=row["name"],
        aliases=TRADE_ALIASES.get(row["name"], []),
        listing=listing,
        status=Status(row["status"]).value,
        note=note,
        source=f"qualifications.csv: {row['notes']}",
        active=True,
        position=position,
    )


def entry(model: str, aliases: list[str], **fields) -> dict:
    return {"model": model, "fields": {**fields, "aliases": "\n".join(aliases)}}


def build(folder: Path) -> list[dict]:
    titles = read_csv(folder / "titles.csv")
    qualifications = read_csv(folder / "qualifications.csv")
    objects = [title_object(row, position) for position, row in enumerate(titles, 1)]
    professional = [row for row in qualifications if row["category"] == "专业技术类"]
    skills = [row for row in qualifications if row["category"] == "技能类"]
    if len(professional) + len(skills) != len(qualifications):
        raise CommandError("qualifications.csv: every row must be 专业技术类 or 技能类")
    objects += [qualification_object(row, position) for position, row in enumerate(professional, 1001)]
    skill_rows = [row for row in skills if row["tier"] != "by_level"]
    levels = [row for row in skill_rows if row["tier"] != "none"]
    others = [row for row in skill_rows if row["tier"] == "none"]
    objects += [skill_level_object(row, position) for position, row in enumerate(levels, 2001)]
    objects += [other_skill_object(row, position) for position, row in enumerate(others, 2001 + len(levels))]
    trades = [row for row in skills if row["tier"] == "by_level"]
    objects += [trade_object(row, position) for position, row in enumerate(trades, 1)]
    return objects


class Command(BaseCommand):
    help = "Write fixtures/catalogue.json from titles.csv and qualifications.csv."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="folder holding titles.csv and qualifications.csv")
        parser.add_argument("--output", type=Path, default=Path(settings.FIXTURE_DIRS[0]) / "catalogue.json")

    def handle(self, *args, folder: Path, output: Path, **options) -> None:
        objects = build(folder)
        output.write_text(json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"{output.name}: {len(objects)} objects")
