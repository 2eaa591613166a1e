"""The knowledge base in the prospect's language: the shipped translations, their language
in the chunk metadata, retrieval among the conversation's language with English as the
fallback, and the answer quoted in that language (offline model and LLM prompt alike).

Everything is real: embedded Chroma, the packaged MiniLM embedding model, the SQLite store
and the offline model. The shipped documents (every language) are ingested once per module.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from chromadb.api.models.Collection import Collection
from langchain_core.messages import SystemMessage

from agent.config import Settings
from agent.context import read_passages
from agent.engine import Engine
from agent.knowledge import Passage
from agent.language import LanguagePriors
from agent.llm import build_offline_model
from agent.offline.answers import best_sentences, passage_sentences
from agent.playbook import Playbook
from agent.prompts import PromptSet
from agent.sql_store import SQLStore
from knowledge.chunking import document_language, parse_document
from knowledge.embeddings import MiniLMEmbedding, StoredMiniLMEmbedding
from knowledge.ingest import (
    DEFAULT_DOCS,
    SHIPPED_SITE,
    existing_metadata,
    ingest,
    ingest_shipped,
    load_documents,
)
from knowledge.retriever import ChromaRetriever
from knowledge.store import chroma_client, create_collection
from tests.conftest import TODAY, Clock
from tests.fakes import ScriptedChatModel, update_lead

TRANSLATIONS = ("de", "es", "fr", "pt")
_FIGURE = re.compile(r"\$[\d,]+|\d+(?:[.,]\d+)*")
_LINK = re.compile(r"https?://\S+|\S+@\S+\.\w+")


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedding:
    return MiniLMEmbedding()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedding) -> Collection:
    """The shipped documents, every language, ingested once into a module data folder."""
    data_dir = tmp_path_factory.mktemp("knowledge-languages")
    collection = create_collection(chroma_client(data_dir=data_dir), "beacon", embedder)
    ingest(collection, load_documents(DEFAULT_DOCS), embedder=embedder)
    return collection


@pytest.fixture(scope="module")
def retriever(shipped: Collection, embedder: MiniLMEmbedding) -> ChromaRetriever:
    return ChromaRetriever(shipped, embedder=embedder)


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SQLStore]:
    store = SQLStore(f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}")
    await store.init()
    yield store
    await store.close()


def engine_with(
    store: SQLStore,
    retriever: ChromaRetriever,
    playbook: Playbook,
    prompts: PromptSet,
    model: Any = None,
) -> Engine:
    return Engine(
        store=store,
        model=model or build_offline_model(playbook, prompts),
        playbook=playbook,
        prompts=prompts,
        clock=Clock(),
        retriever=retriever,
    )


async def ask(engine: Engine, language: str, text: str) -> Any:
    conversation, _ = await engine.start(today=TODAY, language=LanguagePriors(forced=language))
    return await engine.turn(conversation.id, text)


# --- the shipped translations -------------------------------------------------------


def _headings(text: str) -> list[int]:
    return [len(line) - len(line.lstrip("#")) for line in text.splitlines() if line[:1] == "#"]


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_each_document_is_translated_with_its_structure_figures_and_links(
    language: str,
) -> None:
    documents = load_documents(DEFAULT_DOCS)
    english = {d.source: d for d in documents if d.language == "en"}
    translated = {d.source: d for d in documents if d.language == language}
    assert set(translated) == {f"{language}/{source}" for source in english}
    for source, document in translated.items():
        original = english[source.removeprefix(f"{language}/")]
        assert document.url == original.url and document.url.startswith(SHIPPED_SITE)
        assert document.title != original.title, source
        assert _headings(document.text) == _headings(original.text), source
        assert set(_FIGURE.findall(document.text)) >= set(_FIGURE.findall(original.text)), source
        assert set(_LINK.findall(document.text)) == set(_LINK.findall(original.text)), source


def test_a_documents_language_comes_from_its_front_matter_or_its_folder() -> None:
    assert document_language("pricing.md") == "en"
    assert document_language("de/pricing.md") == "de"
    assert document_language("pt-BR/pricing.md") == "pt"
    assert document_language("guides/pricing.md") == "en"  # not a language's folder
    assert document_language("de/pricing.md", "fr") == "fr"
    french = parse_document("---\nlanguage: fr\n---\n# Tarifs\n\nTexte.", "tarifs.md")
    assert french.language == "fr"


def test_ingest_stores_each_chunks_language_with_ids_unique_across_languages(
    shipped: Collection,
) -> None:
    stored = existing_metadata(shipped)
    languages = {str(meta["language"]) for meta in stored.values()}
    assert languages == {"en", *TRANSLATIONS}
    for language in TRANSLATIONS:
        sources = {str(meta["source"]) for meta in stored.values() if meta["language"] == language}
        assert len(sources) == 10 and all(s.startswith(f"{language}/") for s in sources)
    english = {str(m["source"]) for m in stored.values() if m["language"] == "en"}
    assert len(english) == 10 and not any("/" in source for source in english)
    documents = load_documents(DEFAULT_DOCS)
    assert len(documents) == 50 and len(stored) == shipped.count()


# --- retrieval in the conversation's language ---------------------------------------


async def test_passages_come_from_the_conversations_language(retriever: ChromaRetriever) -> None:
    (german,) = await retriever.retrieve(["Ist Beacon SOC 2 zertifiziert?"], "de")
    assert german and german[0].source == "de/security.md"
    assert "Beacon ist nach SOC 2 Type II zertifiziert" in german[0].text
    assert all(p.source.startswith("de/") for p in german)

    (french,) = await retriever.retrieve(["Beacon est-il certifié SOC 2 ?"], "fr")
    assert french and french[0].source == "fr/security.md"
    assert "Beacon est certifié SOC 2 Type II" in french[0].text

    (english,) = await retriever.retrieve(["Is Beacon SOC 2 certified?"], "en")
    assert english and english[0].source == "security.md"
    # Without a language, as before: the English documents.
    (unsaid,) = await retriever.retrieve(["Is Beacon SOC 2 certified?"])
    assert [p.source for p in unsaid] == [p.source for p in english]


async def test_english_documents_answer_a_language_without_documents(
    retriever: ChromaRetriever,
) -> None:
    (italian,) = await retriever.retrieve(["Is there a free trial?"], "it")
    assert italian and italian[0].source == "faq.md"


async def test_english_documents_answer_what_the_languages_documents_do_not(
    tmp_path: Path, embedder: MiniLMEmbedding
) -> None:
    docs = tmp_path / "docs"
    (docs / "de").mkdir(parents=True)
    shutil.copy(DEFAULT_DOCS / "faq.md", docs / "faq.md")
    shutil.copy(DEFAULT_DOCS / "de" / "security.md", docs / "de" / "security.md")
    collection = create_collection(chroma_client(data_dir=tmp_path / "data"), "docs", embedder)
    ingest(collection, load_documents(docs), embedder=embedder)
    retriever = ChromaRetriever(collection, embedder=embedder)
    # The German documents have no FAQ: the English one answers; the German security page
    # answers what it holds.
    trial, soc = await retriever.retrieve(
        ["Is there a free trial?", "Ist Beacon SOC 2 zertifiziert?"], "de"
    )
    assert trial and trial[0].source == "faq.md"
    assert soc and {p.source for p in soc} == {"de/security.md"}


# --- answers in conversations -------------------------------------------------------


def test_passages_split_into_sentences_in_every_language() -> None:
    text = (
        "Ja. Über SAML geht es auch. ¿Hay una prueba? Sí, de 14 días. État des lieux. «Oui» dit-il."
    )
    assert passage_sentences(text) == [
        "Ja.",
        "Über SAML geht es auch.",
        "¿Hay una prueba?",
        "Sí, de 14 días.",
        "État des lieux.",
        "«Oui» dit-il.",
    ]
    passage = Passage(title="FAQ", section="", text=text, source="es/faq.md", score=0.9)
    assert best_sentences("¿Hay una prueba?", passage, limit=1) == "¿Hay una prueba?"


async def test_a_german_prospect_is_answered_from_the_german_documents(
    sqlite_store: SQLStore, retriever: ChromaRetriever, playbook: Playbook, prompts: PromptSet
) -> None:
    engine = engine_with(sqlite_store, retriever, playbook, prompts)
    result = await ask(engine, "de", "Ist Beacon SOC 2 zertifiziert?")
    assert result.language == "de"
    assert "Beacon ist nach SOC 2 Type II zertifiziert" in result.reply
    assert (
        "(Quelle: Sicherheit und Compliance, https://beacon.example.com/docs/security)"
        in result.reply
    )
    assert "certified" not in result.reply
    assert result.profile.open_questions == () and result.model_calls == 1


@pytest.mark.parametrize(
    ("language", "question", "answer", "source"),
    [
        (
            "fr",
            "Beacon est-il certifié SOC 2 ?",
            "Beacon est certifié SOC 2 Type II",
            "(Source : Sécurité et conformité, https://beacon.example.com/docs/security)",
        ),
        (
            "es",
            "¿Hay una prueba gratuita?",
            "prueba gratuita de 14 días",
            "(Fuente: Preguntas frecuentes, https://beacon.example.com/docs/faq)",
        ),
        (
            "pt",
            "Existe um teste gratuito?",
            "teste gratuito de 14 dias",
            "https://beacon.example.com/docs/faq",
        ),
    ],
)
async def test_prospects_in_other_languages_are_answered_in_their_language(
    sqlite_store: SQLStore,
    retriever: ChromaRetriever,
    playbook: Playbook,
    prompts: PromptSet,
    language: str,
    question: str,
    answer: str,
    source: str,
) -> None:
    engine = engine_with(sqlite_store, retriever, playbook, prompts)
    result = await ask(engine, language, question)
    assert answer in result.reply and source in result.reply
    assert result.knowledge[0].passages[0].source.startswith(f"{language}/")


async def test_an_english_prospect_is_still_answered_in_english(
    sqlite_store: SQLStore, retriever: ChromaRetriever, playbook: Playbook, prompts: PromptSet
) -> None:
    engine = engine_with(sqlite_store, retriever, playbook, prompts)
    result = await ask(engine, "en", "Is Beacon SOC 2 certified?")
    assert "Beacon is SOC 2 Type II certified" in result.reply
    assert "(Source: Security and compliance, https://beacon.example.com/docs/security)" in (
        result.reply
    )
    assert result.knowledge[0].passages[0].source == "security.md"


async def test_the_llm_gets_the_passages_in_the_conversations_language(
    sqlite_store: SQLStore, retriever: ChromaRetriever, playbook: Playbook, prompts: PromptSet
) -> None:
    answer = "Ja, Beacon ist nach SOC 2 Type II zertifiziert. (Quelle: Sicherheit und Compliance)"
    model = ScriptedChatModel(script=[update_lead(answer)])
    engine = engine_with(sqlite_store, retriever, playbook, prompts, model=model)
    result = await ask(engine, "de", "Ist Beacon SOC 2 zertifiziert?")
    system = model.prompts[0][0]
    assert isinstance(system, SystemMessage)
    knowledge = read_passages(system.text)
    assert knowledge is not None
    best = knowledge.questions[0].passages[0]
    assert best.title == "Sicherheit und Compliance" and best.source == "de/security.md"
    assert "Beacon ist nach SOC 2 Type II zertifiziert" in best.text
    assert result.reply.startswith(answer) and result.model_calls == 1


# --- the shipped documents on start -------------------------------------------------


def test_a_store_of_the_shipped_english_documents_gets_the_translations(
    tmp_path: Path, embedder: MiniLMEmbedding
) -> None:
    # A store an earlier version made: the English documents, chunks without a language.
    settings = Settings(data_dir=tmp_path)
    collection = create_collection(chroma_client(data_dir=tmp_path), "knowledge", embedder)
    english = [d for d in load_documents(DEFAULT_DOCS) if d.language == "en"]
    ingest(collection, english, embedder=embedder)
    before = existing_metadata(collection)
    collection.update(
        ids=list(before),
        metadatas=[{k: v for k, v in m.items() if k != "language"} for m in before.values()],
    )
    upgraded = ingest_shipped(settings)
    assert upgraded is not None and upgraded.documents == 50 and upgraded.deleted == 0
    assert upgraded.unchanged == len(before)  # the English chunks keep their ids
    stored = existing_metadata(collection)
    assert {m["language"] for m in stored.values()} == {"en", *TRANSLATIONS}
    assert all(stored[chunk_id]["language"] == "en" for chunk_id in before)
    assert ingest_shipped(settings) is None  # this version is indexed: nothing to do


def test_a_store_of_your_own_documents_is_left_alone(
    tmp_path: Path, embedder: MiniLMEmbedding
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text(
        "---\nurl: https://docs.acme.example/guide\n---\n# Guide\n\nAcme ships widgets.",
        encoding="utf-8",
    )
    collection = create_collection(chroma_client(data_dir=tmp_path), "knowledge", embedder)
    ingest(collection, load_documents(docs), embedder=embedder)
    assert ingest_shipped(Settings(data_dir=tmp_path)) is None
    assert {str(m["source"]) for m in existing_metadata(collection).values()} == {"guide.md"}


def test_the_shipped_documents_vectors_are_kept_for_the_next_first_start(tmp_path: Path) -> None:
    texts = ["Beacon ist SOC 2 Typ II zertifiziert.", "Beacon is SOC 2 Type II certified."]
    first = StoredMiniLMEmbedding(tmp_path).embed(texts)
    stored = list(tmp_path.glob("knowledge-*.npy"))
    assert len(stored) == 1
    again = StoredMiniLMEmbedding(tmp_path).embed(texts)
    assert np.array_equal(first, again)
    # a damaged file is embedded again, not trusted
    stored[0].write_bytes(b"not a numpy file")
    repaired = StoredMiniLMEmbedding(tmp_path).embed(texts)
    assert np.allclose(first, repaired, atol=1e-5)
    assert np.allclose(first, MiniLMEmbedding().embed(texts), atol=1e-5)
