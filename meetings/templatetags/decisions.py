"""How a § prints its beslut: {% load decisions %}{% decision_of paragraph committee as decision %}."""

from django import template

from meetings.clauses import paragraph_decision

register = template.Library()


@register.simple_tag
def decision_of(paragraph, committee) -> object:
    """The DecisionText of a § (meetings.clauses), worded with the deciding organ's name."""
    name = committee if isinstance(committee, str) else getattr(committee, "name", "")
    return paragraph_decision(paragraph, name)


@register.simple_tag
def quorum_warnings(minutes) -> list[str]:
    """Beslutförhet per § of a protokoll loaded by minutes_selectors.minutes_full (meetings.voting_selectors)."""
    from meetings.voting_selectors import minutes_quorum_warnings

    return minutes_quorum_warnings(minutes)
