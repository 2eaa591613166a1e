"""Categorical facts from the playbook's example sentences, on the packaged MiniLM model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from agent.exemplars import ClassifierCache, FieldExemplars, shared_classifiers
from agent.models import FieldName
from agent.offline import extract
from agent.playbook import Playbook, parse_playbook
from agent.resources import default_playbook_path
from knowledge.embeddings import MODEL_NAME, MiniLMEmbedding

TODAY = date(2026, 11, 24)


def read(text: str, playbook: Playbook, asking: FieldName | None = None) -> dict[str, object]:
    return extract(
        text, asking=asking, playbook=playbook, today=TODAY, classifiers=shared_classifiers()
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("We supply vetted nearshore engineers to SaaS firms at $25 an hour", "vendor"),
        ("Is there someone in procurement I could send our outsourcing offer to?", "vendor"),
        (
            "Full disclosure: my employer sells a funnel and retention analytics product",
            "competitor",
        ),
        ("I'd like to know if there are any roles open for a junior data analyst", "job_seeker"),
        ("My lecturer asked our group to interview an analytics startup", "student"),
        (
            "Hi there, I place senior data engineers and analytics folks with fast-growing "
            "startups. I've got three pre-vetted candidates who'd be perfect for Beacon's open "
            "roles. Who's the best person to send their CVs to?",
            "vendor",
        ),
        (
            "🚀🚀 EARN 5000$ DAILY with our AI crypto trading bot!!! join t.me/rocketgains_vip",
            "spam",
        ),
        (
            "We're Lumenlink, an integration platform. Would love to explore a partnership where "
            "we build a Beacon connector and co-market it to our 3,000 customers.",
            "vendor",
        ),
        (
            "Hi! I work on the solutions engineering team at Heap. We're doing some market "
            "research on how CDPs price warehouse sync.",
            "competitor",
        ),
        (
            "we run an outsourced SDR service and could help Beacon fill its sales pipeline.",
            "vendor",
        ),
        (
            "i'm cofounder of a small startup building session replay + heatmaps for mobile "
            "apps. how does beacon price per event?",
            "competitor",
        ),
        (
            "Asking because I'm a solutions engineer at mParticle and we're putting together a "
            "competitive battlecard.",
            "competitor",
        ),
        ("I'm writing a 'Lumadash vs Beacon' comparison page", "competitor"),
        (
            "im a growth pm at hotjar lol, we're researching how other tools do onboarding",
            "competitor",
        ),
        (
            "we make a tool that shows app companies where their users click. curious how your "
            "pricing works compared to ours",
            "competitor",
        ),
        ("asdkjh qwe ppp lolol zzzzzzz 2345 ;;;", "spam"),
        (
            "I host The Retention Loop, a podcast for SaaS growth people. we're selling mid-roll "
            "ad slots for Q1 and thought it'd be a perfect audience for u",
            "vendor",
        ),
        (
            "We have a verified database of 2.3M product managers. Would Beacon be interested in "
            "a free sample of 500 contacts?",
            "vendor",
        ),
        (
            "I'm a principal at Harbor Lane Ventures. We lead Series A rounds ($8-15M checks) and "
            "would love to meet your founders ahead of your next raise.",
            "vendor",
        ),
        (
            "I am a doctoral researcher at TU Delft. Would one of your product managers take "
            "part in a research interview?",
            "student",
        ),
        ("are there any open analyst or CSM roles at Beacon?", "job_seeker"),
        ("no budget, it's about a job", "job_seeker"),
        ("We could fill your calendar with 20+ sales calls a month.", "vendor"),
        # Needs named by keywords, but no want of their own: still fishing.
        (
            "I'm on the growth team over at Mixpanel and we've been keeping an eye on your "
            "warehouse sync launch. Curious how you price it per event?",
            "competitor",
        ),
        (
            "for context I'm on the growth team at a company that makes session recording and "
            "heatmap software, we're benchmarking the pricing pages of analytics vendors",
            "competitor",
        ),
    ],
)
def test_disguised_disqualifiers(text: str, kind: str, playbook: Playbook) -> None:
    args = read(text, playbook)
    assert args["disqualifier"] == {"quote": args["disqualifier"]["quote"], "kind": kind}  # type: ignore[index]
    assert str(args["disqualifier"]["quote"]) in text  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "We're a small agency and want dashboards for our own clients' apps",
        "I used to work at Amplitude, now I lead product at a furniture retailer",
        "We build tutoring software for students and need to see where signups drop",
        "We're growing and hiring, so we need better product usage reporting",
        "I'm the head of data at a logistics company",
        # A want of their own beside a sentence that resembles a pitch or a job search.
        "we run a shopify store and i want to figure out where people drop off in the "
        "checkout because our conversion is terrible since the redesign",
        "we're hiring our first data analyst and I want them to have a proper tool from day "
        "one, thinking event tracking + dashboards",
        "We're currently on Amplitude and it's too expensive, so we're looking to switch for "
        "our funnel and retention reporting.",
        "hey we're a small creative agency (9 people) and I need a tool for designing landing "
        "pages for a client",
        "I'm the CTO at Earful, we make a podcast app. Before you ask, not selling ad slots, we "
        "want retention cohorts",
        "lolol ok we need funnels",
        "We use Hotjar for heatmaps and recordings and we love it, but it doesn't tell us much "
        "about retention.",
        "We're hiring our first data analyst, the job post went up this week, and I want the "
        "right tools in place before they start.",
        "Hi, I'm doing a part-time MBA in the evenings, but this is for my day job, not for "
        "school.",
        "For context, our software does the bookkeeping automatically for about 3,000 small "
        "businesses. The team is 85 people.",
        "I used to be a PM at Mixpanel years ago, but these days I run product at a meal-kit "
        "company, so I'm on the buying side now.",
        "Morning. We're a mid-size online electronics retailer and I'm doing some early research "
        "into retention analytics - which customers come back, which don't.",
        "Our bookkeeping is a disaster - invoices everywhere, nothing reconciled, and the "
        "accountant keeps chasing me. Can Beacon sort that out?",
        "hi, we're an SEO company - well, an SEO *software* company, we make a rank-tracking "
        "tool called Serpwise. not offering you backlinks I promise lol",
        # A want whose subject is said once, before "and"; a want after a comma.
        "We're currently on Heap and want to move our funnels and retention reporting to "
        "something cheaper.",
        "We're a 12-person digital agency. We build Shopify stores for clients, and we want one "
        "analytics tool to report funnels across all our clients' stores.",
    ],
)
def test_buyers_who_only_look_like_a_disqualifier(text: str, playbook: Playbook) -> None:
    assert "disqualifier" not in read(text, playbook)


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("We operate a network of physiotherapy practices across Queensland", "healthcare"),
        ("We sell handmade candles through our webshop", "ecommerce"),
        ("We make a subscription app that HR teams use for rotas", "saas"),
        ("Plumbing company, 40 employees.", "other"),  # two words that say what it is
    ],
)
def test_industry_from_a_company_answer(text: str, industry: str, playbook: Playbook) -> None:
    args = read(text, playbook, asking="company")
    assert args["company"]["industry"] == industry  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        (
            "hi! I do marketing for a small roaster, we ship coffee beans to people's doors",
            "ecommerce",
        ),
        ("we design logos and brand identities for clients and need new laptops", "agency"),
        ("Over here at Quillpad (collaborative docs for legal teams) we want retention", "saas"),
        ("We're 140 people, payments for freelancers. Need it running by mid-January.", "fintech"),
        (
            "Hi, Ingrid from Segmentum Foods here — meal kits, delivered across the Nordics.",
            "ecommerce",
        ),
    ],
)
def test_industry_said_in_passing(text: str, industry: str, playbook: Playbook) -> None:
    args = read(text, playbook)
    assert args["company"]["industry"] == industry  # type: ignore[index]


def test_an_answer_about_the_role_the_rules_cannot_read(playbook: Playbook) -> None:
    args = read("mostly I'd be the person clicking around in it all day", playbook, "authority")
    assert args["authority"]["level"] == "user"  # type: ignore[index]


def test_a_sentence_with_a_buyers_fact_is_the_buyers(playbook: Playbook) -> None:
    text = (
        "I'm one of the designers, I'd be the one using it. our creative director picks the tools"
    )
    args = read(text, playbook, asking="authority")
    assert "disqualifier" not in args
    assert args["authority"]["level"] == "user"  # type: ignore[index]


def test_who_decides_stays_with_the_rules(playbook: Playbook) -> None:
    # Sentence similarity puts "my boss decides" next to "I decide"; the rules read it.
    args = read("I'm a marketing coordinator; my boss will decide.", playbook, "authority")
    assert args["authority"]["level"] == "influencer"  # type: ignore[index]


def test_a_business_teaches_a_new_phrasing_in_the_playbook() -> None:
    raw = yaml.safe_load(Path(default_playbook_path()).read_text(encoding="utf-8"))
    text = "Kindly consider our esteemed translation bureau for your localisation needs"
    before = parse_playbook(yaml.safe_dump(raw))
    assert "disqualifier" not in read(text, before)
    raw["exemplars"]["disqualifier"]["examples"]["vendor"].append(
        "please consider our translation agency for localising your product"
    )
    after = parse_playbook(yaml.safe_dump(raw))
    assert read(text, after)["disqualifier"]["kind"] == "vendor"  # type: ignore[index]


def test_example_vectors_are_kept_on_disk_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALIFY_CACHE_DIR", str(tmp_path))
    section = FieldExemplars(examples={"yes": ("I agree",), "no": ("I disagree",)})
    first = ClassifierCache(MiniLMEmbedding(threads=1), MODEL_NAME).classifier(section)
    stored = list(tmp_path.glob("exemplars-*.npy"))
    assert len(stored) == 1
    again = ClassifierCache(MiniLMEmbedding(threads=1), MODEL_NAME).classifier(section)
    assert np.allclose(first.vectors, again.vectors)
    assert np.allclose(np.load(stored[0]), first.vectors)


def test_a_playbook_with_a_wrong_example_label_is_refused() -> None:
    raw = yaml.safe_load(Path(default_playbook_path()).read_text(encoding="utf-8"))
    raw["exemplars"]["authority"]["examples"]["boss"] = ["I am the boss"]
    with pytest.raises(Exception, match=r"exemplars\.authority.*boss"):
        parse_playbook(yaml.safe_dump(raw))


def test_a_company_description_is_never_a_disqualifier(playbook: Playbook) -> None:
    # Vendors describe their company too, but "we're X with N people" alone says nothing of
    # who is writing; the exact rules and the other sentences decide that.
    for text in (
        "We're an ecommerce company with about 300 people",
        "We're a 120-person fintech in Lisbon",
        "We're a software house with 80 developers",
    ):
        assert "disqualifier" not in read(text, playbook), text


def test_what_the_agent_might_want_is_not_the_prospects_need(playbook: Playbook) -> None:
    args = read("priya@pocketmint.com if you want to send stuff", playbook, "contact")
    assert "need" not in args
    assert args["contact"]["email"] == "priya@pocketmint.com"  # type: ignore[index]


def test_close_values_of_one_kind_do_not_cancel_each_other() -> None:
    examples = FieldExemplars(
        examples={
            "usage": ("which features do customers use and which ones nobody opens",),
            "dashboards": ("one place to see how much each feature is used",),
            "social": ("post more on Instagram and TikTok",),
        },
        min_similarity=0.35,
        min_margin=0.05,
    )
    classifier = shared_classifiers().classifier(examples)
    vector = shared_classifiers().embed(["we want to know which features people use"])[0]
    assert classifier.classify(vector) is None  # two needs Beacon serves, too close to pick
    kinds = {"usage": "served", "dashboards": "served", "social": "not served"}
    verdict = classifier.classify(vector, kinds)
    assert verdict is not None and verdict.label in ("usage", "dashboards")
    assert verdict.margin > 0.3


@pytest.mark.parametrize(
    ("text", "asking", "other"),
    [
        (
            "I want to see which features our customers actually use, and honestly we also "
            "need something to run payroll for our staff",
            "need",
            "payroll and hr",
        ),
        (  # a want added with "plus" after the one the keywords found
            "We're opening 3 new cafes and need POS terminals and barcode scanners, plus "
            "something to analyze how customers use our online store",
            None,
            "hardware",
        ),
        (  # "and tells us" starts a second want of the same tool
            "looking for one tool that sends our newsletters AND tells us how people use our app",
            None,
            "email sending",
        ),
    ],
)
def test_a_need_beside_one_its_keywords_found_makes_a_partial_fit(
    text: str, asking: FieldName | None, other: str, playbook: Playbook
) -> None:
    need = read(text, playbook, asking)["need"]
    assert need["fit"] == "partial"  # type: ignore[index]
    assert set(need["use_cases"]) == {other, "product analytics"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "use_case"),
    [
        (
            "Hi, we sell refurbished phones and laptops through our own site. Our checkout is "
            "leaking - lots of people get to the payment step and bail. Need to find out where "
            "and why.",
            "funnel and conversion analysis",
        ),
        (
            "hi, we build booking software for hair salons. salons pay us monthly. thing is we "
            "have no idea who's actually using it day to day vs who's just paying and will "
            "quietly cancel",
            "retention and churn analysis",
        ),
    ],
)
def test_the_problem_outranks_what_the_business_sells(
    text: str, use_case: str, playbook: Playbook
) -> None:
    found = read(text, playbook)
    assert found["need"]["use_cases"] == [use_case]  # type: ignore[index]
    assert "budget" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Hi! We run a group of dental practices",
        "Hi, we're a Bangalore-based company, we make inventory software for restaurants, sold "
        "as a monthly subscription.",
        "hi! I do marketing for a small roaster, we ship coffee beans to people's doors, all "
        "ordered on our website",
    ],
)
def test_describing_the_business_is_not_a_need(text: str, playbook: Playbook) -> None:
    assert "need" not in read(text, playbook)


def test_the_want_in_a_long_message_is_found_past_the_greeting(playbook: Playbook) -> None:
    text = (
        "hi so I'm not totally sure this is the right place but I'll try to explain. I'm one of "
        "the engineers at a small company, around 30 of us, we make booking software for gyms. "
        "since our PM left a bunch of us have been trying to work out what people actually do "
        "in the app, like which features get used and where people give up."
    )
    need = read(text, playbook)["need"]
    assert need["fit"] == "strong"  # type: ignore[index]
    assert "trying to work out what people actually do" in need["quote"]  # type: ignore[index]


def test_a_want_said_once_covers_the_whole_sentence(playbook: Playbook) -> None:
    text = (
        "We need two things: a way to see where users drop off in our signup flow, and "
        "something to send our weekly newsletter and email campaigns."
    )
    need = read(text, playbook)["need"]
    assert need["fit"] == "partial"  # type: ignore[index]
    assert "email sending" in need["use_cases"]  # type: ignore[index]


def test_not_knowing_why_is_a_problem_not_an_unknown_budget(playbook: Playbook) -> None:
    text = "main headache: lots of people buy once and never order again and we don't know why"
    args = read(text, playbook, asking="budget")
    assert "budget" not in args
    assert args["need"]["use_cases"] == ["retention and churn analysis"]  # type: ignore[index]
    assert read("no idea what we'd spend", playbook, asking="budget")["budget"] == {
        "quote": "no idea what we'd spend",
        "status": "unknown",
    }


def test_a_physical_warehouse_is_not_warehouse_sync(playbook: Playbook) -> None:
    text = (
        "Hello, we need a new payroll system and something for timesheets for our warehouse staff."
    )
    need = read(text, playbook)["need"]
    assert need["fit"] == "none"  # type: ignore[index]
    assert "warehouse sync" not in need["use_cases"]  # type: ignore[index]
    synced = read("we want our event data synced to our Snowflake warehouse", playbook)["need"]
    assert synced["use_cases"] == ["warehouse sync"]  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "we need document retention sorted",
        "shipment tracking for our parcels across Europe",
        "conversion of scanned paper invoices into excel files",
    ],
)
def test_a_need_keyword_in_another_sense_is_not_that_need(text: str, playbook: Playbook) -> None:
    """The words around "retention", "tracking" or "conversion" say which sense is meant: they
    are compared with the playbook's example sentences of needs, not with its keywords."""
    need = read(text, playbook, asking="need").get("need")
    assert need is None or need["fit"] == "none"  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "served"),
    [
        ("we want to know why customers churn after the trial", "retention and churn analysis"),
        ("our checkout conversion is bad on mobile", "funnel and conversion analysis"),
        ("we want to improve user retention in the app", "retention and churn analysis"),
        (
            "we need funnels and also help with payroll for our staff",
            "funnel and conversion analysis",
        ),
    ],
)
def test_a_need_keyword_in_its_own_sense_stays(text: str, served: str, playbook: Playbook) -> None:
    need = read(text, playbook, asking="need")["need"]
    assert served in need["use_cases"]  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "We publish a paid finance newsletter. I don't need help sending the newsletter, that's "
        "sorted. What I need is to understand our subscription funnel",
        "not looking for HR software, we have that. what we need is analytics on the portal",
    ],
)
def test_what_the_prospect_does_not_want_is_not_their_need(text: str, playbook: Playbook) -> None:
    need = read(text, playbook)["need"]
    assert need["fit"] == "strong"  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "fit"),
    [
        (
            "we have a project-management app people pay for monthly and honestly we have no "
            "clue which parts of it they actually use",
            "strong",
        ),
        (
            "We sell furniture online, ~2M visitors a month, and we want to see how people move "
            "through the site and where they drop.",
            "strong",
        ),
        (
            "We're a family law practice and our website looks dated. Need someone to give it a "
            "proper makeover, new look, works on phones etc.",
            "none",
        ),
        (
            "Two things: we want dashboards showing how people use our app, and we need a new "
            "website - ours looks like it's from 2009. Can you do both?",
            "partial",
        ),
        (
            "Hello, we build HR and payroll software and need a better handle on which features "
            "our customers actually use",
            "strong",
        ),
        (
            "I want to see which product pages people look at and where they give up before "
            "ordering",
            "strong",
        ),
    ],
)
def test_a_need_in_the_prospects_own_words(text: str, fit: str, playbook: Playbook) -> None:
    args = read(text, playbook)
    assert args["need"]["fit"] == fit  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("email's better than a call for us", "contact"),
        ("no need for a call, just email me at jo@northwind.io", "timeline"),
        ("We issue expense cards and spend controls for small businesses", "company"),
        ("We'd want it running for our Q1 client reviews", "timeline"),
        ("We want it before our spring sale", None),
    ],
)
def test_an_answer_to_another_question_names_no_other_need(
    text: str, asking: FieldName | None, playbook: Playbook
) -> None:
    assert "need" not in read(text, playbook, asking)


