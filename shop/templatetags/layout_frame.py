"""The layout's frame: the parts of base.html that are the same for every visitor,
rendered once per process and per language, market and shop configuration, with holes
where each request puts its own parts.

    {% frame LANGUAGE_CODE market.code payment_gateway test_shop %}
      ... the same for everyone ...
      {% hole %}{% block content %}{% endblock %}{% endhole %}
      {% hole %}{{ personal.header }}{% endhole %}
    {% endframe %}

The first render of a frame for a key renders everything, each hole standing in as a
marker, and keeps the text between the holes on the frame's node (so in each worker's
memory, as the "layout" cache is); every render then renders the holes alone, in the
context of the page, and joins them with the kept text. What the text outside the holes
shows may depend only on the frame's key (plus the script prefix, always part of it):
never on the visitor, the session or the URL. Blocks, the CSRF token, the CSP nonce, the
request's path, the header's account part and the messages all go in holes. A changed
setting (tests change them) forgets every kept frame.

A frame without holes is a per-process fragment cache, cheaper than `{% cache %}` (no
key hashing, no pickling): for fragments that are the same for everyone.
"""

import secrets

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

register = template.Library()

CAPTURING = "_layout_frame_holes"
# A stand-in for each hole while the frame is rendered; random per process, so no page
# text contains it by chance.
MARKER = f"<!--hole-{secrets.token_hex(16)}-->"
KEPT_FRAMES_MAX = 256  # languages x markets x configurations: a handful in practice


_settings_generation = 0


@receiver(setting_changed)
def _frames_forget(**kwargs):
    global _settings_generation
    _settings_generation += 1


class FrameError(template.TemplateSyntaxError):
    pass


class HoleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        holes = context.get(CAPTURING)
        if holes is None:  # outside a frame, or filled in per request
            return self.nodelist.render(context)
        holes.append(self)
        return MARKER


class FrameNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on
        self.kept = {}
        self.generation = _settings_generation
        self._nodes_by_type = {}

    def get_nodes_by_type(self, nodetype):
        """As any node's, found once: every page that extends the layout asks for its
        blocks on each render, and the frame holds nearly all of the layout."""
        found = self._nodes_by_type.get(nodetype)
        if found is None:
            found = self._nodes_by_type[nodetype] = super().get_nodes_by_type(nodetype)
        return list(found)

    def _capture(self, context):
        holes = []
        with context.push({CAPTURING: holes}):
            html = self.nodelist.render(context)
        texts = html.split(MARKER)
        if len(texts) != len(holes) + 1:
            raise FrameError("a {% hole %} marker appeared in the frame's own text")
        return texts, holes

    def render(self, context):
        key = (get_script_prefix(), *(value.resolve(context) for value in self.vary_on))
        if self.generation != _settings_generation:
            self.kept, self.generation = {}, _settings_generation
        kept = self.kept.get(key)
        if kept is None:
            kept = self._capture(context)
            if len(self.kept) >= KEPT_FRAMES_MAX:
                self.kept.clear()
            self.kept[key] = kept
        texts, holes = kept
        parts = [texts[0]]
        with context.push({CAPTURING: None}):  # a frame inside a hole renders on its own
            for hole, text in zip(holes, texts[1:], strict=True):
                parts.append(hole.nodelist.render(context))
                parts.append(text)
        return SafeString("".join(parts))


@register.tag
def frame(parser, token):
    vary_on = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(nodelist, vary_on)


@register.tag
def hole(parser, token):
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist)
