"""The conversation's language: priors, detection on short messages, following a switch."""

from __future__ import annotations

import pytest

from agent.language import (
    FIRST_CONFIDENCE,
    SWITCH_CONFIDENCE,
    Guess,
    LanguageChoice,
    LanguagePriors,
    alphabet_guess,
    choose_language,
    holds_language,
    primary_subtag,
    starting_language,
    telling_text,
)
from agent.language_detectors import EnsembleDetector, FastTextDetector, LinguaDetector

SUPPORTED = ("en", "de", "es", "fr", "pt")


@pytest.mark.parametrize(
    ("tag", "code"),
    [("de-AT", "de"), ("pt_BR", "pt"), ("FR", "fr"), ("", None), (None, None), ("x-klingon", None)],
)
def test_primary_subtag(tag: str | None, code: str | None) -> None:
    assert primary_subtag(tag) == code


def test_the_start_is_forced_then_browser_then_page_then_default() -> None:
    assert starting_language(LanguagePriors(forced="es", browser="de-DE"), SUPPORTED, "en") == (
        LanguageChoice(language="es", source="forced")
    )
    assert starting_language(LanguagePriors(browser="de-CH", page="fr"), SUPPORTED, "en") == (
        LanguageChoice(language="de", source="browser")
    )
    assert starting_language(LanguagePriors(browser="ja-JP", page="fr"), SUPPORTED, "en") == (
        LanguageChoice(language="fr", source="page")
    )
    assert starting_language(LanguagePriors(browser="ja"), SUPPORTED, "en") == (
        LanguageChoice(language="en", source="default")
    )


@pytest.mark.parametrize(
    "text", ["ok", "50k", "ana@lagerwerk.de", "👍", "Q2 2027", "https://beacon.example.com", "€"]
)
def test_texts_without_words_tell_nothing(text: str) -> None:
    assert telling_text(text) == ""
    assert FastTextDetector().guess(text, SUPPORTED) == Guess(None)
    assert LinguaDetector().guess(text, SUPPORTED) == Guess(None)


def test_emails_and_numbers_are_dropped_before_detection() -> None:
    assert telling_text("Meine Mail: ana@lagerwerk.de, rund 140 Mitarbeitende!") == (
        "Meine Mail rund Mitarbeitende"
    )


def test_shouted_words_are_read_as_said() -> None:
    assert telling_text("GANHE DINHEIRO trabalhando DE CASA!!!") == (
        "ganhe dinheiro trabalhando de casa"
    )


def test_a_shouted_portuguese_message_is_clear_enough_to_switch() -> None:
    guess = EnsembleDetector().guess(
        "🤑 GANHE R$ 5.000 POR SEMANA TRABALHANDO DE CASA!!! Só clicar no link e entrar no "
        "grupo do zap ➡️ rendaextra-top .com 🤑 VAGAS LIMITADAS",
        SUPPORTED,
    )
    assert guess.language == "pt" and guess.confidence >= SWITCH_CONFIDENCE


@pytest.mark.parametrize("detector", [FastTextDetector(), LinguaDetector(), EnsembleDetector()])
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Guten Tag, ich bin Geschäftsführer der Lagerwerk GmbH", "de"),
        ("Necesitamos entender por qué perdemos clientes", "es"),
        ("Nous voulons comprendre pourquoi nos clients partent", "fr"),
        ("Precisamos entender por que os clientes cancelam", "pt"),
        ("We need to understand why our customers churn", "en"),
    ],
)
def test_sentences_are_read_in_their_language(
    detector: FastTextDetector, text: str, language: str
) -> None:
    guess = detector.guess(text, SUPPORTED)
    assert guess.language == language
    assert guess.confidence >= FIRST_CONFIDENCE


def test_only_candidate_languages_are_answered() -> None:
    guess = EnsembleDetector().guess("Guten Tag, ich bin Geschäftsführer", ("en", "fr"))
    assert guess.language in ("en", "fr")


ENGLISH = LanguageChoice(language="en", source="browser")