def test_two_wants_in_one_sentence_are_judged_apart(playbook: Playbook) -> None:
    text = (
        "Want to see where people give up between the product page and paying, and we also "
        "need someone to redo the look of our site, it's pretty dated"
    )
    args = read(text, playbook)
    assert args["need"]["fit"] == "partial"  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "There isn't money set aside for this yet, I'd have to make the case for it. "
            "Do you sign BAAs?",
            "no_budget",
        ),
        ("we are a charity, so nothing for software at the moment", "no_budget"),
        ("we don't share budget figures with vendors at this point", "refused"),
        ("I'd prefer not to put a number on it in a chat", "refused"),
    ],
)
def test_a_budget_answer_without_an_amount(text: str, status: str, playbook: Playbook) -> None:
    found = read(text, playbook, asking="budget")
    assert found["budget"]["status"] == status  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("what does the Business plan cost per year?", "budget"),
        ("we're about 40 people, mostly engineers", "budget"),
        ("we'd pay more for good support, to be honest", None),
    ],
)
def test_not_a_budget_status(text: str, asking: FieldName | None, playbook: Playbook) -> None:
    found = read(text, playbook, asking=asking)
    assert "budget" not in found


def test_a_signature_does_not_hide_the_need_of_a_long_message(playbook: Playbook) -> None:
    """A company quote joined from a sentence and a signature holds other sentences too."""
    text = (
        "Hi there, hoping you can help. We sell refurbished phones and tablets online. Our "
        "biggest headache: thousands of visitors a day, but we can't tell where they give up "
        "between the product page and payment. We've set aside $45k/yr for this. Roughly 220 "
        "employees, 1.2M customers last year.\n\nBest,\nPriya Nair\nHead of Growth, Rephone"
    )
    found = read(text, playbook)
    assert found["need"]["use_cases"] == ["funnel and conversion analysis"]  # type: ignore[index]
    assert found["company"]["size"] == 220  # type: ignore[index]


