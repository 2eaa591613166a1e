"""Disqualifiers: students, job seekers, competitors, vendors and spam.

Each is a statement about who is writing ("I'm a student", "are you hiring", "I work at
Mixpanel", "we offer SEO services"). Naming a competitor as a tool in use ("we use
Mixpanel today and want to switch") is not one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.models import Disqualifier
from agent.offline.languages import disqualifiers as translated
from agent.offline.languages.needs import fold
from agent.offline.text import Clause, sentences, span

_STUDENT = re.compile(
    r"\b(?:i(?:'m| am|m) (?:a |an )?(?:\w+ )?(?:student|undergrad|grad student|phd candidate)|"
    r"as a student|student here|(?:for|in) my (?:thesis|dissertation|coursework|class|course|"
    r"homework|assignment|capstone|studies|master'?s|masters|mba|phd|degree|bachelor'?s)\b(?! "
    r"(?:degree|graduates?|holders?)\b)|my (?:thesis|dissertation|professor|capstone)|"
    r"my (?!working |investment |pet )(?:[\w'-]+ )?(?:thesis|dissertation|capstone|coursework)"
    r"(?! is that)|"
    r"(?:university|uni|college|school|class|course|academic|student) (?:project|assignment|"
    r"research|paper)|(?<!doing my )(?<!doing our )(?<!do my )(?<!do our )(?<!done my )"
    r"(?<!did my )(?<!did our )(?<!our )(?<!competitive )homework(?![- ](?:help|app|platform|"
    r"tool|service|site|company|startup|marketplace|tutoring))|coursework|master'?s (?:thesis|"
    r"project)|phd (?:thesis|research)|"
    r"capstone|coursemates?|classmates?|(?:mba|strategy|marketing|business|analytics) module|"
    r"case (?:company|study) for (?:our|my|a|the) (?:\w+ ){0,2}(?:module|class|course|assignment)|"
    r"(?:defend|present) it in class|(?:our|my|the) (?:lecturer|professor|tutor|supervisor) "
    r"(?:asked|wants|split|told|set|gave|thought)|for (?:a|our|my|the) (?:module|class|course|"
    r"seminar)\b|(?:group|class|course) (?:project|presentation|assignment)|(?:doing|finishing|"
    r"studying for) (?:our|my) (?:degrees?|masters?|bachelors?|studies|mba)|"
    r"(?:still )?(?:at|in) (?:uni|university|college|grad school)(?! (?:it|staff|admin))|"
    r"doctoral (?:researcher|candidate|student)|phd (?:student|researcher)|research interview|"
    r"academic (?:access|licen[cs]e))\b"
)
_JOB_SEEKER = re.compile(
    r"\b(?:are you (?:guys )?hiring|you hiring|looking for (?:a |an )?(?:new )?(?:job|work|"
    r"position|role|internship|employment|opportunit(?:y|ies) (?:to work|at))|looking for "
    r"(?:a |an )?(?:new |remote |full-time |part-time |permanent |junior |senior |first )?"
    r"(?:[\w-]+ )?(?:job|internship)|(?:send|submit|"
    r"share|attach(?:ed)?) (?:you )?my (?:cv|resume|résumé|portfolio)|my (?:cv|resume|résumé)|"
    r"open (?:positions|roles|vacancies|jobs)|job (?:openings?|opportunit(?:y|ies)|application)|"
    r"career opportunit(?:y|ies)|apply (?:for|to) (?:a |an |the )?(?:job|position|role|"
    r"internship)|any vacancies|(?:work|working) for you|join your team|internship|"
    r"(?:growing|expanding|building out) (?:the |your )?(?:[\w-]+ ){0,2}team\b[^.?!]{0,60}?"
    r"(?:part of it|join|be part)|(?:love|like|keen|excited) to (?:be part of|join) (?:it|the team|"
    r"your team|beacon)|"
    r"between (?:jobs|roles)|(?:was|got|been) laid off|(?:do|does|would) (?:you|beacon) "
    r"(?:ever )?(?:take on|hire|have room for) (?:juniors|graduates|grads|interns|new grads)|"
    r"take-?home (?:assignment|task|test|exercise)|"
    r"(?:my|the) (?:job )?interview (?:on|next|this|with)|(?:hiring|talent|recruiting) team "
    r"(?:looks? for|is looking|at beacon)|open to work|(?:i|i've) applied (?:for|to)|"
    r"consider (?:someone|me|hiring)|(?:i(?:'m| am| just)? (?:in|doing|attending|finishing|"
    r"finished|completed|graduated from|at)|my|after (?:a|my)) (?:[\w-]+ ){0,3}bootcamp|"
    r"bootcamp (?:grad|graduate|student)|my portfolio|"
    r"portfolio:|available immediately|(?<!started a )(?<!started my )(?<!into a )(?<!in my )"
    r"(?<!in a )(?:next|new) role|next position|(?:open|any) (?:\w+ ){0,4}"
    r"(?:roles|positions|openings|vacancies)(?: at| with)? (?:beacon|you)|(?:it's|its|it is) about "
    r"a job|(?:wondering|asking|curious|hear|hearing|know|learn|info|information) about "
    r"(?:any |your |open |the )*(?:jobs|roles|openings|positions|vacancies)"
    r"(?! and permissions| based| permission)|caught in (?:a|the) "
    r"layoffs?|(?:your|beacon's) careers? (?:page|site|section)|(?:intro|introduction|"
    r"connect(?:ed)?|in touch|talk|speak)\b[\w ]{0,30}\b(?:talent acquisition|hiring managers?|"
    r"recruiters?|recruiting team)|"
    r"(?:considered|consider me) for (?:a|an|the|your) (?:[\w-]+ ){0,3}(?:position|role|opening)|"
    r"(?:full|part)[- ]time (?:position|role|job) (?:on|in|at|with) your|"
    r"(?:posting|opening|vacancy|req) (?:on your|at beacon|here at beacon)|"
    r"(?:final|first|second|next)[- ]round interview|(?:like|love|want|hoping) to be your next|"
    r"places i'd (?:like|love) to (?:land|work)|(?:cv|resume|résumé) (?:is|attached|here|link))\b"
)
_NOT_A_JOB = (
    r"using|switching|moving|migrating|leaving|unhappy|happy|done|tired|fed|frustrated|coming|not|"
    r"currently|also|familiar|stuck|annoyed|really|very|so|quite|pretty|kind|a|bit|already|still"
)
_COMPETITOR_WORK = (
    r"(?:\b(?:i|we)\s+(?:currently\s+)?work\s+(?:at|for|with)|\bi(?:'m| am|m)\s+(?:with|at|from)|"
    r"\bi(?:'m| am|m)\s+(?:an?\s+|the\s+)?(?:(?!(?:" + _NOT_A_JOB + r")\b)(?![\w-]*(?:ing|ed)\b)"
    r"[\w-]+\s+){1,3}(?:at|with)|\bmy (?:company|employer) is|\bour company is|"
    r"\bwe(?:'re| are)|\bemployed (?:at|by)|\bi(?:'m| am|\s+work) (?:on|in|part of) (?:the |a )?"
    r"[\w -]{0,30}?\bteam (?:over )?(?:at|@)|\b(?:over )?here at|\bwe at|\bus (?:over )?at)"
    r"\s+(?:NAMES)\b"
    r"|^(?:(?:hi|hey|hello)\W+)?(?:[\w-]+\s+from\s+)?(?:NAMES)\s+(?:here|employee|team here)\b"
)
_COMPETITIVE = re.compile(
    r"\b(?:(?:we're|we are) (?:also )?(?:a |an )?(?:customer data platform|cdp|"
    r"product[- ]analytics (?:company|tool|platform|vendor|startup)|analytics (?:vendor|"
    r"platform)|session[- ]replay (?:tool|company|platform|startup)) too\b|we (?:do|build|make|"
    r"sell|offer|provide) (?:[\w/-]+ )"
    r"{0,2}(?:session replay|heatmaps?|product analytics|event tracking|feature flags?|a/b testing|"
    r"experimentation|customer data platform|cdp)(?: and [\w/ -]{0,30}?)? for (?:product teams|"
    r"companies|brands|businesses|saas|teams|customers|clients|apps|developers)|"
    r"benchmarking how (?:others|other (?:tools|vendors|companies)|you) do it|competitive homework|"
    r"(?:very )?(?:similar|same) (?:to|as) what you (?:do|build|offer|sell)|for our own "
    r"roadmap|competitive (?:research|analysis|intelligence|intel)|"
    r"competitor (?:research|analysis)|"
    r"research(?:ing)? (?:on )?(?:your|the) (?:pricing|prices|product|features)(?: for (?:our|my)"
    r"(?: own)? (?:product|company|startup|tool))|(?:for|to) (?:our|my) (?:own )?(?:competing|"
    r"similar|rival) (?:product|tool)|building (?:a |an )?(?:\w+ )?(?:competitor|alternative|"
    r"competing product|clone)|(?:we|i|my company|our company) (?:build|builds|make|makes|sell|"
    r"sells|develop|develops|run|runs|work on) (?:a |an |our own )?(?:competing|rival|competitor)|"
    r"benchmark(?:ing)? (?:your|against your) (?:pricing|product)|"
    r"compare (?:your|it) (?:pricing|features) (?:to|with) ours|we(?:'re| are) a competitor|"
    r"(?:(?:we|i)(?:'re| are| am|'m)? (?:build|building|make|making|develop|developing|sell|"
    r"selling|maintain|maintaining|launch|launching)|(?:we|i)'ve built|our (?:product|tool|"
    r"platform|app),? (?:[\w-]+,? )?is) (?:(?!(?:\b(?:and|but|so)|,) (?:we|i)\b)[^.]){0,50}?"
    r"\b(?:product analytics|web analytics|"
    r"open-source analytics|analytics|session replay|heatmaps?|event tracking|auto-?capture|"
    r"experimentation|a/b testing|feature flags?|customer data) (?:[\w-]+ )?(?:tool|platform|"
    r"product|startup|company|software|suite|sdk|project|service)|"
    r"(?:we|i)(?:'re| are| am|'m)? (?:build|building|make|making|develop|developing|sell|selling) "
    r"(?:a |an |the |our )?(?:cdp|customer data platform|session replay|experimentation "
    r"platform)\b|position (?:ourselves |it |us )?against (?:you|beacon)|undercut|"
    r"compare notes|swap notes|not buying,? just (?:benchmarking|comparing|researching)|"
    r"battle ?cards?|"
    r"comparison page|\w+ vs\.? beacon|(?:compared|compare it|compares) (?:to|with) ours|"
    r"(?:vs|versus|than) ours|(?:our )?customers (?:are |keep )?asking (?:us )?about "
    r"(?:you|beacon)|"
    r"other (?:tools|vendors|companies|players) in the space|(?:startup|company|team) (?:building|"
    r"that builds|making|that makes) [^.]{0,30}?(?:session replay|heatmaps?|product analytics|"
    r"event tracking|feature flags?|a/b testing|customer data platform|cdp)\b)\b"
)
# A recruiter offering candidates, who mentions CVs and open roles like a job seeker does.
_RECRUITER = re.compile(
    r"\b(?:(?:i|we) place (?:\w+ ){0,4}(?:engineers|developers|analysts|candidates|talent|"
    r"people|folks)|(?:pre-?)?vetted (?:\w+ ){0,2}(?:candidates|engineers|developers|"
    r"talent|profiles|sellers|reps|sdrs|aes|people)|"
    r"candidates who(?:'d| would) be (?:a )?(?:perfect|great|strong|good)|"
    # "I've got three senior data engineers available right now", "our fee is 18% of salary"
    r"(?:i|we)(?:'ve| have)(?: got)? (?:\w+ ){0,3}(?:engineers|developers|devs|candidates|"
    r"analysts|designers) (?:[\w/-]+ ){0,6}(?:available|ready to start|on the bench)|"
    r"(?:placement|recruiting|recruitment|finder's) fee|(?:\d+ ?%|percent) of (?:their |the )?"
    r"(?:first-year |first year |annual |base )?salary)\b"
)
_VENDOR = re.compile(
    r"\b(?:we (?:offer|provide|sell|deliver|specialize in|specialise in|do) (?:[\w-]+\s+){0,3}?"
    r"(?:services|solutions|development|outsourcing|consulting|leads|seo|backlinks|staffing|"
    r"outbound|lead gen(?:eration)?|list building|cold email(?:ing)?|translations?|localization|"
    r"localisation|explainer videos?)|(?:use|need|want) (?:some )?extra (?:engineering|"
    r"development|dev|design) capacity|(?:start|begin) with a (?:small )?pilot team|(?:we're|"
    r"we are) (?:a |an )?(?:localization|localisation|"
    r"translation|video|animation|explainer|pr|recruiting|recruitment|staffing|outsourcing|"
    r"lead[- ]gen(?:eration)?|outbound|seo|web design|design) (?:agency|studio|firm|company|"
    r"shop|partner)\b[^.]{0,60}?(?:for (?:saas|b2b|tech|software|startups|brands|companies)|"
    r"happy to|we've (?:done|translated|worked|built|made|helped))|happy to (?:do|send|share|"
    r"offer) (?:you )?(?:a |our )?(?:free )?(?:sample|reel|portfolio|audit|mockups?|quote|case "
    r"studies)|"
    r"(?:our|my) (?:services|agency|team) (?:can|could|will)|partnership (?:opportunit(?:y|ies)|"
    r"proposal)|partner with you|(?:i'd|i would|we'd|we would) (?:like|love) to (?:pitch|offer|"
    r"propose|introduce our|show you our)|pitch (?:you|our)|we (?:can|could|will) (?:build|"
    r"develop|design|create|redesign|make|improve) (?:your|you)|seo services|link building|"
    r"guest post(?:ing)?|backlinks?|outsourc(?:e|ing) (?:your|development)|offshore "
    r"(?:team|development)|lead generation services|white[- ]label|reseller program|"
    r"(?:i|we) represent (?:a|an)|sponsorship (?:opportunit(?:y|ies)|deal)|dev shop|"
    r"(?:candidates|profiles|engineers|developers) (?:available|who'?d be a "
    r"(?:strong |great )?fit)|"
    r"(?:we |we'd |we would |our team |and (?=(?:can|could|will) \w+ [^.]{0,12}?qualified))"
    r"(?:can |could |will |would )?(?:book|books|schedule|generate|deliver|fill)s? [^.]{0,30}?"
    r"(?:demos|meetings|leads|appointments|calendars?)|(?:pay|paid)[- ](?:only )?"
    r"(?:per|for each)[- ](?:meeting|lead|appointment|demo)|"
    r"(?:page|position) (?:1|one) (?:on|of|in) google|get you to page|"
    r"link-?building|(?:placement|recruiting|our) fee|% of (?:first-year |first year )?salary|"
    r"(?:our|my) (?:studio|agency|firm|team) (?:rebuilds?|redesigns?|builds?|designs?) "
    r"[^.]{0,30}?(?:for (?:saas|companies|brands|clients)|sites)|send (?:over )?(?:a few |some )?"
    r"mockups|free audit|revenue share|list(?:ing)? beacon on|"
    # "we're offering a service", "a 140-person nearshore team", "dedicated React squads",
    # "two gold exhibitor booths left", "I manage sponsorships for the event"
    r"(?:we're|we are|i'm|i am) offering (?:a |our |my )?services?|(?:nearshore|offshore) "
    r"(?:team|development|developers|engineers|squads?)|dedicated (?:[\w+-]+ ){0,3}squads|"
    r"exhibitor (?:booths?|stands?|packages?|slots?)|(?:manage|handle|sell|run) sponsorships?|"
    r"sponsorships? for (?:the|our|this) (?:event|conference|podcast|newsletter|summit))\b"
)
# An offer made to Beacon rather than a want of the prospect's own: "would your CTO be open
# to a brief intro", "who handles partnerships on your side", "happy to send over a
# proposal", "our retainers start at $3k", "ideal for your outbound".
_PITCH = re.compile(
    r"\b(?:would your (?!sales|team|account|support)(?:[\w-]+ ){1,3}be (?:open|interested|up) "
    r"(?:to|for|in)|who "
    r"(?:handles|looks after|runs|owns|is responsible for|manages) [^.?]{0,40}?(?:on|at) your "
    r"(?:side|end|company)|we help (?:[\w-]+ ){0,3}(?:companies|brands|teams|startups|businesses) "
    r"(?:to )?(?:book|fill|generate|get more) [^.]{0,30}?(?:demos|meetings|leads|pipeline|"
    r"calendars?)|(?:help|helps|helping) (?:[\w-]+ ){0,2}companies like (?:yours|you|beacon)|"
    r"(?:(?:happy|glad) to|(?:can|shall|should|may|could) (?:i|we)) (?:send|share) (?:you |it |"
    r"this )?(?:over )?(?:a |some |our |the |my )?(?:proposal|case stud(?:y|ies)|(?:free )?"
    r"samples?(?: file)?|deck|portfolio|references|media kit|prospectus|rate card|one-pager)|"
    r"media kit|prospectus|rate card|sponsor(?:ship)? (?:booths?|slots?|packages?|tiers?)|"
    r"(?:ad|ads|advertising) slots|mid-?roll|sponsored (?:issue|post|placement|newsletter)|"
    r"(?:would|will|could) (?:you|u|beacon|your team) be (?:interested|open) (?:in|to) (?:a |our "
    r"|some )?(?:free )?(?:sample|trial|audit|pilot of our)|(?:i|we)(?:'ll| will) set it up for "
    r"(?:you|u)|or (?:you|u) don'?t pay|(?:perfect|great|ideal) audience for|"
    r"(?:we|i) (?:lead|invest in|back|write) [^.]{0,30}?(?:rounds?|checks?|cheques?)|your next "
    r"(?:raise|round|fundraise)|(?:we'd|we would|we can|we could) supply your|"
    r"(?:our|my) (?:packages?|retainers?|rates?|"
    r"day rate|hourly rate|fees?) (?:start|run|are|is|from)|offer my services|(?:do|does) "
    r"(?:you|beacon) (?:guys )?(?:outsourc\w*|need (?:extra|more) (?:hands|developers|help))|"
    r"(?:ideal|perfect|great) for your (?:outbound|team|pipeline|marketing|sales)|(?:for|on) "
    r"your (?:outbound|paid acquisition|ad spend|pipeline)|we charge \d|"
    # "could help Beacon fill its sales pipeline", "explore a partnership where we build a
    # connector", "co-market it", "happy to share our partner deck"
    r"(?:we|i) (?:could|can|will) (?:fill|book|grow|double|triple) your (?:calendar|pipeline|"
    r"demos|meetings|signups|sales)|bring (?:\w+ ){0,4}companies (?:\w+ )?(?:qualified )?demos|"
    r"(?:could|can|would) help (?:beacon|you|your team) (?:\w+ ){0,2}(?:fill|grow|build|book|"
    r"get|generate|scale|boost)|outsourced (?:sdr|sales|bdr|lead)|(?:explore|discuss|propose) "
    r"(?:a |an )?(?:\w+ )?partnership|co-?market(?:ing)?|joint webinar|partner deck|list you in "
    r"our|"
    # "we've helped analytics platforms like yours", "who's the best person to send the deck
    # to", "the pilot is on us", "open to seeing anonymised profiles"
    r"(?:helped|help|work with|worked with|serve|partner with) (?:[\w-]+ ){0,3}(?:platforms|"
    r"companies|startups|teams|businesses|brands|products|vendors) like (?:yours|you|beacon)|"
    r"(?:send|pitch|show) (?:the|my|our) (?:deck|proposal|ideas|profiles|portfolio) to|"
    r"(?:pilot|trial|sample|first (?:batch|audit|call|session)) (?:is|are) (?:on us|free|on the "
    r"house)|(?:audit|intro|discovery) call is free|open to (?:seeing|reviewing|a look at) "
    r"(?:some )?(?:anonymi[sz]ed )?(?:profiles|cvs|resumes|candidates)|"
    # "book meetings straight onto your reps' calendars", "take over Beacon's ticket queue",
    # "so your SDRs can prioritize them", "pitch us as a Beacon implementation partner",
    # "I could write a full migration guide for you"
    r"(?:onto|into) your (?:reps'? |sales |team's )?calendars?|(?:take over|run|handle|cover) "
    r"(?:beacon's|your) (?:ticket queue|support|chat|outbound|customer support|sdr)|so "
    r"(?:your|beacon's) (?:sdrs|bdrs|reps|sales team|sales reps)|as (?:a |an |your )?(?:beacon "
    r")?(?:implementation|referral|reseller|channel|agency|solutions) partner|referral "
    r"commission|(?:i|we) (?:can|could) (?:write|build|create|design|produce|put together) "
    r"[^.]{0,80}?\bfor (?:you|beacon|your team)\b|"
    # "become an authorized reseller of Beacon", "join your implementation partner program",
    # "extend your team with ours", "want me to send some profiles?", "outsourced support"
    r"(?:become|becoming|be) (?:an? |your )?(?:authori[sz]ed |official |exclusive )?(?:reseller|"
    r"distributor|referral partner|channel partner)|(?:join|joining) your (?:[\w-]+ )?(?:partner|"
    r"reseller|referral|affiliate) (?:program|programme|network)|extend your (?:[\w-]+ )?team "
    r"with ours|(?:want|shall|should|can|could) (?:me|i|we) (?:to )?send (?:you )?(?:over )?"
    r"(?:some |a few |a couple of )?(?:profiles|cvs|resumes|candidates)|outsourced (?:customer )?"
    r"(?:support|service|helpdesk) (?:teams?|agents|staff))\b"
)
_SPAM_WORDS = re.compile(
    r"\b(?:buy (?:cheap )?(?:followers|likes|views)|cheap (?:followers|meds|pills|likes)|casino|"
    r"viagra|guaranteed (?:returns|profit|ranking)|earn \$?\d+k? (?:per|a|every) (?:day|week|hour)|"
    r"make money (?:fast|online|from home)|click here|limited (?:time )?offer|free money|forex "
    r"signals|crypto (?:investment|signals|giveaway)|bitcoin (?:doubler|giveaway|investment)|"
    r"lottery|you(?:'ve| have) won|lucky winner|claim your (?:free |cash )?(?:prize|reward|gift|"
    r"iphone|voucher)|you(?:'ve| have) been (?:specially )?selected|adult content|hot singles|"
    r"loan offer|earn \$?[\d,.]+k?\$? "
    r"(?:daily|weekly|per (?:day|week|hour)|a (?:day|week)|every (?:day|week))|(?:crypto|forex) "
    r"(?:trading|bot)|trading bot|t\.me/\w+|replica (?:watches|bags|handbags|goods|designer)|"
    r"use (?:the )?code \w+ for|double your (?:crypto|money|bitcoin|btc|investment|income)|"
    r"(?:join|in) our (?:telegram|whatsapp|discord) (?:group|channel))\b"
)


@lru_cache(maxsize=64)
def competitor_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """The "works at a competitor" matcher for a playbook's competitor names."""
    wanted = sorted({name.lower().strip() for name in names if name.strip()}, key=len, reverse=True)
    if not wanted:
        return None
    alternatives = "|".join(re.escape(name) for name in wanted)
    return re.compile(_COMPETITOR_WORK.replace("NAMES", alternatives))


