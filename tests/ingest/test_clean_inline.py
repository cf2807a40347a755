"""The in-line rules: spam tokens, pinyin glosses, doubled commas, garbled stretches.

These rules cut a piece out of a sentence and keep the rest, so every test checks
both the exact sentence that is left and the exact piece that was recorded.
"""

import pytest

from archive.ingest.clean import CleanResult, clean_text

TITLE = "深入实施人才优先发展战略 为兰州高质量发展提供更有B体育力人才支撑新闻发布会实录(文+图)"


def removed_by(result: CleanResult, rule: str) -> list[str]:
    return [removal.text for removal in result.removed if removal.rule == rule]


# --- gambling spam (000) -----------------------------------------------------------


def test_the_b_ti_yu_header_and_every_b_ti_yu_token_inside_sentences_go():
    text = (
        f"B体育·(中国)登录入口\n{TITLE}\n"
        "建立人才工作联络员、重大事项报告、责任清单、调研督查等制度,B体育常态化开展人才工作专项述职。\n"
        "孙裕:近年来,高新区坚持以引进、留住、B体育培育、使用人才为抓手。"
    )
    result = clean_text(text)
    assert result.text == (
        "深入实施人才优先发展战略 为兰州高质量发展提供更有力人才支撑新闻发布会实录(文+图)\n"
        "建立人才工作联络员、重大事项报告、责任清单、调研督查等制度,常态化开展人才工作专项述职。\n"
        "孙裕:近年来,高新区坚持以引进、留住、培育、使用人才为抓手。"
    )
    assert removed_by(result, "strip_gambling_spam") == ["B体育·(中国)登录入口"] + ["B体育"] * 3


def test_a_betting_token_repeated_inside_words_goes_even_without_a_spam_header():
    text = "我市大力引进培B体育养“高精尖缺”人才,为兰州高质量发展提供更有B体育力人才支撑。"
    assert (
        clean_text(text).text
        == "我市大力引进培养“高精尖缺”人才,为兰州高质量发展提供更有力人才支撑。"
    )


def test_a_gambling_brand_from_another_sites_header_goes_wherever_it_recurs():
    text = (
        "开云体育(中国)官方网站\n成都发布人才新政\n"
        "5月11日,成都市委人才办发布“蓉漂计划”升级版,开云体育对新引进的顶尖人才最高给予1亿元资助。"
    )
    assert clean_text(text).text == (
        "成都发布人才新政\n"
        "5月11日,成都市委人才办发布“蓉漂计划”升级版,对新引进的顶尖人才最高给予1亿元资助。"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "兰州市教育局、市体育局联合开展青少年体育人才选拔工作。",
        "在人才公寓打造集茶吧、娛樂室、休息室等功能于一体的“共享空间”。",  # 004
        "全市开展KTV娱乐场所安全检查,并引进VR娱乐体验项目3个。",
    ],
)
def test_real_sports_and_entertainment_words_are_not_spam(sentence):
    assert clean_text(sentence).text == sentence


def test_an_ordinary_site_name_in_the_header_is_not_cut_out_of_the_body():
    text = "新华网 - 登录入口\n新华网记者走访兰州人才公寓,了解高校毕业生安居情况。"
    assert clean_text(text).text == "新华网记者走访兰州人才公寓,了解高校毕业生安居情况。"


# --- pinyin glosses (004) ------------------------------------------------------------


def test_pinyin_glued_to_characters_in_the_004_headline_goes():
    text = "瀘州市人力資源和社會保障局關(guān)于對市九屆人大三次會議S09030288號建議答復(fù)的函"
    result = clean_text(text)
    assert (
        result.text == "瀘州市人力資源和社會保障局關于對市九屆人大三次會議S09030288號建議答復的函"
    )
    assert removed_by(result, "strip_pinyin_glosses") == ["(guān)", "(fù)"]


def test_long_syllables_and_numbered_tones_are_glosses_too():
    text = "加快建設高能級科技創(chuàng)新平臺,推進成果轉(zhuǎn)化和產(chan3)業應用。"
    assert clean_text(text).text == "加快建設高能級科技創新平臺,推進成果轉化和產業應用。"


@pytest.mark.parametrize(
    "sentence",
    [
        "(二)關于“引進四川大學相關專業建立瀘州研究院”方面。",
        "您提出的《關于強化瀘州人才支撐的建議》(S09030288號建議)收悉。",
        "深入实施人才优先发展战略新闻发布会实录(文+图)",
        "出臺《瀘州市創業孵化基地管理辦法(試行)》等措施。",
        "力爭達到本科院校辦學條件。(記者 王五)",
        "歡迎來到瀘州(Lúzhōu)工作生活。",
    ],
)
def test_real_parentheses_are_left_alone(sentence):
    assert clean_text(sentence).text == sentence


# --- doubled punctuation (004) -------------------------------------------------------


