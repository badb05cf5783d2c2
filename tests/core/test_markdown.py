from forum.core.markdown import render_markdown


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