def competitor_email(email: str | None, names: tuple[str, ...]) -> str | None:
    """The prospect's own email when its domain is a competitor's (``@mixpanel.com``);
    None otherwise."""
    wanted = {re.sub(r"[^a-z0-9]", "", name.lower()) for name in names} - {""}
    domain = email.rsplit("@", 1)[-1].lower() if email and "@" in email else ""
    labels = domain.split(".")
    if len(labels) >= 2 and labels[-2] in wanted:
        return email
    return None


def competitor_company(name: object, names: tuple[str, ...]) -> str | None:
    """The prospect's own company name when it is a competitor's (exactly, in any case)."""
    wanted = {competitor.casefold().strip() for competitor in names} - {""}
    if isinstance(name, str) and name.casefold().strip() in wanted:
        return name
    return None


# "I'm doing a part-time MBA, but this is for my day job, not for school".
NOT_STUDYING = re.compile(
    r"\bnot (?:for|a|about) (?:school|uni|university|class|college|my studies|coursework|"
    r"homework)\b|\bfor (?:my|our) (?:day job|employer)\b|\bnot (?:a |an )?student\b|"
    r"\bi (?:work|run [\w-]+(?: [\w-]+)?|lead [\w-]+(?: [\w-]+)?) (?:at|for) (?:a|the|our) "
    r"(?:university|college|school)\b|\b(?:university|college|school) staff\b"
)


