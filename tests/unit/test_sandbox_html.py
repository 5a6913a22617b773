"""The sandbox's Telegram HTML parser and text rules, without a server."""

from __future__ import annotations

import pytest

from sandbox.errors import ApiError
from sandbox.html_check import HtmlError, parse_html, utf16_len
from sandbox.markup import check_reply_markup
from sandbox.text import command_entities, format_text


def test_allowed_tags_become_entities() -> None:
    parsed = parse_html('<b>Bold</b> <i>it</i> <a href="https://example.org/?a=1&amp;b=2">link</a> &lt;x&gt;')
    assert parsed.text == "Bold it link <x>"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 5, "length": 2},
        {"type": "text_link", "offset": 8, "length": 4, "url": "https://example.org/?a=1&b=2"},
    ]


def test_every_allowed_tag_is_accepted() -> None:
    source = (
        "<b>a</b><strong>a</strong><i>a</i><em>a</em><u>a</u><ins>a</ins><s>a</s><strike>a</strike>"
        "<del>a</del><code>a</code><pre>a</pre><blockquote>a</blockquote><blockquote expandable>a</blockquote>"
        '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">a</span><tg-emoji emoji-id="5368324170671202286">'
        "a</tg-emoji>"
    )
    kinds = [entity["type"] for entity in parse_html(source).entities]
    assert kinds == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "spoiler",
        "spoiler",
        "custom_emoji",
    ]


def test_pre_takes_the_language_of_its_code() -> None:
    parsed = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert parsed.entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Line<br>next", 'Unsupported start tag "br" at byte offset 4'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("é <b", "Unclosed start tag at byte offset 3"),
        ("Tom & Jerry", "Unescaped '&' at byte offset 4"),
        ("&nbsp;", "Unescaped '&' at byte offset 0"),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_refusals_are_worded_like_telegram(source: str, message: str) -> None:
    with pytest.raises(HtmlError) as refused:
        parse_html(source)
    assert str(refused.value).startswith(message)


def test_numeric_entities_and_quotes_decode() -> None:
    assert parse_html("&#65;&#x42;&quot;&amp;>").text == 'AB"&>'


def test_offsets_count_utf16_units() -> None:
    parsed = parse_html("😀 <b>x</b>")
    assert utf16_len("😀") == 2
    assert parsed.entities == [{"type": "bold", "offset": 3, "length": 1}]


def test_text_rules() -> None:
    assert format_text("  <b>hi</b>  ", "HTML", None).entities == [{"type": "bold", "offset": 0, "length": 2}]
    with pytest.raises(ApiError, match="message text is empty"):
        format_text("<b> </b>", "HTML", None)
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("*x*", "MarkdownV2", None)
    long_html = "<b>" + "x" * 4096 + "</b>"
    assert len(format_text(long_html, "HTML", None).text) == 4096
    with pytest.raises(ApiError, match=r"^Bad Request: message is too long$"):
        format_text("&amp;" * 4097, "HTML", None)
    with pytest.raises(ApiError, match="message caption is too long"):
        format_text("x" * 1025, None, None, caption=True)


def test_command_entities() -> None:
    assert command_entities("/start abc") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("/start@SecondOpinionSandboxBot") == [
        {"type": "bot_command", "offset": 0, "length": 30}
    ]
    assert command_entities("see a/b") == []


def test_callback_data_limits_are_bytes() -> None:
    def keyboard(data: str) -> dict[str, object]:
        return {"inline_keyboard": [[{"text": "Go", "callback_data": data}]]}

    assert check_reply_markup(keyboard("é" * 32)).inline is not None  # 64 bytes
    for data in ("é" * 33, "", "x" * 65):
        with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
            check_reply_markup(keyboard(data))
    with pytest.raises(ApiError, match="text buttons are unallowed"):
        check_reply_markup({"inline_keyboard": [[{"text": "Go"}]]})
    assert check_reply_markup({"force_reply": True}).keyboard == {"force_reply": True}
