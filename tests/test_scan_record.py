"""What the OCR engine read becomes a record: sure facts marked for checking, unsure ones blank,
an unreadable page filed by its name. Pure steps, on pages of words made here."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import InputError
from pipeline.scan.record import CHECK_NOTE, scan_text, scanned_meeting
from pipeline.scan.words import UNSURE, Page, Word, line_text, page_text

SURE, SHAKY = 95, 30


def line(y: int, *runs: tuple[str, int], x: int = 100, gap: int = 0) -> list[Word]:
    """Words of one line, one character each, 40 px apart (``gap`` px more between runs)."""
    words = []
    for text, conf in runs:
        for ch in text:
            words.append(Word(ch, conf, (x, y, x + 36, y + 40)))
            x += 40
        x += gap
    return words


def record_page(place_conf: int = SURE, date_conf: int = SURE) -> Page:
    return Page(
        [
            line(100, ("机电系党支部支委会会议记录", SURE), x=300),
            line(200, ("会议名称：研究党员发展工作", SURE)),
            line(260, ("时间：", SURE), ("2024年10月15日", date_conf)),
            line(320, ("地点：", SURE), ("实训楼", place_conf), ("四楼", SURE)),
            line(380, ("主持人：柯景行", SURE), ("记录人：严素秋", SURE), gap=200),
            line(440, ("出席人员：柯景行、严素秋、祁望舒", SURE)),
            line(500, ("会议内容：", SURE)),
            line(560, ("组织委员汇报了入党积极分子的培养情况。", SURE)),
        ]
    )


def test_a_wide_gap_separates_two_fields_and_unsure_characters_are_marked():
    chair = line(0, ("主持人：柯景行", SURE))
    words = chair + line(0, ("记录人：严", SURE), ("素", SHAKY), ("秋", SURE), x=chair[-1].box[2] + 200)
    assert line_text(words, 60) == f"主持人：柯景行\u3000\u3000记录人：严{UNSURE}秋"


def test_sure_facts_are_read_and_listed_for_checking():
    meeting = scanned_meeting(scan_text([record_page()], 60), "扫描/记录.jpg")
    assert (meeting.type.name, meeting.date) == ("支委会", dt.date(2024, 10, 15))
    assert (meeting.topic, meeting.place, meeting.chair, meeting.recorder) == (
        "研究党员发展工作",
        "实训楼四楼",
        "柯景行",
        "严素秋",
    )
    assert meeting.attendees == ["柯景行", "严素秋", "祁望舒"]
    note = meeting.warnings[0]
    assert note.startswith(CHECK_NOTE) and "地点（实训楼四楼）" in note and "日期（2024-10-15）" in note


def test_a_field_with_unsure_characters_stays_blank_and_is_named():
    meeting = scanned_meeting(scan_text([record_page(place_conf=SHAKY)], 60), "记录.jpg")
    assert meeting.place == ""
    assert meeting.chair == "柯景行"  # the other fields are kept
    assert any("「地点」有识别不清的字，已留空" in w for w in meeting.warnings)
    assert not any(UNSURE in w for w in meeting.warnings[:1])  # nothing unsure listed as read


def test_an_unsure_date_is_never_guessed_the_name_gives_it_or_nothing():
    reading = scan_text([record_page(date_conf=SHAKY)], 60)
    named = scanned_meeting(reading, "2024-10-16 支委会.jpg")  # the parser's rule: a dated file name
    assert named.date == dt.date(2024, 10, 16) and named.place == "实训楼四楼"
    assert any("「时间」有识别不清的字" in w for w in named.warnings)
    with pytest.raises(InputError) as err:
        scanned_meeting(reading, "扫描0001.jpg")
    assert "2019-10-08 支委会" in err.value.render()


def test_an_unreadable_page_is_filed_by_its_folder_name_with_no_text():
    scrawl = Page([line(100, ("尸丁彐冂", 20), ("乚丶", 45)), line(200, ("BEFYXZ", 10))])
    reading = scan_text([scrawl], 60)
    assert reading.recognised_pages == 0 and reading.text == ""
    meeting = scanned_meeting(reading, "2019-10-08 支委会/01.jpg")
    assert (meeting.type.name, meeting.date) == ("支委会", dt.date(2019, 10, 8))
    assert meeting.sections == [] and meeting.topic == "" and meeting.place == ""
    assert any("没有识别出来" in w for w in meeting.warnings)


def test_a_page_mostly_unsure_is_not_recognised_even_with_some_sure_characters():
    mixed = Page(
        [line(100 + 60 * i, ("会议记录", SURE), ("乱七八糟的字迹写得很潦草", SHAKY)) for i in range(6)]
    )
    sure, total = mixed.counts(60)
    assert (sure, total) == (24, 96)
    assert not mixed.recognised(60)


def test_page_text_keeps_line_order():
    text = page_text(record_page(), 60)
    assert text.splitlines()[1] == "会议名称：研究党员发展工作"


def test_which_images_are_the_pages_of_one_record(tmp_path):
    from pipeline.ingest.images import lead_page, scan_pages

    inbox = tmp_path / "inbox"
    for name in (
        "2019-10-08 支委会/02.jpg",
        "2019-10-08 支委会/10.jpg",
        "2019-10-08 支委会/01.jpg",
        "2020-03-05 党课-2.png",
        "2020-03-05 党课-1.png",
        "2020-04-01 支委会.jpg",
        "原样归档/扫描1.jpg",
        "原样归档/扫描2.jpg",
        "原样归档/2021-06-01 党员大会 (1).jpg",
        "原样归档/2021-06-01 党员大会 (2).jpg",
        "IMG_2034.jpg",
        "IMG_2035.jpg",
        "Scan_001.png",
        "Scan_002.png",
        "主题党日/笔记.txt",
        "主题党日/合影.jpg",
    ):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(b"")
    folder = [inbox / "2019-10-08 支委会" / n for n in ("01.jpg", "02.jpg", "10.jpg")]
    assert scan_pages(folder[1], inbox) == folder  # a folder of images, in number order
    assert lead_page(folder[2], inbox) == folder[0] and lead_page(folder[0], inbox) is None
    numbered = [inbox / "2020-03-05 党课-1.png", inbox / "2020-03-05 党课-2.png"]
    assert scan_pages(numbered[1], inbox) == numbered  # a numbered set
    assert scan_pages(inbox / "2020-04-01 支委会.jpg", inbox) == [inbox / "2020-04-01 支委会.jpg"]
    # 原样归档/ holds separate records; a numbered set naming its meeting still goes together.
    assert scan_pages(inbox / "原样归档" / "扫描2.jpg", inbox) == [inbox / "原样归档" / "扫描2.jpg"]
    assert scan_pages(inbox / "原样归档" / "2021-06-01 党员大会 (2).jpg", inbox) == [
        inbox / "原样归档" / "2021-06-01 党员大会 (1).jpg",
        inbox / "原样归档" / "2021-06-01 党员大会 (2).jpg",
    ]
    # Camera counters and a scanner's numbering are separate records.
    for name in ("IMG_2035.jpg", "Scan_002.png"):
        assert scan_pages(inbox / name, inbox) == [inbox / name]
    # A file checked outside the inbox is read alone.
    assert scan_pages(tmp_path / "其他.jpg", inbox) == [tmp_path / "其他.jpg"]
