"""Writes the sample roster, placeholder portraits, organisation profile and seal placeholder.

Deterministic: running it again gives the same files. Every person here is fictional and every
portrait is a drawn placeholder, never a photograph of anyone.

    python samples/make_samples.py
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "NotoSansSC-Regular.ttf"
FIXED_TIME = dt.datetime(2024, 10, 8, 9, 0, 0)

HEADER = ["序号", "工号", "姓名", "性别", "职务", "所属党支部", "单位", "照片", "入党日期", "党员义务", "工作目标",
          "岗位职责", "作风建设", "重点工作任务", "月份", "参加支部活动情况", "个人工作表现", "管理效果", "自评分",
          "支部评分"]

# 工号, 姓名, 性别, 职务, 所属党支部, 单位, 照片 column, photo kind
MEMBERS = [
    ("000101", "王喆", "男", "党支部书记", "机关第一党支部", "综合办公室", "000101.jpg", "plain"),
    ("000102", "李堃", "男", "技术员", "机关第一党支部", "生产技术部", "", "phone"),
    ("000103", "刘䶮", "男", "值长", "生产运营党支部", "发电运行部", "000103", "plain"),
    ("000104", "陈㛃", "女", "安全员", "安全环保党支部", "安全环保部", "", "cmyk"),
    ("000105", "黄𫖯", "男", "检修班长", "设备维修党支部", "设备维修部", "000105.JPG", "plain"),
    ("000106", "赵𬌗", "女", "财务主管", "机关第二党支部", "财务资产部", "", "grey"),
    ("000107", "张　敏", "女", "宣传干事", "机关第一党支部", "党建工作部", "", "png"),
    ("000108", "其木格", "女", "化验员", "生产运营党支部", "燃料管理部", "", "landscape"),
    ("000109", "乌兰巴特尔", "男", "运行值班员", "生产运营党支部", "发电运行部", "000109.jpg", "plain"),
    ("000110", "孙　洋", "男", "司机", "机关第二党支部", "综合办公室", "", "small"),
    ("000111", "周雅琴", "女", "综合办主任", "机关第一党支部", "综合办公室", "", "plain"),
    ("000112", "吴建国", "男", "设备部副部长兼锅炉专业主管工程师", "设备维修党支部", "设备维修部", "", "plain"),
    ("000113", "郑晓东 ", "男", "热控专工", "设备维修党支部", "设备维修部", "", "plain"),
    ("000114", "冯丽娟", "女", "人力资源专员", "机关第二党支部", "人力资源部", "", "none"),
    ("000115", "褚天佑", "男", "安全监察员", "安全环保党支部", "安全环保部", "", "plain"),
    ("000116", "卫红梅", "女", "环保专工", "安全环保党支部", "安全环保部", "", "plain"),
    ("000117", "蒋志强", "男", "燃料采购员", "生产运营党支部", "燃料管理部", "", "plain"),
    ("000118", "沈佳怡", "女", "团委书记", "机关第二党支部", "党建工作部", "", "plain"),
    ("000119", "韩国栋", "男", "电气专工", "设备维修党支部", "设备维修部", "", "plain"),
    ("000120", "杨晓光", "男", "党委办公室主任", "机关第一党支部", "党建工作部", "", "plain"),
]
PHOTO_BY_NAME = {"000107": "张敏.png"}  # found by 姓名 when neither 照片 nor 工号 gives one

DUTIES = ["认真学习党的理论，严守党的纪律，按时交纳党费，积极参加组织生活。",
          "牢记党员身份，坚定理想信念，在急难险重任务面前冲锋在前。",
          "严格遵守党章党规，主动亮明党员身份，自觉接受群众监督。"]
GOALS = ["全年安全生产零事故，各项指标完成率达到100%。", "年内完成两项技术革新，降低设备故障率10%以上。",
         "持续提升服务质量，群众满意度保持在95%以上。", "确保机组安全稳定运行，非计划停运次数为零。"]
POSTS = ["严格执行操作规程，认真做好设备巡检和缺陷处理。", "做好本岗位日常工作，按时高质量完成领导交办的任务。",
         "认真履行安全监督职责，及时发现和消除安全隐患。", "精心组织燃料采购和验收，严把燃料质量关。"]
CONDUCT = ["坚持求真务实，反对形式主义和官僚主义，廉洁自律。", "发扬艰苦奋斗作风，勤俭节约，不搞特殊化。",
           "密切联系群众，耐心解答问题，做到热情服务、文明办公。"]
TASKS = ["全力推进机组节能降耗改造，助力“双碳”目标落实。", "抓好冬季供暖保电工作，确保安全度冬。",
         "配合完成智慧电厂建设项目，推动数字化转型。", "深化“三亮三比三创”活动，争创五星党支部。"]
ACTIVITIES = ["按时参加支部主题党日活动，讲党课1次。", "参加支部组织生活会和集中学习4次，撰写心得体会1篇。",
              "参加“三亮三比三创”主题实践活动，带头开展志愿服务。"]
PERFORMANCE = ["完成月度检修计划，消除设备缺陷12项。", "按时完成月度报表和各项统计工作，无差错。",
               "组织开展安全检查3次，整改隐患8项。", "牵头完成燃料入厂验收流程优化。"]
MANAGEMENT = ["班组安全无事故，设备完好率保持100%。", "部门工作有序推进，各项指标按期完成。",
              "车间文明生产达标，员工培训覆盖率100%。"]


def draw_portrait(surname: str, seed: int, size=(600, 800)) -> Image.Image:
    """A drawn placeholder: a flat background, a grey head-and-shoulders silhouette, the surname and 示例."""
    rng = random.Random(seed)
    width, height = size
    background = tuple(rng.randrange(170, 235) for _ in range(3))
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    grey = (105, 110, 120)
    draw.ellipse((width * 0.30, height * 0.16, width * 0.70, height * 0.52), fill=grey)
    draw.rounded_rectangle((width * 0.12, height * 0.58, width * 0.88, height * 1.1), radius=int(width * 0.2),
                           fill=grey)
    font = ImageFont.truetype(str(FONT), int(width * 0.13))
    draw.text((width * 0.06, height * 0.03), surname, font=font, fill=(60, 60, 60))
    small = ImageFont.truetype(str(FONT), int(width * 0.07))
    draw.text((width * 0.70, height * 0.90), "示例", font=small, fill=(250, 250, 250))
    return image


def save_jpeg(image: Image.Image, path: Path, quality: int = 80, **kwargs) -> None:
    image.save(path, format="JPEG", quality=quality, optimize=True, **kwargs)


def write_photos(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for index, (staff_id, name, *_rest, kind) in enumerate(MEMBERS):
        surname = name.strip()[0]
        if kind == "none":
            continue
        if kind == "phone":
            # A phone photo: pixels stored sideways, upright only when EXIF Orientation 6 is applied.
            upright = draw_portrait(surname, index, size=(3024, 4032))
            exif = Image.Exif()
            exif[0x0112] = 6
            save_jpeg(upright.transpose(Image.Transpose.ROTATE_90), folder / f"{staff_id}.jpg", quality=40,
                      exif=exif.tobytes())
        elif kind == "cmyk":
            save_jpeg(draw_portrait(surname, index).convert("CMYK"), folder / f"{staff_id}.jpg")
        elif kind == "grey":
            save_jpeg(draw_portrait(surname, index, size=(900, 1200)).convert("L"), folder / f"{staff_id}.jpg",
                      quality=70)
        elif kind == "png":
            portrait = draw_portrait(surname, index).convert("RGBA")
            pixels = portrait.load()
            corner = pixels[0, 0]
            for y in range(portrait.height):  # transparent background, as cut-out photos come
                for x in range(portrait.width):
                    if pixels[x, y] == corner:
                        pixels[x, y] = (0, 0, 0, 0)
            portrait.save(folder / PHOTO_BY_NAME[staff_id], format="PNG", optimize=True)
        elif kind == "landscape":
            wide = Image.new("RGB", (1200, 800), (200, 215, 230))
            wide.paste(draw_portrait(surname, index), (300, 0))
            save_jpeg(wide, folder / f"{staff_id}.jpg")
        elif kind == "small":
            save_jpeg(draw_portrait(surname, index).resize((100, 140)), folder / f"{staff_id}.jpg", quality=85)
        else:
            save_jpeg(draw_portrait(surname, index), folder / f"{staff_id}.jpg")
    (folder / "000105.jpg").rename(folder / "000105.JPG")


def roster_rows() -> list[list[object]]:
    rng = random.Random(2024)
    rows = []
    for number, (staff_id, name, sex, title, branch, unit, photo, _kind) in enumerate(MEMBERS, 1):
        pledges = [rng.choice(DUTIES), rng.choice(GOALS), rng.choice(POSTS), rng.choice(CONDUCT), rng.choice(TASKS)]
        if staff_id == "000104":
            pledges[3] = pledges[4] = ""  # printed as ruled lines for handwriting
        if staff_id == "000108":
            pledges[2] = ("坚守化验岗位，严格按照国家标准开展入厂煤、入炉煤采样制样化验工作，确保数据真实准确；"
                          "认真做好仪器设备的维护保养和期间核查，按时参加能力验证；积极开展技术攻关，"
                          "优化化验流程，缩短出具报告时间；做好新员工的传帮带，毫无保留地传授操作技能，"
                          "带出一支作风过硬、技术精湛的化验队伍，为机组安全经济运行提供可靠的数据支撑。")
        joined = dt.datetime(1995 + rng.randrange(25), rng.randrange(1, 13), 1)
        self_score = rng.choice([95, 92, 90, 88, 85.5, None])
        branch_score = None if self_score is None else min(100, self_score + rng.choice([-3, -1, 0, 2]))
        rows.append([number, staff_id, name, sex, title, branch, unit, photo, joined, *pledges, "2024-10",
                     rng.choice(ACTIVITIES), rng.choice(PERFORMANCE), rng.choice(MANAGEMENT), self_score,
                     branch_score])
    return rows


def write_roster_xlsx(rows, path: Path) -> None:
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "formgen samples"
    sheet = workbook.active
    sheet.title = "党员名册"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        cells[1].number_format = "@"  # 工号 as text: leading zeros stay
        cells[8].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHIJKLMNOPQRST", (6, 9, 10, 6, 18, 16, 12, 12, 12, 30, 30, 30, 30, 30, 9,
                                                         30, 30, 30, 8, 8)):
        sheet.column_dimensions[column].width = width
    workbook.save(path)
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """openpyxl stamps the zip entries and the modified date with the current time; fix both."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [(info, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
                if info.filename == "docProps/core.xml" else data) for info, data in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            info.date_time = FIXED_TIME.timetuple()[:6]
            target.writestr(info, data)


