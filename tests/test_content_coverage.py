"""Every point of the source documents (the seeds) is covered by shipped content.

The table maps each seed point to the checklist items, playbook entries and policy texts
that cover it; the test fails when a mapped id disappears or stops saying what it should.
Ids: an item id (``prepare.…``), ``playbook:<script id>``, ``type:<customer type>``,
``principle:<start of the English text>``, ``policy:<category id>`` or ``policy:urgent``.
"""

import pytest

from planner.campaign.items import load_items
from planner.complaints.playbook import load_playbook
from planner.complaints.policy import shipped_policy

COVERAGE = {
    # --- seed 000: the 315 seller-forum article
    "000 three phases and their work": [
        "prepare.plan.kickoff", "battle.cs.response-time", "aftermath.complaint.closure-check"],
    "000 screen products, promotions, service, information security; past sensitive issues": [
        "prepare.screen.past-complaints", "prepare.security.accounts",
        "prepare.security.owner-accounts"],
    "000 Women's Day promotion rules, copy down when ended, prizes on time": [
        "prepare.promo.rules", "prepare.promo.ended-copy", "prepare.promo.womens-day-down",
        "prepare.promo.prizes"],
    "000 a named person checks prices and size specs": ["prepare.price.named-check"],
    "000 stock sample check, expiry, near expiry, quality trace to orders and purchasing": [
        "prepare.stock.sample-check", "prepare.stock.expired", "prepare.stock.near-expiry",
        "prepare.stock.quality-trace", "prepare.stock.buyer-returns", "prepare.stock.owner-check"],
    "000 main images and detail pages within the Advertising Law": [
        "prepare.copy.ad-law", "prepare.copy.claims-photos"],
    "000 complaint process and strategy written before the battle": [
        "prepare.process.flow", "prepare.process.levels"],
    "000 deployment notice, level-by-level training, contact roster": [
        "prepare.notice.deployment", "prepare.training.cascade", "prepare.roster.departments"],
    "000 online and offline training, one set of answers": [
        "prepare.training.scripts", "prepare.training.cascade"],
    "000 no need to be over-anxious; calm, sincere and professional": [
        "battle.cs.wellbeing", "playbook:composure"],
    "000 CS causes no complaint: response time, attitude, product knowledge, banned words": [
        "battle.cs.response-time", "battle.cs.conduct"],
    "000 real need, own authority, calm and report, help outside one's remit": [
        "battle.cs.real-need", "battle.cs.escalate", "battle.cs.beyond-remit"],
    "000 demands beyond the law: manage expectations, no stalling or passing the buck": [
        "battle.cs.expectations"],
    "000 managers on the floor and the hard-case list": [
        "prepare.onfloor.setup", "battle.onfloor.managers", "battle.onfloor.hard-case-list",
        "battle.onfloor.daily-review"],
    "000 aftermath: closed, called back, disputed cases tracked": [
        "aftermath.complaint.closure-check", "aftermath.callback.all-buyers",
        "aftermath.hardcase.track"],
    "000 crisis strategy when the platform could not settle it": ["aftermath.crisis.strategy"],
    "000 customer types: aggressive, quiet, habitual": [
        "type:aggressive", "type:quiet", "type:habitual"],
    "000 script families": [
        "playbook:listening", "playbook:respect", "playbook:expectation", "playbook:confirm",
        "playbook:choices", "playbook:action", "playbook:callback"],
    "000 psychological support for agents (心理疏导)": ["battle.cs.wellbeing"],
    "000 improve the complaint channels; learn from complaints": [
        "prepare.channels.complaints", "aftermath.channels.improve"],
    # --- seed 001: the customer-service training deck
    "001 scams: short links, free software, cheap supply, bad-review extortion, fake staff": [
        "prepare.security.scams"],
    "001 refund requests: platform steps in after a refusal; dispute rate": [
        "battle.refund.three-day"],
    "001 after-sales by phone, with the call recorded": [
        "prepare.evidence.on-platform", "battle.aftersale.disputes"],
    "001 in stock but not shipped": ["playbook:dispute-not-shipped"],
    "001 slow logistics": ["playbook:dispute-slow-delivery", "battle.logistics.exceptions"],
    "001 price dropped after purchase": ["playbook:dispute-price-drop"],
    "001 quality differing between purchases": ["playbook:dispute-quality-differs"],
    "001 damaged in transit": ["playbook:dispute-damaged"],
    "001 wrong courier": ["playbook:dispute-wrong-courier"],
    "001 goods not as pictured": ["playbook:dispute-not-as-pictured"],
    "001 wrong goods": ["playbook:dispute-wrong-item"],
    "001 wrong address": ["playbook:dispute-wrong-address"],
    "001 remedies prepared: difference refund, coupon, small gift, resend, recall": [
        "prepare.aftersale.remedy-menu", "prepare.aftersale.coupons-gifts",
        "prepare.process.authority"],
    "001 reviews: change once within 30 days, follow-up reviews, malicious reviews": [
        "aftermath.callback.reviews"],
    # --- seed 003: answering complaints
    "003 principles: responsible, transparent, reasonable, cooperative": [
        "principle:Be responsible", "principle:Be transparent", "principle:Be reasonable",
        "principle:Be cooperative"],
    "003 answer by voice or face to face whatever the channel": ["principle:Whatever channel"],
    "003 who answers: not the person complained about": [
        "principle:The person who answers"],
    "003 feelings first; explain, apologise, coordinate, sanction, correct": [
        "principle:Feelings first", "principle:Explain", "principle:Apologise",
        "principle:Coordinate", "principle:Sanction", "principle:Correct"],
    "003 two taboos: blaming staff, pushing to other departments": [
        "principle:Never blame the agent", "principle:Never push the buyer"],
    # --- seed 004: the complaint-handling procedure
    "004 procedure: accept to close, numbered complaint form": [
        "prepare.process.flow", "battle.complaint.first-owner"],
    "004 levels, handlers and first-response deadlines": [
        "prepare.process.levels", "battle.complaint.deadlines", "policy:quality",
        "policy:agent-attitude", "policy:agent-efficiency", "policy:account-security",
        "policy:escalated"],
    "004 urgent complaints within 3 hours; more than 10 on one issue": [
        "battle.complaint.urgent", "policy:urgent"],
    "004 level I notes: written rules, decline tactfully, explicit call-back time": [
        "playbook:level-i"],
    "004 letting the customer vent: listen, state your stance, commit": ["playbook:vent"],
    "004 tactful denial: acknowledge, then your view; 是……而…… / 除非……": [
        "playbook:tactful-denial"],
    "004 reframing a misunderstanding, with its two cautions": ["playbook:reframe"],
    "004 composure tips for the agent": ["playbook:composure"],
    "004 three kinds of objection": ["playbook:objections"],
    "004 refusing politely; handing over to a superior": [
        "playbook:refuse", "playbook:hand-over"],
    "004 five steps: mood first, then the matter": ["playbook:five-steps", "battle.cs.escalate"],
    "004 training on the techniques": ["prepare.training.techniques"],
    # --- platform and law facts (domain brief)
    "law seven-day no-reason returns and their exceptions": ["prepare.law.seven-day-returns"],
    "law discounts against the lowest price of the previous seven days": [
        "prepare.law.price-reference"],
    "law prize-draw terms published in advance": ["prepare.law.prize-terms"],
    "law category claims: cosmetics efficacy, food never cures": [
        "prepare.law.category-claims"],
    "law professional claimants answered with evidence": ["prepare.law.professional-claims"],
    "law evidence: Qianniu chats, recorded calls, no off-platform chats": [
        "prepare.evidence.on-platform"],
    "law warn buyers about scammers posing as the shop's CS": [
        "prepare.security.impersonation-warning", "policy:account-security"],
    "law crisis kit ready before the broadcast": ["prepare.crisis.kit", "battle.pr.monitoring"],
    "law never trade compensation for a changed review": ["aftermath.callback.reviews"],
}

