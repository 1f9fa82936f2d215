"""Index pages: the papers table, the topics overview, topic pages, the home page."""

from __future__ import annotations

from collections.abc import Iterable

from . import OutputFile, RenderContext
from .helpers import recent_reading


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    lib, urls = ctx.lib, ctx.urls
    papers = lib.sorted_papers()
    yield OutputFile(
        urls.papers_index,
        ctx.page("papers.md.j2", urls.papers_index, papers=papers),
        title="Papers",
        in_nav=True,
    )
    topics = sorted(lib.topics.values(), key=lambda t: t.name.lower())
    by_topic = lib.papers_by_topic()
    in_topic = {t.slug: by_topic.get(t.slug, []) for t in topics}
    content = ctx.page("topics.md.j2", urls.topics_index, topics=topics, in_topic=in_topic)
    yield OutputFile(urls.topics_index, content, title="Topics", in_nav=True)
    for topic in topics:
        path = urls.topic(topic.slug)
        content = ctx.page("topic.md.j2", path, topic=topic, papers=in_topic[topic.slug])
        yield OutputFile(path, content, title=topic.name)
    if ctx.options.get("generate_home"):
        content = ctx.page(
            "home.md.j2", urls.home, papers=papers, topics=topics, recent=recent_reading(papers)
        )
        yield OutputFile(urls.home, content, title="Home", in_nav=True)