@pytest.mark.parametrize(
    ("noisy", "clean"),
    [
        ("一,、工作開展情況", "一、工作開展情況"),
        ("我局高度重視,,經研究,現答復如下:", "我局高度重視,經研究,現答復如下:"),
        (
            "(四)關于“建立人才關懷機制”方面,。一是實施高校畢業生回瀘就業創業支助,。",
            "(四)關于“建立人才關懷機制”方面。一是實施高校畢業生回瀘就業創業支助。",
        ),
        ("“十年樹木,百年樹人”,。強化瀘州現代化建設", "“十年樹木,百年樹人”。強化瀘州現代化建設"),
        ("正高級職稱人才5名,、副高級職稱人才19名", "正高級職稱人才5名、副高級職稱人才19名"),
        ("共引进人才,,,3565名，，其中博士12名", "共引进人才,3565名，其中博士12名"),
    ],
)
def test_a_comma_glued_before_another_mark_goes(noisy, clean):
    assert clean_text(noisy).text == clean


def test_commas_inside_numbers_and_between_clauses_stay():
    text = "2024年我市預計將引進急需緊缺人才12,535人,力爭再上新臺階。"
    assert clean_text(text).text == text


# --- the mis-decoded stretches of 004 -------------------------------------------------


def test_the_first_garbled_stretch_of_004_is_cut_and_recorded():
    text = "本地大專院校升格為本科院?!狈矫?。市領(lǐng)導(dǎo)帶隊向上匯報,,積極爭取省委支持"
    result = clean_text(text)
    assert result.text == "本地大專院校升格為本科院。市領導帶隊向上匯報,積極爭取省委支持"
    assert removed_by(result, "strip_garbled_spans") == ["?!狈矫?"]


def test_the_second_garbled_stretch_of_004_is_cut_and_recorded():
    text = "的現(xiàn)有條件,、發(fā)展?jié)摿σ约吧镜谋匾赃M行深入研究,,制定升本規(guī)劃方案"
    result = clean_text(text)
    assert result.text == "的現有條件、發展行深入研究,制定升本規劃方案"
    assert removed_by(result, "strip_garbled_spans") == ["?jié)摿σ约吧镜谋匾赃M"]


def test_replacement_characters_left_by_a_decoder_are_cut():
    result = clean_text("建成人才公寓\ufffd\ufffd6000余套,青年人才驛站300套。")
    assert result.text == "建成人才公寓6000余套,青年人才驛站300套。"
    assert removed_by(result, "strip_garbled_spans") == ["\ufffd\ufffd"]


@pytest.mark.parametrize(
    "sentence",
    [
        "记者:兰州市在技能人才培养上取得了哪些成效,还有哪些新的举措?",
        "真的吗?!这项补贴政策已经落地了。",
        "研究团队在α粒子探测领域取得突破。",
        "创梦空间、中关村e谷等国家级众创空间5家。",  # 003
        "支持企业在A股和B股市场融资。",
        "今年由陈润生院士牵头的“动物mRNA疫苗递送系统”正式启动。",  # 002
    ],
)
def test_question_marks_greek_letters_and_latin_words_in_real_text_survive(sentence):
    assert clean_text(sentence).text == sentence


def test_a_line_of_utf8_read_as_gbk_is_decoded_back_exactly():
    garbled = "人才安居新政发布".encode().decode("gbk")
    assert garbled == "浜烘墠瀹夊眳鏂版斂鍙戝竷"
    result = clean_text(garbled)
    assert result.text == "人才安居新政发布"
    assert removed_by(result, "repair_mojibake") == [garbled]


@pytest.mark.parametrize(("word", "codec"), [("人才", "latin-1"), ("中国", "cp1252")])
def test_a_run_of_utf8_read_as_latin1_or_cp1252_is_decoded_back_exactly(word, codec):
    garbled = word.encode().decode(codec)
    assert clean_text(f"兰州市{garbled}公寓交付使用。").text == f"兰州市{word}公寓交付使用。"


# --- repeated lines (002, 004) -------------------------------------------------------


def test_a_headline_printed_twice_is_kept_once_even_before_its_glosses_go():
    line = "瀘州市人力資源和社會保障局關(guān)于對市九屆人大三次會議S09030288號建議答復(fù)的函"
    result = clean_text(f"{line}\n{line}\n孫孝萍代表:")
    assert result.text == (
        "瀘州市人力資源和社會保障局關于對市九屆人大三次會議S09030288號建議答復的函\n孫孝萍代表:"
    )


# --- invisible characters ------------------------------------------------------------


def test_zero_width_spaces_and_byte_order_marks_inside_words_go():
    result = clean_text("\ufeff建成人才\u200b公寓6000余套。")
    assert result.text == "建成人才公寓6000余套。"
    assert removed_by(result, "strip_invisible_chars") == ["\ufeff", "\u200b"]