# Words each covering text must keep saying (the id alone could survive a rewrite that drops
# the point): id -> (language, words that must all appear).
MUST_SAY = {
    "battle.refund.three-day": ("en", ["refunded automatically", "dispute rate", "rules centre"]),
    "aftermath.callback.reviews": ("zh", ["30天内", "追评", "天猫", "好评返现", "电子商务法"]),
    "prepare.law.price-reference": ("zh", ["前七天", "最低成交价", "先涨价"]),
    "prepare.law.seven-day-returns": ("zh", ["七天无理由", "定制", "鲜活易腐"]),
    "prepare.law.professional-claims": ("zh", ["退一赔三", "十倍"]),
    "prepare.crisis.kit": ("zh", ["发言人", "签发", "晚会"]),
    "playbook:tactful-denial": ("zh", ["是……而……", "除非……", "但是"]),
    "playbook:level-i": ("zh", ["规则", "委婉拒绝", "几点"]),
    "battle.cs.wellbeing": ("zh", ["不用过度紧张", "心理疏导", "轮"]),
    "prepare.copy.ad-law": ("zh", ["绝对化用语", "极限词"]),
}


def texts():
    """id -> {lang: text} for every coverable id."""
    found = {}
    for item in load_items():
        found[item.id] = {lang: item.title[lang] + " " + item.detail[lang] for lang in ("zh", "en")}
    books = {lang: load_playbook(lang) for lang in ("zh", "en")}
    for zh, en in zip(books["zh"]["scripts"], books["en"]["scripts"], strict=True):
        found[f"playbook:{zh['id']}"] = {"zh": " ".join([zh["name"], *zh["lines"]]),
                                         "en": " ".join([en["name"], *en["lines"]])}
    for zh, en in zip(books["zh"]["customer_types"], books["en"]["customer_types"], strict=True):
        found[f"type:{zh['id']}"] = {"zh": zh["signs"], "en": en["signs"]}
    for zh, en in zip(books["zh"]["principles"], books["en"]["principles"], strict=True):
        found[f"principle:{en}"] = {"zh": zh, "en": en}
    policy = shipped_policy()
    for category in policy.categories:
        found[f"policy:{category}"] = {"zh": category, "en": category}
    found["policy:urgent"] = {"zh": "urgent", "en": "urgent"}
    return found


