import codecs

import pytest

from reports.ingest.decode import decode
from reports.ingest.errors import IngestError
from reports.ingest.clean import remove_glued_pinyin

SIMPLIFIED = "河北省医学会成立于1962年，业务主管单位为河北省科学技术协会。学会成立至今，历经八届理事会。"
TRADITIONAL = "海淀區委堅持黨組織牽頭抓總，統籌區級部門力量和各類醫療機構資源，強化政策支持和需求供給。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (("Report 2021\n" + SIMPLIFIED).encode("utf-16-le"), "utf-16-le"),
        (("Report 2021\n" + SIMPLIFIED).encode("utf-16-be"), "utf-16-be"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL.encode("gb18030"), "gb18030"),
    ],
)
def test_each_supported_encoding_decodes_to_the_same_text(data, encoding):
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff") in (SIMPLIFIED, TRADITIONAL, "Report 2021\n" + SIMPLIFIED)
    assert decoded.undecodable == 0


def test_big5_bytes_that_also_decode_as_gb18030_are_read_as_big5(seed_bytes):
    # Big5 bytes nearly always decode as GB18030 without an error, into rare characters.
    text = remove_glued_pinyin(seed_bytes("004").decode("utf-8"))
    data = text.encode("big5", errors="ignore")
    data.decode("gb18030")  # the trap: this succeeds
    assert decode(data).encoding == "big5"


def test_simplified_seed_in_gb18030_is_not_mistaken_for_big5(seed_bytes):
    data = seed_bytes("000").decode("utf-8").encode("gb18030")
    decoded = decode(data)
    assert decoded.encoding == "gb18030"
    assert decoded.text == seed_bytes("000").decode("utf-8")


def test_undecodable_bytes_are_counted_not_hidden():
    data = SIMPLIFIED.encode("utf-8") * 20 + b"\xff\xfe\xfa" + SIMPLIFIED.encode("utf-8") * 20
    decoded = decode(data)
    assert decoded.undecodable > 0
    assert "\ufffd" in decoded.text


def test_empty_file_is_refused():
    with pytest.raises(IngestError) as refused:
        decode(b"  \n\n ", filename="blank.txt")
    assert (refused.value.code, refused.value.params) == ("empty", {"name": "blank.txt"})


def test_binary_file_is_refused_with_a_clear_message():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    with pytest.raises(IngestError) as refused:
        decode(png, filename="scan.txt")
    assert (refused.value.code, refused.value.params) == ("not_text", {"name": "scan.txt"})