def test_customers_paying_us_is_not_a_budget(playbook: Playbook) -> None:
    found = read(
        "We sell software that law firms use to track their billable hours, and we don't know "
        "which firms are about to stop paying us.",
        playbook,
    )
    assert "budget" not in found


def test_a_want_is_compared_by_what_is_wanted(playbook: Playbook) -> None:
    """'and then we need to see which landing pages turn visitors into trials' is about
    conversion, though 'we need new landing pages built' shares more of its words."""
    found = read(
        "we need our website redesigned, and then we need to see which landing pages actually "
        "turn visitors into trials",
        playbook,
        asking="need",
    )
    assert found["need"]["fit"] == "partial"  # type: ignore[index]
    assert set(found["need"]["use_cases"]) == {  # type: ignore[index]
        "website design",
        "funnel and conversion analysis",
    }


@pytest.mark.parametrize(
    ("text", "fit"),
    [
        (
            "Two things on our list: a redesign of our marketing website, and a way to properly "
            "split-test our pricing page",
            "partial",
        ),
        (
            "we're redoing the marketing site for our banking product and want to know two "
            "things: can you design the new site for us, and can we see how many visitors "
            "actually open an account after landing on it?",
            "partial",
        ),
        # A clause about someone else's part is not a want of the prospect's.
        (
            "We'd be selling Beacon on to our customers under a reseller agreement, we handle "
            "local billing and first-line support, you handle the product.",
            None,
        ),
    ],
)
def test_each_want_of_a_list_is_judged(text: str, fit: str | None, playbook: Playbook) -> None:
    found = read(text, playbook)
    assert (found["need"]["fit"] if "need" in found else None) == fit  # type: ignore[index]