# "not offering you backlinks I promise", "this isn't a pitch": a buyer heading off the
# misreading their trade invites.
NO_PITCH = re.compile(
    r"\bnot (?:offering|pitching|selling)(?: you)?(?: anything| any)?\b|\b(?:this|it) (?:isn't|is "
    r"not|'s not) a (?:sales )?pitch\b|\bnot a (?:sales )?pitch\b|\b(?:i'm|we're|i am|we are) "
    r"not (?:selling|pitching)\b"
)


def offers_services(message: str) -> bool:
    """Whether ``message`` sells a service to Beacon ("we're an SEO agency and can get you to
    page 1"): a pitch with a link in it is a vendor, not link spam."""
    return _VENDOR.search(message.lower().replace("’", "'")) is not None


def find_disqualifier(
    clauses: list[Clause],
    competitor_work: re.Pattern[str] | None,
    message: str = "",
    *,
    language: str = "en",
    competitors: tuple[str, ...] = (),
) -> dict[str, Any] | None:
    """``update_lead`` disqualifier arguments, or None.

    In a conversation held in another language than English, that language's wording is
    looked for too (see :mod:`agent.offline.languages.disqualifiers`), after the English
    rules (English words are common in any language: "internship", "SEO services").
    """
    found = _find_english(clauses, competitor_work, message)
    if found is not None or language == "en":
        return found
    return _find_in(clauses, language, competitors, message)


