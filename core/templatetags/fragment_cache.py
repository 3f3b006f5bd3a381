"""{% cached_fragment "name" version flag1 flag2 … %}…{% endcached_fragment %}: a block rendered once per key.

The key is the name, the release (core.http_cache.release) and every value after it: the object's version (see
meetings.version_selectors) and everything that changes what this viewer may see or do there — the view's
booleans such as can_view_confidential and can_edit, never the user. A {% csrf_token %} inside the block is
rendered as a placeholder and the viewer's own token is put in on the way out, so no token is ever shared.
Values the block reads should be lazy (SimpleLazyObject): on a hit they are never evaluated.

A hit is looked up in this process's memory before the shared cache (core.http_cache.fragment_memory): the key
names the content, so the copy in memory is the same as the one in Redis, without the round trip.
"""

from __future__ import annotations

import hashlib

from django import template
from django.utils.safestring import mark_safe

from core.http_cache import cache_get, cache_set, fragment_memory, release

register = template.Library()

TIMEOUT = 60 * 60  # a version nobody asks for leaves the cache; a live one is rendered again at most hourly
PLACEHOLDER = "csrf-token-placeholder-0f6e7c1b"


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context) -> str:
        name = self.name.resolve(context)
        vary = tuple(value.resolve(context) for value in self.vary_on)
        digest = hashlib.sha256(repr((release(), vary)).encode()).hexdigest()[:32]
        key = f"fragment:{name}:{digest}"
        # This process's memory first (no round trip to Redis), then the shared cache, then rendering.
        html = fragment_memory.get(key)
        if html is None:
            html = cache_get(key)
            if html is not None:
                fragment_memory.set(key, html)
        hit = html is not None
        if not hit:
            with context.push(csrf_token=PLACEHOLDER):
                html = self.nodelist.render(context)
            cache_set(key, html, TIMEOUT)
            fragment_memory.set(key, html)
        request = context.get("request")
        if request is not None:  # for tests: which fragments came from the cache
            request.__dict__.setdefault("fragment_cache", []).append((name, hit))
        if PLACEHOLDER in html:
            html = html.replace(PLACEHOLDER, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308  (the block's own template output, escaped when it was rendered)


@register.tag("cached_fragment")
def cached_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cached_fragment behöver ett namn.")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
