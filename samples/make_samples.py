"""Writes the sample roster, placeholder portraits, organisation profile and seal placeholder.

Deterministic: running it again gives the same files, byte for byte. Every person here is fictional
and every portrait is a drawn placeholder, never a photograph of anyone.

    python samples/make_samples.py
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "NotoSansSC-Regular.ttf"
FIXED_TIME = dt.datetime(2024, 10, 8, 9, 0, 0)
SEED = 2024

HEADER = ["序号", "工号", "姓名", "性别", "职务", "所属党支部", "单位", "照片", "入党日期", "党员义务", "工作目标",
          "岗位职责", "作风建设", "重点工作任务", "月份", "参加支部活动情况", "个人工作表现", "管理效果", "自评分",
          "支部评分"]
PLEDGE_COLUMNS = HEADER[9:14]

# 工号, 姓名 (as typed, padding and all), 性别, 职务, 所属党支部, 单位,
# 照片 column (what the clerk typed), photo file written to photos/ (None: no photo), kind of photo
MEMBERS = [
    ("000101", "王喆", "男", "党支部书记", "机关第一党支部", "综合办公室", "000101.jpg", "000101.jpg", "plain"),
    ("000102", "李堃", "男", "技术员", "机关第一党支部", "生产技术部", "", "000102.jpg", "phone"),
    ("000103", "刘䶮", "男", "值长", "生产运营党支部", "发电运行部", "000103", "000103.jpg", "plain"),
    ("000104", "陈㛃", "女", "安全员", "安全环保党支部", "安全环保部", "000104.jpg", "000104.jpg", "cmyk"),
    ("000105", "黄𫖯", "男", "检修班长", "设备维修党支部", "设备维修部", "000105.JPG", "000105.jpg", "plain"),
    ("000106", "赵𬌗", "女", "财务主管", "机关第二党支部", "财务资产部", "", "000106.jpg", "scan"),
    ("000107", "张　敏", "女", "宣传干事", "机关第一党支部", "党建工作部", "", "张敏.png", "cutout"),
    ("000108", "其木格", "女", "化验员", "生产运营党支部", "燃料管理部", "000108.jpg", "000108.jpg", "landscape"),
    ("000109", "乌兰巴特尔", "男", "运行值班员", "生产运营党支部", "发电运行部", "IMG_20240915_083012.jpg",
     "IMG_20240915_083012.jpg", "plain"),
    ("000110", "孙　洋", "男", "驾驶员", "机关第二党支部", "综合办公室", "", "000110.jpg", "small"),
    ("000111", "周雅琴", "女", "综合办主任", "机关第一党支部", "综合办公室", "", "周雅琴.jpg", "plain"),
    ("000112", "吴建国", "男", "设备维修部锅炉专业主管工程师", "设备维修党支部", "设备维修部", "000112.jpg",
     "000112.jpg", "plain"),
    ("000113", "郑晓东  ", "男", "热控专工", "设备维修党支部", "设备维修部", "", "000113.jpg", "plain"),
    ("000114", "冯丽娟", "女", "人力资源专员", "机关第二党支部", "人力资源部", "", None, "none"),
    ("000115", "褚天佑", "男", "安全监察员", "安全环保党支部", "安全环保部", "证件照-褚天佑.jpg", "证件照-褚天佑.jpg",
     "plain"),
    ("000116", "卫红梅", "女", "环保专工", "安全环保党支部", "安全环保部", "000116.jpg", "000116.jpg", "plain"),
    ("000117", "蒋志强", "男", "燃料采购员", "生产运营党支部", "燃料管理部", "", "000117.jpg", "plain"),
    ("000118", "沈佳怡", "女", "团委书记", "机关第二党支部", "党建工作部", "000118", "000118.jpg", "plain"),
    ("000119", "韩国栋", "男", "电气专工", "设备维修党支部", "设备维修部", "", "000119.jpg", "plain"),
    ("000120", "杨晓光", "男", "党委办公室主任", "机关第一党支部", "党建工作部", "000120.jpg", "000120.jpg", "plain"),
]

DUTIES = [
    "认真学习党的理论，严守党的纪律，按时交纳党费，积极参加组织生活。",
    "牢记党员身份，坚定理想信念，在急难险重任务面前冲锋在前、勇挑重担。",
    "严格遵守党章党规，主动亮明党员身份，自觉接受党员和群众的监督。",
    "坚持每周自学不少于两小时，认真参加“三会一课”，做到学思用贯通、知信行统一。",
    "贯彻执行党的路线方针政策，维护党的团结统一，对党忠诚老实，言行一致。",
    "按月足额交纳党费，按时参加主题党日，认真完成支部分配的各项任务。",
    "发挥先锋模范作用，带头执行公司各项规章制度，在班组中树立党员标杆。",
    "密切联系群众，经常听取职工意见，及时反映职工的合理诉求，帮助解决实际困难。",
    "坚持原则、敢于担当，勇于开展批评和自我批评，自觉维护党的形象。",
    "亮身份、亮职责、亮承诺，时时处处以合格党员的标准严格要求自己。",
    "坚持把学习作为第一需要，每月精读一本理论书籍，认真参加支部集中学习和专题研讨，用学习成果指导实践、推动工作。",
]
GOALS = [
    "全年安全生产零事故，负责的各项经营指标完成率达到100%。",
    "年内完成两项技术革新，设备故障率比上年降低10%以上。",
    "持续提升服务质量，职工群众满意度保持在95%以上。",
    "确保机组安全稳定运行，全年非计划停运次数为零。",
    "全年供电煤耗比上年下降2克/千瓦时，厂用电率控制在5.5%以内。",
    "财务报表按时报送、准确率100%，全年资金计划执行偏差不超过3%。",
    "本专业技术监督指标全部合格，年内取得一项实用新型专利。",
    "全年组织安全培训12次，班组人员持证上岗率达到100%。",
    "全年在公司内外刊物发稿不少于30篇，营造比学赶超的浓厚氛围。",
    "环保设施投运率100%，烟尘、二氧化硫、氮氧化物排放稳定达到超低排放标准。",
    "年内带领班组实现“零违章、零障碍、零事故”，争创公司“安全生产标杆班组”，个人年度绩效考核达到优秀等次。",
]
# 岗位职责 follows the member's post.
POSTS = {
    "000101": "履行支部建设第一责任人职责，抓好“三会一课”和党员教育管理，把支部建成坚强战斗堡垒。",
    "000102": "做好生产技术管理和技术监督工作，及时编制、修订运行和检修规程，为现场提供技术支持。",
    "000103": "统一指挥全值运行工作，严格执行调度指令，正确处理异常和事故，确保机组安全经济运行。",
    "000104": "认真履行安全监督职责，深入生产现场，及时发现和消除各类安全隐患。",
    "000105": "组织班组完成设备检修、消缺和维护任务，严把检修工艺和质量关，做好班组安全管理。",
    "000106": "认真做好财务核算和资金管理，严格执行财经纪律，坚决不做假账。",
    "000107": "做好党建宣传、新闻报道和企业文化建设工作，及时宣传“三亮三比三创”先进典型。",
    "000108": "",  # LONG_PLEDGE
    "000109": "准确监视机组运行参数，精心调整，及时处理异常工况，确保机组经济运行。",
    "000110": "做好车辆日常保养，安全行车，坚持出车前、行车中、收车后“三检查”。",
    "000111": "做好公文处理、会议组织和档案管理工作，确保上传下达及时准确。",
    "000112": "负责锅炉专业技术管理，组织编制检修文件包和技术方案，监督检修工艺质量，做好设备台账和技术资料的整理归档。",
    "000113": "负责热工控制系统维护，保证保护投入率、自动投入率达到规定要求。",
    "000114": "做好员工招聘、培训和绩效考核工作，为公司发展做好人才保障。",
    "000115": "严格执行“两票三制”监督检查，制止和纠正违章作业，做好外包队伍的安全管理。",
    "000116": "负责脱硫、脱硝、除尘设施的环保监督，确保污染物达标排放，按时报送环保数据。",
    "000117": "精心组织燃料采购和入厂验收，严把燃料数量关和质量关。",
    "000118": "做好团员青年的思想引领和教育管理，组织青年岗位能手和青年突击队创建活动。",
    "000119": "负责电气一、二次设备的技术管理，做好继电保护定值管理和电气预防性试验。",
    "000120": "协助党委做好党建工作计划、督办落实和党务公开，做好党委会议的组织和记录。",
}
CONDUCT = [
    "坚持求真务实，反对形式主义和官僚主义，严守廉洁自律各项规定。",
    "发扬艰苦奋斗作风，勤俭节约，不搞特殊化，不谋取私利。",
    "密切联系群众，耐心解答问题，做到热情服务、文明办公。",
    "严格落实中央八项规定精神，不收受礼品礼金，不参加可能影响公正执行公务的宴请。",
    "说实话、办实事、求实效，遇到问题不推诿、不扯皮，马上就办、办就办好。",
    "守时守纪，令行禁止，上班不迟到早退，工作时间不做与工作无关的事情。",
    "以身作则，吃苦在前、享受在后，在急难险重任务中当先锋、作表率。",
    "虚心向老师傅请教，向书本学习，向实践学习，不断提升业务本领。",
    "自觉践行“马上就办、真抓实干”的工作作风，对职工反映的问题做到件件有回音、事事有着落，不拖延、不敷衍。",
]
TASKS = [
    "全力推进机组节能降耗改造，助力“双碳”目标落实。",
    "抓好冬季供暖保电工作，确保电厂安全度冬、百姓温暖过冬。",
    "配合完成智慧电厂建设项目，推动生产管理数字化转型。",
    "深化“三亮三比三创”活动，带领所在支部争创五星党支部。",
    "完成1号机组A级检修的质量验收，确保修后一次启动成功。",
    "牵头推进脱硫废水零排放改造项目，年底前完成调试投运。",
    "完成年度全面预算编制和经营成本分析，提出降本增效措施不少于5条。",
    "组织好“安全生产月”系列活动，全年开展应急演练不少于4次。",
    "做好新入职大学生的传帮带工作，签订师徒协议，带好2名徒弟。",
    "做好党建信息化平台的运行维护，党员学习积分录入及时准确。",
    "按期完成2号机组灵活性改造的技术准备工作，配合做好新能源配套项目的前期调研，为公司转型发展贡献力量。",
]
# One pledge long enough that a card must shrink it to fit (member 000108, 岗位职责).
LONG_PLEDGE = ("坚守化验岗位，严格按照国家标准开展入厂煤、入炉煤的采样、制样和化验工作，确保每一个数据真实、准确、"
               "可追溯；认真做好量热仪、定硫仪、工业分析仪等仪器设备的维护保养和期间核查，按时参加能力验证和实验室间"
               "比对；积极开展技术攻关，优化化验流程，缩短出具报告的时间；做好新员工的传帮带，毫无保留地传授操作技能，"
               "带出一支作风过硬、技术精湛的化验队伍，为机组安全、经济、环保运行提供及时可靠的数据支撑。")
ACTIVITIES = [
    "按时参加支部主题党日活动，为班组党员讲微党课1次。",
    "参加支部组织生活会和集中学习4次，撰写学习心得体会1篇。",
    "参加“三亮三比三创”主题实践活动，带头到社区开展志愿服务。",
    "参加支部“三会一课”全部活动，无缺勤。",
    "因外出培训缺席一次集中学习，已按要求补学并提交学习笔记。",
    "参加党委组织的警示教育大会，观看警示教育片并交流体会。",
    "参与支部与驻地嘎查结对共建活动，走访慰问困难牧户2户。",
    "参加支部组织的安全知识竞赛，获个人二等奖。",
]
PERFORMANCE = [
    "完成月度检修计划，消除设备缺陷12项，其中重要缺陷2项。",
    "按时完成月度报表和各项统计工作，无差错。",
    "组织开展安全检查3次，督促整改隐患8项。",
    "牵头完成燃料入厂验收流程优化，验收时间缩短一半。",
    "当值期间机组安全运行，按调度要求完成负荷调整和设备定期切换。",
    "完成10月份财务结账和税费申报，配合完成季度内部审计。",
    "撰写新闻稿件5篇，其中2篇被集团网站采用。",
    "完成热工保护定值核对，发现并整改逻辑隐患1项。",
]
MANAGEMENT = [
    "班组安全无事故，设备完好率保持100%。",
    "部门工作有序推进，各项指标按期完成。",
    "车间文明生产达标，员工培训覆盖率100%。",
    "班组内开展技术问答4次，新员工已能独立值班。",
    "分管区域7S管理检查得分位列全厂第一。",
    "本月无违章记录，班组考勤、台账规范完整。",
]
SCORES = [98, 96, 95, 93, 92, 90, 88, 87.5, 85, 82]
# 入党日期 as clerks type them, for `formgen birthdays --month 2024-10` (the others are drawn at random):
# round anniversaries, a date typed as text, one with only the month, 29 February, an unreadable one, none.
JOIN_DATES = {
    "000101": dt.datetime(2008, 7, 1),
    "000102": dt.datetime(2014, 10, 15),  # 10 years in October 2024: 逢十
    "000103": dt.datetime(1994, 10, 1),  # 30 years: 逢十
    "000107": "2019.10",  # only the month, as text: 5 years, 逢五
    "000110": dt.datetime(2004, 2, 29),  # a leap day: kept on 28 February in other years
    "000114": "不详",  # unreadable: reported
    "000117": None,  # empty: reported
    "000120": "2012年10月16日",  # typed as text
}


# --- the roster --------------------------------------------------------------------------------------------


def _dealt(rng: random.Random, pool: list[str], count: int) -> list[str]:
    """count picks from pool, shuffled and dealt round so that neighbours rarely repeat."""
    order = pool[:]
    rng.shuffle(order)
    return [order[i % len(order)] for i in range(count)]


def roster_rows() -> list[list[object]]:
    rng = random.Random(SEED)
    count = len(MEMBERS)
    pledge_columns = [_dealt(rng, pool, count) for pool in (DUTIES, GOALS, CONDUCT, TASKS)]
    activities, performance, management = (_dealt(rng, pool, count) for pool in (ACTIVITIES, PERFORMANCE, MANAGEMENT))
    rows = []
    for i, (staff_id, name, sex, title, branch, unit, photo, _file, _kind) in enumerate(MEMBERS):
        duty, goal, conduct, task = (column[i] for column in pledge_columns)
        pledges = [duty, goal, POSTS[staff_id], conduct, task]
        if staff_id == "000104":
            pledges[3] = pledges[4] = ""  # left empty: printed as ruled lines for handwriting
        if staff_id == "000108":
            pledges[2] = LONG_PLEDGE
        joined = dt.datetime(1995 + rng.randrange(26), rng.randrange(1, 13), rng.randrange(1, 29))
        joined = JOIN_DATES.get(staff_id, joined)
        month: object = 10 if branch == "设备维修党支部" else "2024-10"  # one branch types the month as a number
        self_score = None if staff_id in ("000102", "000107", "000115") else rng.choice(SCORES)
        if self_score is None or staff_id == "000119":  # 000119: self-assessed, branch not yet
            branch_score = None
        else:
            branch_score = min(100, self_score + rng.choice([-3, -1.5, 0, 0, 1, 2]))
        rows.append([i + 1, staff_id, name, sex, title, branch, unit, photo, joined, *pledges, month,
                     activities[i], performance[i], management[i], _number(self_score), _number(branch_score)])
    _check(rows)
    return rows


def _number(value):
    """95.0 → 95, 87.5 stays: scores as clerks type them."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _check(rows) -> None:
    for row in rows:
        for text in row[9:14]:
            assert text == "" or 20 <= len(text) <= 80 or text == LONG_PLEDGE, (row[1], text)
        for text in row[15:18]:
            assert 15 <= len(text) <= 60, (row[1], text)
    assert 190 <= len(LONG_PLEDGE) <= 220, len(LONG_PLEDGE)