def _find_in(
    clauses: list[Clause], language: str, competitors: tuple[str, ...], message: str
) -> dict[str, Any] | None:
    checks = translated.checks(language, competitors)
    if translated.WE_RUN[language].search(fold(message)):
        # A business speaking of its trade anywhere in the message ("wir betreiben eine
        # Jobbörse ... wo die Leute im Bewerbungsprozess hängen bleiben") is no job seeker.
        checks = [(kind, pattern) for kind, pattern in checks if kind != "job_seeker"]
    if translated.NO_PITCH[language].search(fold(message)):
        checks = [(kind, pattern) for kind, pattern in checks if kind != "vendor"]
    elif translated.OWN_PRODUCT[language].search(fold(message)):
        # "Personalvermittlung mit eigenem Jobportal": what the business is, not an offer;
        # an offer made to us still counts.
        offers = translated.OFFERS[language]
        checks = [(k, p) for k, p in checks if k != "vendor" or p is offers]
    folded = [fold(c.raw) for c in clauses]
    for kind, pattern in checks:
        for clause, text in zip(clauses, folded, strict=True):
            if _says_in(kind, pattern, text, language):
                return {"quote": clause.raw, "kind": kind}
    for sentence in [group for group in sentences(clauses) if len(group) > 1]:
        text = fold(", ".join(c.raw for c in sentence))
        for kind, pattern in checks:
            if _says_in(kind, pattern, text, language):
                return {"quote": span(message, sentence), "kind": kind}
    return None


