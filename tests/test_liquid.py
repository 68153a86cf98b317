"""Jekyll's Liquid tags as authors moving from Jekyll leave them: a comment is left out (never
published), raw tags go, a highlight block is code, site.baseurl is the site's root, and any
other tag is a warning at its line; code keeps them as written."""

from __future__ import annotations

from lineartime import assert_linear

from generator.markup.liquid import liquid_read
from generator.markup.markdown import render_body

BODY = """{% highlight python %}
def f():
    return 1
{% endhighlight %}

{% raw %}{{ x }}{% endraw %}

{% comment %}
secret draft text
{% endcomment %}

[home]({{ site.baseurl }}/) {% include figure.html %} and {{ page.title }}

Inline {% comment %}hidden{% endcomment %} shown.

```liquid
{% include kept.html %}
```
"""


def test_liquid_tags_are_read_as_jekyll_means_them_and_the_rest_is_a_warning_at_its_line() -> None:
    rendered, notes = render_body(BODY, 5)
    html = rendered.html
    assert html.startswith('<div class="highlight"><pre><span></span><code><span class="k">def</span>')
    assert "secret" not in html and "hidden" not in html and "endhighlight" not in html
    assert "<p>{{ x }}</p>" in html and '<a href="/">home</a>' in html and "Inline  shown." in html
    assert "kept.html" in html  # in code: as written
    assert notes == [(16, "Jekyll's Liquid tag {% include figure.html %} is not read here; it is shown as written"),
                     (16, "Liquid output {{ page.title }} is not read here; it is shown as written")]


def test_text_without_liquid_is_left_as_it_is() -> None:
    text = "Hugo's {{< figure >}} and {{% note %}} are shortcodes, {x} is text.\n"
    assert liquid_read(text, 1) == (text, [])


def test_many_tags_take_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "{% highlight x %}\n{% comment %}a\n" * n, lambda text: liquid_read(text, 1), 3_000)
