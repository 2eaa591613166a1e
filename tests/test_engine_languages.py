"""The conversation's language in the engine: the greeting from the channel's hints, the
language followed from the prospect's messages, and every reply (acknowledgement, fixed
messages, the next question and its quick replies) in it, stored on the conversation."""

from __future__ import annotations

from datetime import date

from agent.language import LanguagePriors
from agent.language_detectors import EnsembleDetector
from agent.playbook import Playbook
from agent.prompts import PromptSet
from tests.conftest import EngineFactory

TODAY = date(2026, 11, 24)
LANGUAGES = ("en", "de", "es", "fr", "pt")


def language_of(text: str) -> str | None:
    return EnsembleDetector().guess(text, LANGUAGES).language


async def test_a_german_prospect_is_answered_in_german(
    make_engine: EngineFactory, playbook: Playbook
) -> None:
    engine = await make_engine()
    conversation, greeting = await engine.start(channel="web", today=TODAY)
    assert language_of(greeting.text) == "en"
    first = await engine.turn(
        conversation.id,
        "Guten Tag, wir möchten verstehen, warum unsere Kunden kündigen und wo sie abspringen.",
    )
    assert language_of(first.reply) == "de", first.reply
    assert first.asking is not None
    assert any(wording in first.reply for wording in playbook.wordings(first.asking, "de"))
    stored = await engine.get(conversation.id)
    assert (stored.language, stored.language_source) == ("de", "detected")
    chip = await engine.turn(conversation.id, "über 50.000 $/jahr")
    assert chip.profile.budget is not None and chip.profile.budget.value.amount_min == 50000
    assert language_of(chip.reply) == "de", chip.reply


async def test_the_browser_language_greets_and_a_short_answer_keeps_it(
    make_engine: EngineFactory,
) -> None:
    engine = await make_engine()
    conversation, greeting = await engine.start(
        channel="web", today=TODAY, language=LanguagePriors(browser="es-MX", page="en")
    )
    assert language_of(greeting.text) == "es", greeting.text
    reply = await engine.turn(conversation.id, "ok")
    assert language_of(reply.reply) == "es", reply.reply
    stored = await engine.get(conversation.id)
    assert (stored.language, stored.language_source) == ("es", "browser")


async def test_a_prospect_switching_to_spanish_gets_spanish_from_the_next_reply(
    make_engine: EngineFactory,
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(channel="web", today=TODAY)
    english = await engine.turn(conversation.id, "We want to understand why customers churn")
    assert language_of(english.reply) == "en"
    spanish = await engine.turn(
        conversation.id, "Perdón, prefiero seguir en español. Tenemos unos 50.000 euros al año."
    )
    assert language_of(spanish.reply) == "es", spanish.reply
    assert (english.language, spanish.language) == ("en", "es")
    assert (await engine.get(conversation.id)).language == "es"


async def test_a_sentence_around_an_english_job_title_keeps_the_language(
    make_engine: EngineFactory,
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(channel="web", today=TODAY)
    first = await engine.turn(
        conversation.id,
        "Bom dia. Estamos a avaliar ferramentas de análise de produto para a nossa equipa.",
    )
    assert first.language == "pt"
    # "product marketing manager" reads as English; "Sou" is Portuguese and English
    # hardly uses it, so the conversation stays in Portuguese.
    title = await engine.turn(conversation.id, "Sou product marketing manager.")
    assert title.language == "pt" and language_of(title.reply) == "pt", title.reply
    switched = await engine.turn(conversation.id, "Sorry, could we continue in English please?")
    assert switched.language == "en" and language_of(switched.reply) == "en", switched.reply


async def test_a_domain_in_a_first_message_does_not_hold_the_default_language(
    make_engine: EngineFactory,
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(channel="web", today=TODAY)
    # "example" in the domain is an English word; the message is Spanish all the same.
    spam = await engine.turn(
        conversation.id,
        "🔥🔥 GANA 3.000€ A LA SEMANA DESDE CASA 🔥🔥 invierte en BitMonedaX y duplica tu "
        "dinero en 48h!!! entra ya en bit-monedax.example.net",
    )
    assert spam.language == "es" and language_of(spam.reply) == "es", spam.reply


async def test_a_forced_language_is_kept_whatever_the_prospect_writes(
    make_engine: EngineFactory, prompts: PromptSet
) -> None:
    engine = await make_engine()
    conversation, greeting = await engine.start(
        channel="web", today=TODAY, language=LanguagePriors(forced="fr", browser="de")
    )
    assert greeting.text == prompts.message("greeting", language="fr", company="Beacon")
    reply = await engine.turn(conversation.id, "Wir brauchen bessere Auswertungen für unser Team")
    assert language_of(reply.reply) == "fr", reply.reply
    stored = await engine.get(conversation.id)
    assert (stored.language, stored.language_source) == ("fr", "forced")


async def test_asking_for_a_person_is_answered_in_the_language(
    make_engine: EngineFactory, prompts: PromptSet
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(channel="web", today=TODAY)
    said = await engine.turn(
        conversation.id,
        "Bonjour, je voudrais parler à quelqu'un de votre équipe, s'il vous plaît.",
        requested_human=True,
    )
    assert prompts.message("handoff_ask_about", language="fr") in said.reply
    assert language_of(said.reply) == "fr", said.reply


async def test_a_mashed_keyboard_is_answered_in_the_language_its_letters_belong_to(
    make_engine: EngineFactory, prompts: PromptSet
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(channel="web", today=TODAY)
    reply = await engine.turn(conversation.id, "asdkjh qweqwe ñlkjñlkj")
    assert reply.language == "es"
    assert language_of(reply.reply) == "es", reply.reply


async def test_a_mashed_keyboard_keeps_the_language_the_page_gave(
    make_engine: EngineFactory,
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(
        channel="web", today=TODAY, language=LanguagePriors(page="de")
    )
    reply = await engine.turn(conversation.id, "asdkjh qweqwe ñlkjñlkj")
    assert reply.language == "de"


async def test_chat_words_one_language_has_win_over_an_unsure_detector(
    make_engine: EngineFactory,
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(channel="web", today=TODAY)
    reply = await engine.turn(conversation.id, "asdfgh")
    assert reply.language == "en"  # nothing tells yet
    # A detector reads English here, unsure; "kkkkkkkkk" is Brazilian laughter.
    reply = await engine.turn(conversation.id, "kkkkkkkkk teste teste")
    assert reply.language == "pt"
    assert language_of(reply.reply) == "pt", reply.reply


async def test_a_mashed_french_keyboard_is_answered_in_french(make_engine: EngineFactory) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start(channel="web", today=TODAY)
    reply = await engine.turn(conversation.id, "sdfghj qsdkjqsd")
    assert reply.language == "en"  # nothing tells yet: not Spanish on a detector's whim
    reply = await engine.turn(conversation.id, "azertyuiop qsdfghjklm")
    assert reply.language == "fr", reply.reply
