"""searchd configurations for a sharded archive: one head server and N shard servers.

Sphinx 2.2 declares real-time indexes in its configuration file only (no CREATE TABLE),
so the layout is generated here:

- the head server (SQL port BASE, API port BASE+1) holds the distributed indexes
  `INDEX_a` and `INDEX_b` (one per slot, each over every shard's index of that slot) and
  two small real-time indexes: `INDEX_meta` (which slot is live) and `INDEX_values`
  (entity value ids back to their names);
- shard i (SQL port BASE+2+2i, API port BASE+3+2i) holds `INDEX_s{i}_a` and
  `INDEX_s{i}_b`: a rebuild writes the idle slot, then flips the row of `INDEX_meta`.

The ports follow from BASE, so a backend given the head's address finds every shard.

    python -m search.backends.manticore.config --shards 2 --base-port 9306 --dir DIR

writes DIR/head.conf, DIR/shard0.conf, ... and prints the commands that start them.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

# The words the Whoosh backend's analyser drops (whoosh.analysis.STOP_WORDS, checked equal
# by tests/test_manticore.py), so both backends find the same articles; written here so
# that this backend does not import the other's engine.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "have",
        "if",
        "in",
        "is",
        "it",
        "may",
        "not",
        "of",
        "on",
        "or",
        "tbd",
        "that",
        "the",
        "this",
        "to",
        "us",
        "we",
        "when",
        "will",
        "with",
        "yet",
        "you",
        "your",
    ]
)
RT_MEM_LIMIT = "256M"  # a real-time index's RAM chunk: bulk writes flush to disk rarely
MAX_PACKET = "32M"  # multi-row REPLACE statements of ~1,000 articles
SLOTS = ("a", "b")
AGENT_CONNECT_MS = 300
AGENT_QUERY_MS = 5000
ENTITY_ATTRS = ("actor", "country", "org", "source", "language")


@dataclass(frozen=True)
class Shard:
    number: int
    host: str
    sql_port: int
    api_port: int

    def index(self, name: str, slot: str) -> str:
        return f"{name}_s{self.number}_{slot}"

    def label(self, name: str) -> str:
        """How a missing shard is named to users: its index and its address."""
        return f"{name}_s{self.number} at {self.host}:{self.sql_port}"


def shard_layout(host: str, base_port: int, shards: int) -> list[Shard]:
    """The shards of a head at `host:base_port`, by the port convention above."""
    return [Shard(i, host, base_port + 2 + 2 * i, base_port + 3 + 2 * i) for i in range(shards)]


def _searchd(directory: Path, tag: str, host: str, sql_port: int, api_port: int) -> str:
    return f"""
searchd
{{
    listen = {host}:{sql_port}:mysql41
    listen = {host}:{api_port}
    log = {directory}/{tag}.log
    query_log = {directory}/{tag}.query.log
    pid_file = {directory}/{tag}.pid
    binlog_path = {directory}/{tag}-binlog
    workers = threads
    max_packet_size = {MAX_PACKET}
    read_timeout = 5
    client_timeout = 300
    max_children = 64
    seamless_rotate = 1
    unlink_old = 1
}}
"""


def _text_settings(stopwords: Path) -> str:
    """How titles and bodies become words: English stems, Whoosh's stop words (taking no
    position, as Whoosh drops them: "net of loss" is the phrase "net loss"), words of two
    letters and more, prefixes for `coff*` (the same on shards and the snippet index)."""
    return f"""    dict = keywords
    morphology = stem_en
    min_word_len = 2
    min_prefix_len = 1
    stopwords = {stopwords}
    stopword_step = 0
    index_exact_words = 1
"""


def _shard_index(directory: Path, index: str, stopwords: Path) -> str:
    multis = "".join(f"    rt_attr_multi_64 = {name}\n" for name in ENTITY_ATTRS)
    return f"""
index {index}
{{
    type = rt
    path = {directory}/data/{index}
    rt_mem_limit = {RT_MEM_LIMIT}
    rt_field = title
    rt_field = body
    rt_attr_string = article_id
    rt_attr_string = content_hash
    rt_attr_string = title_text
    rt_attr_string = body_text
    rt_attr_string = record
    rt_attr_bigint = ts
    rt_attr_uint = undated
    rt_attr_uint = month
    rt_attr_uint = day
    rt_attr_bigint = seq
{multis}{_text_settings(stopwords)}}}
"""


def head_config(directory: Path, name: str, host: str, base_port: int, shards: int) -> str:
    """The head server: distributed indexes over the shards, the meta and values indexes."""
    parts = [_searchd(directory, "head", host, base_port, base_port + 1)]
    for slot in SLOTS:
        agents = "".join(
            f"    agent = {s.host}:{s.api_port}:{s.index(name, slot)}\n"
            for s in shard_layout(host, base_port, shards)
        )
        parts.append(
            f"""
index {name}_{slot}
{{
    type = distributed
{agents}    agent_connect_timeout = {AGENT_CONNECT_MS}
    agent_query_timeout = {AGENT_QUERY_MS}
}}
"""
        )
    parts.append(
        f"""
index {name}_meta
{{
    type = rt
    path = {directory}/data/{name}_meta
    rt_field = note
    rt_attr_string = slot
    rt_attr_uint = shards
    rt_attr_uint = version
}}

index {name}_values
{{
    type = rt
    path = {directory}/data/{name}_values
    rt_mem_limit = 64M
    rt_field = note
    rt_attr_string = kind
    rt_attr_string = value
}}

index {name}_snip
{{
    type = rt
    path = {directory}/data/{name}_snip
    rt_field = title
    rt_field = body
    rt_attr_uint = unused
{_text_settings(directory / "stopwords.txt")}}}
"""
    )
    return "".join(parts)


def shard_config(directory: Path, name: str, shard: Shard) -> str:
    """One shard server: both slots of its real-time index."""
    stopwords = directory / "stopwords.txt"
    tag = f"shard{shard.number}"
    parts = [_searchd(directory, tag, shard.host, shard.sql_port, shard.api_port)]
    parts.extend(_shard_index(directory, shard.index(name, slot), stopwords) for slot in SLOTS)
    return "".join(parts)


def write_configs(
    directory: Path,
    *,
    shards: int = 2,
    base_port: int = 9306,
    name: str = "news",
    host: str = "127.0.0.1",
) -> list[Path]:
    """Write head.conf and shardN.conf into `directory` (with its data folder and the
    stop words the Whoosh backend drops too); the config files, head first."""
    directory = Path(directory).resolve()
    (directory / "data").mkdir(parents=True, exist_ok=True)
    for tag in ("head", *(f"shard{i}" for i in range(shards))):
        (directory / f"{tag}-binlog").mkdir(exist_ok=True)
    (directory / "stopwords.txt").write_text("\n".join(sorted(STOP_WORDS)) + "\n")
    files = [directory / "head.conf"]
    files[0].write_text(head_config(directory, name, host, base_port, shards))
    for shard in shard_layout(host, base_port, shards):
        path = directory / f"shard{shard.number}.conf"
        path.write_text(shard_config(directory, name, shard))
        files.append(path)
    return files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--base-port", type=int, default=9306)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--name", default="news")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    files = write_configs(
        args.dir, shards=args.shards, base_port=args.base_port, name=args.name, host=args.host
    )
    for path in files:
        print(f"searchd --config {path}")
    print(f"# then: --backend manticore://{args.host}:{args.base_port}/{args.name}")


if __name__ == "__main__":
    main()
