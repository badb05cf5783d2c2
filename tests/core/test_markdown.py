import time

from forum.core.markdown import TABLE_CELLS_MAX, render_inline_markdown, render_markdown


def test_it_drops_relative_and_protocol_relative_links():
    for source in ("[x](//evil.example/login)", "[x](/accounts/login/)", "[x](evil.example)"):
        assert "href" not in render_markdown(source), source


def test_it_keeps_absolute_links_with_rel():
    html = render_markdown("[guide](https://example.org/guide) and [mail](mailto:help@example.org)")
    assert 'href="https://example.org/guide" rel="nofollow ugc noopener"' in html
    assert 'href="mailto:help@example.org"' in html


def test_it_demotes_headings_below_the_page_title():
    assert render_markdown("# Big\n\n## Less") == "<h3>Big</h3>\n<h3>Less</h3>"


def test_it_renders_nothing_for_empty_text():
    assert render_markdown("") == ""


def test_it_renders_the_features_posts_use():
    html = render_markdown(
        "Some *emphasis*, **strong** and ~~struck~~ words, `code` and a [link](https://example.org/).\n\n"
        "```python\nif a < b:\n    pass\n```\n\n"
        "| left | right |\n|:-----|------:|\n| 1 | 2 |\n\n"
        "3. third\n4. fourth\n\n"
        "Term\n: Its definition"
    )
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html and "<s>struck</s>" in html
    assert "<code>code</code>" in html
    assert '<a href="https://example.org/" rel="nofollow ugc noopener">link</a>' in html
    assert "<pre><code>if a &lt; b:\n    pass\n</code></pre>" in html
    assert '<th align="left">left</th>' in html and '<td align="right">2</td>' in html
    assert '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>' in html
    assert "<dl>\n<dt>Term</dt>\n<dd>Its definition</dd>\n</dl>" in html


def test_it_does_not_link_bare_urls():
    assert render_markdown("See https://example.org and www.example.org") == (
        "<p>See https://example.org and www.example.org</p>"
    )


def test_it_keeps_allowed_inline_html_and_drops_the_rest():
    html = render_markdown('Press <kbd>Ctrl</kbd>, H<sub>2</sub>O <img src=x onerror="alert(1)"> <span>x</span>')
    assert html == "<p>Press <kbd>Ctrl</kbd>, H<sub>2</sub>O  x</p>"


def test_it_shares_a_cell_budget_among_a_posts_tables():
    # A wide header over rows of "|" pads every row to the header's width; without a budget,
    # 20,000 characters of this made 7.7 MB of HTML.
    wide = "|a" * 100 + "|\n" + "|-" * 100 + "|\n" + "|\n" * 650 + "\n"
    html = render_markdown(wide * 12)
    assert html.count("<td>") + html.count("<th>") == TABLE_CELLS_MAX
    assert len(html) < 100_000


def test_it_renders_an_ordinary_long_table_whole():
    html = render_markdown("| day | mood | note |\n|---|---|---|\n" + "| mon | ok | slept well |\n" * 300)
    assert html.count("<tr>") == 301
    assert "|" not in html


def test_it_renders_a_clarifications_inline_markup():
    html = render_inline_markdown("*em* **strong** ~~gone~~ `code` [guide](https://example.org/g)")
    assert html == (
        "<em>em</em> <strong>strong</strong> <s>gone</s> <code>code</code> "
        '<a href="https://example.org/g" rel="nofollow ugc noopener">guide</a>'
    )


def test_it_keeps_block_markup_of_a_clarification_as_text():
    for source in ("# Heading", "- one\n- two", "> quoted", "| a | b |\n|---|---|\n| 1 | 2 |", "```\ncode\n```"):
        html = render_inline_markdown(source)
        for tag in ("<h", "<ul", "<li", "<blockquote", "<table", "<pre", "<p>"):
            assert tag not in html, (source, html)


def test_it_shows_no_image_or_raw_html_in_a_clarification():
    html = render_inline_markdown('![pixel](https://t.example/p.gif) <img src=x onerror="alert(1)"> <b>x</b>')
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img" in html and "&lt;b&gt;" in html  # shown as the text typed


def test_it_applies_the_post_link_rules_to_clarifications():
    for source in (
        "[x](javascript:alert(1))",
        "[x](//evil.example/)",
        "[x](/accounts/login/)",
        "[x](data:text/html,1)",
    ):
        assert "href" not in render_inline_markdown(source), source
    assert 'href="mailto:help@example.org" rel="nofollow ugc noopener"' in render_inline_markdown(
        "[mail](mailto:help@example.org)"
    )


def test_it_renders_any_clarification_cheaply():
    worst = ["[" * 600, "*a" * 300, "`" * 600, "<" * 600, "[a](" * 150, "**_" * 200, "~~" * 300]
    started = time.perf_counter()
    for text in worst * 5:
        render_inline_markdown(text)
    assert time.perf_counter() - started < 1.0