def test_a_first_telling_message_sets_the_language_then_a_clear_switch_moves_it() -> None:
    first = choose_language(ENGLISH, Guess("de", 0.6), detected_before=False, supported=SUPPORTED)
    assert first == LanguageChoice(language="de", source="detected")
    unsure = choose_language(first, Guess("en", 0.7), detected_before=True, supported=SUPPORTED)
    assert unsure == first
    switched = choose_language(first, Guess("es", 0.9), detected_before=True, supported=SUPPORTED)
    assert switched == LanguageChoice(language="es", source="detected")


def test_nothing_moves_a_forced_language_or_goes_to_an_unsupported_one() -> None:
    forced = LanguageChoice(language="fr", source="forced")
    assert choose_language(forced, Guess("de", 1.0), detected_before=True, supported=SUPPORTED) == (
        forced
    )
    assert choose_language(
        ENGLISH, Guess("it", 1.0), detected_before=False, supported=SUPPORTED
    ) == (ENGLISH)
    assert choose_language(ENGLISH, Guess(None), detected_before=False, supported=SUPPORTED) == (
        ENGLISH
    )


def test_one_short_ambiguous_question_does_not_switch_a_german_conversation() -> None:
    german = LanguageChoice(language="de", source="detected")
    guess = EnsembleDetector().guess("was kostet das?", SUPPORTED)
    assert choose_language(german, guess, detected_before=True, supported=SUPPORTED) == german


def test_an_english_job_title_does_not_switch_a_spanish_conversation() -> None:
    spanish = LanguageChoice(language="es", source="detected")
    guess = EnsembleDetector().guess("Account executive.", SUPPORTED)
    assert guess.language == "en"
    words = len(telling_text("Account executive.").split())
    assert (
        choose_language(spanish, guess, detected_before=True, supported=SUPPORTED, words=words)
        == spanish
    )
    asked = "Sorry, can we continue in English?"
    switched = choose_language(
        spanish,
        EnsembleDetector().guess(asked, SUPPORTED),
        detected_before=True,
        supported=SUPPORTED,
        words=len(telling_text(asked).split()),
    )
    assert switched.language == "en"


@pytest.mark.parametrize(
    ("text", "current", "other", "held"),
    [
        ("Sou product marketing manager.", "pt", "en", True),
        ("Je suis Head of Growth", "fr", "en", True),
        ("Ich bin Head of Data", "de", "en", True),
        ("Sorry, can we continue in English?", "es", "en", False),
        ("Perdón, ¿podemos seguir en español?", "en", "es", False),
        ("We are a SaaS company in Lisboa", "pt", "en", False),
        ("Sou CTO", "pt", "pt", False),
    ],
)
def test_a_word_only_the_conversations_language_uses_holds_it(
    text: str, current: str, other: str, held: bool
) -> None:
    assert holds_language(text, current, other) is held
    spoken = LanguageChoice(language=current, source="detected")
    chosen = choose_language(
        spoken, Guess(other, 0.99), detected_before=True, supported=SUPPORTED, held=held
    )
    assert chosen.language == (current if held else other)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("asdkjh qweqwe ñlkjñlkj", "es"),
        ("jjjjkkk asdf öööö", "de"),
        ("ããã sdfg", "pt"),
        ("œœœ kjh", "fr"),
        ("azertyuiop qsdfghjklm", "fr"),  # AZERTY rows
        ("qwertz", "de"),  # QWERTZ
        ("jajsjsjs qwerty", "es"),  # laughter
        ("kkkkkkkkk teste teste", "pt"),
        ("asdfgh", None),  # a QWERTY row tells nothing
        ("ééé çç", None),  # French and Portuguese both write these
    ],
)
def test_letters_only_one_language_writes_tell_it(text: str, language: str | None) -> None:
    guess = alphabet_guess(text, ("en", "de", "es", "fr", "pt"))
    assert guess.language == language
    assert bool(guess) is (language is not None)


def test_letters_of_a_language_nobody_serves_tell_nothing() -> None:
    assert alphabet_guess("asdkjh ñlkjñlkj", ("en", "de")).language is None


def test_gibberish_no_candidate_language_holds_is_no_sure_guess() -> None:
    assert EnsembleDetector().guess("sdfghj qsdkjqsd", SUPPORTED).confidence < FIRST_CONFIDENCE
    assert EnsembleDetector().guess("Klarfeld GmbH", SUPPORTED).confidence >= FIRST_CONFIDENCE
