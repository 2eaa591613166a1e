"""Knowledge-base speed on this machine: ingestion throughput and question latency.

    python benchmarks/knowledge.py [--copies 10] [--queries 500]

Ingests the shipped documents ``--copies`` times over (each copy under its own name, so
every chunk is new) into a fresh embedded Chroma store in a temp folder, and prints chunks
per second for chunking + embedding (packaged MiniLM int8 ONNX) + upsert. Then asks the
retrieval-eval questions one at a time, the way the engine does (``retrieve`` in a worker
thread: embed the question, Chroma query, re-rank), and prints p50/p99 latency.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evals.retrieval import DEFAULT_FOLDER, load_retrieval_set
from knowledge.chunking import Document
from knowledge.embeddings import MiniLMEmbedding
from knowledge.ingest import DEFAULT_DOCS, ingest, load_documents
from knowledge.retriever import ChromaRetriever
from knowledge.store import chroma_client, create_collection


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def ask_all(retriever: ChromaRetriever, questions: list[str]) -> list[float]:
    timings = []
    for question in questions:
        started = time.perf_counter()
        await retriever.retrieve([question])
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=10, help="copies of the shipped docs")
    parser.add_argument("--queries", type=int, default=500, help="questions to time")
    args = parser.parse_args()

    base = load_documents(DEFAULT_DOCS)
    documents = [
        Document(source=f"copy{n}/{doc.source}", title=doc.title, text=doc.text)
        for n in range(args.copies)
        for doc in base
    ]
    embedder = MiniLMEmbedding()
    embedder.embed(["load the model before timing"])
    with tempfile.TemporaryDirectory(prefix="qualify-kb-bench-") as folder:
        client = chroma_client(data_dir=Path(folder))
        collection = create_collection(client, "bench", embedder)
        result = ingest(collection, documents, embedder=embedder)
        again = ingest(collection, documents, embedder=embedder)

        cases = load_retrieval_set(DEFAULT_FOLDER / "beacon.yaml")
        pool = [case.question for case in cases.cases] + list(cases.unanswerable)
        questions = [
            pool[n % len(pool)] + ("" if n < len(pool) else f" ({n})") for n in range(args.queries)
        ]
        retriever = ChromaRetriever(collection, embedder=embedder)
        retriever.warm_up()
        timings = asyncio.run(ask_all(retriever, questions))
        client.clear_system_cache()

    ms = [t * 1000 for t in timings]
    print(f"ingestion: {result.documents} documents, {result.chunks} chunks")
    print(f"  chunks/s          {result.chunks_per_second:9.1f}   ({result.seconds:.2f} s)")
    print(f"  re-ingest         {again.seconds * 1000:9.1f} ms  ({again.added} added)")
    print(f"questions: {len(ms)} asked one at a time, {collection_size(result.chunks)}")
    print(f"  p50               {statistics.median(ms):9.1f} ms")
    print(f"  p99               {percentile(ms, 99):9.1f} ms")
    print(f"  mean              {statistics.fmean(ms):9.1f} ms")


def collection_size(chunks: int) -> str:
    return f"top-3 of {chunks} chunks"


if __name__ == "__main__":
    main()