TEXTS = texts()


def resolve(ref):
    if ref.startswith("principle:"):
        return [key for key in TEXTS if key.startswith(ref)]
    return [ref] if ref in TEXTS else []


@pytest.mark.parametrize("point", sorted(COVERAGE))
def test_every_seed_point_is_covered(point):
    missing = [ref for ref in COVERAGE[point] if not resolve(ref)]
    assert not missing, f"{point}: {missing} no longer exist"


@pytest.mark.parametrize("ref", sorted(MUST_SAY))
def test_covering_texts_keep_their_point(ref):
    lang, words = MUST_SAY[ref]
    text = TEXTS[resolve(ref)[0]][lang]
    assert all(word in text for word in words), (ref, [w for w in words if w not in text])


def test_small_shop_items_go_to_roles_a_small_shop_has():
    small = [item for item in load_items() if "small" in item.tiers]
    roles = {"shop-owner", "frontline-cs", "cs-manager", "operations"}
    assert not [(item.id, item.owner) for item in small if item.owner not in roles]


def test_every_shop_finds_the_real_need_helps_beyond_its_remit_and_delivers_prizes():
    items = {item.id: item for item in load_items()}
    for ident in ("battle.cs.real-need", "battle.cs.beyond-remit", "prepare.promo.prizes"):
        assert set(items[ident].tiers) == {"small", "medium", "large"}, ident
    assert {"medium", "large"} <= set(items["prepare.onfloor.setup"].tiers)
