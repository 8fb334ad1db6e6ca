from intents.rules.text import MAX_CHARS, prepare


def test_full_width_forms_become_ascii_and_offsets_stay_aligned():
    msg = prepare("云帆报价：¥２８０,０００，88折！ＯＫ")
    assert msg.text == "云帆报价:¥280,000, 88折!OK"
    assert len(msg.text) == len(msg.low) and msg.low.endswith("!ok")
    start = msg.text.index("280,000")
    assert msg.original(start, start + 7) == "２８０,０００"


def test_a_chinese_comma_is_never_a_thousands_separator():
    msg = prepare("102，104两个报价都批了")
    assert "102, 104" in msg.text


def test_sentences_and_clauses():
    msg = prepare("今天拜访了蓝鲸，聊了扩容。提醒我明天跟进! Met Dr. Marcus at 9:30, then a call. Done")
    sentences = [msg.text[s.start:s.end] for s in msg.sentences]
    assert sentences == ["今天拜访了蓝鲸, 聊了扩容", "提醒我明天跟进", "Met Dr. Marcus at 9:30, then a call", "Done"]
    clauses = [msg.text[c.start:c.end] for c in msg.clauses]
    assert "Met Dr. Marcus at 9:30" in clauses and "then a call" in clauses


def test_semicolons_and_dashes_split_clauses_not_sentences():
    msg = prepare("昨天拜访了两家：海纳何总；云帆林总 - quote 103 - too deep")
    assert len(msg.sentences) == 1
    assert [msg.text[c.start:c.end] for c in msg.clauses] == ["昨天拜访了两家", "海纳何总", "云帆林总", "quote 103", "too deep"]


def test_free_text_keeps_the_users_punctuation():
    msg = prepare("华康医疗这单卡住了，一直没有回音")
    assert msg.original(0, len(msg.text)) == "华康医疗这单卡住了，一直没有回音"


def test_control_characters_and_overlong_input():
    msg = prepare("蓝鲸\x00\x07数据\u200b\ufeff拜访\ud800")
    assert "\x00" not in msg.text and "\ud800" not in msg.text
    long = prepare("拜访" * 100_000)
    assert len(long.text) == MAX_CHARS
    assert prepare("").sentences and prepare("   ").text == " "
