"""Slack mrkdwn as the prospect reads it: plain text plus http(s) link spans."""

from __future__ import annotations

import pytest

from channels.slack.mrkdwn import Link, Plain, named_mentions, safe_href, to_plain, user_ids

NAMES = {"U0SAM0002": "Sam", "W0ENT0001": "Pat"}


def spans(plain: Plain) -> list[tuple[str, str]]:
    """Each link as (the text it covers, its target)."""
    return [(plain.text[link.start : link.end], link.href) for link in plain.links]


def test_the_issue_example_reads_well_and_keeps_its_link() -> None:
    plain = to_plain(
        "Here's my calendar: <https://cal.com/alex|book a slot> &amp; pricing ping <@U0SAM0002>",
        NAMES,
    )
    assert plain.text == "Here's my calendar: book a slot & pricing ping @Sam"
    assert spans(plain) == [("book a slot", "https://cal.com/alex")]
    assert plain.meta() == {"links": [{"start": 20, "end": 31, "href": "https://cal.com/alex"}]}


def test_a_bare_link_shows_its_url_unescaped() -> None:
    plain = to_plain("see <https://x.io/a?b=1&amp;c=2> and <http://y.io|y>")
    assert plain.text == "see https://x.io/a?b=1&c=2 and y"
    assert spans(plain) == [
        ("https://x.io/a?b=1&c=2", "https://x.io/a?b=1&c=2"),
        ("y", "http://y.io"),
    ]


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,&lt;b&gt;x&lt;/b&gt;",
        "vbscript:msgbox",
        "mailto:alex@example.com",
        "ftp://files.example.com",
        "https://",
        "//evil.example.com",
        "https://exa mple.com",
        "https://example.com/\tx",
        "/relative/path",
        "https://" + "a" * 2100 + ".com",
    ],
)
def test_other_schemes_and_unsound_urls_are_plain_text(target: str) -> None:
    plain = to_plain(f"<{target}|click me> now")
    assert plain.text == "click me now"
    assert plain.links == ()
    assert plain.meta() == {}


def test_a_hostile_label_is_only_text() -> None:
    plain = to_plain("<https://ok.example|&lt;img src=x onerror=alert(1)&gt;>")
    assert plain.text == "<img src=x onerror=alert(1)>"
    assert spans(plain) == [("<img src=x onerror=alert(1)>", "https://ok.example")]


def test_entities_are_unescaped_once() -> None:
    assert to_plain("a &amp; b &lt;c&gt; &amp;lt; &quot;").text == "a & b <c> &lt; &quot;"
    # An escaped bracket never becomes a link.
    plain = to_plain("&lt;https://x.io|y&gt;")
    assert plain.text == "<https://x.io|y>" and plain.links == ()


def test_mentions_become_names() -> None:
    text = "<@U0SAM0002> and <@W0ENT0001>, cc <@U0NOBODY1|nobody> and <@U0UNKNOWN>"
    assert to_plain(text, NAMES).text == "@Sam and @Pat, cc @nobody and @U0UNKNOWN"
    assert user_ids(text + " <@U0SAM0002>") == ["U0SAM0002", "W0ENT0001", "U0NOBODY1", "U0UNKNOWN"]


def test_channels_and_specials_are_readable() -> None:
    text = (
        "<#C0SALES01|sales> <#C0OTHER01> <!here> <!channel> <!everyone> <!here|here> "
        "<!subteam^S0TEAM001|@sales-team> <!date^1764000000^{date}|Nov 24, 2025>"
    )
    assert to_plain(text).text == (
        "#sales #channel @here @channel @everyone @here @sales-team Nov 24, 2025"
    )


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("*bold* _italic_ ~struck~", "bold italic struck"),
        ("a *bold phrase* here", "a bold phrase here"),
        ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),
        ("* not bold *", "* not bold *"),
        ("*unclosed", "*unclosed"),
        ("*two\nlines*", "*two\nlines*"),
        ("`code` and ```block```", "`code` and ```block```"),
    ],
)
def test_emphasis_markers_become_plain_text(source: str, shown: str) -> None:
    assert to_plain(source).text == shown


def test_emphasis_around_a_link_keeps_the_link_span_right() -> None:
    plain = to_plain("*see <https://x.io/a_b_c|the _docs_>* ~today~")
    assert plain.text == "see the docs today"
    assert spans(plain) == [("the docs", "https://x.io/a_b_c")]


def test_nested_and_unterminated_brackets_stay_text() -> None:
    plain = to_plain("<<https://x.io>> then <unterminated and <https://y.io|a <b> c")
    assert plain.text == "<https://x.io> then <unterminated and <https://y.io|a b c"
    assert spans(plain) == [("https://x.io", "https://x.io")]
    assert to_plain("<").text == "<" and to_plain(">").text == ">"
    assert to_plain("<>").text == ""


def test_offsets_count_code_points() -> None:
    plain = to_plain("\U0001f600 caf\u00e9 <https://x.io|l\u00e9o>")
    assert plain.links == (Link(7, 10, "https://x.io"),)
    assert spans(plain) == [("l\u00e9o", "https://x.io")]


def test_a_nul_in_the_source_cannot_forge_a_token() -> None:
    plain = to_plain("\x000\x00 <https://x.io|x>")
    assert plain.text == "0 x"
    assert spans(plain) == [("x", "https://x.io")]


def test_very_long_text_with_many_links_and_markers() -> None:
    chunk = "*a <https://x.io/p|link> &amp; _b <javascript:void(0)|no> <@U0SAM0002> ~c "
    plain = to_plain(chunk * 5000 + "<unterminated " * 2000, NAMES)
    assert len(plain.links) == 5000
    assert all(link.href == "https://x.io/p" for link in plain.links)
    assert {plain.text[link.start : link.end] for link in plain.links} == {"link"}
    assert plain.text.startswith("*a link & _b no @Sam ~c *a link")
    assert plain.text.endswith("<unterminated ")


def test_plain_text_is_unchanged() -> None:
    text = "Hi, I'm Alex. Free on Tuesday? 50% off (today)!"
    assert to_plain(text) == Plain(text)


def test_named_mentions_keep_slack_markup_but_ping_nobody() -> None:
    text = "ask <@U0SAM0002> or <@U0UNKNOWN>: <https://x.io|docs> &amp; *more*"
    names = {"U0SAM0002": "Sam <SE> & co"}
    assert named_mentions(text, names) == (
        "ask @Sam &lt;SE&gt; &amp; co or @U0UNKNOWN: <https://x.io|docs> &amp; *more*"
    )


def test_safe_href() -> None:
    assert safe_href("https://example.com/a?b=c#d") == "https://example.com/a?b=c#d"
    assert safe_href("HTTP://EXAMPLE.COM") == "HTTP://EXAMPLE.COM"
    assert safe_href("https://[::1") is None
    assert safe_href("javascript://example.com/%0aalert(1)") is None
    assert safe_href("") is None