def _says_in(kind: Disqualifier, pattern: re.Pattern[str], text: str, language: str) -> bool:
    """Whether folded ``text`` in ``language`` says what ``pattern`` matches: not denied
    ("kein Student"), and for a student or a competitor's employee not a thing of the past
    ("meine Masterarbeit vor Jahren", "fui estagiário na Amplitude")."""
    if kind in ("student", "competitor") and translated.PAST[language].search(text):
        return False
    denied = translated.DENIED[language]
    return any(
        not denied.search(text[: m.start()])
        and not (kind in ("student", "job_seeker") and _NEGATED_INSIDE.search(m.group()))
        for m in pattern.finditer(text)
    )


# "je suis pas étudiant", "ich bin kein Student": the denial inside the words found.
_NEGATED_INSIDE = re.compile(r"\b(?:pas|nicht|kein\w*|no|nao|jamais|nunca)\b")


def _find_english(
    clauses: list[Clause], competitor_work: re.Pattern[str] | None, message: str
) -> dict[str, Any] | None:
    checks: list[tuple[Disqualifier, re.Pattern[str]]] = [
        ("spam", _SPAM_WORDS),
        ("vendor", _RECRUITER),
        ("job_seeker", _JOB_SEEKER),
        ("student", _STUDENT),
        ("competitor", _COMPETITIVE),
        ("vendor", _VENDOR),
        ("vendor", _PITCH),
    ]
    if competitor_work is not None:
        checks.insert(3, ("competitor", competitor_work))
    if any(NOT_STUDYING.search(c.text) for c in clauses):
        checks = [(kind, pattern) for kind, pattern in checks if kind != "student"]
    if any(NO_PITCH.search(c.text) for c in clauses):
        checks = [(kind, pattern) for kind, pattern in checks if kind != "vendor"]
    for kind, pattern in checks:
        for clause in clauses:
            if _says(pattern, clause.text):
                return {"quote": clause.raw, "kind": kind}
    # A statement cut into clauses by a comma ("we're building Trailmark, an open-source
    # analytics tool") is read whole, sentence by sentence.
    for sentence in [group for group in sentences(clauses) if len(group) > 1]:
        for kind, pattern in checks:
            if _says(pattern, ", ".join(c.text for c in sentence)):
                return {"quote": span(message, sentence), "kind": kind}
    return None


_DENIED = re.compile(
    r"\b(?:not|no|never|don't|do not|aren't|are not|isn't|is not)\s+(?:\w+\s+){0,2}$"
)


def _says(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``text`` says what ``pattern`` matches, not denies it ("not selling ad slots")."""
    return any(not _DENIED.search(text[: m.start()]) for m in pattern.finditer(text))