def write_roster_xlsx(rows, path: Path) -> None:
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "formgen samples"
    workbook.properties.lastModifiedBy = "formgen samples"
    workbook.properties.title = "党员名册（示例）"
    sheet = workbook.active
    sheet.title = "党员名册"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for cells in sheet.iter_rows(min_row=2):
        cells[1].number_format = "@"  # 工号 as text: leading zeros stay
        cells[8].number_format = "yyyy-mm-dd"
    widths = (6, 9, 12, 6, 28, 16, 12, 24, 12, 30, 30, 30, 30, 30, 9, 30, 30, 30, 8, 8)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "D2"
    workbook.save(path)
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """openpyxl stamps the zip entries and the modified date with the current time; fix both."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, data)


def write_roster_csv(rows, path: Path) -> None:
    """As Excel's "CSV UTF-8" writes it: a BOM, CRLF line ends, dates as the cells show them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(["" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else v)
                         for v in row])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


# --- placeholder portraits ---------------------------------------------------------------------------------


def _font(size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), max(8, int(size)))


def draw_portrait(surname: str, seed: int, size=(600, 800), transparent: bool = False,
                  figure_width: int | None = None) -> Image.Image:
    """A drawn placeholder, never a person: flat background, grey head-and-shoulders silhouette, the surname
    in the top-left corner and 示例 in the bottom-right. The figure (3:4) is centred; figure_width narrows it
    for wide pictures."""
    rng = random.Random(seed)
    width, height = size
    background = (0, 0, 0, 0) if transparent else tuple(rng.randrange(170, 235) for _ in range(3)) + (255,)
    image = Image.new("RGBA", size, background)
    draw = ImageDraw.Draw(image)
    fw = figure_width or width
    left = (width - fw) / 2
    grey = (105, 110, 120, 255)
    draw.ellipse((left + fw * 0.30, height * 0.16, left + fw * 0.70, height * 0.52), fill=grey)
    draw.rectangle((left + fw * 0.44, height * 0.48, left + fw * 0.56, height * 0.62), fill=grey)  # neck
    draw.rounded_rectangle((left + fw * 0.12, height * 0.58, left + fw * 0.88, height * 1.15),
                           radius=int(fw * 0.2), fill=grey)
    unit = min(width, height)
    draw.text((unit * 0.06, unit * 0.04), surname, font=_font(unit * 0.13), fill=(60, 60, 60, 255))
    draw.text((width - unit * 0.05, height - unit * 0.04), "示例", font=_font(unit * 0.08),
              fill=(250, 250, 250, 255), anchor="rd", stroke_width=max(1, unit // 300), stroke_fill=(90, 90, 90, 255))
    return image if transparent else image.convert("RGB")


def _scan(image: Image.Image, seed: int) -> Image.Image:
    """Greyscale, soft, a little crooked on off-white paper with fine noise: a photo that went through a scanner."""
    grey = image.convert("L").filter(ImageFilter.GaussianBlur(1.2))
    grey = grey.point(lambda v: 40 + v * 190 // 255)  # flat contrast of a scanned print
    margin = 40
    paper = Image.new("L", (grey.width + 2 * margin, grey.height + 2 * margin), 238)
    crooked = grey.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=238)
    paper.paste(crooked, (margin - 12, margin - 16))
    rng = random.Random(seed)
    noise = Image.frombytes("L", paper.size, rng.randbytes(paper.width * paper.height))
    noise = noise.point(lambda v: 128 + (v - 128) // 40).filter(ImageFilter.GaussianBlur(0.6))
    return ImageChops.add(paper, noise, 1.0, -128)


def write_photos(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for index, (staff_id, name, *_rest, file_name, kind) in enumerate(MEMBERS):
        if file_name is None:
            continue
        surname = name.strip()[0]
        target = folder / file_name
        if kind == "phone":
            # A phone photo: 3024×4032 drawn upright, its pixels stored turned 90° (4032×3024) with EXIF
            # Orientation 6, so it stands upright only where the EXIF rotation is applied.
            upright = draw_portrait(surname, index, size=(3024, 4032))
            exif = Image.Exif()
            exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
            exif[0x010F] = "SAMPLE"  # Make
            exif[0x0110] = "formgen placeholder"  # Model
            upright.transpose(Image.Transpose.ROTATE_90).save(target, "JPEG", quality=40, optimize=True,
                                                              exif=exif.tobytes())
        elif kind == "cmyk":
            draw_portrait(surname, index).convert("CMYK").save(target, "JPEG", quality=80, optimize=True)
        elif kind == "scan":
            _scan(draw_portrait(surname, index, size=(900, 1200)), index).save(target, "JPEG", quality=70,
                                                                                  optimize=True)
        elif kind == "cutout":  # PNG with a transparent background, as cut-out ID photos come
            draw_portrait(surname, index, transparent=True).save(target, "PNG", optimize=True)
        elif kind == "landscape":  # wider than tall, face in the middle: cropping must keep it
            draw_portrait(surname, index, size=(1200, 800), figure_width=600).save(target, "JPEG", quality=80,
                                                                                   optimize=True)
        elif kind == "small":  # too few pixels to print sharply at 25×35 mm
            small = draw_portrait(surname, index, size=(500, 700)).resize((100, 140), Image.Resampling.LANCZOS)
            small.save(target, "JPEG", quality=85, optimize=True)
        else:
            draw_portrait(surname, index).save(target, "JPEG", quality=80, optimize=True)


# --- seal placeholder and organisation profile ---------------------------------------------------------------


def write_seal(path: Path) -> None:
    """A plainly fake seal: red ring, star and the words 示例 / SAMPLE 样章, with transparency."""
    size = 600
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (210, 20, 20, 215)
    draw.ellipse((20, 20, size - 20, size - 20), outline=red, width=22)
    cx, cy, outer, inner = size / 2, 175, 85, 34
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    draw.text((cx, 340), "示例", font=_font(120), fill=red, anchor="mm")
    draw.text((cx, 450), "SAMPLE 样章", font=_font(50), fill=red, anchor="mm")
    image.save(path, format="PNG", optimize=True)


ORG = """\
# Organisation profile: every key is available to layouts as org.KEY.
# 组织信息：版式模板中以 org.键名 使用。
organisation: 鄂尔多斯市示例能源有限责任公司          # 单位全称 / full name of the organisation
committee: 中共鄂尔多斯市示例能源有限责任公司委员会    # 党委名称 / the Party committee (certificate issuer)
short_name: 示例能源                                 # 简称 / short name, used in document titles
campaign: 三亮三比三创                               # 活动名称 / the campaign
qr_url_template: "https://party.example.org/m/{{ 工号 }}"   # 名片二维码内容（模板）/ name-card QR content, a template
verify_url: "https://party.example.org/v"           # 证书验证地址 / certificate verification URL
serial_prefix: SLN                                   # 证书编号前缀 / certificate serial prefix
data_dir: formgen-data                               # 密钥和证书台账目录 / folder of keys and the certificate ledger
letterhead: 中共鄂尔多斯市示例能源有限责任公司委员会   # 信函红头 / letterhead of letters
seal: seal-sample.png                                # 印章图片（示例，非真实印章）/ seal picture (a plainly fake sample)
"""


def write_scores(path: Path) -> None:
    """Test results for two quarters, the way an office keeps them: a title row above the header, one
    sheet per quarter, 总分 as a formula no program has calculated yet, some numbers typed as text, and
    the usual slips (a duplicated 工号, a missing name, a score typed as a word)."""
    rng = random.Random(7)
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    workbook.remove(workbook.active)
    members = [(m[0], m[1].replace("\u3000", "").strip(), m[4]) for m in MEMBERS]
    previous: dict[str, tuple[int, int]] = {}
    for title, quarter in (("2024年第二季度", 2), ("2024年第三季度", 3)):
        sheet = workbook.create_sheet(title)
        sheet.append([f"{title}党员应知应会测试成绩"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        sheet.append(["工号", "姓名", "所属党支部", "政治理论", "业务知识", "总分"])
        for index, (staff_id, name, branch) in enumerate(members):
            if quarter == 2:
                politics, business = rng.randint(18, 48), rng.randint(18, 48)
            else:
                old = previous[staff_id]
                politics = min(50, max(10, old[0] + rng.randint(-6, 12)))
                business = min(50, max(10, old[1] + rng.randint(-6, 12)))
            previous[staff_id] = (politics, business)
            row = len(sheet["A"]) + 1
            politics_cell = str(politics) if index % 7 == 3 else politics  # typed as text
            sheet.append([staff_id, name, branch, politics_cell, business, f"=D{row}+E{row}"])
            sheet.cell(row=row, column=1).number_format = "@"
        if quarter == 3:
            sheet.append(["000104", "陈㛃", "安全环保党支部", 40, 41, "=D23+E23"])  # the 工号 again: a slip
            sheet.append(["000121", "", "设备维修党支部", 35, 30, "=D24+E24"])  # no name
            sheet.append(["000122", "马骏", "设备维修党支部", "缺考", 30, ""])  # a word for a score
    workbook.save(path)
    _fix_zip_times(path)


def write_survey_responses(path: Path) -> None:
    """Survey answers in every spelling of stars, with the invalid ones offices find in them."""
    rng = random.Random(11)
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    sheet = workbook.active
    sheet.title = "问卷"
    sheet.append(["工号", "姓名", "季度", "服务态度", "业务完成质量", "是否在规定时间内完成"])
    spellings = [lambda n: n, lambda n: f"{n}星", lambda n: "一二三四五"[n - 1] + "星", lambda n: "★" * n + "☆" * (5 - n)]
    for staff_id, name, *_rest in MEMBERS[:12]:
        name = name.replace("\u3000", "").strip()
        level = 5 if staff_id in ("000101", "000105") else (2 if staff_id == "000110" else rng.randint(3, 5))
        for _ in range(3):
            answers = [max(1, min(5, level - (rng.random() < 0.3 and level not in (5, 2)))) for _ in range(3)]
            sheet.append([staff_id, name, "2024年第三季度", *[rng.choice(spellings)(a) for a in answers]])
    sheet.append(["000103", "刘䶮", "2024Q3", 0, "6星", None])  # invalid answers, listed and not counted
    sheet.append(["000104", "陈㛃", "2024Q3", "很好", 4, 5])
    sheet.append(["009999", "查无此人", "2024Q3", 5, 5, 5])  # not on the roster
    workbook.save(path)
    _fix_zip_times(path)


def write_nominations(path: Path) -> None:
    """Awards chosen by people, for `formgen certify`, as an office lists them: a merged title row, a 序号
    column, a branch merged over its rows, collective winners in 获奖者, a footer row — and the slips
    certify must refuse: an award it does not know, the same award twice, a quarterly award for a year."""
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    sheet = workbook.active
    sheet.title = "2024年获奖名单"
    sheet.append(["2024年度“三亮三比三创”活动获奖名单"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "所属党支部", "姓名", "获奖者", "奖项", "事由", "期间"])
    rows = [
        ("机关第一党支部", "王喆", "", "创效之星", "牵头完成公文无纸化流转，年节约办公费用4万元", "2024年第三季度"),
        ("机关第一党支部", "周雅琴", "", "先进个人", "全年组织各类会议80余次，无一差错", "2024年度"),
        ("生产运营党支部", "乌兰巴特尔", "", "创效之星", "优化机组启停操作，单次启动节约燃油6吨", "2024Q3"),
        ("生产运营党支部", "", "生产运营党支部", "五星党支部", "", "2024年度"),
        ("设备维修党支部", "", "1号机组A级检修项目", "优秀项目", "检修工期缩短5天，修后一次启动成功", "2024年"),
        ("设备维修党支部", "黄𫖯", "", "优秀党员", "", "2024年度"),  # not an award certify knows
        ("安全环保党支部", "褚天佑", "", "创效之星", "外包队伍违章率下降一半", "2024年第三季度"),
        ("安全环保党支部", "褚天佑", "", "创效之星", "外包队伍违章率下降一半", "2024年第三季度"),  # twice
        ("机关第二党支部", "赵𬌗", "", "创效之星", "完成资金集中管理上线", "2024年度"),  # quarterly, given a year
    ]
    for index, row in enumerate(rows, start=1):
        sheet.append([index, *row])
    first = 3
    for start, end in ((first, first + 1), (first + 2, first + 3), (first + 4, first + 5), (first + 6, first + 7)):
        sheet.merge_cells(start_row=start, start_column=2, end_row=end, end_column=2)  # the branch over its rows
    sheet.append([])
    sheet.append(["制表人：党建工作部", None, None, None, None, "审核：杨晓光"])
    for letter, width in zip("ABCDEFG", (6, 16, 10, 20, 12, 44, 16)):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)
    _fix_zip_times(path)


BRANCH_ITEMS = ("支部标准化建设", "品牌建设", "党建融入中心工作", "“三亮三比三创”活动落实情况")
# 党支部, 支部书记 (blank: found from the roster with --roster), 情况 per item, 自评分 per item, 考核分 per item
BRANCHES = [
    ("机关第一党支部", "", ("“三会一课”按时召开，台账规范", "打造“红色机关”品牌", "围绕公文无纸化开展攻关",
                       "亮身份、比贡献氛围浓厚"), (38, 18, 23, 14), (37, 18, 22, 14)),
    ("机关第二党支部", "沈佳怡", ("组织生活会准备不充分", "品牌创建刚起步", "财务共享项目进度滞后",
                          "活动开展不够经常"), (34, 15, 20, 12), (31, 14, 19, 11)),
    ("生产运营党支部", "刘䶮", ("支部建在值上，标准化达标", "“红色运行”品牌成效明显", "机组非停为零",
                         "党员先锋岗全覆盖"), (39, 19, 24, 15), (39, 19, 24, 14)),
    ("设备维修党支部", "黄𫖯", ("党员教育管理规范", "“工匠维修”品牌", "A级检修提前5天完成",
                         "党员责任区覆盖全部设备"), (37, 18, 23, 14), (36, 17, 23, 14)),
    ("安全环保党支部", "褚天佑", ("组织生活按计划开展", "“安全卫士”品牌", "全年无环保事件",
                          "亮承诺、比作风开展较好"), (36, 17, 22, 13), (35, 16, 21, 13)),
    ("燃料供应党支部", "蒋志强", ("部分台账缺失", "尚未形成品牌", "燃料采购成本偏高",
                          "活动流于形式"), (33, 14, 19, 12), (30, 13, 18, 10)),
    ("物资供应党支部", "高　峰", ("支部建设基本规范", "“阳光采购”品牌", "库存周转率提高",
                          "活动按计划开展"), (35, 17, 21, 13), (34, 16, 20, 14)),
    ("后勤服务党支部", "马兰花", ("支部建设规范", "“暖心后勤”品牌", "职工满意度95%",
                          "活动开展扎实"), (36, 17, 22, 14), (35, 17, 22, "缺")),  # a score typed as a word
]


def write_branch_scores(path: Path) -> None:
    """The branches' quarterly scores as the 党建工作部 keeps them, for `formgen branch-review` and the
    branch-quarterly form: a merged title row, a header of two rows (each item over its 工作情况 | 自评分 |
    考核分), 考核总分 as a formula, and the usual slips: a total that is not the sum, a score typed as a word,
    a branch entered twice, a footer row; one branch's secretary left for --roster to find."""
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    sheet = workbook.active
    sheet.title = "2024年第三季度"
    width = 3 + 3 * len(BRANCH_ITEMS) + 2
    sheet.append(["2024年第三季度党支部工作考核评分表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    upper = ["序号", "党支部", "支部书记"]
    lower = [None, None, None]
    for item in BRANCH_ITEMS:
        upper += [item, None, None]
        lower += ["工作情况", "自评分", "考核分"]
    upper += ["考核总分", "备注"]
    lower += [None, None]
    sheet.append(upper)
    sheet.append(lower)
    for column in (1, 2, 3, width - 1, width):  # the single titles merged down over both header rows
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    for index in range(len(BRANCH_ITEMS)):
        first = 4 + 3 * index
        sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 2)
    from openpyxl.utils import get_column_letter

    for number, (branch, secretary, notes, own, review) in enumerate(BRANCHES, start=1):
        row = sheet.max_row + 1
        cells: list[object] = [number, branch, secretary]
        for note, mine, theirs in zip(notes, own, review):
            cells += [note, mine, theirs]
        review_columns = [get_column_letter(4 + 3 * i + 2) for i in range(len(BRANCH_ITEMS))]
        total = "=" + "+".join(f"{c}{row}" for c in review_columns)
        if branch == "安全环保党支部":
            total = 88  # typed by hand, and not the sum of its items (85)
        sheet.append([*cells, total, ""])
    sheet.append([len(BRANCHES) + 1, "燃料供应党支部", "蒋志强", "", 33, 30, "", 14, 13, "", 19, 18, "", 12, 10,
                  "", "重复录入"])  # the branch again
    sheet.append(["合计：9个党支部"])
    sheet.append(["制表：党建工作部", None, None, None, None, None, "审核：杨晓光"])
    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 8
    for column in (2, 4, 7, 10, 13):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    workbook.save(path)
    _fix_zip_times(path)


STANDARDS_HEADER = ["序号", "工号", "姓名", "所属党支部", "岗位", "季度", "维修日期", "维修对象", "维修内容",
                    "测血压日期1", "测血压对象1", "测血压日期2", "测血压对象2", "测血压日期3", "测血压对象3",
                    "讲制度日期1", "讲解制度1", "讲制度日期2", "讲解制度2", "讲制度日期3", "讲解制度3",
                    "资格类别", "应具备资格", "现具备资格", "技能结论", "取得期限", "三违", "三违说明",
                    "业绩指标1", "目标值1", "完成情况1", "业绩指标2", "目标值2", "完成情况2", "业绩指标3", "目标值3", "完成情况3",
                    "支部审定意见"]
RULES = ["《安全生产工作规定》", "《差旅费管理办法》", "《员工考勤管理制度》", "《公务用车管理办法》", "《保密工作规定》",
         "《两票三制管理规定》"]


def write_standards(path: Path) -> None:
    """附件3 filled in for 2024年第三季度, one row per member, as a branch keeps it for
    `formgen render quarterly-standards`: a merged title row, dates as Excel dates and as text, verdicts
    from the template's drop-downs — and the slips: a verdict no form offers (较好), a date without its year
    (7月5日), and a member whose quarter is still empty (printed with lines to write on)."""
    rng = random.Random(16)
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    sheet = workbook.active
    sheet.title = "2024年第三季度"
    sheet.append(["机关第一党支部 2024年第三季度党员亮标准管理清单汇总"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(STANDARDS_HEADER))
    sheet.append(STANDARDS_HEADER)
    people = [m for m in MEMBERS if m[4] in ("机关第一党支部", "设备维修党支部")][:7]
    levels = {"党支部书记": ("专业技术岗位职称等级", "中级职称", "高级职称", "高于"),
              "检修班长": ("操作岗位技能等级", "高级工", "技师", "高于"),
              "技术员": ("专业技术岗位职称等级", "中级职称", "初级职称", "低于")}
    for number, (staff_id, name, _sex, title, branch, *_rest) in enumerate(people, start=1):
        kind, required, held, verdict = levels.get(title, ("专业技术岗位职称等级", "初级职称", "初级职称", "符合"))
        deadline = dt.datetime(2025, 6, 30) if verdict == "低于" else None
        others = [m[1].replace("\u3000", "") for m in MEMBERS if m[0] != staff_id]
        row: list[object] = [number, staff_id, name, branch, title, "2024年第三季度",
                             dt.datetime(2024, 7, rng.randrange(5, 28)), rng.choice(others), "更换卫生间水龙头",
                             dt.datetime(2024, 7, 15), rng.choice(others), dt.datetime(2024, 8, 15), rng.choice(others),
                             "2024-09-13", rng.choice(others),
                             dt.datetime(2024, 7, 10), RULES[number % len(RULES)], dt.datetime(2024, 8, 9),
                             RULES[(number + 1) % len(RULES)], "2024/9/6", RULES[(number + 2) % len(RULES)],
                             kind, required, held, verdict, deadline, "无", "",
                             "月度重点工作完成率", "100%", "100%", "差错次数", "0次", "0次", "学习积分", "≥300分",
                             f"{rng.randrange(300, 420)}分", "完成本季度亮标准各项任务，同意。"]
        if staff_id == "000105":
            row[24] = "较好"  # a verdict the form does not offer: that member's form is not printed
        if staff_id == "000111":
            row[15] = "7月5日"  # a date without its year
        if staff_id == "000107":  # nothing filled in yet: the form prints its boxes and lines empty
            row[6:] = [None] * (len(STANDARDS_HEADER) - 6)
        sheet.append(row)
    from openpyxl.utils import get_column_letter

    for column in range(1, len(STANDARDS_HEADER) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    for cells in sheet.iter_rows(min_row=3):
        cells[1].number_format = "@"
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"
    workbook.save(path)
    _fix_zip_times(path)


def main() -> None:
    rows = roster_rows()
    write_roster_xlsx(rows, HERE / "roster.xlsx")
    write_roster_csv(rows, HERE / "roster.csv")
    write_photos(HERE / "photos")
    write_seal(HERE / "seal-sample.png")
    (HERE / "org.yaml").write_text(ORG, encoding="utf-8")
    write_scores(HERE / "scores.xlsx")
    write_survey_responses(HERE / "survey-responses.xlsx")
    write_nominations(HERE / "nominations.xlsx")
    write_branch_scores(HERE / "branch-scores.xlsx")
    write_standards(HERE / "standards.xlsx")


if __name__ == "__main__":
    main()
