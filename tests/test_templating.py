"""Templates and the Chinese helpers they use: dates in numerals, quarters, stars, sandboxing."""
from __future__ import annotations

import datetime as dt

import pytest

from formgen import chinese, templating


@pytest.mark.parametrize("day, text", [
    (dt.date(2024, 9, 30), "二〇二四年九月三十日"),
    (dt.date(2020, 1, 10), "二〇二〇年一月十日"),
    (dt.date(2008, 12, 20), "二〇〇八年十二月二十日"),
    (dt.date(2024, 10, 21), "二〇二四年十月二十一日"),
    (dt.date(2031, 11, 31 - 1), "二〇三一年十一月三十日"),
    (dt.date(2024, 3, 31), "二〇二四年三月三十一日"),
])
def test_dates_in_chinese_numerals(day, text):
    assert chinese.cn_date(day) == text
    assert templating.render("{{ d | cn_date }}", {"d": day}) == text
    assert templating.render("{{ d | cn_date }}", {"d": day.isoformat()}) == text


@pytest.mark.parametrize("text", ["2024Q3", "2024-Q3", "2024 q3", "2024年第三季度", "2024年第3季度", "2024年三季度",
                                  "２０２４Ｑ３"])
def test_quarters_in_every_spelling(text):
    quarter = chinese.parse_quarter(text)
    assert (quarter.year, quarter.q) == (2024, 3)
    assert quarter.label == "2024年第三季度" and quarter.code == "2024Q3"
    assert quarter.last_day == dt.date(2024, 9, 30)


def test_quarter_arithmetic_and_errors():
    assert chinese.parse_quarter("2024Q1").previous().code == "2023Q4"
    assert chinese.parse_quarter("2024Q4").last_day == dt.date(2024, 12, 31)
    assert chinese.parse_quarter("三季度", default_year=2025).code == "2025Q3"
    with pytest.raises(ValueError, match="没有写年份"):
        chinese.parse_quarter("三季度")
    with pytest.raises(ValueError):
        chinese.parse_quarter("2024Q5")
    assert templating.render("{{ d | quarter_name }}", {"d": dt.date(2024, 11, 2)}) == "第四季度"


@pytest.mark.parametrize("value, stars", [(5, 5), ("5", 5), (5.0, 5), ("5星", 5), ("五星", 5), ("★★★★★", 5),
                                          ("★★★☆☆", 3), ("５", 5), ("两星", 2), (0, None), (6, None), ("", None),
                                          (None, None), ("很好", None), (4.5, None), ("☆☆☆☆☆", None)])
def test_star_ratings(value, stars):
    assert chinese.parse_stars(value) == stars


def test_numbers_as_offices_type_them():
    assert chinese.to_number(" 85 ") == 85 and chinese.to_number("８５") == 85
    assert chinese.to_number("85.5分") == 85.5 and chinese.to_number("") is None
    with pytest.raises(ValueError, match="not a number"):
        chinese.to_number("八十五")


def test_filters():
    render = templating.render
    assert render("{{ 3 | stars }}", {}) == "★★★☆☆"
    assert render("{{ v | score }}", {"v": 95.0}) == "95" and render("{{ v | score }}", {"v": 87.5}) == "87.5"
    assert render("{{ m | month }}", {"m": "2024-10"}) == "10" and render("{{ m | month }}", {"m": "十月"}) == "10"
    assert render("{{ org.url | fill }}", {"org": {"url": "u/{{ 工号 }}"}, "工号": "007"}) == "u/007"


@pytest.mark.parametrize("typed", ["u/{工号}", "u/{ 工号 }", "u/{{ 工号 }}", "u/{{工号}}"])
def test_a_template_in_data_takes_a_field_in_single_or_double_braces(typed):
    assert templating.render("{{ org.url | fill }}", {"org": {"url": typed}, "工号": "007"}) == "u/007"


def test_single_braces_leave_jinja_and_numbers_alone():
    assert templating.data_template("{% if a %}{{ a }}{% endif %}{1}") == "{% if a %}{{ a }}{% endif %}{1}"
    with pytest.raises(templating.TemplateProblem):  # a field typed wrong is still named, not printed
        templating.render("{{ org.url | fill }}", {"org": {"url": "u/{工好}"}, "工号": "007"})


