"""The README's query syntax translated to Sphinx's extended MATCH syntax.

search/params.py checks the text first, for every backend. Here it is parsed into a
tree with Whoosh's precedence (NOT binds tightest, then AND/ANDNOT/ANDMAYBE, then OR:
Sphinx's own `|` binds tighter than its implicit AND, so every group is bracketed) and
written back out:

    oil AND prices      (oil prices)          tanker NOT gulf   (tanker -gulf)
    opec OR "oil men"   (opec | "oil men")    title:oil         (@title oil)
    coff*               coff*                 oil ANDMAYBE gulf (oil MAYBE gulf)

What Sphinx cannot run is refused with a 400 naming it: fuzzy terms (`word~`), a query
that only excludes (`NOT gulf`), and the entity fields (`actor:Reagan`: use the filters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.params import bad_query, check_query_text, echo

TEXT_FIELDS = ("title", "body")
OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
TOKEN = re.compile(r'(?:[A-Za-z_]\w*:)?"[^"]*"(?:~\d+)?|[()]|[^\s()"]+')
WORD_PART = re.compile(r"[^\W_]+|_+", re.UNICODE)  # what the index keeps of a word
FIELD = re.compile(r"^([A-Za-z_]\w*):(.*)$", re.DOTALL)
SPECIAL = re.compile(r'([\\()|\-!@~"&/^$=<*?%\[\]])')


def escape_word(word: str) -> str:
    """A word with Sphinx's operator characters escaped."""
    return SPECIAL.sub(r"\\\1", word)


@dataclass
class Node:
    op: str  # "and", "or", "not", "maybe", "term"
    children: list[Node]
    text: str = ""
    positive: bool = True  # can match something by itself (not a bare NOT)


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = TOKEN.findall(text)
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise bad_query(f"Cannot understand the query {echo(self.text)!r}; check its brackets.")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        return Node("or", parts, positive=all(part.positive for part in parts))

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while (token := self.peek()) is not None and token not in (")", "OR"):
            if token in ("AND", "ANDNOT", "ANDMAYBE"):
                self.take()
                right = self.unary()
                if token == "ANDNOT":
                    right = Node("not", [right], positive=False)
                elif token == "ANDMAYBE":
                    parts = [Node("maybe", [self._group(parts), right])]
                    continue
                parts.append(right)
            else:
                parts.append(self.unary())
        return self._group(parts)

    @staticmethod
    def _group(parts: list[Node]) -> Node:
        if len(parts) == 1:
            return parts[0]
        return Node("and", parts, positive=any(part.positive for part in parts))

    def unary(self) -> Node:
        token = self.peek()
        if token == "NOT":
            self.take()
            return Node("not", [self.unary()], positive=False)
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token == "(":
            node = self.or_expr()
            if self.peek() == ")":
                self.take()
            return node
        if token.startswith("-") and len(token) > 1:
            return Node("not", [self.word(token[1:])], positive=False)
        if token.startswith("+") and len(token) > 1:
            token = token[1:]
        return self.word(token)

    def word(self, token: str) -> Node:
        field = None
        found = FIELD.match(token)
        if found and found.group(2):
            field, token = found.group(1), found.group(2)
            if field not in TEXT_FIELDS:
                raise bad_query(
                    f"The field {field!r} cannot be searched in the query on this backend; "
                    "use title: or body:, or the actor, country and org filters."
                )
        text = self.term_text(token)
        if field:
            text = f"(@{field} {text})"
        return Node("term", [], text)

    def term_text(self, token: str) -> str:
        if token.startswith('"'):
            phrase, _, distance = token[1:].partition('"')
            words = WORD_PART.findall(phrase)
            if not words:
                return '""'
            proximity = distance if distance.startswith("~") else ""
            return '"' + " ".join(escape_word(word) for word in words) + '"' + proximity
        if "~" in token:
            raise bad_query(
                f"The fuzzy term {token!r} cannot be run on this backend (Manticore has no "
                "fuzzy matching in queries); remove the ~ or spell the word out."
            )
        if "?" in token:
            raise bad_query(
                f"The wildcard {token!r} cannot be run on this backend; use a * at the end "
                "(coff*) instead of ?."
            )
        if token.endswith("*"):
            stem = token.rstrip("*")
            parts = WORD_PART.findall(stem)
            if len(parts) != 1 or "*" in stem:
                raise bad_query(f"The wildcard {token!r} cannot be run on this backend; use word*.")
            return escape_word(parts[0]) + "*"
        parts = WORD_PART.findall(token)
        if not parts:
            return ""
        if len(parts) == 1:
            return escape_word(parts[0])
        return "(" + " ".join(escape_word(part) for part in parts) + ")"


def render(node: Node) -> str:
    """The tree as Sphinx's extended syntax, every group bracketed."""
    if node.op == "term":
        return node.text
    if node.op == "not":
        return "-" + render(node.children[0])
    if node.op == "maybe":
        return f"({render(node.children[0])} MAYBE {render(node.children[1])})"
    texts = [text for text in (render(child) for child in node.children) if text]
    joined = (" | " if node.op == "or" else " ").join(texts)
    return f"({joined})" if len(texts) > 1 else joined


def translate(text: str) -> str:
    """The user's query as a MATCH() expression; '' for an empty query (every article)."""
    if not text.strip():
        return ""
    check_query_text(text)
    tree = Parser(text).parse()
    if not tree.positive:
        raise bad_query(
            f"The query {echo(text)!r} only excludes words; add a word to look for "
            "(this backend cannot list everything but some words)."
        )
    rendered = render(tree)
    if not rendered.strip('()" '):
        return ""
    return rendered