def write_roster_csv(rows, path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(["" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else v)
                         for v in row])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))  # what Excel's "CSV UTF-8" writes


def write_seal(path: Path) -> None:
    """A plainly fake seal: red ring, star and the words 示例 / SAMPLE 样章, with transparency."""
    size = 600
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (210, 20, 20, 215)
    draw.ellipse((20, 20, size - 20, size - 20), outline=red, width=22)
    cx, cy, outer, inner = size / 2, size / 2 - 40, 95, 38
    import math
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    big = ImageFont.truetype(str(FONT), 120)
    small = ImageFont.truetype(str(FONT), 52)
    draw.text((cx, 400), "示例", font=big, fill=red, anchor="mm")
    draw.text((cx, 505), "SAMPLE 样章", font=small, fill=red, anchor="mm")
    image.save(path, format="PNG", optimize=True)


ORG = """\
# Organisation profile: every key is available to layouts as org.KEY.
# 组织信息：版式模板中以 org.键名 使用。
organisation: 鄂尔多斯市示例能源有限责任公司          # 单位全称 / full name of the organisation
committee: 中共鄂尔多斯市示例能源有限责任公司委员会    # 党委名称 / the Party committee (certificate issuer)
short_name: 示例能源                                 # 简称 / short name, used in document titles
campaign: 三亮三比三创                               # 活动名称 / the campaign
qr_url_template: "https://party.example.org/m/{{ 工号 }}"   # 名片二维码 / name-card QR content, a template
verify_url: "https://party.example.org/v"           # 证书验证地址 / certificate verification URL
serial_prefix: SLN                                   # 证书编号前缀 / certificate serial prefix
data_dir: formgen-data                               # 密钥和证书台账 / keys and ledger folder
letterhead: 中共鄂尔多斯市示例能源有限责任公司委员会   # 红头 / letterhead of letters
seal: seal-sample.png                                # 印章图片（示例）/ seal picture (a plainly fake sample)
"""


def main() -> None:
    rows = roster_rows()
    write_roster_xlsx(rows, HERE / "roster.xlsx")
    write_roster_csv(rows, HERE / "roster.csv")
    write_photos(HERE / "photos")
    write_seal(HERE / "seal-sample.png")
    (HERE / "org.yaml").write_text(ORG, encoding="utf-8")


if __name__ == "__main__":
    main()