def test_a_name_card_qr_address_with_single_braces_prints_each_members_code(tmp_path):
    from formgen.api import Job, compose
    from formgen.document import Matrix

    org = {"organisation": "示例公司", "qr_url_template": "https://party.example.org/m/{工号}"}
    composition = compose(Job("name-card-badge", org=org), [{"工号": "000101", "姓名": "王喆"},
                                                            {"工号": "000102", "姓名": "李堃"}])
    codes = [item.content for page in composition.document.pages for item in page.items if isinstance(item, Matrix)]
    assert not composition.report.failed and sorted(codes) == ["https://party.example.org/m/000101",
                                                              "https://party.example.org/m/000102"]


def test_a_broken_template_in_the_profile_is_said_in_chinese_naming_the_entry():
    """A clerk's QR address with a brace missing: the record fails naming the profile entry as typed, in
    Chinese — not Jinja's "template '…': unexpected '}'"; the layout's other records are not printed wrong."""
    from formgen.api import Job, compose

    org = {"organisation": "示例公司", "qr_url_template": "https://party.example.org/m/{{ 工号 }"}
    composition = compose(Job("name-card-badge", org=org), [{"工号": "000101", "姓名": "王喆"}])
    [failed] = composition.report.failed
    assert failed.message.startswith("单位信息中 qr_url_template 的模板“https://party.example.org/m/{{ 工号 }”：写法有误")
    assert "unexpected" not in failed.message and "template '" not in failed.message
    with pytest.raises(templating.TemplateProblem, match=r"^表达式 '姓名 =='：写法有误：应是字段名"):
        templating.compile_expression("姓名 ==")


@pytest.mark.parametrize("typed, shown", [(95, "95"), ("95分", "95"), ("９５.５", "95.5"), ("九十五", "95"),
                                           ("一百", "100"), (0, "0")])
def test_scores_as_clerks_type_them(typed, shown):
    assert templating.render("{{ 自评分 | score }}", {"自评分": typed}) == shown


@pytest.mark.parametrize("template, values, column, message", [
    ("{{ 自评分 | score }}", {"自评分": "优秀"}, "自评分", "“优秀”不是分数"),
    ("{{ 支部评分 | score }}分", {"支部评分": 120}, "支部评分", "120 超出百分制"),
    ("（{{ 月份 | month }}）", {"月份": 13}, "月份", "“13”不是月份"),
    ("{{ 颁发日期 | cn_date }}", {"颁发日期": "九月底"}, "颁发日期", "“九月底”不是日期"),
    ("{{ 季度 | quarter_label }}", {"季度": "2024Q5"}, "季度", "不是季度"),
])
def test_a_wrong_value_is_blamed_on_its_column_in_chinese(template, values, column, message):
    with pytest.raises(templating.TemplateProblem, match=message) as raised:
        templating.render(template, values)
    assert raised.value.column == column and "模板" not in str(raised.value)


@pytest.mark.parametrize("typed", ["2024-09-30", "2024/9/30", "2024.9.30", "2024年9月30日", "20240930",
                                   "２０２４年９月３０日", dt.datetime(2024, 9, 30, 0, 0)])
def test_dates_typed_into_text_cells(typed):
    assert templating.render("{{ d | cn_date }}", {"d": typed}) == "二〇二四年九月三十日"
    assert templating.render("{{ d | date }}", {"d": typed}) == "2024年09月30日"


def test_undefined_names_are_errors():
    with pytest.raises(templating.TemplateProblem, match="姓明"):
        templating.render("{{ 姓明 }}", {"姓名": "王喆"})


def test_user_text_is_never_evaluated():
    value = "{{ 7 * 7 }} <b>&"
    assert templating.render("{{ 姓名 }}", {"姓名": value}) == value


def test_an_expression_naming_no_field_is_a_problem_naming_it_not_a_value_that_fails_later():
    """A layout's when: 逢十 on a record without that column: the caller's truth test must not raise."""
    with pytest.raises(templating.TemplateProblem, match="没有字段“逢十”"):
        templating.evaluate("逢十", {"姓名": "王喆"})
    assert templating.evaluate("逢十 is defined", {"姓名": "王喆"}) is False
