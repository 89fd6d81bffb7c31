from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("includes_pager.html")
def pager(page, query: str = ""):
    return {"page": page, "query": query}
