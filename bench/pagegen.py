"""Generate realistic saved article pages, with the furniture real news sites put around them.

Every page is an article (headline, byline, 4-10 paragraphs, publication and later update
dates) inside one of several site layouts: navigation, a cookie banner, a related-stories
list, reader comments, a newsletter box and a footer. The furniture carries marker words
that never occur in article text, so a benchmark can count what leaked into a body.
Seeded: the same seed gives the same pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

SUBJECTS = [
    "The ministry",
    "The central bank",
    "Port officials",
    "The union",
    "Regulators",
    "The city council",
    "Investors",
    "Farmers",
    "The company",
    "Local officials",
]
VERBS = [
    "said on Tuesday",
    "announced on Monday",
    "confirmed on Friday",
    "told reporters",
    "warned on Wednesday",
    "said in a statement",
]
CLAUSES = [
    "that talks over wages would resume next week",
    "that exports rose for a third month",
    "that the new rail line would open in the spring",
    "that water levels kept falling",
    "that prices at the pump would stay flat",
    "that the budget gap had narrowed",
    "that the harbour would reopen after repairs",
    "that the vaccine trial had begun",
    "that grain stocks were higher than a year ago",
    "that the strike had ended",
]
TAILS = [
    "after months of delays",
    "despite objections from neighbours",
    "as costs climbed",
    "while inspectors visited the site",
    "before the holiday season",
    "for the first time",
]
PEOPLE = [
    "Amara Okafor",
    "Lars Eriksen",
    "Mei Tanaka",
    "Diego Salazar",
    "Nadia Haddad",
    "Tomas Novak",
    "Priya Raman",
    "Jonas Weber",
]
SITES = ["The Evening Courier", "Harbour Gazette", "Daily Ledger", "Northern Post"]
# Marker words of the furniture: none of them is ever written into an article's text.
FURNITURE = [
    "sharebar",
    "advertslot",
    "cookiesconsent",
    "navsection",
    "relatedstory",
    "readercomment",
    "footerlegal",
    "newsletterbox",
]


@dataclass
class GeneratedPage:
    """One generated page and what an extractor should find in it."""

    url: str
    title: str
    paragraphs: list[str]
    site: str
    author: str
    published: date  # the date to find: the update is later
    updated: date
    html: str = ""


def sentence(rng: random.Random) -> str:
    """One news sentence."""
    person = rng.choice(PEOPLE)
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)} "
        f"{rng.choice(TAILS)}, according to {person}."
    )


def generate_page(rng: random.Random, number: int) -> GeneratedPage:
    """A saved article page in one of the site layouts."""
    site = SITES[number % len(SITES)]
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
    updated = published + timedelta(days=rng.randrange(1, 30))
    title = f"{rng.choice(SUBJECTS)} {rng.choice(CLAUSES).removeprefix('that ')} ({number})"
    paragraphs = [
        " ".join(sentence(rng) for _ in range(rng.randrange(2, 5)))
        for _ in range(rng.randrange(4, 11))
    ]
    url = f"https://example.org/{site.split()[-1].lower()}/{published:%Y/%m}/story-{number}"
    page = GeneratedPage(url, title, paragraphs, site, rng.choice(PEOPLE), published, updated)
    page.html = LAYOUTS[number % len(LAYOUTS)](rng, page)
    return page


def head(page: GeneratedPage) -> str:
    """The <head> a news CMS writes: title, site name, author, dates, canonical URL."""
    return (
        f'<head><meta charset="utf-8"><title>{page.title} | {page.site}</title>'
        f'<meta property="og:site_name" content="{page.site}">'
        f'<meta name="author" content="{page.author}">'
        f'<meta property="article:published_time" content="{page.published}T08:00:00Z">'
        f'<meta property="article:modified_time" content="{page.updated}T17:30:00Z">'
        f'<link rel="canonical" href="{page.url}"><script>var tracking = "abc";</script></head>'
    )


def furniture(rng: random.Random) -> dict[str, str]:
    """Navigation, banner, related links, comments, newsletter box and footer."""
    nav = "".join(
        f'<li><a href="/s{i}">Navsection {i}</a></li>' for i in range(rng.randrange(8, 20))
    )
    related = "".join(
        f'<li><a href="/r{i}">Relatedstory about {rng.choice(CLAUSES)}</a></li>'
        for i in range(rng.randrange(3, 8))
    )
    comments = "".join(
        f'<div class="comment"><span class="user">user{i}</span><p>Readercomment:'
        f" {sentence(rng)}</p></div>"
        for i in range(rng.randrange(2, 9))
    )
    return {
        "nav": f'<nav class="menu"><ul>{nav}</ul></nav>',
        "banner": '<div id="cookie-banner" class="cookie-consent"><p>Cookiesconsent: we use'
        " cookies to improve your experience on our site.</p><button>Accept all</button></div>",
        "related": f'<aside class="related"><h3>Related stories</h3><ul>{related}</ul></aside>',
        "comments": f'<section id="comments"><h3>Comments</h3>{comments}</section>',
        # Inside the article element: a share bar, and an advert with a read-more link.
        "share": '<div class="share-bar"><a href="/s/fb">Sharebar Facebook</a>'
        ' <a href="/s/x">Sharebar X</a> <a href="/s/mail">Sharebar email</a></div>',
        "inline": '<div class="ad-slot"><span>Advertslot</span></div><p class="read-more">'
        f'<strong>Read more:</strong> <a href="/r/more">Relatedstory about {rng.choice(CLAUSES)}'
        "</a></p>",
        "newsletter": '<div class="newsletter"><p>Newsletterbox: sign up for our morning'
        ' briefing.</p><form><input type="email"></form></div>',
        "footer": "<footer><p>Footerlegal: copyright, all rights reserved.</p>"
        '<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>',
    }


def classic_layout(rng: random.Random, page: GeneratedPage) -> str:
    """Header navigation, article, sidebar, comments, footer."""
    parts = furniture(rng)
    body = "".join(f"<p>{p}</p>" for p in page.paragraphs[:2])
    body += parts["inline"] + "".join(f"<p>{p}</p>" for p in page.paragraphs[2:])
    return (
        f'<!DOCTYPE html><html lang="en">{head(page)}'
        f'<body>{parts["banner"]}<header><a href="/">{page.site}</a>{parts["nav"]}</header>'
        f'<main><article><h1>{page.title}</h1><p class="byline">By {page.author}</p>'
        f'<time datetime="{page.updated}">Updated {page.updated:%d %B %Y}</time>'
        f"{parts['share']}{body}</article>"
        f"{parts['related']}{parts['comments']}</main>{parts['newsletter']}{parts['footer']}"
        "</body></html>"
    )


def div_soup_layout(rng: random.Random, page: GeneratedPage) -> str:
    """No semantic elements: nested divs with class names, as older CMSs write."""
    parts = furniture(rng)
    body = "".join(f'<div class="para"><p>{p}</p></div>' for p in page.paragraphs)
    return (
        f"<html>{head(page)}<body>"
        f'<div id="wrapper"><div class="top">{parts["nav"]}</div>{parts["banner"]}'
        f'<div class="content"><div class="story"><h1 class="headline">{page.title}</h1>'
        f'<div class="meta">{page.author} | {page.published:%d.%m.%Y}</div>'
        f'<div class="story-body">{body}</div></div>'
        f'<div class="sidebar">{parts["related"]}{parts["newsletter"]}</div></div>'
        f'{parts["comments"]}<div class="bottom">{parts["footer"]}</div></div></body></html>'
    )


LAYOUTS = [classic_layout, div_soup_layout]


def generate_pages(count: int, seed: int = 15) -> list[GeneratedPage]:
    """`count` pages from one seed."""
    rng = random.Random(seed)
    return [generate_page(rng, number) for number in range(count)]
